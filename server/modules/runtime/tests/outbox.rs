//! The outbox dispatcher against a real Postgres: once per subscriber across a crash mid-batch,
//! a failing subscriber does not hold up the others, an event that keeps failing ends dead and
//! is replayed to the subscribers still missing it, several dispatchers share the work.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use chrono::{TimeDelta, TimeZone as _, Utc};
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl as _;
use kernel::db::DbPool;
use kernel::{Clock as _, FixedClock, SystemClock};
use runtime::jobs::Backoff;
use runtime::outbox::{
    Dispatcher, DispatcherConfig, EventEnvelope, OutboxBacklog, Subscriber, backlog, dead_events,
    dispatch_batch, pending_count, record, replay_dead,
};
use serde::Serialize;
use test_db::{TestDb, count};
use tokio::sync::Notify;
use uuid::Uuid;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ThingHappened {
    n: usize,
}

impl runtime::outbox::DomainEvent for ThingHappened {
    const TYPE: &'static str = "thing.happened";
    const PRODUCER: &'static str = "tests";
}

#[derive(Serialize)]
struct OtherHappened;

impl runtime::outbox::DomainEvent for OtherHappened {
    const TYPE: &'static str = "other.happened";
    const PRODUCER: &'static str = "tests";
}

fn loaded(counter: &AtomicUsize) -> usize {
    AtomicUsize::load(counter, Ordering::SeqCst)
}

/// Records each event it handles in `public.handled` (idempotent: unique per subscriber and
/// event) and counts its calls. Can be told to fail, or to hang on its `hang_at`th call.
struct Recorder {
    name: &'static str,
    db: DbPool,
    calls: AtomicUsize,
    failing: AtomicBool,
    hang_at: Option<usize>,
    hanging: Notify,
}

impl Recorder {
    fn new(name: &'static str, db: &DbPool) -> Self {
        Self {
            name,
            db: db.clone(),
            calls: AtomicUsize::new(0),
            failing: AtomicBool::new(false),
            hang_at: None,
            hanging: Notify::new(),
        }
    }
}

#[async_trait::async_trait]
impl Subscriber for Recorder {
    fn name(&self) -> &'static str {
        self.name
    }

    fn wants(&self, event_type: &str) -> bool {
        event_type == "thing.happened"
    }

    async fn handle(&self, event: &EventEnvelope) -> anyhow::Result<()> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if self.hang_at == Some(call) {
            self.hanging.notify_one();
            std::future::pending::<()>().await;
        }
        if AtomicBool::load(&self.failing, Ordering::SeqCst) {
            anyhow::bail!("{} is down", self.name);
        }
        let mut conn = self.db.get().await?;
        diesel::sql_query(
            "INSERT INTO public.handled (subscriber, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind::<Text, _>(self.name)
        .bind::<SqlUuid, _>(event.event_id)
        .execute(&mut conn)
        .await?;
        Ok(())
    }
}

