//! Billing's use cases against a real Postgres: applying provider events (dedupe, out-of-order
//! protection, the outbox), the current subscription and the premium gate; checkout, portal and
//! overview (`usecases/checkout.rs`), webhook ingest (`usecases/webhooks.rs`) and the platform
//! console's reads (`usecases/console.rs`).

#[path = "usecases/checkout.rs"]
mod checkout;
#[path = "usecases/console.rs"]
mod console;
#[path = "usecases/webhooks.rs"]
mod webhooks;

use std::sync::Arc;

use billing::PaymentProvider;
use billing::application::{
    Applied, BillingCtx, BillingError, apply_event, current_subscription, require_active_subscription,
};
use billing::domain::provider::{ProviderEvent, ProviderEventKind, SubscriptionState};
use billing::domain::subscription::ProviderKind;
use chrono::{DateTime, Duration, TimeZone as _, Utc};
use contracts::billing::{PlanId, SubscriptionStatus};
use contracts::permissions::Permission;
use kernel::actor::Grants;
use kernel::{Actor, FixedClock, OrganizationId, UserId};
use pretty_assertions::assert_eq;
use test_db::{TestDb, count, execute};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()
}

#[derive(Debug)]
struct Only(Vec<Permission>);

impl Grants for Only {
    fn allows(&self, permission: &Permission) -> bool {
        self.0.contains(permission)
    }
}

struct World {
    db: TestDb,
    clock: FixedClock,
    ctx: BillingCtx,
}

impl World {
    async fn new() -> Self {
        Self::with(None).await
    }

    /// A world whose billing is configured with `provider`.
    async fn with(provider: Option<Arc<dyn PaymentProvider>>) -> Self {
        let db = TestDb::new().await;
        let clock = FixedClock::at(t0());
        let ctx = BillingCtx { db: db.pool().clone(), clock: Arc::new(clock.clone()), provider };
        Self { db, clock, ctx }
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

    fn actor(&self, org: OrganizationId, permissions: Vec<Permission>) -> Actor {
        Actor {
            user_id: UserId::new(),
            organization_id: org,
            role: "owner".to_owned(),
            grants: Arc::new(Only(permissions)),
            email_verified: true,
        }
    }

    async fn count(&self, sql: &str) -> i64 {
        count(self.db.pool(), sql).await
    }
}

fn state(
    org: OrganizationId,
    plan: PlanId,
    status: SubscriptionStatus,
    period_end: DateTime<Utc>,
) -> SubscriptionState {
    SubscriptionState {
        organization_id: org,
        plan,
        status,
        current_period_end: Some(period_end),
        cancel_at_period_end: false,
        provider_customer_id: Some("cus_1".to_owned()),
        provider_subscription_id: Some("sub_1".to_owned()),
    }
}

fn event(id: &str, at: DateTime<Utc>, kind: ProviderEventKind) -> ProviderEvent {
    ProviderEvent { provider: ProviderKind::Stripe, event_id: id.to_owned(), occurred_at: at, kind }
}

#[tokio::test]
async fn an_activation_makes_the_subscription_active_and_records_the_event() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let activated = event(
        "evt_1",
        t0(),
        ProviderEventKind::SubscriptionActivated(state(org, PlanId::Pro, SubscriptionStatus::Active, end)),
    );
    assert_eq!(apply_event(&w.ctx, &activated).await.unwrap(), Applied::Applied);

    let view = current_subscription(&w.ctx, &w.actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!(view.plan_id, PlanId::Pro);
    assert_eq!(view.status, SubscriptionStatus::Active);
    assert_eq!(view.provider.as_deref(), Some("stripe"));
    assert_eq!(view.current_period_end, Some(end.to_rfc3339()));
    require_active_subscription(&w.ctx, org).await.unwrap();
    assert_eq!(
        w.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'subscription.activated' AND producer = 'billing' AND payload->>'plan' = 'pro'").await,
        1
    );
}

#[tokio::test]
async fn a_repeated_event_id_has_no_second_effect() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let activated = event(
        "evt_1",
        t0(),
        ProviderEventKind::SubscriptionActivated(state(org, PlanId::Pro, SubscriptionStatus::Active, end)),
    );
    assert_eq!(apply_event(&w.ctx, &activated).await.unwrap(), Applied::Applied);
    assert_eq!(apply_event(&w.ctx, &activated).await.unwrap(), Applied::Duplicate);
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, 1);
    assert_eq!(w.count("SELECT count(*) AS n FROM billing.processed_events").await, 1);
    assert_eq!(w.count("SELECT count(*) AS n FROM billing.subscriptions").await, 1);
}

#[tokio::test]
async fn an_older_event_delivered_late_does_not_regress_the_subscription() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let canceled = event(
        "evt_2",
        t0() + Duration::minutes(5),
        ProviderEventKind::SubscriptionCanceled(state(org, PlanId::Pro, SubscriptionStatus::Canceled, end)),
    );
    let activated = event(
        "evt_1",
        t0(),
        ProviderEventKind::SubscriptionActivated(state(org, PlanId::Pro, SubscriptionStatus::Active, end)),
    );
    assert_eq!(apply_event(&w.ctx, &canceled).await.unwrap(), Applied::Applied);
    assert_eq!(apply_event(&w.ctx, &activated).await.unwrap(), Applied::Stale);

    let view = current_subscription(&w.ctx, &w.actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!(view.status, SubscriptionStatus::Canceled);
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, 1, "no event for the stale one");
    assert_eq!(w.count("SELECT count(*) AS n FROM billing.processed_events").await, 2);
}

