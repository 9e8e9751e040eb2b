//! The cron scheduler: enqueues each scheduled job once per occurrence, however many replicas
//! run a scheduler. Every tick, for each schedule, the latest occurrence at or before now is
//! inserted into `kernel.job_schedule_runs` (primary key `(name, scheduled_for)`); only the
//! replica whose insert lands enqueues the job, in the same transaction. Missed occurrences are
//! not replayed one by one: only the latest counts, and only while it is at most
//! [`SchedulerConfig::catch_up`] old (so a replica that starts after a pause runs what it
//! missed once, but a weekly job added to the code does not run at the first start-up).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use diesel::QueryResult;
use diesel::sql_types::{Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl as _};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::Jobs;
use super::store::{self, NewJob};
use kernel::Clock;
use kernel::db::DbPool;

/// How the scheduler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedulerConfig {
    /// Longest sleep between two looks at the schedules (it also wakes at the next occurrence).
    pub tick: Duration,
    /// The oldest missed occurrence still enqueued.
    pub catch_up: Duration,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self { tick: Duration::from_secs(15), catch_up: Duration::from_secs(24 * 60 * 60) }
    }
}

/// Enqueues the latest occurrence at or before `now` of every schedule of `jobs` that no one
/// enqueued yet and that is at most `catch_up` old; returns the jobs it enqueued as
/// `(name, scheduled_for, job id)`. Safe to run concurrently from any number of replicas.
///
/// # Errors
/// When a query fails (the schedules before it may have been enqueued).
pub async fn enqueue_due(
    conn: &mut AsyncPgConnection,
    jobs: &Jobs,
    now: DateTime<Utc>,
    catch_up: Duration,
) -> QueryResult<Vec<(&'static str, DateTime<Utc>, Uuid)>> {
    let oldest = now - TimeDelta::from_std(catch_up).unwrap_or(TimeDelta::MAX);
    let mut enqueued = Vec::new();
    for schedule in jobs.schedules() {
        let Some(due) = schedule.latest_at_or_before(now).filter(|due| *due >= oldest) else { continue };
        let name = schedule.name();
        let job_id = Uuid::now_v7();
        let inserted = conn
            .transaction::<_, diesel::result::Error, _>(async |tx| {
                let claimed = diesel::sql_query(
                    "INSERT INTO kernel.job_schedule_runs (name, scheduled_for, job_id, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind::<Text, _>(name)
                .bind::<Timestamptz, _>(due)
                .bind::<SqlUuid, _>(job_id)
                .bind::<Timestamptz, _>(now)
                .execute(tx)
                .await?;
                if claimed == 1 {
                    let payload = serde_json::json!({});
                    let job = NewJob { scheduled_for: Some(due), ..NewJob::new(name, &payload, due) };
                    store::insert_job(tx, job_id, &job).await?;
                }
                Ok(claimed == 1)
            })
            .await?;
        if inserted {
            tracing::info!(job = name, scheduled_for = %due, %job_id, "scheduled job enqueued");
            enqueued.push((name, due, job_id));
        }
    }
    Ok(enqueued)
}

/// The running scheduler task; [`Scheduler::shutdown`] stops it.
#[derive(Debug)]
pub struct Scheduler {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Scheduler {
    /// Starts the scheduler of `jobs`' schedules (must be called in a Tokio runtime).
    #[must_use]
    pub fn spawn(db: DbPool, jobs: Arc<Jobs>, clock: Arc<dyn Clock>, config: SchedulerConfig) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                let now = clock.now();
                let result = async {
                    let mut conn = db.get().await?;
                    anyhow::Ok(enqueue_due(&mut conn, &jobs, now, config.catch_up).await?)
                }
                .await;
                if let Err(e) = result {
                    tracing::warn!(error = %format!("{e:#}"), "could not enqueue scheduled jobs");
                }
                let sleep = until_next(&jobs, now).map_or(config.tick, |next| next.min(config.tick));
                tokio::select! {
                    () = tokio::time::sleep(sleep) => {}
                    _ = stopped.changed() => return,
                }
            }
        });
        Self { stop, task }
    }

    /// Stops the scheduler (a tick in progress finishes first).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// The time from `now` to just after the next occurrence of any schedule.
fn until_next(jobs: &Jobs, now: DateTime<Utc>) -> Option<Duration> {
    let next = jobs.schedules().iter().filter_map(|s| s.next_after(now)).min()?;
    (next - now + TimeDelta::milliseconds(5)).to_std().ok()
}
