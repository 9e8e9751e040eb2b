//! The job queue against a real Postgres: retries, the dead state, exclusive claims across worker
//! pools, lease expiry, graceful shutdown, the cron scheduler and `run_now`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};
use diesel::sql_types::{Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl as _;
use kernel::SystemClock;
use kernel::db::DbPool;
use runtime::jobs::{
    Backoff, JobContext, JobHandler, JobObserver, JobOutcome, Jobs, UnknownJob, WorkerConfig, WorkerPool,
    enqueue, enqueue_due, queue_depth, run_now,
};
use serde_json::json;
use test_db::{TestDb, count};
use tokio::sync::Notify;
use uuid::Uuid;

/// Reads a counter (`load` alone would be diesel's `RunQueryDsl::load`).
fn loaded(counter: &AtomicUsize) -> usize {
    AtomicUsize::load(counter, Ordering::SeqCst)
}

fn config(workers: usize) -> WorkerConfig {
    WorkerConfig {
        workers,
        lease: Duration::from_secs(5),
        poll_interval: Duration::from_millis(20),
        backoff: Backoff { base: Duration::from_millis(10), cap: Duration::from_millis(40) },
        ..WorkerConfig::default()
    }
}

fn spawn(db: &TestDb, jobs: Jobs, config: WorkerConfig) -> WorkerPool {
    WorkerPool::spawn(db.pool().clone(), Arc::new(jobs), Arc::new(SystemClock), config)
}

#[derive(Debug, diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Nullable<Text>)]
    last_error: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    locked_by: Option<String>,
}

async fn row(db: &DbPool, id: Uuid) -> Row {
    let mut conn = db.get().await.unwrap();
    diesel::sql_query("SELECT state, attempts, last_error, locked_by FROM kernel.jobs WHERE id = $1")
        .bind::<SqlUuid, _>(id)
        .get_result(&mut conn)
        .await
        .unwrap()
}

