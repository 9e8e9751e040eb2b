//! The outbox's dead letters: events whose delivery failed its last attempt (`dead_at` set by
//! the dispatcher), kept for inspection and replay. A replay leaves the per-subscriber delivery
//! records alone, so only the subscribers still missing the event get it.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use super::CHANNEL;

/// An event whose delivery failed its last attempt.
#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct DeadEvent {
    #[diesel(sql_type = SqlUuid)]
    pub event_id: Uuid,
    /// `entity.verb` (`page.created`).
    #[diesel(sql_type = Text)]
    pub event_type: String,
    /// The context that recorded it.
    #[diesel(sql_type = Text)]
    pub producer: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    /// Failed delivery attempts.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    /// The failures of the last attempt, `subscriber: error` joined by `; `.
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    /// When the last attempt failed.
    #[diesel(sql_type = Timestamptz)]
    pub dead_at: DateTime<Utc>,
}

/// The dead events, most recently failed first; at most `limit`.
///
/// # Errors
/// When the query fails.
pub async fn dead_events(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<DeadEvent>> {
    diesel::sql_query(
        "SELECT event_id, event_type, producer, payload, attempts, last_error, occurred_at, dead_at \
         FROM kernel.outbox WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, event_id DESC LIMIT $1",
    )
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Puts the dead event `id` back for delivery, due `now`, with a fresh set of attempts (its last
/// error is kept until the next one), and wakes the dispatchers; `false` when there is no such
/// dead event.
///
/// # Errors
/// When the update fails.
pub async fn replay_dead(conn: &mut AsyncPgConnection, id: Uuid, now: DateTime<Utc>) -> QueryResult<bool> {
    let changed = diesel::sql_query(
        "UPDATE kernel.outbox SET dead_at = NULL, attempts = 0, next_attempt_at = $2 \
         WHERE event_id = $1 AND dead_at IS NOT NULL",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::sql_query("SELECT pg_notify($1, '')").bind::<Text, _>(CHANNEL).execute(conn).await?;
    Ok(true)
}

#[derive(diesel::QueryableByName)]
struct Backlog {
    #[diesel(sql_type = BigInt)]
    pending: i64,
    #[diesel(sql_type = BigInt)]
    dead: i64,
}

/// The outbox's backlog: events still to deliver (due now or waiting for a retry), and dead ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxBacklog {
    pub pending: i64,
    pub dead: i64,
}

/// Counts the events not dispatched yet, pending and dead apart.
///
/// # Errors
/// When the query fails.
pub async fn backlog(conn: &mut AsyncPgConnection) -> QueryResult<OutboxBacklog> {
    let row: Backlog = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE dead_at IS NULL) AS pending, \
                count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead \
         FROM kernel.outbox WHERE dispatched_at IS NULL",
    )
    .get_result(conn)
    .await?;
    Ok(OutboxBacklog { pending: row.pending, dead: row.dead })
}
