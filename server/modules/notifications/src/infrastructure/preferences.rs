//! Email preferences: one row per (user, kind) that differs from the default (emails on).

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel::prelude::{BoolExpressionMethods as _, ExpressionMethods, QueryDsl, QueryResult};
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::infrastructure::schema::preferences;

/// Those of `users` who turned the emails of `kind` off.
pub(crate) async fn opted_out(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    kind: &str,
) -> QueryResult<HashSet<Uuid>> {
    let rows: Vec<Uuid> = preferences::table
        .filter(preferences::user_id.eq_any(users))
        .filter(preferences::kind.eq(kind).and(preferences::email.eq(false)))
        .select(preferences::user_id)
        .load(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Whether `user` gets the emails of `kind` (yes unless they said no).
pub(crate) async fn wants_email(conn: &mut AsyncPgConnection, user: Uuid, kind: &str) -> QueryResult<bool> {
    Ok(opted_out(conn, &[user], kind).await?.is_empty())
}

/// `user`'s stored choices, as (kind, email).
pub(crate) async fn of_user(conn: &mut AsyncPgConnection, user: Uuid) -> QueryResult<Vec<(String, bool)>> {
    preferences::table
        .filter(preferences::user_id.eq(user))
        .select((preferences::kind, preferences::email))
        .load(conn)
        .await
}

/// Stores whether `user` gets the emails of `kind`.
pub(crate) async fn set(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    kind: &str,
    email: bool,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(preferences::table)
        .values((
            preferences::user_id.eq(user),
            preferences::kind.eq(kind),
            preferences::email.eq(email),
            preferences::updated_at.eq(now),
        ))
        .on_conflict((preferences::user_id, preferences::kind))
        .do_update()
        .set((preferences::email.eq(excluded(preferences::email)), preferences::updated_at.eq(now)))
        .execute(conn)
        .await
        .map(drop)
}
