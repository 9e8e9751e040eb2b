//! Single-use tokens (email verification, password reset), stored as SHA-256 digests.

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl, QueryResult};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};

use crate::domain::user::UserId;
use crate::infrastructure::schema::tokens;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    const fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
        }
    }
}

/// Stores a token digest.
///
/// # Errors
/// Database failures.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    digest: &[u8],
    user: UserId,
    purpose: Purpose,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(tokens::table)
        .values((
            tokens::token_hash.eq(digest),
            tokens::user_id.eq(user.into_uuid()),
            tokens::purpose.eq(purpose.as_str()),
            tokens::expires_at.eq(expires_at),
            tokens::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Uses a token: atomically marks it used if it exists, has this purpose, is unused and
/// unexpired, and returns its user. A second use, an expired or unknown token give `None`.
///
/// # Errors
/// Database failures.
pub async fn consume(
    conn: &mut AsyncPgConnection,
    digest: &[u8],
    purpose: Purpose,
    now: DateTime<Utc>,
) -> QueryResult<Option<UserId>> {
    diesel::update(
        tokens::table
            .find(digest)
            .filter(tokens::purpose.eq(purpose.as_str()))
            .filter(tokens::used_at.is_null())
            .filter(tokens::expires_at.gt(now)),
    )
    .set(tokens::used_at.eq(now))
    .returning(tokens::user_id)
    .get_result::<uuid::Uuid>(conn)
    .await
    .optional()
    .map(|id| id.map(UserId::from))
}

/// Invalidates every unused token of a user for a purpose (e.g. older reset links after a reset).
///
/// # Errors
/// Database failures.
pub async fn revoke_all(
    conn: &mut AsyncPgConnection,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        tokens::table
            .filter(tokens::user_id.eq(user.into_uuid()))
            .filter(tokens::purpose.eq(purpose.as_str()))
            .filter(tokens::used_at.is_null()),
    )
    .set(tokens::used_at.eq(now))
    .execute(conn)
    .await
    .map(drop)
}
