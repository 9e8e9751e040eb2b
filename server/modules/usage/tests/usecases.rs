//! Usage's use cases against a real Postgres: the enforcer under concurrency, inside a rolled-back
//! transaction, across each cadence's period boundary, with metering off; the rollover; the
//! overview.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use contracts::billing::PlanId;
use contracts::permissions::Permission;
use contracts::usage::{Cadence, UsageMeter};
use diesel_async::AsyncConnection as _;
use kernel::actor::Grants;
use kernel::db::{DbPool, PoolSettings, build_pool};
use kernel::quota::{Usage, Verdict};
use kernel::{Actor, FixedClock, OrganizationId, UserId};
use pretty_assertions::assert_eq;
use test_db::{TestDb, count, execute, outbox_events};
use usage::application::{UsageCtx, roll_over, store_definitions, usage_overview};
use usage::{FixedPlan, MeterDefinition, Meters, QuotaEnforcer, UsageError};

/// One minute before a new month and a new year.
fn new_years_eve() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 0).unwrap()
}

struct World {
    db: TestDb,
    pool: DbPool,
    clock: FixedClock,
    ctx: UsageCtx,
}

impl World {
    /// `pages_created` (lifetime) and `leads_captured` (monthly) capped at `cap` on every plan.
    async fn new(cap: u64, enforce: bool) -> Self {
        Self::with(cap, enforce, Cadence::Monthly).await
    }

    /// Like [`World::new`], with `leads_captured` on `cadence`.
    async fn with(cap: u64, enforce: bool, cadence: Cadence) -> Self {
        let db = TestDb::new().await;
        // More connections than the test database's default, so uses really run side by side.
        let pool = build_pool(db.url(), PoolSettings { max_size: 20, ..PoolSettings::default() }).unwrap();
        let clock = FixedClock::at(new_years_eve());
        let mut meters = Meters::new();
        meters
            .register(MeterDefinition::new(UsageMeter::PagesCreated, Cadence::Lifetime, |_| Some(cap)))
            .unwrap();
        meters.register(MeterDefinition::new(UsageMeter::LeadsCaptured, cadence, |_| Some(cap))).unwrap();
        let enforcer =
            QuotaEnforcer::new(meters, Arc::new(FixedPlan(PlanId::Free)), Arc::new(clock.clone()), enforce);
        let ctx = UsageCtx { db: pool.clone(), enforcer };
        store_definitions(&ctx).await.unwrap();
        Self { db, pool, clock, ctx }
    }

    async fn org(&self) -> OrganizationId {
        let id = OrganizationId::new();
        execute(
            self.db.pool(),
            &format!(
                "INSERT INTO tenancy.organizations (id, name, slug, created_by, created_at, updated_at) \
                 VALUES ('{id}', 'Org', 'org-{id}', '{}', now(), now())",
                UserId::new()
            ),
        )
        .await;
        id
    }

    /// One use of `meter` in its own transaction, committed.
    async fn use_one(&self, org: OrganizationId, meter: UsageMeter, key: &str) -> Verdict {
        use_in_transaction(&self.pool, &self.ctx.enforcer, org, meter, key).await.unwrap()
    }

    /// The counter of `meter` in the period starting `start`.
    async fn counter(&self, org: OrganizationId, meter: UsageMeter, start: &str) -> i64 {
        count(
            &self.pool,
            &format!(
                "SELECT coalesce(sum(count), 0)::bigint AS n FROM usage.counters \
                 WHERE organization_id = '{org}' AND meter = '{meter}' AND period_start = '{start}'"
            ),
        )
        .await
    }

    async fn events(&self, org: OrganizationId) -> i64 {
        count(&self.pool, &format!("SELECT count(*) AS n FROM usage.events WHERE organization_id = '{org}'"))
            .await
    }
}

fn usage<'a>(org: OrganizationId, meter: UsageMeter, key: &'a str) -> Usage<'a> {
    Usage { organization: org, meter, amount: 1, actor: None, idempotency_key: key }
}

