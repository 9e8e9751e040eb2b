//! The transactional outbox. A use case records its domain events with [`record`] on the same
//! connection (inside the same transaction) as its state change, so an event exists exactly when
//! the change committed. The [`Dispatcher`] delivers pending rows to the [`Subscriber`]s
//! registered at start-up, at least once, in an [`EventEnvelope`]: id, producer, schema version,
//! occurrence time, trace id, impersonator and payload (the event type travels beside it, for
//! routing).
//!
//! Two task-locals set by the host around each request feed the envelope: [`TRACE_ID`] (the
//! request id) and [`IMPERSONATOR`] (the platform admin behind an impersonated session), so every
//! event recorded during an impersonation carries both identities without any use case knowing.
//!
//! Event types are named `entity.verb` in the past tense (`page.created`,
//! `membership.role_changed`); subscribers pick events by type with [`Subscriber::wants`].
//!
//! An event whose delivery keeps failing ends dead after [`DispatcherConfig::max_attempts`]
//! attempts; [`dead_events`] lists them and [`replay_dead`] puts one back (the admin console).

mod dead;
mod dispatcher;
mod envelope;

pub use dead::{DeadEvent, OutboxBacklog, backlog, dead_events, replay_dead};
pub use dispatcher::{Dispatcher, DispatcherConfig, MAX_ATTEMPTS, Subscriber, dispatch_batch};
pub use envelope::EventEnvelope;

/// The `NOTIFY` channel that wakes the dispatchers when events are recorded (sent by a trigger).
pub const CHANNEL: &str = "kernel_outbox";

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
        "INSERT INTO kernel.outbox \
           (event_id, event_type, producer, schema_version, occurred_at, trace_id, impersonator_id, payload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind::<SqlUuid, _>(event_id)
    .bind::<Text, _>(E::TYPE)
    .bind::<Text, _>(E::PRODUCER)
    .bind::<Integer, _>(E::SCHEMA_VERSION)
    .bind::<Timestamptz, _>(occurred_at)
    .bind::<Nullable<Text>, _>(current_trace_id())
    .bind::<Nullable<SqlUuid>, _>(current_impersonator())
    .bind::<Jsonb, _>(payload)
    .execute(conn)
    .await?;
    Ok(event_id)
}

tokio::task_local! {
    /// The trace id (the request id) of the work being done, set by the host per request.
    pub static TRACE_ID: String;
}

tokio::task_local! {
    /// The platform admin impersonating the signed-in user, set by the host around every request
    /// of an impersonated session: [`record`] stores it as the event's impersonator.
    pub static IMPERSONATOR: uuid::Uuid;
}

fn current_trace_id() -> Option<String> {
    TRACE_ID.try_with(Clone::clone).ok()
}

fn current_impersonator() -> Option<uuid::Uuid> {
    IMPERSONATOR.try_with(|id| *id).ok()
}

/// How many recorded events are still to be delivered (due now or waiting for a retry; dead
/// events are not counted: see [`backlog`]).
///
/// # Errors
/// When the query fails.
pub async fn pending_count(conn: &mut AsyncPgConnection) -> diesel::QueryResult<i64> {
    Ok(backlog(conn).await?.pending)
}

/// Deletes the events dispatched before `before` (their delivery records go with them); returns
/// how many.
///
/// # Errors
/// When the delete fails.
pub async fn prune_dispatched(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    diesel::sql_query("DELETE FROM kernel.outbox WHERE dispatched_at < $1")
        .bind::<Timestamptz, _>(before)
        .execute(conn)
        .await
}
