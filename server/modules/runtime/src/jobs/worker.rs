//! The worker pool: `workers` tasks that claim due jobs, run their handlers under a heartbeated
//! lease, and record the outcome; and its graceful shutdown.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use rand::Rng as _;
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};
use tracing::Instrument as _;
use uuid::Uuid;

use super::store::{self, Claimed, Finish};
use super::{CHANNEL, JobContext, Jobs};
use kernel::Clock;
use kernel::db::DbPool;

/// Exponential backoff between attempts: after the `n`th failed attempt the job waits
/// `min(cap, base · 2ⁿ⁻¹)`, less a random part of up to half of it (jitter, so jobs that failed
/// together do not retry together).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { base: Duration::from_secs(5), cap: Duration::from_secs(60 * 60) }
    }
}

impl Backoff {
    /// The longest wait after `failed_attempts` failures (the wait before jitter).
    #[must_use]
    pub fn ceiling(&self, failed_attempts: i32) -> Duration {
        let doublings = u32::try_from(failed_attempts.saturating_sub(1)).unwrap_or(0).min(30);
        self.base.saturating_mul(1 << doublings).min(self.cap)
    }

    /// The wait after `failed_attempts` failures: between half the ceiling and the ceiling.
    #[must_use]
    pub fn delay(&self, failed_attempts: i32) -> Duration {
        let ceiling = self.ceiling(failed_attempts);
        ceiling / 2 + ceiling.mul_f64(rand::rng().random_range(0.0..=0.5))
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// The handler succeeded: the job is `done`.
    Done,
    /// The handler failed; the job will be retried.
    Failed,
    /// The handler failed for the last time (or no handler exists): the job is `dead`.
    Dead,
}

/// Sees the end of every attempt (the host's metrics implement it). Called on the worker's task:
/// keep it quick.
pub trait JobObserver: Send + Sync + 'static {
    /// The attempt of job `name` ended with `outcome` after `elapsed` in the handler.
    fn attempt_finished(&self, name: &str, outcome: JobOutcome, elapsed: Duration);
}

/// How the worker pool runs.
#[derive(Clone)]
pub struct WorkerConfig {
    /// Concurrent jobs in this process.
    pub workers: usize,
    /// How long a claim holds a job without a heartbeat; the heartbeat renews it every third.
    /// A job of a crashed process is claimed again this long after its last heartbeat.
    pub lease: Duration,
    /// How often an idle worker looks for due jobs (besides being woken by `NOTIFY`).
    pub poll_interval: Duration,
    /// Attempts of a job that does not set its own `max_attempts`.
    pub max_attempts: i32,
    /// Longest an attempt may run; past it the handler is stopped and the attempt fails.
    pub timeout: Duration,
    pub backoff: Backoff,
    /// A database URL to `LISTEN` on for new jobs ([`CHANNEL`]), so idle workers start them at
    /// once; `None` relies on polling alone.
    pub notify_url: Option<String>,
    /// Told about every finished attempt.
    pub observer: Option<Arc<dyn JobObserver>>,
    /// Names this process in `locked_by` (defaults to `pid<pid>`).
    pub label: String,
}

impl std::fmt::Debug for WorkerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerConfig")
            .field("workers", &self.workers)
            .field("lease", &self.lease)
            .field("poll_interval", &self.poll_interval)
            .field("max_attempts", &self.max_attempts)
            .field("timeout", &self.timeout)
            .field("backoff", &self.backoff)
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            workers: 2,
            lease: Duration::from_secs(60),
            poll_interval: Duration::from_secs(1),
            max_attempts: 5,
            timeout: Duration::from_secs(60 * 60),
            backoff: Backoff::default(),
            notify_url: None,
            observer: None,
            label: format!("pid{}", std::process::id()),
        }
    }
}

/// What the pool's owner asks of the workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Run,
    /// Claim nothing more; finish the job in hand.
    Drain,
    /// Stop the job in hand and return it to the queue.
    Abort,
}

struct Shared {
    db: DbPool,
    jobs: Arc<Jobs>,
    clock: Arc<dyn Clock>,
    config: WorkerConfig,
    wake: Notify,
}

/// A running pool of workers; [`WorkerPool::shutdown`] stops it.
pub struct WorkerPool {
    stop: watch::Sender<Stop>,
    workers: JoinSet<()>,
    listener: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for WorkerPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPool").field("workers", &self.workers.len()).finish_non_exhaustive()
    }
}

