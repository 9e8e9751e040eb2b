//! Unsubscribe tokens: only the SHA-256 of each is stored (`kernel::token`); each works once.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    BoolExpressionMethods as _, ExpressionMethods, OptionalExtension as _, QueryDsl, QueryResult,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::infrastructure::schema::unsubscribe_tokens;

/// Stores the digest of a token that turns off `user`'s emails of `kind`.
pub(crate) async fn insert(
    conn: &mut AsyncPgConnection,
    digest: &[u8],
    user: Uuid,
    kind: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(unsubscribe_tokens::table)
        .values((
            unsubscribe_tokens::digest.eq(digest),
            unsubscribe_tokens::user_id.eq(user),
            unsubscribe_tokens::kind.eq(kind),
            unsubscribe_tokens::created_at.eq(now),
        ))
        .execute(conn)
        .await
        .map(drop)
}

/// Uses the unused token with `digest`: its (user, kind), or `None` when there is no such unused
/// token. Concurrent uses of one token: only one gets it.
pub(crate) async fn consume(
    conn: &mut AsyncPgConnection,
    digest: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<(Uuid, String)>> {
    let unused = unsubscribe_tokens::table
        .filter(unsubscribe_tokens::digest.eq(digest).and(unsubscribe_tokens::used_at.is_null()));
    diesel::update(unused)
        .set(unsubscribe_tokens::used_at.eq(now))
        .returning((unsubscribe_tokens::user_id, unsubscribe_tokens::kind))
        .get_result(conn)
        .await
        .optional()
}

/// The kind the unused token with `digest` would turn off, without using it.
pub(crate) async fn peek(conn: &mut AsyncPgConnection, digest: &[u8]) -> QueryResult<Option<String>> {
    unsubscribe_tokens::table
        .filter(unsubscribe_tokens::digest.eq(digest).and(unsubscribe_tokens::used_at.is_null()))
        .select(unsubscribe_tokens::kind)
        .get_result(conn)
        .await
        .optional()
}