async fn use_in_transaction(
    pool: &DbPool,
    enforcer: &QuotaEnforcer,
    org: OrganizationId,
    meter: UsageMeter,
    key: &str,
) -> Result<Verdict, UsageError> {
    let mut conn = pool.get().await?;
    let use_ = usage(org, meter, key);
    conn.transaction::<_, UsageError, _>(async |tx| enforcer.check_and_increment(tx, &use_).await).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_uses_against_a_cap_of_ten_let_exactly_ten_through() {
    let w = World::new(10, true).await;
    let org = w.org().await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (pool, enforcer) = (w.pool.clone(), w.ctx.enforcer.clone());
            tokio::spawn(async move {
                use_in_transaction(&pool, &enforcer, org, UsageMeter::LeadsCaptured, &format!("lead:{i}"))
                    .await
            })
        })
        .collect();
    let mut granted = 0;
    let mut exceeded = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Verdict::Granted => granted += 1,
            Verdict::Exceeded { limit } => {
                assert_eq!(limit, 10);
                exceeded += 1;
            }
        }
    }
    assert_eq!((granted, exceeded), (10, 40));
    assert_eq!(w.counter(org, UsageMeter::LeadsCaptured, "2026-12-01T00:00:00Z").await, 10);
    assert_eq!(w.events(org).await, 10, "one usage event per counted use");
    let refused =
        count(&w.pool, &format!("SELECT refused AS n FROM usage.counters WHERE organization_id = '{org}'"))
            .await;
    assert_eq!(refused, 40);
    let notices = outbox_events(&w.pool, "usage.quota_exceeded").await;
    assert_eq!(notices.len(), 1, "the owners are told once per period: {notices:?}");
    assert_eq!(notices[0]["organizationId"], org.to_string());
    assert_eq!(notices[0]["meter"], "leads_captured");
    assert_eq!(notices[0]["limit"], 10);
    assert_eq!(notices[0]["periodEnd"], "2027-01-01T00:00:00+00:00");
}

#[tokio::test]
async fn a_rolled_back_use_case_consumes_nothing() {
    let w = World::new(1, true).await;
    let org = w.org().await;
    let mut conn = w.pool.get().await.unwrap();
    let enforcer = w.ctx.enforcer.clone();
    let outcome = conn
        .transaction::<(), anyhow::Error, _>(async |tx| {
            let verdict =
                enforcer.check_and_increment(tx, &usage(org, UsageMeter::PagesCreated, "page:1")).await?;
            assert_eq!(verdict, Verdict::Granted);
            anyhow::bail!("the use case failed after counting")
        })
        .await;
    assert!(outcome.is_err());
    drop(conn);
    assert_eq!(w.counter(org, UsageMeter::PagesCreated, "1970-01-01T00:00:00Z").await, 0);
    assert_eq!(w.events(org).await, 0);
    assert_eq!(
        w.use_one(org, UsageMeter::PagesCreated, "page:2").await,
        Verdict::Granted,
        "the place is still free"
    );
}

#[tokio::test]
async fn the_same_key_counts_once() {
    let w = World::new(5, true).await;
    let org = w.org().await;
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "lead:a").await, Verdict::Granted);
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "lead:a").await, Verdict::Granted);
    assert_eq!(w.counter(org, UsageMeter::LeadsCaptured, "2026-12-01T00:00:00Z").await, 1);
    assert_eq!(w.events(org).await, 1);
}

#[tokio::test]
async fn a_monthly_meter_starts_again_on_the_first_of_the_month() {
    let w = World::new(2, true).await;
    let org = w.org().await;
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l1").await, Verdict::Granted);
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l2").await, Verdict::Granted);
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l3").await, Verdict::Exceeded { limit: 2 });
    w.clock.advance(Duration::minutes(2));
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l4").await, Verdict::Granted);
    assert_eq!(w.counter(org, UsageMeter::LeadsCaptured, "2026-12-01T00:00:00Z").await, 2);
    assert_eq!(w.counter(org, UsageMeter::LeadsCaptured, "2027-01-01T00:00:00Z").await, 1);
}

#[tokio::test]
async fn a_yearly_meter_starts_again_on_the_first_of_january() {
    let w = World::with(1, true, Cadence::Yearly).await;
    let org = w.org().await;
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l1").await, Verdict::Granted);
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l2").await, Verdict::Exceeded { limit: 1 });
    w.clock.advance(Duration::minutes(2));
    assert_eq!(w.use_one(org, UsageMeter::LeadsCaptured, "l3").await, Verdict::Granted);
    assert_eq!(w.counter(org, UsageMeter::LeadsCaptured, "2026-01-01T00:00:00Z").await, 1);
    assert_eq!(w.counter(org, UsageMeter::LeadsCaptured, "2027-01-01T00:00:00Z").await, 1);
}