/// Waits (up to 20 s) until job `id` is in `state`.
async fn wait_for(db: &DbPool, id: Uuid, state: &str) -> Row {
    for _ in 0..400 {
        let row = row(db, id).await;
        if row.state == state {
            return row;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {id} never reached {state}: {:?}", row(db, id).await);
}

async fn enqueue_now(db: &DbPool, name: &str, payload: serde_json::Value) -> Uuid {
    let mut conn = db.get().await.unwrap();
    enqueue(&mut conn, name, &payload, Utc::now()).await.unwrap()
}

/// Fails its first `failures` attempts, then succeeds.
struct Flaky {
    failures: i32,
    calls: AtomicUsize,
}

#[async_trait::async_trait]
impl JobHandler for Flaky {
    async fn run(&self, job: &JobContext) -> anyhow::Result<()> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if job.attempt <= self.failures {
            anyhow::bail!("attempt {} failed on purpose", job.attempt);
        }
        Ok(())
    }
}

#[derive(Default)]
struct Outcomes(std::sync::Mutex<Vec<(String, JobOutcome)>>);

impl JobObserver for Outcomes {
    fn attempt_finished(&self, name: &str, outcome: JobOutcome, _elapsed: Duration) {
        self.0.lock().unwrap().push((name.to_owned(), outcome));
    }
}

#[tokio::test]
async fn a_job_that_fails_twice_then_succeeds_ends_done_after_three_attempts() {
    let db = TestDb::new().await;
    let flaky = Arc::new(Flaky { failures: 2, calls: AtomicUsize::new(0) });
    let mut jobs = Jobs::new();
    jobs.register("flaky", flaky.clone());
    let outcomes = Arc::new(Outcomes::default());
    let pool = spawn(&db, jobs, WorkerConfig { observer: Some(outcomes.clone()), ..config(2) });
    let id = enqueue_now(db.pool(), "flaky", json!({})).await;
    let done = wait_for(db.pool(), id, "done").await;
    pool.shutdown(Duration::from_secs(5)).await;
    assert_eq!(done.attempts, 3);
    assert_eq!(loaded(&flaky.calls), 3);
    assert_eq!(done.last_error.as_deref(), Some("attempt 2 failed on purpose"), "the last failure is kept");
    assert_eq!(done.locked_by, None);
    let outcomes: Vec<JobOutcome> = outcomes.0.lock().unwrap().iter().map(|(_, o)| *o).collect();
    assert_eq!(outcomes, [JobOutcome::Failed, JobOutcome::Failed, JobOutcome::Done]);
}

#[tokio::test]
async fn a_job_that_always_fails_ends_dead_with_its_last_error() {
    let db = TestDb::new().await;
    let flaky = Arc::new(Flaky { failures: i32::MAX, calls: AtomicUsize::new(0) });
    let mut jobs = Jobs::new();
    jobs.register("doomed", flaky.clone());
    let pool = spawn(&db, jobs, WorkerConfig { max_attempts: 4, ..config(2) });
    let id = enqueue_now(db.pool(), "doomed", json!({})).await;
    // A job's own max_attempts beats the pool's.
    let own = {
        let mut conn = db.pool().get().await.unwrap();
        let payload = json!({});
        let job = runtime::jobs::NewJob {
            max_attempts: Some(2),
            ..runtime::jobs::NewJob::new("doomed", &payload, Utc::now())
        };
        runtime::jobs::enqueue_job(&mut conn, &job).await.unwrap()
    };
    let dead = wait_for(db.pool(), id, "dead").await;
    assert_eq!(dead.attempts, 4);
    assert_eq!(dead.last_error.as_deref(), Some("attempt 4 failed on purpose"));
    let dead_early = wait_for(db.pool(), own, "dead").await;
    assert_eq!(dead_early.attempts, 2);
    pool.shutdown(Duration::from_secs(5)).await;
    assert_eq!(loaded(&flaky.calls), 6);
    let mut conn = db.pool().get().await.unwrap();
    let depth = queue_depth(&mut conn).await.unwrap();
    assert_eq!((depth.queued, depth.running, depth.done, depth.dead), (0, 0, 0, 2));
}

/// Records each run of a job in a table with a unique key, and counts runs.
struct Recorder {
    runs: AtomicUsize,
    db: DbPool,
    sleep: Duration,
}

#[async_trait::async_trait]
impl JobHandler for Recorder {
    async fn run(&self, job: &JobContext) -> anyhow::Result<()> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.sleep).await;
        let mut conn = self.db.get().await?;
        diesel::sql_query("INSERT INTO public.job_runs (job_id) VALUES ($1)")
            .bind::<SqlUuid, _>(job.id)
            .execute(&mut conn)
            .await?;
        Ok(())
    }
}

async fn create_runs_table(db: &DbPool) {
    let mut conn = db.get().await.unwrap();
    diesel::sql_query("CREATE TABLE public.job_runs (job_id uuid PRIMARY KEY)")
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn two_worker_pools_never_run_the_same_job_twice() {
    let db = TestDb::new().await;
    create_runs_table(db.pool()).await;
    let recorder =
        Arc::new(Recorder { runs: AtomicUsize::new(0), db: db.pool().clone(), sleep: Duration::ZERO });
    let mut jobs = Jobs::new();
    jobs.register("record", recorder.clone());
    // Two "replicas" with four workers each, on their own pools.
    let other_pool = kernel::db::build_pool(db.url(), kernel::db::PoolSettings::default()).unwrap();
    let a = spawn(&db, jobs.clone(), config(4));
    let b = WorkerPool::spawn(other_pool, Arc::new(jobs), Arc::new(SystemClock), config(4));
    {
        let mut conn = db.pool().get().await.unwrap();
        for _ in 0..200 {
            enqueue(&mut conn, "record", &json!({}), Utc::now()).await.unwrap();
        }
    }
    for _ in 0..600 {
        if count(db.pool(), "SELECT count(*) AS n FROM kernel.jobs WHERE state = 'done'").await == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    a.shutdown(Duration::from_secs(5)).await;
    b.shutdown(Duration::from_secs(5)).await;
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.jobs WHERE state = 'done'").await, 200);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM public.job_runs").await, 200);
    assert_eq!(loaded(&recorder.runs), 200, "every job ran exactly once");
    assert_eq!(count(db.pool(), "SELECT coalesce(max(attempts), 0)::bigint AS n FROM kernel.jobs").await, 1);
}

