//! Webhook ingest through the real Stripe adapter: the provider of the path, the signature, the
//! replay of a delivery; and how repeated activations and omitted periods are applied.

use std::sync::Arc;

use billing::application::{
    Applied, BillingError, Ingested, apply_event, current_subscription, ingest_webhook,
};
use billing::domain::provider::{ProviderEventKind, WebhookRequest};
use billing::domain::subscription::ProviderKind;
use billing::providers::{PriceIds, StripeConfig, StripeProvider};
use chrono::Duration;
use contracts::billing::{PlanId, SubscriptionStatus};
use contracts::permissions::Permission;
use hmac::Mac as _;
use http::{HeaderMap, HeaderValue};
use kernel::{DomainError, OrganizationId};
use pretty_assertions::assert_eq;
use serde_json::json;

use super::{World, event, state, t0};

const SECRET: &str = "whsec_usecases";

async fn stripe_world() -> World {
    let stripe = StripeProvider::new(StripeConfig {
        api_base: "http://127.0.0.1:9".to_owned(),
        secret_key: "sk_test".to_owned(),
        webhook_secret: SECRET.to_owned(),
        prices: PriceIds::new(),
    })
    .unwrap();
    World::with(Some(Arc::new(stripe))).await
}

fn subscription_created(org: OrganizationId) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": "evt_1Qa",
        "object": "event",
        "created": t0().timestamp(),
        "type": "customer.subscription.created",
        "data": {"object": {
            "id": "sub_9", "object": "subscription", "customer": "cus_9", "status": "active",
            "cancel_at_period_end": false,
            "items": {"object": "list", "data": [{"current_period_end": (t0() + Duration::days(30)).timestamp()}]},
            "metadata": {"organizationId": org.to_string(), "planId": "business"},
        }},
    }))
    .unwrap()
}

fn signed_headers(body: &[u8], secret: &str) -> HeaderMap {
    let t = t0().timestamp();
    let mut mac = <hmac::Hmac<sha2_011::Sha256> as hmac::KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let header = format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()));
    let mut h = HeaderMap::new();
    h.insert("stripe-signature", HeaderValue::from_str(&header).unwrap());
    h
}

fn request<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> WebhookRequest<'a> {
    WebhookRequest { headers, query: None, body }
}