#[tokio::test]
async fn a_lifetime_meter_never_starts_again_but_a_release_frees_a_place() {
    let w = World::new(1, true).await;
    let org = w.org().await;
    assert_eq!(w.use_one(org, UsageMeter::PagesCreated, "page:1").await, Verdict::Granted);
    w.clock.advance(Duration::days(400));
    assert_eq!(w.use_one(org, UsageMeter::PagesCreated, "page:2").await, Verdict::Exceeded { limit: 1 });
    let mut conn = w.pool.get().await.unwrap();
    let release = usage(org, UsageMeter::PagesCreated, "page:1:deleted");
    w.ctx.enforcer.release(&mut conn, &release).await.unwrap();
    w.ctx.enforcer.release(&mut conn, &release).await.unwrap();
    assert_eq!(w.counter(org, UsageMeter::PagesCreated, "1970-01-01T00:00:00Z").await, 0, "never below zero");
    assert_eq!(w.use_one(org, UsageMeter::PagesCreated, "page:3").await, Verdict::Granted);
}

#[tokio::test]
async fn the_rollover_opens_the_new_period_once_and_a_missed_one_blocks_nobody() {
    let w = World::new(5, true).await;
    let (busy, quiet) = (w.org().await, w.org().await);
    w.use_one(busy, UsageMeter::LeadsCaptured, "l1").await;
    w.use_one(busy, UsageMeter::PagesCreated, "p1").await;
    w.clock.advance(Duration::minutes(6));
    assert_eq!(roll_over(&w.ctx).await.unwrap(), 1, "only the monthly meter of the org that counted");
    assert_eq!(roll_over(&w.ctx).await.unwrap(), 0, "a second run opens nothing");
    let opened = count(
        &w.pool,
        &format!(
            "SELECT count(*) AS n FROM usage.counters WHERE organization_id = '{busy}' \
             AND meter = 'leads_captured' AND period_start = '2027-01-01T00:00:00Z' AND count = 0"
        ),
    )
    .await;
    assert_eq!(opened, 1);
    // The quiet organization's January counter was never opened: its first use opens it.
    assert_eq!(w.use_one(quiet, UsageMeter::LeadsCaptured, "q1").await, Verdict::Granted);
    assert_eq!(w.counter(quiet, UsageMeter::LeadsCaptured, "2027-01-01T00:00:00Z").await, 1);
}

#[tokio::test]
async fn with_metering_off_uses_are_counted_and_never_refused() {
    let w = World::new(1, false).await;
    let org = w.org().await;
    for key in ["a", "b", "c"] {
        assert_eq!(w.use_one(org, UsageMeter::PagesCreated, key).await, Verdict::Granted);
    }
    assert_eq!(w.counter(org, UsageMeter::PagesCreated, "1970-01-01T00:00:00Z").await, 3);
    assert!(outbox_events(&w.pool, "usage.quota_exceeded").await.is_empty());
}

#[derive(Debug)]
struct Only(Vec<Permission>);

impl Grants for Only {
    fn allows(&self, permission: &Permission) -> bool {
        self.0.contains(permission)
    }
}

fn actor(org: OrganizationId, permissions: Vec<Permission>) -> Actor {
    Actor {
        user_id: UserId::new(),
        organization_id: org,
        role: "owner".to_owned(),
        grants: Arc::new(Only(permissions)),
        email_verified: true,
    }
}

#[tokio::test]
async fn the_overview_shows_each_meter_with_its_cap_and_period() {
    let w = World::new(50, true).await;
    let org = w.org().await;
    w.use_one(org, UsageMeter::LeadsCaptured, "l1").await;
    w.use_one(org, UsageMeter::LeadsCaptured, "l2").await;
    let view = usage_overview(&w.ctx, &actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!(view.plan_id, PlanId::Free);
    assert!(view.enforced);
    let json = serde_json::to_value(&view.meters).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"meter": "pages_created", "cadence": "lifetime", "used": 0, "limit": 50,
             "periodStart": null, "periodEnd": null},
            {"meter": "leads_captured", "cadence": "monthly", "used": 2, "limit": 50,
             "periodStart": "2026-12-01T00:00:00+00:00", "periodEnd": "2027-01-01T00:00:00+00:00"},
        ])
    );
    let refused = usage_overview(&w.ctx, &actor(org, vec![Permission::LINKS_READ])).await.unwrap_err();
    assert!(matches!(refused, UsageError::Forbidden(p) if p == "billing:read"));
}
