//! The outbox dispatcher: delivers recorded events to the subscribers registered at start-up,
//! at least once.
//!
//! Each pass claims a batch of due events (`FOR NO KEY UPDATE SKIP LOCKED`, so the dispatchers
//! of several replicas share the work, and the row locks die with a crashed process's
//! connection; `NO KEY` because the delivery rows written meanwhile on another connection take a
//! key-share lock on their event through the foreign key, which a plain `FOR UPDATE` would block).
//! For each event, every interested subscriber that has not handled it yet gets it; a success is
//! recorded at once (on another connection) in `kernel.outbox_deliveries`, so a redelivery
//! after a crash skips the subscribers that already have the event. An event is marked
//! `dispatched_at` when every interested subscriber has it; otherwise its `attempts` grow and it
//! waits `next_attempt_at` (exponential backoff with jitter) before the subscribers still
//! missing it are tried again. A failing (or panicking, or hung past the timeout) subscriber
//! never holds up the others. Order between events is not guaranteed once a retry happens.
//!
//! An event whose delivery fails [`DispatcherConfig::max_attempts`] times is marked `dead_at`
//! (the dead letter, logged once at error level) and is no longer claimed; [`replay_dead`]
//! (the admin console's replay) puts it back, due at once with fresh attempts, and only the
//! subscribers still missing it get it.
//!
//! [`replay_dead`]: super::replay_dead

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};
use diesel::QueryableByName;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl as _};
use futures_util::FutureExt as _;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::{CHANNEL, EventEnvelope, TRACE_ID};
use crate::jobs::Backoff;
use kernel::Clock;
use kernel::db::DbPool;

/// A consumer of events. Handlers must be idempotent on [`EventEnvelope::event_id`]: delivery
/// is at least once.
#[async_trait::async_trait]
pub trait Subscriber: Send + Sync + 'static {
    /// A stable, unique name: progress is tracked under it, so renaming it redelivers the
    /// events not yet pruned.
    fn name(&self) -> &'static str;

    /// Whether it wants events of `event_type` (`page.created`, …).
    fn wants(&self, event_type: &str) -> bool;

    /// Whether it wants this event; by default, whether it wants its type. Override it to pick
    /// events by their envelope too (the audit log takes every event recorded during an
    /// impersonation, whatever its type).
    fn wants_event(&self, event: &EventEnvelope) -> bool {
        self.wants(&event.event_type)
    }

    /// Handles one event.
    ///
    /// # Errors
    /// Any error (or a panic) leaves the event pending for this subscriber; it is retried with
    /// backoff.
    async fn handle(&self, event: &EventEnvelope) -> anyhow::Result<()>;
}

/// How many times an event's delivery is tried before it is dead, by default.
///
/// Subscribers are our own code writing to our own database (audit rows, notifications and the
/// jobs they enqueue), so a failure that lasts is an outage or an event no retry will fix. With
/// the default backoff (5 s doubling to an hour, with jitter) 20 attempts span about 5 to 10
/// hours: long enough to ride out a night's outage without anyone stepping in, short enough that
/// an event no subscriber can take shows in the console the same day instead of being retried
/// hourly for ever. A dead event costs the other events nothing, and it is one replay away.
pub const MAX_ATTEMPTS: i32 = 20;

