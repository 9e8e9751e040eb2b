//! Checkout, the billing portal and the billing screen's overview, with a recording provider.

use std::sync::{Arc, Mutex};

use billing::PaymentProvider;
use billing::application::{
    BillingError, CheckoutUrls, apply_event, billing_overview, open_portal, start_checkout,
};
use billing::domain::provider::{
    CheckoutRequest, PortalRequest, ProviderError, ProviderEvent, ProviderEventKind, Redirect, WebhookError,
    WebhookRequest,
};
use billing::domain::subscription::ProviderKind;
use chrono::{DateTime, Duration, Utc};
use contracts::billing::{BillingInterval, CheckoutBody, Currency, PlanId, SubscriptionStatus};
use contracts::permissions::Permission;
use contracts::{ErrorCode, Problem};
use kernel::DomainError;
use pretty_assertions::assert_eq;

use super::{World, event, state, t0};

/// A provider that records what it is asked and offers every price but ARS and yearly Business.
#[derive(Debug)]
struct Recording {
    kind: ProviderKind,
    checkouts: Mutex<Vec<CheckoutRequest>>,
    portals: Mutex<Vec<PortalRequest>>,
}

impl Recording {
    fn new(kind: ProviderKind) -> Arc<Self> {
        Arc::new(Self { kind, checkouts: Mutex::default(), portals: Mutex::default() })
    }

    fn checkouts(&self) -> Vec<CheckoutRequest> {
        self.checkouts.lock().unwrap().clone()
    }
}

#[async_trait::async_trait]
impl PaymentProvider for Recording {
    fn kind(&self) -> ProviderKind {
        self.kind
    }

    fn offers(&self, plan: PlanId, currency: Currency, interval: BillingInterval) -> bool {
        currency != Currency::Ars && !(plan == PlanId::Business && interval == BillingInterval::Year)
    }

    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<Redirect, ProviderError> {
        self.checkouts.lock().unwrap().push(request.clone());
        Ok(Redirect { url: "https://pay.test/checkout/1".to_owned() })
    }

    async fn create_portal_session(&self, request: &PortalRequest) -> Result<Redirect, ProviderError> {
        self.portals.lock().unwrap().push(request.clone());
        Ok(Redirect { url: "https://pay.test/portal/1".to_owned() })
    }

