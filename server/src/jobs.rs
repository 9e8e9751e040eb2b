//! The host's background work: the job registry every context registers its handlers and
//! schedules in ([`registry`]), the outbox subscribers ([`subscribers`]), our own `kernel-cleanup`
//! job, the tasks `mibio serve` runs (workers, scheduler, outbox dispatcher: [`Background`]) and
//! `mibio jobs run` ([`run_by_hand`]).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{NaiveDate, TimeDelta};
use kernel::Clock;
use kernel::db::DbPool;
use runtime::jobs::{
    JobContext, JobHandler, Jobs, Scheduler, SchedulerConfig, UnknownJob, WorkerConfig, WorkerPool,
};
use runtime::outbox::{Dispatcher, DispatcherConfig, Subscriber};

use crate::state::AppState;

/// The name of the hourly clean-up of expired rows.
pub const CLEANUP: &str = "kernel-cleanup";

/// How long finished jobs and dispatched events are kept.
const KEEP_FINISHED: TimeDelta = TimeDelta::days(7);

/// Every job this host can run, with its schedule. Contexts add theirs here.
#[must_use]
pub fn registry(state: &AppState) -> Jobs {
    let clock = state.iam.clock.clone();
    let mut jobs = Jobs::new();
    jobs.register(CLEANUP, Arc::new(Cleanup { db: state.db.clone(), clock: clock.clone() }))
        .schedule(CLEANUP, "0 * * * *");
    // ── Contexts register their job handlers and cron schedules below this line. ──
    analytics::jobs::register(&mut jobs, &state.db, &clock);
    usage::jobs::register(&mut jobs, &state.usage);
    // `emails.send`, and `notifications-prune` daily at 04:30 UTC.
    notifications::register_jobs(&mut jobs, state.notifications.clone());
    jobs
}

/// The outbox subscribers, registered at start-up. Contexts add theirs here (audit,
/// notifications, usage, …); events nobody wants are simply marked dispatched.
#[must_use]
pub fn subscribers(state: &AppState) -> Vec<Arc<dyn Subscriber>> {
    vec![
        // ── Contexts add their outbox subscribers below this line. ──
        Arc::new(audit::AuditSubscriber(state.audit.clone())),
        // Welcome, lead, payment and quota notifications (in-app and email jobs).
        Arc::new(notifications::NotificationsSubscriber(state.notifications.clone())),
    ]
}

/// `kernel-cleanup`: deletes what has expired — sessions, rate-limit windows, idempotency keys
/// past their 24 h, done jobs and dispatched events older than 7 days, and old cron-occurrence
/// records.
struct Cleanup {
    db: DbPool,
    clock: Arc<dyn Clock>,
}

#[async_trait::async_trait]
impl JobHandler for Cleanup {
    async fn run(&self, _job: &JobContext) -> anyhow::Result<()> {
        let now = self.clock.now();
        let mut conn = self.db.get().await.context("could not connect to the database")?;
        let sessions =
            iam::session::delete_expired(&mut conn, now).await.context("deleting expired sessions")?;
        let rate_limits =
            runtime::rate_limit::prune(&mut conn, now).await.context("deleting old rate-limit windows")?;
        let idempotency_keys =
            runtime::idempotency::prune(&mut conn, now).await.context("deleting expired idempotency keys")?;
        let jobs =
            runtime::jobs::prune_done(&mut conn, now - KEEP_FINISHED).await.context("deleting done jobs")?;
        let schedule_runs = runtime::jobs::prune_schedule_runs(&mut conn, now - KEEP_FINISHED)
            .await
            .context("deleting old cron occurrences")?;
        let events = runtime::outbox::prune_dispatched(&mut conn, now - KEEP_FINISHED)
            .await
            .context("deleting dispatched events")?;
        tracing::info!(
            sessions,
            rate_limits,
            idempotency_keys,
            jobs,
            schedule_runs,
            events,
            "expired rows deleted"
        );
        Ok(())
    }
}

/// The background tasks of `mibio serve`.
#[derive(Debug)]
pub struct Background {
    workers: Option<WorkerPool>,
    scheduler: Option<Scheduler>,
    dispatcher: Dispatcher,
}

impl Background {
    /// Starts the outbox dispatcher and, unless `JOB_WORKERS=0`, the job workers and the cron
    /// scheduler. `notify_url` is the database to `LISTEN` on for prompt wake-ups.
    #[must_use]
    pub fn start(state: &AppState, notify_url: &str) -> Self {
        let clock = state.iam.clock.clone();
        let jobs = Arc::new(registry(state));
        let workers = state.config.job_workers;
        let (workers, scheduler) = if workers == 0 {
            tracing::info!("JOB_WORKERS=0: this process runs no jobs and no schedules");
            (None, None)
        } else {
            let config = WorkerConfig {
                workers,
                notify_url: Some(notify_url.to_owned()),
                observer: Some(state.metrics.clone()),
                ..WorkerConfig::default()
            };
            let pool = WorkerPool::spawn(state.db.clone(), jobs.clone(), clock.clone(), config);
            let scheduler =
                Scheduler::spawn(state.db.clone(), jobs, clock.clone(), SchedulerConfig::default());
            (Some(pool), Some(scheduler))
        };
        let config =
            DispatcherConfig { notify_url: Some(notify_url.to_owned()), ..DispatcherConfig::default() };
        let dispatcher = Dispatcher::spawn(state.db.clone(), subscribers(state), clock, config);
        Self { workers, scheduler, dispatcher }
    }

    /// Stops the scheduler, lets running jobs and the outbox pass in progress finish (up to
    /// `grace` each), and returns unfinished jobs to the queue.
    pub async fn shutdown(self, grace: Duration) {
        if let Some(scheduler) = self.scheduler {
            scheduler.shutdown().await;
        }
        let workers = async {
            if let Some(workers) = self.workers {
                workers.shutdown(grace).await;
            }
        };
        tokio::join!(workers, self.dispatcher.shutdown(grace));
        tracing::info!("background work stopped");
    }
}

/// `mibio jobs run NAME [--date YYYY-MM-DD]`: runs the job once, now, in this process, and says
/// how it went on stdout.
///
/// # Errors
/// [`UnknownJob`] for a name no handler has (the CLI exits 2), the handler's error, or a
/// database error.
pub async fn run_by_hand(state: &AppState, name: &str, date: Option<NaiveDate>) -> anyhow::Result<()> {
    let jobs = registry(state);
    if jobs.handler(name).is_none() {
        return Err(UnknownJob { name: name.to_owned(), known: jobs.names() }.into());
    }
    let payload = match date {
        Some(date) => serde_json::json!({ "date": date.format("%Y-%m-%d").to_string() }),
        None => serde_json::json!({}),
    };
    let started = std::time::Instant::now();
    runtime::jobs::run_now(&state.db, &jobs, name, payload)
        .await
        .with_context(|| format!("job {name} failed"))?;
    println!("job {name} done in {} ms", started.elapsed().as_millis());
    Ok(())
}