#[tokio::test]
async fn a_verified_delivery_is_applied_once_and_its_replay_is_a_duplicate() {
    let w = stripe_world().await;
    let org = w.org().await;
    let body = subscription_created(org);
    let headers = signed_headers(&body, SECRET);
    let first = ingest_webhook(&w.ctx, ProviderKind::Stripe, request(&headers, &body)).await.unwrap();
    assert_eq!(first, Ingested::Applied(Applied::Applied));
    let view = current_subscription(&w.ctx, &w.actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!((view.plan_id, view.status), (PlanId::Business, SubscriptionStatus::Active));

    let replay = ingest_webhook(&w.ctx, ProviderKind::Stripe, request(&headers, &body)).await.unwrap();
    assert_eq!(replay, Ingested::Applied(Applied::Duplicate));
    assert_eq!(w.count("SELECT count(*) AS n FROM kernel.outbox").await, 1, "no second event");
}

#[tokio::test]
async fn a_delivery_for_another_provider_is_unknown() {
    let w = stripe_world().await;
    let org = w.org().await;
    let body = subscription_created(org);
    let headers = signed_headers(&body, SECRET);
    let err = ingest_webhook(&w.ctx, ProviderKind::Polar, request(&headers, &body)).await.unwrap_err();
    assert!(matches!(err, BillingError::UnknownProvider), "{err:?}");
    assert!(matches!(DomainError::from(err), DomainError::NotFound));

    let unconfigured = World::new().await;
    let err =
        ingest_webhook(&unconfigured.ctx, ProviderKind::Stripe, request(&headers, &body)).await.unwrap_err();
    assert!(matches!(err, BillingError::UnknownProvider), "{err:?}");
}

#[tokio::test]
async fn a_bad_signature_is_refused_and_stores_nothing() {
    let w = stripe_world().await;
    let org = w.org().await;
    let body = subscription_created(org);
    let headers = signed_headers(&body, "whsec_someone_else");
    let err = ingest_webhook(&w.ctx, ProviderKind::Stripe, request(&headers, &body)).await.unwrap_err();
    assert!(matches!(err, BillingError::BadWebhook(ref why) if why.contains("signature")), "{err:?}");
    assert!(matches!(
        DomainError::from(err),
        DomainError::Rejected { code: contracts::ErrorCode::BadRequest, .. }
    ));
    for table in ["billing.processed_events", "billing.subscriptions", "kernel.outbox"] {
        assert_eq!(w.count(&format!("SELECT count(*) AS n FROM {table}")).await, 0, "{table}");
    }
}

#[tokio::test]
async fn an_event_billing_does_not_act_on_is_ignored_and_stores_nothing() {
    let w = stripe_world().await;
    let body = serde_json::to_vec(&json!({
        "id": "evt_cus", "object": "event", "created": t0().timestamp(), "type": "customer.created",
        "data": {"object": {"id": "cus_9", "object": "customer"}},
    }))
    .unwrap();
    let headers = signed_headers(&body, SECRET);
    let ingested = ingest_webhook(&w.ctx, ProviderKind::Stripe, request(&headers, &body)).await.unwrap();
    assert_eq!(ingested, Ingested::Ignored);
    assert_eq!(w.count("SELECT count(*) AS n FROM billing.processed_events").await, 0);
}

#[tokio::test]
async fn a_second_activation_of_a_running_subscription_is_an_update_and_keeps_the_period() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let created = state(org, PlanId::Pro, SubscriptionStatus::Active, end);
    apply_event(&w.ctx, &event("evt_created", t0(), ProviderEventKind::SubscriptionActivated(created)))
        .await
        .unwrap();
    // Stripe's completed checkout: the same subscription, without its period.
    let mut checkout = state(org, PlanId::Pro, SubscriptionStatus::Active, end);
    checkout.current_period_end = None;
    let applied =
        apply_event(&w.ctx, &event("evt_checkout", t0(), ProviderEventKind::SubscriptionActivated(checkout)))
            .await
            .unwrap();
    assert_eq!(applied, Applied::Applied);
    let view = current_subscription(&w.ctx, &w.actor(org, vec![Permission::BILLING_READ])).await.unwrap();
    assert_eq!(view.current_period_end, Some(end.to_rfc3339()), "the known period is kept");
    assert_eq!(
        w.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'subscription.activated'").await,
        1
    );
    assert_eq!(
        w.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'subscription.updated'").await,
        1
    );

    // A new subscription after the old one ended is a start again.
    w.clock.advance(Duration::days(31));
    let mut restarted = state(org, PlanId::Pro, SubscriptionStatus::Active, t0() + Duration::days(61));
    restarted.provider_subscription_id = Some("sub_2".to_owned());
    apply_event(
        &w.ctx,
        &event("evt_again", t0() + Duration::days(31), ProviderEventKind::SubscriptionActivated(restarted)),
    )
    .await
    .unwrap();
    assert_eq!(
        w.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'subscription.activated'").await,
        2
    );
}

#[tokio::test]
async fn an_activation_without_access_is_an_update_until_access_starts() {
    let w = World::new().await;
    let org = w.org().await;
    let end = t0() + Duration::days(30);
    let pending = state(org, PlanId::Pro, SubscriptionStatus::Incomplete, end);
    apply_event(&w.ctx, &event("evt_pending", t0(), ProviderEventKind::SubscriptionActivated(pending)))
        .await
        .unwrap();
    let paid = state(org, PlanId::Pro, SubscriptionStatus::Active, end);
    apply_event(
        &w.ctx,
        &event("evt_paid", t0() + Duration::seconds(5), ProviderEventKind::SubscriptionActivated(paid)),
    )
    .await
    .unwrap();
    let sql = |t: &str| format!("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = '{t}'");
    assert_eq!(w.count(&sql("subscription.updated")).await, 1, "the incomplete start");
    assert_eq!(w.count(&sql("subscription.activated")).await, 1, "access starts when paid");
}