/// How the dispatcher runs.
#[derive(Debug, Clone)]
pub struct DispatcherConfig {
    /// Events claimed per pass.
    pub batch: i64,
    /// How often an idle dispatcher looks for events (besides being woken by `NOTIFY`).
    pub poll_interval: Duration,
    /// Wait before an event whose delivery failed is tried again.
    pub backoff: Backoff,
    /// Failed delivery attempts after which an event is dead ([`MAX_ATTEMPTS`] by default).
    pub max_attempts: i32,
    /// Longest a subscriber may take over one event before it counts as failed.
    pub handler_timeout: Duration,
    /// A database URL to `LISTEN` on for new events ([`CHANNEL`]); `None` polls only.
    pub notify_url: Option<String>,
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        Self {
            batch: 100,
            poll_interval: Duration::from_secs(1),
            backoff: Backoff::default(),
            max_attempts: MAX_ATTEMPTS,
            handler_timeout: Duration::from_secs(60),
            notify_url: None,
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Delivered {
    #[diesel(sql_type = Text)]
    subscriber: String,
    #[diesel(sql_type = SqlUuid)]
    event_id: Uuid,
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(embed)]
    envelope: EventEnvelope,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

/// One pass: claims up to `config.batch` due events (neither dispatched nor dead) and delivers
/// them; returns how many it claimed (a full batch means more may be waiting).
///
/// # Errors
/// When the database fails; subscriber failures are recorded on the events instead.
pub async fn dispatch_batch(
    db: &DbPool,
    subscribers: &[Arc<dyn Subscriber>],
    clock: &dyn Clock,
    config: &DispatcherConfig,
) -> anyhow::Result<usize> {
    let mut conn = db.get().await.context("could not connect to the database")?;
    let mut side = db.get().await.context("could not connect to the database")?;
    let now = clock.now();
    conn.transaction::<_, anyhow::Error, _>(async |tx| {
        let events: Vec<Claimed> = diesel::sql_query(
            "SELECT event_id, event_type, producer, schema_version, occurred_at, trace_id, impersonator_id, payload, attempts \
             FROM kernel.outbox \
             WHERE dispatched_at IS NULL AND dead_at IS NULL \
               AND (next_attempt_at IS NULL OR next_attempt_at <= $1) \
             ORDER BY occurred_at, event_id LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED",
        )
        .bind::<Timestamptz, _>(now)
        .bind::<BigInt, _>(config.batch)
        .load(tx)
        .await
        .context("could not claim outbox events")?;
        if events.is_empty() {
            return Ok(0);
        }
        let ids: Vec<Uuid> = events.iter().map(|e| e.envelope.event_id).collect();
        let delivered: HashSet<(String, Uuid)> = diesel::sql_query(
            "SELECT subscriber, event_id FROM kernel.outbox_deliveries WHERE event_id = ANY($1)",
        )
        .bind::<Array<SqlUuid>, _>(&ids)
        .load::<Delivered>(tx)
        .await
        .context("could not read outbox deliveries")?
        .into_iter()
        .map(|d| (d.subscriber, d.event_id))
        .collect();
        for event in &events {
            let failures = deliver(&mut side, subscribers, &event.envelope, &delivered, clock, config).await;
            settle(tx, event, &failures, clock.now(), config).await?;
        }
        Ok(events.len())
    })
    .await
}

/// Hands `event` to every interested subscriber that does not have it yet; returns the failures.
async fn deliver(
    side: &mut AsyncPgConnection,
    subscribers: &[Arc<dyn Subscriber>],
    event: &EventEnvelope,
    delivered: &HashSet<(String, Uuid)>,
    clock: &dyn Clock,
    config: &DispatcherConfig,
) -> Vec<String> {
    let mut failures = Vec::new();
    for subscriber in subscribers.iter().filter(|s| s.wants_event(event)) {
        let name = subscriber.name();
        if delivered.contains(&(name.to_owned(), event.event_id)) {
            continue;
        }
        let trace = event.trace_id.clone().unwrap_or_else(|| format!("event-{}", event.event_id));
        let handled = TRACE_ID.scope(trace, AssertUnwindSafe(subscriber.handle(event)).catch_unwind());
        let error = match tokio::time::timeout(config.handler_timeout, handled).await {
            Ok(Ok(Ok(()))) => match record_delivery(side, name, event.event_id, clock.now()).await {
                Ok(()) => None,
                Err(e) => Some(format!("handled, but the delivery was not recorded: {e:#}")),
            },
            Ok(Ok(Err(e))) => Some(format!("{e:#}")),
            Ok(Err(_panic)) => Some("the subscriber panicked".to_owned()),
            Err(_) => Some(format!("timed out after {:?}", config.handler_timeout)),
        };
        if let Some(error) = error {
            tracing::warn!(
                subscriber = name,
                event_id = %event.event_id,
                event_type = %event.event_type,
                %error,
                "event delivery failed"
            );
            failures.push(format!("{name}: {error}"));
        }
    }
    failures
}

async fn record_delivery(
    side: &mut AsyncPgConnection,
    subscriber: &str,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> diesel::QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO kernel.outbox_deliveries (subscriber, event_id, delivered_at) VALUES ($1, $2, $3) \
         ON CONFLICT DO NOTHING",
    )
    .bind::<Text, _>(subscriber)
    .bind::<SqlUuid, _>(event_id)
    .bind::<Timestamptz, _>(now)
    .execute(side)
    .await
    .map(drop)
}

/// What becomes of an event after a pass.
enum Outcome {
    Dispatched,
    /// Some subscriber failed: tried again at the instant.
    Retry(DateTime<Utc>, String),
    /// Some subscriber failed the event's last attempt.
    Dead(String),
}

/// Marks `event` dispatched, schedules its retry when some subscriber failed, or marks it dead
/// when that was its last attempt (logged here, once).
async fn settle(
    tx: &mut AsyncPgConnection,
    event: &Claimed,
    failures: &[String],
    now: DateTime<Utc>,
    config: &DispatcherConfig,
) -> anyhow::Result<()> {
    let attempts = event.attempts + 1;
    let outcome = if failures.is_empty() {
        Outcome::Dispatched
    } else if attempts >= config.max_attempts {
        Outcome::Dead(failures.join("; "))
    } else {
        let delay = TimeDelta::from_std(config.backoff.delay(attempts)).unwrap_or(TimeDelta::MAX);
        Outcome::Retry(now + delay, failures.join("; "))
    };
    let (dispatched_at, next_attempt_at, dead_at, error) = match &outcome {
        Outcome::Dispatched => (Some(now), None, None, None),
        Outcome::Retry(at, error) => (None, Some(*at), None, Some(error.as_str())),
        Outcome::Dead(error) => (None, None, Some(now), Some(error.as_str())),
    };
    diesel::sql_query(
        "UPDATE kernel.outbox SET dispatched_at = $2, next_attempt_at = $3, dead_at = $4, \
           attempts = attempts + CASE WHEN $2::timestamptz IS NULL THEN 1 ELSE 0 END, \
           last_error = COALESCE($5, last_error) \
         WHERE event_id = $1",
    )
    .bind::<SqlUuid, _>(event.envelope.event_id)
    .bind::<Nullable<Timestamptz>, _>(dispatched_at)
    .bind::<Nullable<Timestamptz>, _>(next_attempt_at)
    .bind::<Nullable<Timestamptz>, _>(dead_at)
    .bind::<Nullable<Text>, _>(error)
    .execute(tx)
    .await
    .context("could not update the outbox event")?;
    if let Outcome::Dead(error) = &outcome {
        tracing::error!(
            event_id = %event.envelope.event_id,
            event_type = %event.envelope.event_type,
            producer = %event.envelope.producer,
            attempts,
            %error,
            "event delivery failed its last attempt: the event is dead until replayed from the console"
        );
    }
    Ok(())
}

/// The running dispatcher task; [`Dispatcher::shutdown`] stops it.
#[derive(Debug)]
pub struct Dispatcher {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    listener: Option<JoinHandle<()>>,
}

impl Dispatcher {
    /// Starts dispatching to `subscribers` (must be called in a Tokio runtime). With no
    /// subscribers, events are simply marked dispatched.
    ///
    /// # Panics
    /// When two subscribers share a name: their progress would be confused (start-up code).
    #[must_use]
    pub fn spawn(
        db: DbPool,
        subscribers: Vec<Arc<dyn Subscriber>>,
        clock: Arc<dyn Clock>,
        config: DispatcherConfig,
    ) -> Self {
        let mut names = HashSet::new();
        for subscriber in &subscribers {
            assert!(
                names.insert(subscriber.name()),
                "two outbox subscribers are named {:?}",
                subscriber.name()
            );
        }
        let (stop, mut stopped) = watch::channel(false);
        let wake = Arc::new(Notify::new());
        let listener = config.notify_url.clone().map(|url| {
            let wake = Arc::clone(&wake);
            crate::notify::spawn_listener(url, &[CHANNEL], Arc::new(move |_| wake.notify_one()))
        });
        let task = tokio::spawn(async move {
            loop {
                if *stopped.borrow_and_update() {
                    return;
                }
                let pass = dispatch_batch(&db, &subscribers, clock.as_ref(), &config).await;
                let wait = match pass {
                    Ok(n) => usize::try_from(config.batch).is_ok_and(|batch| n < batch),
                    Err(e) => {
                        tracing::warn!(error = %format!("{e:#}"), "outbox dispatch failed");
                        true
                    }
                };
                if wait {
                    tokio::select! {
                        () = tokio::time::sleep(config.poll_interval) => {}
                        () = wake.notified() => {}
                        _ = stopped.changed() => {}
                    }
                }
            }
        });
        Self { stop, task, listener }
    }

    /// Lets the pass in progress finish (at most `grace`), then stops. A pass cut short leaves
    /// its undelivered events for the next start (or another replica).
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(grace, &mut self.task).await.is_err() {
            tracing::warn!("outbox dispatch still running after the grace period; stopping it");
            self.task.abort();
        }
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
    }
}
