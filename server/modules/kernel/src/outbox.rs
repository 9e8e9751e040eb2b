//! The transactional outbox. A use case records its domain events with [`record`] on the same
//! connection (inside the same transaction) as its state change, so an event exists exactly when
//! the change committed. A dispatcher delivers pending rows to subscribers at least once; each
//! event carries the envelope of the event contract: id, type, producer, schema version,
//! occurrence time, trace id and payload.

use chrono::{DateTime, Utc};
use diesel::sql_types::{Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use serde::Serialize;

/// A domain event: a past-tense fact a context publishes (`user.created`).
pub trait DomainEvent: Serialize {
    /// The event's type, `context_entity.verb` in the past tense (`membership.role_changed`).
    const TYPE: &'static str;
    /// The context that publishes it (`iam`, `tenancy`, …).
    const PRODUCER: &'static str;
    /// Bumped when the payload changes incompatibly.
    const SCHEMA_VERSION: i32 = 1;
}

/// Writes `event` to the outbox on `conn`. Call it inside the use case's transaction.
///
/// # Errors
/// When the insert fails (the transaction then rolls back with the state change).
pub async fn record<E: DomainEvent>(
    conn: &mut AsyncPgConnection,
    event: &E,
    occurred_at: DateTime<Utc>,
) -> diesel::QueryResult<uuid::Uuid> {
    let event_id = uuid::Uuid::now_v7();
    let payload =
        serde_json::to_value(event).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::sql_query(
        "INSERT INTO kernel.outbox (event_id, event_type, producer, schema_version, occurred_at, trace_id, payload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind::<SqlUuid, _>(event_id)
    .bind::<Text, _>(E::TYPE)
    .bind::<Text, _>(E::PRODUCER)
    .bind::<Integer, _>(E::SCHEMA_VERSION)
    .bind::<Timestamptz, _>(occurred_at)
    .bind::<Nullable<Text>, _>(current_trace_id())
    .bind::<Jsonb, _>(payload)
    .execute(conn)
    .await?;
    Ok(event_id)
}

tokio::task_local! {
    /// The trace id (the request id) of the work being done, set by the host per request.
    pub static TRACE_ID: String;
}

fn current_trace_id() -> Option<String> {
    TRACE_ID.try_with(Clone::clone).ok()
}