async fn setup(events: usize) -> TestDb {
    let db = TestDb::new().await;
    let mut conn = db.pool().get().await.unwrap();
    diesel::sql_query(
        "CREATE TABLE public.handled (subscriber text NOT NULL, event_id uuid NOT NULL, \
         PRIMARY KEY (subscriber, event_id))",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap();
    for n in 0..events {
        let at = start + TimeDelta::milliseconds(i64::try_from(n).unwrap());
        record(&mut conn, &ThingHappened { n }, at).await.unwrap();
    }
    drop(conn);
    db
}

async fn handled(db: &DbPool, subscriber: &str) -> i64 {
    count(db, &format!("SELECT count(*) AS n FROM public.handled WHERE subscriber = '{subscriber}'")).await
}

async fn wait_until_dispatched(db: &DbPool) {
    for _ in 0..400 {
        let mut conn = db.get().await.unwrap();
        if pending_count(&mut conn).await.unwrap() == 0 {
            return;
        }
        drop(conn);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("events still pending after 20 s");
}

fn fast() -> DispatcherConfig {
    DispatcherConfig {
        poll_interval: Duration::from_millis(20),
        backoff: Backoff { base: Duration::from_millis(10), cap: Duration::from_millis(20) },
        ..DispatcherConfig::default()
    }
}

#[tokio::test]
async fn each_event_reaches_each_subscriber_once_across_a_crash_mid_batch() {
    let db = setup(50).await;
    // `a` hangs on its 20th event, in the middle of the one batch of 50: then the dispatcher dies.
    let a = Arc::new(Recorder { hang_at: Some(20), ..Recorder::new("a", db.pool()) });
    let b = Arc::new(Recorder::new("b", db.pool()));
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![a.clone(), b.clone()];
    let first = Dispatcher::spawn(db.pool().clone(), subscribers, Arc::new(SystemClock), fast());
    tokio::time::timeout(Duration::from_secs(20), a.hanging.notified()).await.unwrap();
    first.shutdown(Duration::ZERO).await;
    assert_eq!(handled(db.pool(), "a").await, 19);
    assert_eq!(handled(db.pool(), "b").await, 19);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox_deliveries").await, 38);
    assert_eq!(
        count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox WHERE dispatched_at IS NULL").await,
        50
    );

    // A restarted dispatcher (fresh subscribers, as in a new process) finishes the work.
    let a2 = Arc::new(Recorder::new("a", db.pool()));
    let b2 = Arc::new(Recorder::new("b", db.pool()));
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![a2.clone(), b2.clone()];
    let second = Dispatcher::spawn(db.pool().clone(), subscribers, Arc::new(SystemClock), fast());
    wait_until_dispatched(db.pool()).await;
    second.shutdown(Duration::from_secs(5)).await;
    assert_eq!(handled(db.pool(), "a").await, 50);
    assert_eq!(handled(db.pool(), "b").await, 50);
    // Only the event `a` was in the middle of is delivered to it again; nothing of `b`'s is.
    assert_eq!(loaded(&a.calls) + loaded(&a2.calls), 51);
    assert_eq!(loaded(&b.calls) + loaded(&b2.calls), 50);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox_deliveries").await, 100);
}

/// A subscriber that fails (`down`, until told otherwise) and one that works (`up`), both
/// subscribed in that order.
fn down_and_up(db: &DbPool) -> (Arc<Recorder>, Arc<Recorder>, Vec<Arc<dyn Subscriber>>) {
    let down = Arc::new(Recorder::new("down", db));
    down.failing.store(true, Ordering::SeqCst);
    let up = Arc::new(Recorder::new("up", db));
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![down.clone(), up.clone()];
    (down, up, subscribers)
}

#[tokio::test]
async fn a_failing_subscriber_does_not_hold_up_another_and_is_retried_later() {
    let db = setup(5).await;
    let (down, up, subscribers) = down_and_up(db.pool());
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    let config = DispatcherConfig {
        backoff: Backoff { base: Duration::from_secs(60), cap: Duration::from_secs(3600) },
        ..DispatcherConfig::default()
    };

    assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 5);
    assert_eq!(handled(db.pool(), "up").await, 5);
    assert_eq!(handled(db.pool(), "down").await, 0);
    let sql = "SELECT count(*) AS n FROM kernel.outbox WHERE dispatched_at IS NULL AND attempts = 1 \
               AND next_attempt_at > '2026-11-25T12:00:00Z' AND last_error = 'down: down is down'";
    assert_eq!(count(db.pool(), sql).await, 5);
    // Not due yet: nothing is claimed.
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 0);

    down.failing.store(false, Ordering::SeqCst);
    clock.advance(TimeDelta::minutes(2));
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 5);
    assert_eq!(handled(db.pool(), "down").await, 5);
    assert_eq!(loaded(&up.calls), 5, "the subscriber that had the events is skipped");
    assert_eq!(loaded(&down.calls), 10);
    let mut conn = db.pool().get().await.unwrap();
    assert_eq!(pending_count(&mut conn).await.unwrap(), 0);
}