impl WorkerPool {
    /// Starts `config.workers` workers on `db` running the handlers of `jobs` (must be called in
    /// a Tokio runtime).
    #[must_use]
    pub fn spawn(db: DbPool, jobs: Arc<Jobs>, clock: Arc<dyn Clock>, config: WorkerConfig) -> Self {
        let (stop, _) = watch::channel(Stop::Run);
        let shared = Arc::new(Shared { db, jobs, clock, config, wake: Notify::new() });
        let listener = shared.config.notify_url.clone().map(|url| {
            let waker = Arc::clone(&shared);
            crate::notify::spawn_listener(url, &[CHANNEL], Arc::new(move |_| waker.wake.notify_waiters()))
        });
        let mut workers = JoinSet::new();
        for n in 0..shared.config.workers {
            let span = tracing::info_span!("job_worker", worker = n);
            workers.spawn(work(Arc::clone(&shared), n, stop.subscribe()).instrument(span));
        }
        tracing::debug!(workers = shared.config.workers, "job workers started");
        Self { stop, workers, listener }
    }

    /// Stops claiming jobs, waits up to `grace` for the running ones to finish, then stops the
    /// rest and returns them to the queue without counting their attempt.
    pub async fn shutdown(mut self, grace: Duration) {
        let _ = self.stop.send(Stop::Drain);
        let drained = tokio::time::timeout(grace, join_all(&mut self.workers)).await.is_ok();
        if !drained {
            tracing::warn!("jobs still running after the grace period; returning them to the queue");
            let _ = self.stop.send(Stop::Abort);
            if tokio::time::timeout(Duration::from_secs(10), join_all(&mut self.workers)).await.is_err() {
                self.workers.abort_all();
            }
        }
        if let Some(listener) = self.listener.take() {
            listener.abort();
        }
        tracing::debug!(drained, "job workers stopped");
    }
}

async fn join_all(set: &mut JoinSet<()>) {
    while set.join_next().await.is_some() {}
}

/// One worker: claim, run, record; wait when nothing is due.
async fn work(shared: Arc<Shared>, n: usize, mut stop: watch::Receiver<Stop>) {
    loop {
        if *stop.borrow_and_update() != Stop::Run {
            return;
        }
        // Armed before the claim, so a job enqueued while we look is not missed.
        let woken = shared.wake.notified();
        tokio::pin!(woken);
        woken.as_mut().enable();
        let token = format!("{}:w{n}:{}", shared.config.label, Uuid::now_v7().simple());
        match claim(&shared, &token).await {
            Ok(Some(job)) => run(&shared, job, &token, &mut stop).await,
            Ok(None) => {
                tokio::select! {
                    () = tokio::time::sleep(shared.config.poll_interval) => {}
                    () = woken => {}
                    _ = stop.changed() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "could not claim a job");
                tokio::select! {
                    () = tokio::time::sleep(shared.config.poll_interval) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }
}

async fn claim(shared: &Shared, token: &str) -> anyhow::Result<Option<Claimed>> {
    let mut conn = shared.db.get().await?;
    let now = shared.clock.now();
    Ok(store::claim(&mut conn, token, now, lease_end(now, shared.config.lease)).await?)
}

fn lease_end(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + TimeDelta::from_std(lease).unwrap_or(TimeDelta::MAX)
}

/// Runs one claimed job to its recorded outcome (or back to the queue on abort).
async fn run(shared: &Shared, job: Claimed, token: &str, stop: &mut watch::Receiver<Stop>) {
    let span = tracing::info_span!("job", job_id = %job.id, job = %job.name, attempt = job.attempts);
    async {
        let max_attempts = job.max_attempts.unwrap_or(shared.config.max_attempts);
        let Some(handler) = shared.jobs.handler(&job.name).cloned() else {
            let known = shared.jobs.names().join(", ");
            let error = format!("no handler is registered for job {:?} (known: {known})", job.name);
            record(shared, &job, token, &Finish::Dead(error), Duration::ZERO).await;
            return;
        };
        if job.attempts > max_attempts {
            let error = "the worker of its last attempt stopped without finishing (lease expired)";
            record(shared, &job, token, &Finish::Dead(error.to_owned()), Duration::ZERO).await;
            return;
        }
        let context = JobContext {
            id: job.id,
            name: job.name.clone(),
            payload: job.payload.clone(),
            attempt: job.attempts,
            scheduled_for: job.scheduled_for,
        };
        let trace = format!("job-{}", job.id);
        let started = Instant::now();
        let handle = tokio::spawn(
            crate::outbox::TRACE_ID
                .scope(trace, async move { handler.run(&context).await })
                .instrument(tracing::Span::current()),
        );
        let Some(result) = supervise(shared, &job, token, handle, stop).await else {
            release(shared, &job, token).await;
            return;
        };
        let finish = match result {
            Ok(()) => Finish::Done,
            Err(error) if job.attempts >= max_attempts => Finish::Dead(error),
            Err(error) => {
                let delay = shared.config.backoff.delay(job.attempts);
                Finish::Retry(lease_end(shared.clock.now(), delay), error)
            }
        };
        record(shared, &job, token, &finish, started.elapsed()).await;
    }
    .instrument(span)
    .await;
}

/// Waits for the handler while renewing the lease: its outcome (a panic or an overrun of the
/// timeout is an error), or `None` when the pool aborts it.
async fn supervise(
    shared: &Shared,
    job: &Claimed,
    token: &str,
    mut handle: JoinHandle<anyhow::Result<()>>,
    stop: &mut watch::Receiver<Stop>,
) -> Option<Result<(), String>> {
    let deadline = tokio::time::sleep(shared.config.timeout);
    tokio::pin!(deadline);
    let every = (shared.config.lease / 3).max(Duration::from_millis(10));
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tokio::select! {
            result = &mut handle => {
                return Some(match result {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(e)) => Err(format!("{e:#}")),
                    Err(join) => Err(format!("the handler panicked: {}", panic_message(join))),
                });
            }
            () = &mut deadline => {
                handle.abort();
                return Some(Err(format!("timed out after {:?}", shared.config.timeout)));
            }
            _ = heartbeat.tick() => extend(shared, job, token).await,
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() == Stop::Abort {
                    handle.abort();
                    return None;
                }
            }
        }
    }
}

