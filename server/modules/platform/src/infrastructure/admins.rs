//! Granted platform admins and the setup token.

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, OptionalExtension as _, QueryDsl, QueryResult};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::infrastructure::schema::{admins, setup_tokens};

/// Whether `user` was granted admin rights.
///
/// # Errors
/// The database's.
pub async fn is_granted(conn: &mut AsyncPgConnection, user: Uuid) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(admins::table.find(user))).get_result(conn).await
}

/// The users granted admin rights.
///
/// # Errors
/// The database's.
pub async fn granted(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Uuid>> {
    admins::table.select(admins::user_id).order(admins::granted_at).load(conn).await
}

/// Whether anyone was granted admin rights yet.
///
/// # Errors
/// The database's.
pub async fn any(conn: &mut AsyncPgConnection) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(admins::table.select(admins::user_id))).get_result(conn).await
}

/// Grants `user` admin rights; `false` when they had them already.
///
/// # Errors
/// The database's.
pub async fn grant(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    by: Option<Uuid>,
    via: &str,
    at: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = diesel::insert_into(admins::table)
        .values((
            admins::user_id.eq(user),
            admins::granted_at.eq(at),
            admins::granted_by.eq(by),
            admins::via.eq(via),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Replaces any setup token with the one hashed as `hash`.
///
/// # Errors
/// The database's.
pub async fn replace_setup_token(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::delete(setup_tokens::table).execute(conn).await?;
    diesel::insert_into(setup_tokens::table)
        .values((
            setup_tokens::token_hash.eq(hash),
            setup_tokens::created_at.eq(at),
            setup_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Spends the setup token hashed as `hash` if it is live at `now`: `true` when it was (every
/// setup token is gone afterwards either way only if it matched).
///
/// # Errors
/// The database's.
pub async fn take_setup_token(
    conn: &mut AsyncPgConnection,
    hash: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let found: Option<Vec<u8>> = setup_tokens::table
        .filter(setup_tokens::token_hash.eq(hash))
        .filter(setup_tokens::expires_at.gt(now))
        .select(setup_tokens::token_hash)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if found.is_none() {
        return Ok(false);
    }
    diesel::delete(setup_tokens::table).execute(conn).await?;
    Ok(true)
}
