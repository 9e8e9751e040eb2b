//! Durable jobs in Postgres (`kernel.jobs`): deferred and scheduled work that survives a crash and
//! is shared by every replica. No fitting crate runs on diesel-async, so this is a small queue of
//! our own, worked with `FOR UPDATE SKIP LOCKED`.
//!
//! # The API
//!
//! - [`JobHandler`]: what a job does. A context implements it (capturing its own pool, clock, …)
//!   and the host registers it by name in a [`Jobs`] registry, with [`Jobs::register`].
//!   [`Jobs::schedule`] adds a cron schedule for a registered name.
//! - [`enqueue`] (or [`enqueue_job`] with options) writes a job **on the caller's connection**, so
//!   a use case enqueues inside the transaction of the change the job follows: the job exists
//!   exactly when the change committed.
//! - [`WorkerPool::spawn`] runs `workers` workers; [`WorkerPool::shutdown`] stops them gracefully.
//! - [`Scheduler::spawn`] enqueues scheduled jobs when they fall due; [`enqueue_due`] is one tick.
//! - [`run_now`] runs a handler once, in-process (`mibio jobs run NAME`).
//! - [`queue_depth`] counts jobs by state (`/metrics`); a [`JobObserver`] sees every attempt end.
//!
//! # Life of a job
//!
//! `queued` → a worker claims it when `run_at` has come: `running`, `attempts + 1`, leased to the
//! worker until `locked_until` (a heartbeat extends the lease every third of it while the handler
//! runs). Then:
//! - the handler returns `Ok` → `done`;
//! - it returns `Err`, panics or overruns [`WorkerConfig::timeout`] → back to `queued` with
//!   `run_at` pushed back by an exponential backoff with jitter ([`Backoff`]), or `dead` once
//!   `attempts` reached `max_attempts` (the job's own, else [`WorkerConfig::max_attempts`]);
//!   `last_error` keeps the last error;
//! - the process dies → the lease runs out and any worker claims the job again (the lost attempt
//!   counts);
//! - the pool shuts down → the job is given the grace period to finish, then is returned to
//!   `queued` without counting the attempt.
//!
//! A job whose name no handler is registered for goes `dead` with an error naming it.
//! Handlers must be idempotent: delivery is at least once (a worker can die after the work but
//! before recording it).
//!
//! Time comes from the [`Clock`](kernel::Clock) the pool is given; replicas must keep their clocks
//! in step to well under a lease (NTP does).
//!
//! # Cron syntax
//!
//! Schedules are UTC cron expressions parsed by `croner`: five fields (`minute hour day-of-month
//! month day-of-week`, e.g. `15 3 * * *` daily at 03:15) or six with seconds first (`0 15 3 * * *`).
//! Ranges, lists, steps (`*/15`), month and weekday names (`SUN`, `JAN`), `L`, `#` and `W` are
//! understood; weekdays are POSIX (0 or 7 is Sunday); day-of-month and day-of-week are OR-ed as in
//! Vixie cron.

mod registry;
mod run_now;
mod scheduler;
mod store;
mod worker;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use registry::{InvalidSchedule, Jobs, Schedule};
pub use run_now::{UnknownJob, run_now};
pub use scheduler::{Scheduler, SchedulerConfig, enqueue_due};
pub use store::{
    DeadJob, JobState, NewJob, QueueDepth, dead_jobs, enqueue, enqueue_job, prune_done, prune_schedule_runs,
    queue_depth, retry_dead,
};
pub use worker::{Backoff, JobObserver, JobOutcome, WorkerConfig, WorkerPool};

/// The `NOTIFY` channel that wakes idle workers when a job is enqueued (sent by a trigger).
pub const CHANNEL: &str = "kernel_jobs";

/// One attempt of a job, as its handler sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobContext {
    pub id: Uuid,
    pub name: String,
    pub payload: serde_json::Value,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: i32,
    /// The cron occurrence that enqueued the job; `None` for jobs enqueued by hand or by code.
    pub scheduled_for: Option<DateTime<Utc>>,
}

/// What a job does. Implementations hold what they need (a context's pool, clock, …).
#[async_trait::async_trait]
pub trait JobHandler: Send + Sync + 'static {
    /// Runs one attempt of `job`.
    ///
    /// # Errors
    /// Any error fails the attempt: the job is retried with backoff, or goes `dead` after its
    /// last attempt with the error (and its causes) kept in `last_error`. A panic counts as an
    /// error.
    async fn run(&self, job: &JobContext) -> anyhow::Result<()>;
}