fn panic_message(join: tokio::task::JoinError) -> String {
    match join.try_into_panic() {
        Ok(panic) => panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a non-string panic".to_owned()),
        Err(join) => join.to_string(),
    }
}

async fn extend(shared: &Shared, job: &Claimed, token: &str) {
    let result = async {
        let mut conn = shared.db.get().await?;
        let now = shared.clock.now();
        anyhow::Ok(
            store::heartbeat(&mut conn, job.id, token, now, lease_end(now, shared.config.lease)).await?,
        )
    }
    .await;
    match result {
        Ok(true) => {}
        Ok(false) => tracing::warn!("the job's lease was lost; another worker may run it too"),
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "could not extend the job's lease"),
    }
}

async fn record(shared: &Shared, job: &Claimed, token: &str, finish: &Finish, elapsed: Duration) {
    let outcome = match finish {
        Finish::Done => {
            tracing::info!(elapsed_ms = elapsed.as_millis(), "job done");
            JobOutcome::Done
        }
        Finish::Retry(at, error) => {
            tracing::warn!(%error, retry_at = %at, "job failed; will retry");
            JobOutcome::Failed
        }
        Finish::Dead(error) => {
            tracing::error!(%error, "job failed for the last time; it is dead");
            JobOutcome::Dead
        }
    };
    if let Some(observer) = &shared.config.observer {
        observer.attempt_finished(&job.name, outcome, elapsed);
    }
    let result = async {
        let mut conn = shared.db.get().await?;
        anyhow::Ok(store::finish(&mut conn, job.id, token, shared.clock.now(), finish).await?)
    }
    .await;
    match result {
        Ok(true) => {}
        Ok(false) => tracing::warn!("the job's lease was lost before its outcome was recorded"),
        Err(e) => tracing::error!(
            error = %format!("{e:#}"),
            "could not record the job's outcome; it will run again when its lease runs out"
        ),
    }
}

async fn release(shared: &Shared, job: &Claimed, token: &str) {
    let result = async {
        let mut conn = shared.db.get().await?;
        anyhow::Ok(store::release(&mut conn, job.id, token, shared.clock.now()).await?)
    }
    .await;
    match result {
        Ok(_) => tracing::info!("job interrupted by shutdown; returned to the queue"),
        Err(e) => tracing::warn!(
            error = %format!("{e:#}"),
            "could not return the interrupted job to the queue; it runs again when its lease runs out"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_below() {
        let backoff = Backoff { base: Duration::from_secs(5), cap: Duration::from_secs(3600) };
        assert_eq!(backoff.ceiling(1), Duration::from_secs(5));
        assert_eq!(backoff.ceiling(2), Duration::from_secs(10));
        assert_eq!(backoff.ceiling(4), Duration::from_secs(40));
        assert_eq!(backoff.ceiling(20), Duration::from_secs(3600));
        assert_eq!(backoff.ceiling(i32::MAX), Duration::from_secs(3600));
        assert_eq!(backoff.ceiling(0), Duration::from_secs(5));
        for attempt in 1..12 {
            let delay = backoff.delay(attempt);
            let ceiling = backoff.ceiling(attempt);
            assert!(delay >= ceiling / 2 && delay <= ceiling, "{attempt}: {delay:?} of {ceiling:?}");
        }
    }
}
