//! The host's background work: `mibio jobs run`, the `kernel-cleanup` job, `mibio serve` running
//! the scheduler, the workers and the outbox dispatcher, and the job metrics.

use crate::common;

use std::time::Duration;

use common::process::{mibio, serve, wait_for_log};
use kernel::db::DbPool;
use test_db::{TestDb, count, execute};
use tokio::process::Command;

#[tokio::test]
async fn jobs_run_with_an_unknown_name_exits_2_listing_the_known_jobs() {
    let db = TestDb::new().await;
    let out = mibio().env("DATABASE_URL", db.url()).args(["jobs", "run", "nope"]).output().await.unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("mibio: no job is named \"nope\"; known jobs: "), "{stderr}");
    assert!(stderr.contains("kernel-cleanup"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.jobs").await, 0);

    let out = mibio()
        .env("DATABASE_URL", db.url())
        .args(["jobs", "run", "kernel-cleanup", "--date", "yesterday"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap refuses a bad date");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("\"yesterday\" is not a date such as 2026-11-24"), "{stderr}");
}

#[tokio::test]
async fn jobs_run_kernel_cleanup_deletes_what_expired_and_keeps_the_rest() {
    let db = TestDb::new().await;
    let pool = db.pool();
    execute(
        pool,
        "INSERT INTO iam.sessions (id, data, expires_at) VALUES \
         ('old', '{}', now() - interval '1 minute'), ('live', '{}', now() + interval '1 day')",
    )
    .await;
    execute(
        pool,
        "INSERT INTO kernel.idempotency_keys (scope, key, request_hash, created_at) VALUES \
         ('s', 'old', 'h', now() - interval '25 hours'), ('s', 'new', 'h', now() - interval '1 hour')",
    )
    .await;
    execute(
        pool,
        "INSERT INTO kernel.rate_limits (bucket, key, window_start, count) VALUES \
         ('b', repeat('a', 64), now() - interval '3 days', 1), ('b', repeat('b', 64), now(), 1)",
    )
    .await;
    execute(
        pool,
        "INSERT INTO kernel.jobs (id, name, state, run_at, created_at, updated_at, finished_at) VALUES \
         (gen_random_uuid(), 'x', 'done', now(), now(), now(), now() - interval '8 days'), \
         (gen_random_uuid(), 'x', 'done', now(), now(), now(), now() - interval '1 day'), \
         (gen_random_uuid(), 'x', 'dead', now(), now(), now(), now() - interval '30 days')",
    )
    .await;
    execute(
        pool,
        "INSERT INTO kernel.outbox (event_id, event_type, producer, schema_version, occurred_at, payload, dispatched_at) \
         VALUES (gen_random_uuid(), 't.x', 'tests', 1, now(), '{}', now() - interval '8 days'), \
                (gen_random_uuid(), 't.x', 'tests', 1, now(), '{}', now() - interval '1 day'), \
                (gen_random_uuid(), 't.x', 'tests', 1, now() - interval '9 days', '{}', NULL)",
    )
    .await;

    let out =
        mibio().env("DATABASE_URL", db.url()).args(["jobs", "run", "kernel-cleanup"]).output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The outcome is the last line (log lines come before it).
    assert!(stdout.lines().last().unwrap_or_default().starts_with("job kernel-cleanup done in "), "{stdout}");

    assert_eq!(count(pool, "SELECT count(*) AS n FROM iam.sessions WHERE id = 'live'").await, 1);
    assert_eq!(count(pool, "SELECT count(*) AS n FROM iam.sessions").await, 1);
    assert_eq!(count(pool, "SELECT count(*) AS n FROM kernel.idempotency_keys WHERE key = 'new'").await, 1);
    assert_eq!(count(pool, "SELECT count(*) AS n FROM kernel.idempotency_keys").await, 1);
    assert_eq!(count(pool, "SELECT count(*) AS n FROM kernel.rate_limits").await, 1);
    // The recent done job, the dead one, and the manual run itself.
    assert_eq!(count(pool, "SELECT count(*) AS n FROM kernel.jobs WHERE name = 'x'").await, 2);
    assert_eq!(
        count(pool, "SELECT count(*) AS n FROM kernel.jobs WHERE name = 'kernel-cleanup' AND state = 'done'")
            .await,
        1
    );
    assert_eq!(
        count(pool, "SELECT count(*) AS n FROM kernel.outbox").await,
        2,
        "recent and pending events stay"
    );
}

async fn wait_until(db: &DbPool, sql: &str) {
    for _ in 0..300 {
        if count(db, sql).await > 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never true: {sql}");
}

#[tokio::test]
async fn serve_runs_scheduled_jobs_and_dispatches_events_then_stops_cleanly() {
    let db = TestDb::new().await;
    let (mut child, mut lines) = serve(db.url());
    wait_for_log(&mut lines, "mibio is serving").await;
    // The scheduler enqueues the latest hourly kernel-cleanup; a worker runs it.
    wait_until(
        db.pool(),
        "SELECT count(*) AS n FROM kernel.jobs WHERE name = 'kernel-cleanup' AND state = 'done'",
    )
    .await;
    assert_eq!(
        count(db.pool(), "SELECT count(*) AS n FROM kernel.job_schedule_runs WHERE name = 'kernel-cleanup'")
            .await,
        1,
        "one occurrence, enqueued once"
    );
    // The daily analytics rollup's latest occurrence is less than a day old: it is caught up too.
    wait_until(
        db.pool(),
        "SELECT count(*) AS n FROM kernel.jobs WHERE name = 'analytics-rollup' AND state = 'done'",
    )
    .await;
    // An event recorded now is dispatched (there are no subscribers yet).
    execute(
        db.pool(),
        "INSERT INTO kernel.outbox (event_id, event_type, producer, schema_version, occurred_at, payload) \
         VALUES (gen_random_uuid(), 't.x', 'tests', 1, now(), '{}')",
    )
    .await;
    wait_until(db.pool(), "SELECT count(*) AS n FROM kernel.outbox WHERE dispatched_at IS NOT NULL").await;

    let pid = child.id().unwrap().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().await.unwrap().success());
    wait_for_log(&mut lines, "background work stopped").await;
    wait_for_log(&mut lines, "mibio stopped").await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait()).await.unwrap().unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn metrics_show_the_queue_depth_by_state_and_the_outbox_backlog() {
    let db = TestDb::new().await;
    execute(
        db.pool(),
        "INSERT INTO kernel.jobs (id, name, state, run_at, created_at, updated_at) VALUES \
         (gen_random_uuid(), 'x', 'queued', now(), now(), now()), \
         (gen_random_uuid(), 'x', 'queued', now(), now(), now()), \
         (gen_random_uuid(), 'x', 'dead', now(), now(), now())",
    )
    .await;
    execute(
        db.pool(),
        "INSERT INTO kernel.outbox (event_id, event_type, producer, schema_version, occurred_at, payload, \
           attempts, dead_at) VALUES \
         (gen_random_uuid(), 'thing.happened', 'tests', 1, now(), '{}', 0, NULL), \
         (gen_random_uuid(), 'thing.happened', 'tests', 1, now(), '{}', 20, now()), \
         (gen_random_uuid(), 'thing.happened', 'tests', 1, now(), '{}', 20, now())",
    )
    .await;
    let router = mibio_server::http::router(common::state(&db));
    let text = common::text(common::get(&router, "/metrics").await).await;
    for line in [
        r#"mibio_jobs{state="queued"} 2"#,
        r#"mibio_jobs{state="running"} 0"#,
        r#"mibio_jobs{state="dead"} 1"#,
        "mibio_outbox_pending_events 1",
        "mibio_outbox_dead_events 2",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
}