    async fn verify_and_parse_webhook(
        &self,
        _request: WebhookRequest<'_>,
        _now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookError> {
        Err(WebhookError::Ignored("recording".to_owned()))
    }
}

fn urls() -> CheckoutUrls {
    CheckoutUrls {
        success_url: "https://app.mibio.test/billing?ok".to_owned(),
        cancel_url: "https://app.mibio.test/billing".to_owned(),
    }
}

fn body(plan: PlanId) -> CheckoutBody {
    CheckoutBody { plan_id: plan, interval: None, currency: None }
}

async fn world() -> (World, Arc<Recording>) {
    let provider = Recording::new(ProviderKind::Stripe);
    (World::with(Some(provider.clone())).await, provider)
}

fn manager(w: &World, org: kernel::OrganizationId) -> kernel::Actor {
    w.actor(org, vec![Permission::BILLING_READ, Permission::BILLING_MANAGE])
}

/// Activates a Stripe subscription with customer `cus_1` for `org`.
async fn subscribed(w: &World, org: kernel::OrganizationId) {
    let s = state(org, PlanId::Pro, SubscriptionStatus::Active, t0() + Duration::days(30));
    apply_event(&w.ctx, &event("evt_a", t0(), ProviderEventKind::SubscriptionActivated(s))).await.unwrap();
}

#[tokio::test]
async fn checkout_defaults_to_monthly_usd_and_sends_the_browser_to_the_provider() {
    let (w, provider) = world().await;
    let org = w.org().await;
    let view = start_checkout(&w.ctx, &manager(&w, org), &body(PlanId::Pro), Some("a@b.test".into()), urls())
        .await
        .unwrap();
    assert_eq!(view.url, "https://pay.test/checkout/1");
    assert_eq!(
        provider.checkouts(),
        [CheckoutRequest {
            organization_id: org,
            plan: PlanId::Pro,
            currency: Currency::Usd,
            interval: BillingInterval::Month,
            customer_email: Some("a@b.test".to_owned()),
            provider_customer_id: None,
            success_url: "https://app.mibio.test/billing?ok".to_owned(),
            cancel_url: "https://app.mibio.test/billing".to_owned(),
        }]
    );
}

/// The organization's subscription ended (canceled, its paid period over).
async fn ended(w: &World, org: kernel::OrganizationId) {
    subscribed(w, org).await;
    let s = state(org, PlanId::Pro, SubscriptionStatus::Canceled, t0() - Duration::days(1));
    let at = t0() + Duration::seconds(1);
    apply_event(&w.ctx, &event("evt_b", at, ProviderEventKind::SubscriptionCanceled(s))).await.unwrap();
}

#[tokio::test]
async fn a_running_subscription_is_changed_in_the_portal_not_checked_out_twice() {
    let (w, provider) = world().await;
    let org = w.org().await;
    subscribed(&w, org).await;
    let err =
        start_checkout(&w.ctx, &manager(&w, org), &body(PlanId::Business), None, urls()).await.unwrap_err();
    assert!(matches!(err, BillingError::AlreadySubscribed), "{err:?}");
    assert!(provider.checkouts().is_empty(), "the provider was not asked");
    assert_eq!(
        DomainError::from(err).to_api_error("t").reason,
        Some(contracts::ConflictReason::AlreadySubscribed)
    );
}

#[tokio::test]
async fn checkout_reuses_the_customer_the_provider_knows() {
    let (w, provider) = world().await;
    let org = w.org().await;
    ended(&w, org).await;
    let upgrade = CheckoutBody {
        plan_id: PlanId::Business,
        interval: Some(BillingInterval::Month),
        currency: Some(Currency::Mxn),
    };
    start_checkout(&w.ctx, &manager(&w, org), &upgrade, None, urls()).await.unwrap();
    let sent = provider.checkouts().remove(0);
    assert_eq!(sent.provider_customer_id.as_deref(), Some("cus_1"));
    assert_eq!((sent.plan, sent.currency), (PlanId::Business, Currency::Mxn));

    // Another provider's customer means nothing to this one.
    let polar = Recording::new(ProviderKind::Polar);
    let other = World::with(Some(polar.clone())).await;
    let org = other.org().await;
    ended(&other, org).await;
    start_checkout(&other.ctx, &manager(&other, org), &body(PlanId::Pro), None, urls()).await.unwrap();
    assert_eq!(polar.checkouts()[0].provider_customer_id, None);
}

#[tokio::test]
async fn checkout_needs_billing_manage() {
    let (w, provider) = world().await;
    let org = w.org().await;
    let reader = w.actor(org, vec![Permission::BILLING_READ]);
    let err = start_checkout(&w.ctx, &reader, &body(PlanId::Pro), None, urls()).await.unwrap_err();
    assert!(matches!(err, BillingError::Forbidden(ref p) if p == "billing:manage"), "{err:?}");
    assert!(provider.checkouts().is_empty());
}

#[tokio::test]
async fn the_free_plan_is_not_for_sale() {
    let (w, provider) = world().await;
    let org = w.org().await;
    let err = start_checkout(&w.ctx, &manager(&w, org), &body(PlanId::Free), None, urls()).await.unwrap_err();
    let BillingError::Invalid(problems) = err else { panic!("{err:?}") };
    assert_eq!(problems, Problem::OneOf { choices: vec!["pro".into(), "business".into()] }.at("planId"));
    assert!(matches!(DomainError::from(BillingError::Invalid(problems)), DomainError::Validation(_)));
    assert!(provider.checkouts().is_empty());
}

#[tokio::test]
async fn a_currency_or_interval_without_a_price_names_the_field_and_the_choices() {
    let (w, provider) = world().await;
    let org = w.org().await;
    let actor = manager(&w, org);
    let ars = CheckoutBody { plan_id: PlanId::Pro, interval: None, currency: Some(Currency::Ars) };
    let err = start_checkout(&w.ctx, &actor, &ars, None, urls()).await.unwrap_err();
    let choices = ["USD", "MXN", "BRL"].map(str::to_owned).to_vec();
    assert!(
        matches!(err, BillingError::Invalid(ref p) if *p == Problem::OneOf { choices }.at("currency")),
        "{err:?}"
    );
    // COP: no plan is priced in it.
    let cop = CheckoutBody { plan_id: PlanId::Pro, interval: None, currency: Some(Currency::Cop) };
    let err = start_checkout(&w.ctx, &actor, &cop, None, urls()).await.unwrap_err();
    assert!(matches!(err, BillingError::Invalid(ref p) if p.contains_key("currency")), "{err:?}");
    let yearly =
        CheckoutBody { plan_id: PlanId::Business, interval: Some(BillingInterval::Year), currency: None };
    let err = start_checkout(&w.ctx, &actor, &yearly, None, urls()).await.unwrap_err();
    assert!(
        matches!(err, BillingError::Invalid(ref p) if *p == Problem::OneOf { choices: vec!["month".into()] }.at("interval")),
        "{err:?}"
    );
    assert!(provider.checkouts().is_empty());
}

#[tokio::test]
async fn without_a_provider_checkout_and_portal_are_not_configured() {
    let w = World::new().await;
    let org = w.org().await;
    let err = start_checkout(&w.ctx, &manager(&w, org), &body(PlanId::Pro), None, urls()).await.unwrap_err();
    assert!(matches!(err, BillingError::NotConfigured), "{err:?}");
    assert!(matches!(
        DomainError::from(err),
        DomainError::Rejected { code: ErrorCode::BillingNotConfigured, .. }
    ));
    let err =
        open_portal(&w.ctx, &manager(&w, org), "https://app.mibio.test/billing".into()).await.unwrap_err();
    assert!(matches!(err, BillingError::NotConfigured), "{err:?}");
}

#[tokio::test]
async fn the_portal_needs_a_billing_account_at_the_provider() {
    let (w, provider) = world().await;
    let org = w.org().await;
    let actor = manager(&w, org);
    let err = open_portal(&w.ctx, &actor, "https://app.mibio.test/billing".into()).await.unwrap_err();
    assert!(matches!(err, BillingError::NoBillingAccount), "{err:?}");
    assert!(matches!(
        DomainError::from(err),
        DomainError::Rejected { code: ErrorCode::NoBillingAccount, .. }
    ));

    subscribed(&w, org).await;
    let view = open_portal(&w.ctx, &actor, "https://app.mibio.test/billing".into()).await.unwrap();
    assert_eq!(view.url, "https://pay.test/portal/1");
    assert_eq!(
        *provider.portals.lock().unwrap(),
        [PortalRequest {
            organization_id: org,
            provider_customer_id: "cus_1".to_owned(),
            return_url: "https://app.mibio.test/billing".to_owned(),
        }]
    );
    let reader = w.actor(org, vec![Permission::BILLING_READ]);
    let err = open_portal(&w.ctx, &reader, "https://app.mibio.test/billing".into()).await.unwrap_err();
    assert!(matches!(err, BillingError::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn the_overview_shows_plans_subscription_provider_and_what_the_caller_may_do() {
    let (w, _) = world().await;
    let org = w.org().await;
    let reader = w.actor(org, vec![Permission::BILLING_READ]);
    let overview = billing_overview(&w.ctx, &reader).await.unwrap();
    assert_eq!(
        overview.plans.iter().map(|p| p.id).collect::<Vec<_>>(),
        [PlanId::Free, PlanId::Pro, PlanId::Business]
    );
    assert_eq!((overview.subscription.plan_id, overview.subscription.provider), (PlanId::Free, None));
    assert_eq!(overview.provider.as_deref(), Some("stripe"));
    assert!(!overview.can_manage);

    subscribed(&w, org).await;
    let overview = billing_overview(&w.ctx, &manager(&w, org)).await.unwrap();
    assert_eq!(overview.subscription.plan_id, PlanId::Pro);
    assert!(overview.can_manage);

    let unconfigured = World::new().await;
    let org = unconfigured.org().await;
    let overview = billing_overview(&unconfigured.ctx, &manager(&unconfigured, org)).await.unwrap();
    assert_eq!(overview.provider, None);

    let stranger = unconfigured.actor(org, vec![Permission::LINKS_READ]);
    let err = billing_overview(&unconfigured.ctx, &stranger).await.unwrap_err();
    assert!(matches!(err, BillingError::Forbidden(ref p) if p == "billing:read"), "{err:?}");
}