#[tokio::test]
async fn the_heartbeat_keeps_a_long_job_from_being_claimed_again() {
    let db = TestDb::new().await;
    create_runs_table(db.pool()).await;
    let recorder = Arc::new(Recorder {
        runs: AtomicUsize::new(0),
        db: db.pool().clone(),
        sleep: Duration::from_millis(1500),
    });
    let mut jobs = Jobs::new();
    jobs.register("record", recorder.clone());
    // A lease of 300 ms, renewed every 100 ms, over a job of 1.5 s.
    let short = WorkerConfig { lease: Duration::from_millis(300), ..config(2) };
    let a = spawn(&db, jobs.clone(), short.clone());
    let b = spawn(&db, jobs, short);
    let id = enqueue_now(db.pool(), "record", json!({})).await;
    let done = wait_for(db.pool(), id, "done").await;
    a.shutdown(Duration::from_secs(5)).await;
    b.shutdown(Duration::from_secs(5)).await;
    assert_eq!(done.attempts, 1);
    assert_eq!(loaded(&recorder.runs), 1);
}

#[tokio::test]
async fn a_job_whose_lease_expired_is_claimed_again() {
    let db = TestDb::new().await;
    let flaky = Arc::new(Flaky { failures: 0, calls: AtomicUsize::new(0) });
    let mut jobs = Jobs::new();
    jobs.register("orphan", flaky.clone());
    // A worker claimed it (attempt 1) and its process died: the lease ran out a minute ago.
    let id = enqueue_now(db.pool(), "orphan", json!({})).await;
    let mut conn = db.pool().get().await.unwrap();
    diesel::sql_query(
        "UPDATE kernel.jobs SET state = 'running', attempts = 1, locked_by = 'crashed', \
         locked_until = now() - interval '1 minute' WHERE id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .execute(&mut conn)
    .await
    .unwrap();
    // A lease still running is left alone.
    let held = enqueue_now(db.pool(), "orphan", json!({})).await;
    diesel::sql_query(
        "UPDATE kernel.jobs SET state = 'running', attempts = 1, locked_by = 'alive', \
         locked_until = now() + interval '1 hour' WHERE id = $1",
    )
    .bind::<SqlUuid, _>(held)
    .execute(&mut conn)
    .await
    .unwrap();
    drop(conn);
    let pool = spawn(&db, jobs, config(2));
    let done = wait_for(db.pool(), id, "done").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    pool.shutdown(Duration::from_secs(5)).await;
    assert_eq!(done.attempts, 2, "the lost attempt counts");
    assert_eq!(loaded(&flaky.calls), 1);
    let held = row(db.pool(), held).await;
    assert_eq!((held.state.as_str(), held.locked_by.as_deref()), ("running", Some("alive")));
}

#[tokio::test]
async fn an_expired_lease_on_the_last_attempt_makes_the_job_dead() {
    let db = TestDb::new().await;
    let flaky = Arc::new(Flaky { failures: 0, calls: AtomicUsize::new(0) });
    let mut jobs = Jobs::new();
    jobs.register("orphan", flaky.clone());
    let id = enqueue_now(db.pool(), "orphan", json!({})).await;
    let mut conn = db.pool().get().await.unwrap();
    diesel::sql_query(
        "UPDATE kernel.jobs SET state = 'running', attempts = 2, max_attempts = 2, locked_by = 'crashed', \
         locked_until = now() - interval '1 minute' WHERE id = $1",
    )
    .bind::<SqlUuid, _>(id)
    .execute(&mut conn)
    .await
    .unwrap();
    let pool = spawn(&db, jobs, config(1));
    let dead = wait_for(db.pool(), id, "dead").await;
    pool.shutdown(Duration::from_secs(5)).await;
    assert!(dead.last_error.unwrap().contains("lease expired"));
    assert_eq!(loaded(&flaky.calls), 0);
}

#[tokio::test]
async fn a_job_nobody_handles_goes_dead_naming_the_known_jobs() {
    let db = TestDb::new().await;
    let mut jobs = Jobs::new();
    jobs.register("known", Arc::new(Flaky { failures: 0, calls: AtomicUsize::new(0) }));
    let pool = spawn(&db, jobs, config(1));
    let id = enqueue_now(db.pool(), "mystery", json!({})).await;
    let dead = wait_for(db.pool(), id, "dead").await;
    pool.shutdown(Duration::from_secs(5)).await;
    assert_eq!(
        dead.last_error.as_deref(),
        Some("no handler is registered for job \"mystery\" (known: known)")
    );
}

/// Signals when it starts, then runs until it is told to finish (or forever).
struct Blocking {
    started: Notify,
    finish: Notify,
    calls: AtomicUsize,
}

#[async_trait::async_trait]
impl JobHandler for Blocking {
    async fn run(&self, _job: &JobContext) -> anyhow::Result<()> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.started.notify_one();
        self.finish.notified().await;
        Ok(())
    }
}

