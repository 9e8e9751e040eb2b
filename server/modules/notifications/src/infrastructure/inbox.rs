//! The in-app notifications table: write them, page through a user's, count and mark the unread.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    BoolExpressionMethods as _, ExpressionMethods, Insertable, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel::sql_types::{Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::pagination::Cursor;
use uuid::Uuid;

use crate::infrastructure::schema::notifications;

/// A notification as read.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub(crate) struct NotificationRow {
    pub id: Uuid,
    pub organization_id: Option<Uuid>,
    pub kind: String,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl NotificationRow {
    /// Where this notification sits in the newest-first order.
    pub(crate) const fn cursor(&self) -> Cursor {
        Cursor { at: self.created_at, id: self.id }
    }
}

/// A notification to write.
#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = notifications)]
pub(crate) struct NewNotification {
    pub id: Uuid,
    pub user_id: Uuid,
    pub organization_id: Option<Uuid>,
    pub kind: &'static str,
    pub payload: serde_json::Value,
    pub event_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Writes `rows`, skipping any whose (event, user) is written already; returns how many were new.
pub(crate) async fn insert_all(conn: &mut AsyncPgConnection, rows: &[NewNotification]) -> QueryResult<usize> {
    if rows.is_empty() {
        return Ok(0);
    }
    diesel::insert_into(notifications::table)
        .values(rows)
        .on_conflict((notifications::event_id, notifications::user_id))
        .do_nothing()
        .execute(conn)
        .await
}

/// Up to `limit` of `user`'s notifications after `cursor`, newest first; only the unread ones
/// when `unread_only`.
pub(crate) async fn page(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    unread_only: bool,
    cursor: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<NotificationRow>> {
    let mut sql = notifications::table.filter(notifications::user_id.eq(user)).into_boxed();
    if unread_only {
        sql = sql.filter(notifications::read_at.is_null());
    }
    if let Some(Cursor { at, id }) = cursor {
        sql = sql.filter(
            notifications::created_at
                .lt(at)
                .or(notifications::created_at.eq(at).and(notifications::id.lt(id))),
        );
    }
    sql.order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit)
        .select(NotificationRow::as_select())
        .load(conn)
        .await
}

/// How many of `user`'s notifications are unread.
pub(crate) async fn unread_count(conn: &mut AsyncPgConnection, user: Uuid) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user).and(notifications::read_at.is_null()))
        .count()
        .get_result(conn)
        .await
}

/// Marks `user`'s notification `id` read (a read one keeps its first read time); `false` when
/// `user` has no such notification.
pub(crate) async fn mark_read(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let updated = diesel::sql_query(
        "UPDATE notifications.notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<SqlUuid, _>(user)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Marks every unread notification of `user` read; returns how many.
pub(crate) async fn mark_all_read(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let unread =
        notifications::table.filter(notifications::user_id.eq(user).and(notifications::read_at.is_null()));
    diesel::update(unread).set(notifications::read_at.eq(now)).execute(conn).await
}

/// Deletes `user`'s notifications about `organization` (they left it); returns how many.
pub(crate) async fn forget_organization(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    organization: Uuid,
) -> QueryResult<usize> {
    let theirs = notifications::table
        .filter(notifications::user_id.eq(user).and(notifications::organization_id.eq(organization)));
    diesel::delete(theirs).execute(conn).await
}