#[tokio::test]
async fn an_event_that_keeps_failing_ends_dead_and_a_replay_reaches_only_who_missed_it() {
    let db = setup(1).await;
    let (down, up, subscribers) = down_and_up(db.pool());
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    let config = DispatcherConfig {
        backoff: Backoff { base: Duration::from_secs(60), cap: Duration::from_secs(60) },
        max_attempts: 3,
        ..DispatcherConfig::default()
    };
    let mut conn = db.pool().get().await.unwrap();

    for attempt in 1..=3 {
        assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 1, "{attempt}");
        let dead = dead_events(&mut conn, 10).await.unwrap();
        assert_eq!(dead.len(), usize::from(attempt == 3), "dead after the third failure only");
        clock.advance(TimeDelta::minutes(2));
    }
    let dead = dead_events(&mut conn, 10).await.unwrap();
    let event = &dead[0];
    assert_eq!(
        (event.event_type.as_str(), event.producer.as_str(), event.attempts, event.last_error.as_deref()),
        ("thing.happened", "tests", 3, Some("down: down is down"))
    );
    assert_eq!(event.dead_at, Utc.with_ymd_and_hms(2026, 11, 25, 12, 4, 0).unwrap());
    assert_eq!(event.payload, serde_json::json!({"n": 0}));
    assert_eq!(backlog(&mut conn).await.unwrap(), OutboxBacklog { pending: 0, dead: 1 });

    // Dead: no longer claimed, however long one waits.
    clock.advance(TimeDelta::days(30));
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 0);
    assert_eq!((loaded(&down.calls), loaded(&up.calls)), (3, 1));

    assert!(!replay_dead(&mut conn, Uuid::now_v7(), clock.now()).await.unwrap(), "no such event");
    assert!(replay_dead(&mut conn, event.event_id, clock.now()).await.unwrap());
    assert!(!replay_dead(&mut conn, event.event_id, clock.now()).await.unwrap(), "not dead any more");
    let replayed = format!(
        "SELECT count(*) AS n FROM kernel.outbox WHERE event_id = '{}' AND attempts = 0 \
         AND dead_at IS NULL AND dispatched_at IS NULL AND last_error = 'down: down is down'",
        event.event_id
    );
    assert_eq!(count(db.pool(), &replayed).await, 1, "fresh attempts; the last error kept");
    assert_eq!(backlog(&mut conn).await.unwrap(), OutboxBacklog { pending: 1, dead: 0 });

    down.failing.store(false, Ordering::SeqCst);
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 1, "due at once");
    assert_eq!((handled(db.pool(), "down").await, handled(db.pool(), "up").await), (1, 1));
    assert_eq!((loaded(&down.calls), loaded(&up.calls)), (4, 1), "the subscriber that had it is skipped");
    assert_eq!(backlog(&mut conn).await.unwrap(), OutboxBacklog::default());
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &clock, &config).await.unwrap(), 0);
}

#[tokio::test]
async fn events_no_one_wants_are_marked_dispatched() {
    let db = setup(0).await;
    let mut conn = db.pool().get().await.unwrap();
    let id = record(&mut conn, &OtherHappened, Utc::now()).await.unwrap();
    drop(conn);
    let only = Arc::new(Recorder::new("only", db.pool()));
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![only.clone()];
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &SystemClock, &fast()).await.unwrap(), 1);
    assert_eq!(dispatch_batch(db.pool(), &[], &SystemClock, &fast()).await.unwrap(), 0);
    assert_eq!(loaded(&only.calls), 0);
    let dispatched = count(
        db.pool(),
        &format!(
            "SELECT count(*) AS n FROM kernel.outbox WHERE event_id = '{id}' AND dispatched_at IS NOT NULL"
        ),
    )
    .await;
    assert_eq!(dispatched, 1);
}

/// Counts deliveries per event in memory, so a double delivery cannot hide behind the table.
struct Counter {
    seen: std::sync::Mutex<std::collections::HashMap<Uuid, usize>>,
    panic_on_first: AtomicBool,
}

#[async_trait::async_trait]
impl Subscriber for Counter {
    fn name(&self) -> &'static str {
        "counter"
    }

    fn wants(&self, _event_type: &str) -> bool {
        true
    }

    async fn handle(&self, event: &EventEnvelope) -> anyhow::Result<()> {
        if self.panic_on_first.swap(false, Ordering::SeqCst) {
            panic!("the subscriber fell over");
        }
        *self.seen.lock().unwrap().entry(event.event_id).or_default() += 1;
        Ok(())
    }
}