fn blocking() -> Arc<Blocking> {
    Arc::new(Blocking { started: Notify::new(), finish: Notify::new(), calls: AtomicUsize::new(0) })
}

#[tokio::test]
async fn shutdown_returns_an_unfinished_job_to_the_queue_without_counting_the_attempt() {
    let db = TestDb::new().await;
    let handler = blocking();
    let mut jobs = Jobs::new();
    jobs.register("slow", handler.clone());
    let pool = spawn(&db, jobs, config(2));
    let id = enqueue_now(db.pool(), "slow", json!({})).await;
    tokio::time::timeout(Duration::from_secs(10), handler.started.notified()).await.unwrap();
    pool.shutdown(Duration::from_millis(200)).await;
    let row = row(db.pool(), id).await;
    assert_eq!((row.state.as_str(), row.attempts, row.locked_by), ("queued", 0, None));
}

#[tokio::test]
async fn shutdown_lets_a_job_finish_within_the_grace_period() {
    let db = TestDb::new().await;
    let handler = blocking();
    let mut jobs = Jobs::new();
    jobs.register("slow", handler.clone());
    let pool = spawn(&db, jobs, config(1));
    let id = enqueue_now(db.pool(), "slow", json!({})).await;
    tokio::time::timeout(Duration::from_secs(10), handler.started.notified()).await.unwrap();
    let finisher = {
        let handler = handler.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            handler.finish.notify_one();
        })
    };
    // A job enqueued during the drain is not started.
    let later = enqueue_now(db.pool(), "slow", json!({})).await;
    pool.shutdown(Duration::from_secs(10)).await;
    finisher.await.unwrap();
    assert_eq!(row(db.pool(), id).await.state, "done");
    assert_eq!(row(db.pool(), later).await.state, "queued");
    assert_eq!(loaded(&handler.calls), 1);
}

#[tokio::test]
async fn an_attempt_that_overruns_the_timeout_fails() {
    let db = TestDb::new().await;
    let handler = blocking();
    let mut jobs = Jobs::new();
    jobs.register("stuck", handler.clone());
    let config = WorkerConfig { timeout: Duration::from_millis(200), max_attempts: 2, ..config(1) };
    let pool = spawn(&db, jobs, config);
    let id = enqueue_now(db.pool(), "stuck", json!({})).await;
    let dead = wait_for(db.pool(), id, "dead").await;
    pool.shutdown(Duration::from_secs(5)).await;
    assert_eq!(dead.attempts, 2);
    assert_eq!(dead.last_error.as_deref(), Some("timed out after 200ms"));
    assert_eq!(loaded(&handler.calls), 2);
}