#[tokio::test]
async fn a_cancellation_closes_the_gate_at_period_end() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(10);
    let mut s = state(org, PlanId::Business, SubscriptionStatus::Canceled, end);
    s.cancel_at_period_end = true;
    apply_event(&w.ctx, &event("evt_9", t0(), ProviderEventKind::SubscriptionCanceled(s))).await.unwrap();
    require_active_subscription(&w.ctx, org).await.unwrap();
    w.clock.advance(Duration::days(10));
    assert!(matches!(
        require_active_subscription(&w.ctx, org).await,
        Err(BillingError::SubscriptionRequired)
    ));
}

#[tokio::test]
async fn an_organization_that_never_subscribed_is_on_free_and_gated() {
    let w = World::new().await;
    let org = w.org().await;
    let view = current_subscription(&w.ctx, &w.actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!((view.plan_id, view.status, view.provider), (PlanId::Free, SubscriptionStatus::Active, None));
    let err = require_active_subscription(&w.ctx, org).await.unwrap_err();
    assert!(matches!(err, BillingError::SubscriptionRequired));
    let wire = kernel::DomainError::from(err).to_string();
    assert!(wire.contains("subscription_required"), "{wire}");
}

#[tokio::test]
async fn reading_the_subscription_needs_billing_read() {
    let w = World::new().await;
    let org = w.org().await;
    let err = current_subscription(&w.ctx, &w.actor(org, vec![Permission::LINKS_READ])).await.unwrap_err();
    assert!(matches!(err, BillingError::Forbidden(ref p) if p == "billing:read"), "{err:?}");
}

#[tokio::test]
async fn a_failed_payment_is_recorded_without_touching_the_subscription() {
    let w = World::new().await;
    let org = w.org().await;
    let failed = event(
        "evt_f",
        t0(),
        ProviderEventKind::PaymentFailed {
            organization_id: org,
            provider_subscription_id: Some("sub_1".into()),
        },
    );
    assert_eq!(apply_event(&w.ctx, &failed).await.unwrap(), Applied::Applied);
    assert_eq!(
        w.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'payment.failed'").await,
        1
    );
    assert_eq!(w.count("SELECT count(*) AS n FROM billing.subscriptions").await, 0);
}

#[tokio::test]
async fn the_same_event_delivered_twice_at_once_is_applied_once() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let activated = event(
        "evt_race",
        t0(),
        ProviderEventKind::SubscriptionActivated(state(org, PlanId::Pro, SubscriptionStatus::Active, end)),
    );
    let (a, b) = tokio::join!(apply_event(&w.ctx, &activated), apply_event(&w.ctx, &activated));
    let mut outcomes = [a.unwrap(), b.unwrap()];
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(outcomes, [Applied::Applied, Applied::Duplicate]);
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, 1);
}

#[tokio::test]
async fn a_newer_update_changes_plan_and_keeps_ids_it_omits() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let activated = event(
        "evt_1",
        t0(),
        ProviderEventKind::SubscriptionActivated(state(org, PlanId::Pro, SubscriptionStatus::Active, end)),
    );
    apply_event(&w.ctx, &activated).await.unwrap();
    let mut upgraded = state(org, PlanId::Business, SubscriptionStatus::PastDue, end);
    upgraded.cancel_at_period_end = true;
    upgraded.provider_customer_id = None;
    let updated =
        event("evt_2", t0() + Duration::seconds(1), ProviderEventKind::SubscriptionUpdated(upgraded));
    assert_eq!(apply_event(&w.ctx, &updated).await.unwrap(), Applied::Applied);

    let view = current_subscription(&w.ctx, &w.actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!(
        (view.plan_id, view.status, view.cancel_at_period_end),
        (PlanId::Business, SubscriptionStatus::PastDue, true)
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM billing.subscriptions WHERE provider_customer_id = 'cus_1' AND plan = 'business'")
            .await,
        1
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'subscription.updated'").await,
        1
    );
}

#[tokio::test]
async fn an_event_for_an_unknown_organization_is_refused_and_leaves_nothing() {
    let w = World::new().await;
    let ghost = OrganizationId::new();
    let end = t0() + Duration::days(30);
    let activated = event(
        "evt_ghost",
        t0(),
        ProviderEventKind::SubscriptionActivated(state(ghost, PlanId::Pro, SubscriptionStatus::Active, end)),
    );
    let err = apply_event(&w.ctx, &activated).await.unwrap_err();
    assert!(matches!(err, BillingError::UnknownOrganization), "{err:?}");
    assert_eq!(w.count("SELECT count(*) AS n FROM billing.processed_events").await, 0);
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, 0);
}