#[tokio::test]
async fn dispatchers_of_several_replicas_share_the_work_without_double_delivery() {
    let db = setup(300).await;
    let counter = Arc::new(Counter { seen: Default::default(), panic_on_first: AtomicBool::new(true) });
    let config = DispatcherConfig { batch: 10, ..fast() };
    let replicas: Vec<Dispatcher> = (0..3)
        .map(|_| {
            let pool = kernel::db::build_pool(db.url(), kernel::db::PoolSettings::default()).unwrap();
            Dispatcher::spawn(
                pool,
                vec![counter.clone() as Arc<dyn Subscriber>],
                Arc::new(SystemClock),
                config.clone(),
            )
        })
        .collect();
    wait_until_dispatched(db.pool()).await;
    for replica in replicas {
        replica.shutdown(Duration::from_secs(5)).await;
    }
    {
        let seen = counter.seen.lock().unwrap();
        assert_eq!(seen.len(), 300);
        assert!(seen.values().all(|n| *n == 1), "an event was delivered twice");
    }
    // The panic failed one delivery, which was retried.
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox WHERE attempts = 1").await, 1);
    assert_eq!(
        count(
            db.pool(),
            "SELECT count(*) AS n FROM kernel.outbox WHERE last_error = 'counter: the subscriber panicked'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn dispatched_events_are_pruned_with_their_deliveries() {
    let db = setup(3).await;
    let a = Arc::new(Recorder::new("a", db.pool()));
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![a];
    let clock = FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
    dispatch_batch(db.pool(), &subscribers, &clock, &fast()).await.unwrap();
    let mut conn = db.pool().get().await.unwrap();
    record(&mut conn, &ThingHappened { n: 9 }, Utc::now()).await.unwrap();
    let before = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 1).unwrap();
    assert_eq!(runtime::outbox::prune_dispatched(&mut conn, before).await.unwrap(), 3);
    drop(conn);
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox").await, 1, "the pending one stays");
    assert_eq!(count(db.pool(), "SELECT count(*) AS n FROM kernel.outbox_deliveries").await, 0);
}

/// Keeps every envelope it is handed.
struct Keeper(std::sync::Mutex<Vec<EventEnvelope>>);

#[async_trait::async_trait]
impl Subscriber for Keeper {
    fn name(&self) -> &'static str {
        "keeper"
    }

    fn wants(&self, _event_type: &str) -> bool {
        true
    }

    async fn handle(&self, event: &EventEnvelope) -> anyhow::Result<()> {
        self.0.lock().unwrap().push(event.clone());
        Ok(())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageEdited {
    actor_id: Uuid,
}

impl runtime::outbox::DomainEvent for PageEdited {
    const TYPE: &'static str = "page.edited";
    const PRODUCER: &'static str = "tests";
}

#[tokio::test]
async fn events_recorded_during_an_impersonation_carry_both_identities() {
    let db = setup(0).await;
    let (admin, coach) = (Uuid::now_v7(), Uuid::now_v7());
    let mut conn = db.pool().get().await.unwrap();
    let impersonated = runtime::outbox::TRACE_ID
        .scope(
            "req-7".to_owned(),
            runtime::outbox::IMPERSONATOR
                .scope(admin, record(&mut conn, &PageEdited { actor_id: coach }, Utc::now())),
        )
        .await
        .unwrap();
    let ordinary = record(&mut conn, &PageEdited { actor_id: coach }, Utc::now()).await.unwrap();
    drop(conn);
    let stored = count(
        db.pool(),
        &format!("SELECT count(*) AS n FROM kernel.outbox WHERE event_id = '{impersonated}' AND impersonator_id = '{admin}'"),
    )
    .await;
    assert_eq!(stored, 1);

    let keeper = Arc::new(Keeper(std::sync::Mutex::default()));
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![keeper.clone()];
    assert_eq!(dispatch_batch(db.pool(), &subscribers, &SystemClock, &fast()).await.unwrap(), 2);
    let seen = keeper.0.lock().unwrap().clone();
    let find = |id| seen.iter().find(|e| e.event_id == id).unwrap();
    let (during, after) = (find(impersonated), find(ordinary));
    assert_eq!(during.impersonator_id, Some(admin), "the envelope names the admin");
    assert_eq!(during.payload["actorId"], coach.to_string(), "the payload names the impersonated user");
    assert_eq!(during.trace_id.as_deref(), Some("req-7"));
    assert_eq!(after.impersonator_id, None, "outside the scope nobody impersonates");
    assert_eq!(after.trace_id, None);
}