/// Remembers the context of every run.
#[derive(Default)]
struct Seen(std::sync::Mutex<Vec<JobContext>>);

#[async_trait::async_trait]
impl JobHandler for Seen {
    async fn run(&self, job: &JobContext) -> anyhow::Result<()> {
        self.0.lock().unwrap().push(job.clone());
        Ok(())
    }
}

fn at(day: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, h, m, s).unwrap()
}

#[tokio::test]
async fn two_schedulers_ticking_at_once_enqueue_an_occurrence_once() {
    let db = TestDb::new().await;
    let seen = Arc::new(Seen::default());
    let mut jobs = Jobs::new();
    jobs.register("rollup", seen.clone()).schedule("rollup", "15 3 * * *");
    jobs.register("prune", seen.clone()).schedule("prune", "0 4 * * SUN");
    let day = Duration::from_secs(24 * 3600);
    let now = at(25, 3, 15, 7);
    let (mut a, mut b) = (db.pool().get().await.unwrap(), db.pool().get().await.unwrap());
    let (first, second) =
        tokio::join!(enqueue_due(&mut a, &jobs, now, day), enqueue_due(&mut b, &jobs, now, day));
    let mut enqueued = first.unwrap();
    enqueued.extend(second.unwrap());
    // Sunday's prune is more than a day old: not caught up.
    assert_eq!(
        enqueued.iter().map(|(n, at, _)| (*n, *at)).collect::<Vec<_>>(),
        [("rollup", at(25, 3, 15, 0))]
    );
    // Later ticks of the same occurrence enqueue nothing; the next occurrence is new.
    assert!(enqueue_due(&mut a, &jobs, at(25, 9, 0, 0), day).await.unwrap().is_empty());
    let next = enqueue_due(&mut a, &jobs, at(26, 3, 15, 0), day).await.unwrap();
    assert_eq!(next.len(), 1);
    drop((a, b));
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.jobs").await, 2);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.job_schedule_runs").await, 2);

    // The handler sees the occurrence it runs for.
    let clock = Arc::new(kernel::FixedClock::at(at(27, 0, 0, 0)));
    let pool = WorkerPool::spawn(db.pool().clone(), Arc::new(jobs), clock, config(1));
    let id = enqueued[0].2;
    wait_for(db.pool(), id, "done").await;
    wait_for(db.pool(), next[0].2, "done").await;
    pool.shutdown(Duration::from_secs(5)).await;
    let seen = seen.0.lock().unwrap();
    let first = seen.iter().find(|c| c.id == id).unwrap();
    assert_eq!(
        (first.name.as_str(), first.scheduled_for, &first.payload),
        ("rollup", Some(at(25, 3, 15, 0)), &json!({}))
    );
}

/// The occurrences the scheduler enqueued for `name`, oldest first.
async fn occurrences(db: &DbPool, name: &str) -> Vec<DateTime<Utc>> {
    #[derive(diesel::QueryableByName)]
    struct Occurrence {
        #[diesel(sql_type = Timestamptz)]
        scheduled_for: DateTime<Utc>,
    }
    let mut conn = db.get().await.unwrap();
    diesel::sql_query("SELECT scheduled_for FROM kernel.jobs WHERE name = $1 ORDER BY scheduled_for")
        .bind::<Text, _>(name)
        .load::<Occurrence>(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.scheduled_for)
        .collect()
}

/// Waits (up to 10 s) until the scheduler enqueued `expected` for `name`, then a few more ticks
/// to see it enqueue nothing else.
async fn wait_for_occurrences(db: &DbPool, name: &str, expected: &[DateTime<Utc>]) {
    for _ in 0..500 {
        if occurrences(db, name).await.len() >= expected.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(occurrences(db, name).await, expected);
}

#[tokio::test]
async fn the_scheduler_task_enqueues_what_falls_due_on_its_clock() {
    let db = TestDb::new().await;
    let mut jobs = Jobs::new();
    jobs.register("minutely", Arc::new(Seen::default())).schedule("minutely", "* * * * *");
    let clock = kernel::FixedClock::at(at(25, 10, 0, 30));
    let scheduler = runtime::jobs::Scheduler::spawn(
        db.pool().clone(),
        Arc::new(jobs),
        Arc::new(clock.clone()),
        runtime::jobs::SchedulerConfig { tick: Duration::from_millis(10), catch_up: Duration::from_secs(60) },
    );
    // The occurrence of the clock's minute, once however many times the scheduler ticks.
    wait_for_occurrences(db.pool(), "minutely", &[at(25, 10, 0, 0)]).await;
    // The next minute on the clock: its occurrence.
    clock.advance(TimeDelta::minutes(1));
    wait_for_occurrences(db.pool(), "minutely", &[at(25, 10, 0, 0), at(25, 10, 1, 0)]).await;
    // Ten minutes later: only the latest missed occurrence is caught up.
    clock.advance(TimeDelta::minutes(10));
    let expected = [at(25, 10, 0, 0), at(25, 10, 1, 0), at(25, 10, 11, 0)];
    wait_for_occurrences(db.pool(), "minutely", &expected).await;
    scheduler.shutdown().await;
}

#[tokio::test]
async fn run_now_runs_a_handler_once_and_records_it() {
    let db = TestDb::new().await;
    let seen = Arc::new(Seen::default());
    let mut jobs = Jobs::new();
    jobs.register("rollup", seen.clone());
    jobs.register("broken", Arc::new(Flaky { failures: i32::MAX, calls: AtomicUsize::new(0) }));
    run_now(db.pool(), &jobs, "rollup", json!({"date": "2026-11-24"})).await.unwrap();
    assert_eq!(seen.0.lock().unwrap()[0].payload, json!({"date": "2026-11-24"}));
    let err = run_now(db.pool(), &jobs, "broken", json!({})).await.unwrap_err();
    assert_eq!(err.to_string(), "attempt 1 failed on purpose");
    let err = run_now(db.pool(), &jobs, "nope", json!({})).await.unwrap_err();
    assert_eq!(
        err.downcast_ref::<UnknownJob>(),
        Some(&UnknownJob { name: "nope".into(), known: vec!["broken", "rollup"] })
    );
    let mut conn = db.pool().get().await.unwrap();
    let depth = queue_depth(&mut conn).await.unwrap();
    assert_eq!((depth.done, depth.dead, depth.queued, depth.running), (1, 1, 0, 0));
}

#[tokio::test]
async fn pruning_keeps_recent_and_dead_jobs_and_the_latest_schedule_run() {
    let db = TestDb::new().await;
    let mut jobs = Jobs::new();
    jobs.register("x", Arc::new(Seen::default())).schedule("x", "0 * * * *");
    let mut conn = db.pool().get().await.unwrap();
    let hour = Duration::from_secs(3600);
    for h in [1, 2, 3] {
        enqueue_due(&mut conn, &jobs, at(1, h, 0, 0), hour).await.unwrap();
    }
    diesel::sql_query(
        "UPDATE kernel.jobs SET state = CASE WHEN scheduled_for = $1 THEN 'dead' ELSE 'done' END, \
         finished_at = scheduled_for",
    )
    .bind::<Timestamptz, _>(at(1, 1, 0, 0))
    .execute(&mut conn)
    .await
    .unwrap();
    let pruned = runtime::jobs::prune_done(&mut conn, at(1, 3, 0, 0)).await.unwrap();
    assert_eq!(pruned, 1, "the done job of 02:00; the dead one and the one at 03:00 stay");
    let pruned = runtime::jobs::prune_schedule_runs(&mut conn, at(2, 0, 0, 0)).await.unwrap();
    assert_eq!(pruned, 2, "all but the latest");
    drop(conn);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.jobs").await, 2);
}
