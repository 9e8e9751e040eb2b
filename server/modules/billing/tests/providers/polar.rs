//! Polar: checkouts of our products, customer sessions, and `subscription.*` webhooks signed
//! with Standard Webhooks under Polar's secret text.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use billing::PaymentProvider as _;
use billing::domain::provider::{ProviderError, ProviderEventKind, SubscriptionState, WebhookError};
use billing::domain::signatures::SignatureError;
use billing::domain::subscription::ProviderKind;
use billing::providers::{PolarConfig, PolarProvider, PriceIds};
use chrono::DateTime;
use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{T, at, checkout, delivery, header, headers, hmac, only_request, org, portal};

const SECRET: &str = "polar_whs_4cQd0m1bT3st";
const PRO_MONTH: &str = "d6b2c8b0-1111-4c2e-9a51-0000000000a1";
const CUSTOMER: &str = "992fae2a-2a17-4b7a-8d9d-e1b2c3d4e5f6";

fn provider(api_base: &str) -> PolarProvider {
    PolarProvider::new(PolarConfig {
        api_base: api_base.to_owned(),
        access_token: "polar_oat_123".to_owned(),
        webhook_secret: SECRET.to_owned(),
        products: PriceIds::new().with(PlanId::Pro, BillingInterval::Month, None, PRO_MONTH),
    })
    .unwrap()
}

async fn answering(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn checkout_creates_a_session_of_the_plans_product_for_the_organization() {
    let server = answering(
        201,
        json!({"id": "chk_1", "status": "open", "url": "https://buy.polar.sh/polar_c_abc", "client_secret": "polar_c_abc"}),
    )
    .await;
    let redirect = provider(&server.uri())
        .create_checkout(&checkout(PlanId::Pro, Currency::Usd, BillingInterval::Month))
        .await
        .unwrap();
    assert_eq!(redirect.url, "https://buy.polar.sh/polar_c_abc");
    let request = only_request(&server).await;
    assert_eq!((request.method.as_str(), request.url.path()), ("POST", "/v1/checkouts/"));
    assert_eq!(header(&request, "authorization"), "Bearer polar_oat_123");
    assert_eq!(
        request.body_json::<serde_json::Value>().unwrap(),
        json!({
            "products": [PRO_MONTH],
            "success_url": "https://app.mibio.test/billing?checkout=success",
            "external_customer_id": org().to_string(),
            "customer_email": "owner@example.com",
            "metadata": {"organizationId": org().to_string(), "planId": "pro"},
        })
    );
}

#[tokio::test]
async fn a_known_customer_checks_out_by_polars_id() {
    let server = answering(201, json!({"url": "https://buy.polar.sh/polar_c_def"})).await;
    let mut request = checkout(PlanId::Pro, Currency::Usd, BillingInterval::Month);
    request.provider_customer_id = Some(CUSTOMER.to_owned());
    provider(&server.uri()).create_checkout(&request).await.unwrap();
    let body: serde_json::Value = only_request(&server).await.body_json().unwrap();
    assert_eq!(body["customer_id"], json!(CUSTOMER));
    assert_eq!(body.get("external_customer_id"), None);
}

#[tokio::test]
async fn offers_only_configured_products() {
    let polar = provider("http://127.0.0.1:9");
    assert!(polar.offers(PlanId::Pro, Currency::Usd, BillingInterval::Month));
    assert!(!polar.offers(PlanId::Pro, Currency::Usd, BillingInterval::Year));
    let err = polar.create_checkout(&checkout(PlanId::Business, Currency::Usd, BillingInterval::Month)).await;
    assert!(matches!(err, Err(ProviderError::NotConfigured(_))), "{err:?}");
}

#[tokio::test]
async fn portal_creates_a_customer_session() {
    let server = answering(
        201,
        json!({
            "id": "cs_1", "token": "polar_cst_x", "expires_at": "2026-01-01T13:00:00Z",
            "customer_id": CUSTOMER,
            "customer_portal_url": "https://polar.sh/mibio/portal?customer_session_token=polar_cst_x",
        }),
    )
    .await;
    let redirect = provider(&server.uri()).create_portal_session(&portal(CUSTOMER)).await.unwrap();
    assert_eq!(redirect.url, "https://polar.sh/mibio/portal?customer_session_token=polar_cst_x");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/customer-sessions/");
    assert_eq!(header(&request, "authorization"), "Bearer polar_oat_123");
    assert_eq!(
        request.body_json::<serde_json::Value>().unwrap(),
        json!({"customer_id": CUSTOMER, "return_url": "https://app.mibio.test/billing"})
    );
}

#[tokio::test]
async fn a_5xx_is_unavailable_and_a_4xx_rejected() {
    let server = answering(503, json!({})).await;
    let err = provider(&server.uri()).create_portal_session(&portal(CUSTOMER)).await.unwrap_err();
    assert!(matches!(err, ProviderError::Unavailable), "{err:?}");
    let server = answering(422, json!({"detail": "Customer does not exist."})).await;
    let err = provider(&server.uri()).create_portal_session(&portal(CUSTOMER)).await.unwrap_err();
    assert!(matches!(err, ProviderError::Rejected(ref m) if m == "422: Customer does not exist."), "{err:?}");
}

// ---- webhooks ----

fn subscription(status: &str) -> serde_json::Value {
    json!({
        "id": "sub_7f3e",
        "created_at": "2025-12-01T12:00:00Z",
        "modified_at": "2026-01-01T11:59:58Z",
        "amount": 900,
        "currency": "usd",
        "recurring_interval": "month",
        "status": status,
        "current_period_start": "2026-01-01T12:00:00Z",
        "current_period_end": "2026-02-01T12:00:00Z",
        "cancel_at_period_end": false,
        "canceled_at": null,
        "started_at": "2025-12-01T12:00:00Z",
        "ends_at": null,
        "ended_at": null,
        "customer_id": CUSTOMER,
        "product_id": PRO_MONTH,
        "checkout_id": "chk_1",
        "metadata": {"organizationId": org().to_string(), "planId": "pro"},
        "customer": {"id": CUSTOMER, "external_id": org().to_string(), "email": "owner@example.com"},
        "product": {"id": PRO_MONTH, "name": "Pro (monthly)", "is_recurring": true},
    })
}

fn body(kind: &str, data: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({"type": kind, "timestamp": "2026-01-01T11:59:59Z", "data": data})).unwrap()
}

fn signature(id: &str, ts: i64, body: &[u8], secret: &str) -> String {
    let mut signed = format!("{id}.{ts}.").into_bytes();
    signed.extend_from_slice(body);
    format!("v1,{}", STANDARD.encode(hmac(secret.as_bytes(), &signed)))
}

async fn deliver(
    body: &[u8],
    webhook_signature: &str,
    now: i64,
) -> Result<billing::ProviderEvent, WebhookError> {
    let ts = T.to_string();
    let h = headers(&[
        ("webhook-id", "msg_2kxYz"),
        ("webhook-timestamp", &ts),
        ("webhook-signature", webhook_signature),
    ]);
    provider("http://127.0.0.1:9").verify_and_parse_webhook(delivery(&h, None, body), at(now)).await
}

async fn signed(body: &[u8]) -> Result<billing::ProviderEvent, WebhookError> {
    deliver(body, &signature("msg_2kxYz", T, body, SECRET), T + 1).await
}

fn state(status: SubscriptionStatus) -> SubscriptionState {
    SubscriptionState {
        organization_id: org(),
        plan: PlanId::Pro,
        status,
        current_period_end: Some(at(T + 31 * 86_400)),
        cancel_at_period_end: false,
        provider_customer_id: Some(CUSTOMER.to_owned()),
        provider_subscription_id: Some("sub_7f3e".to_owned()),
    }
}

#[tokio::test]
async fn subscription_events_in_billings_words() {
    let created = signed(&body("subscription.created", subscription("active"))).await.unwrap();
    assert_eq!(created.provider, ProviderKind::Polar);
    assert_eq!(created.event_id, "msg_2kxYz", "the webhook-id");
    assert_eq!(created.occurred_at, at(T - 2), "the subscription's modified_at");
    assert_eq!(created.kind, ProviderEventKind::SubscriptionActivated(state(SubscriptionStatus::Active)));

    let active = signed(&body("subscription.active", subscription("active"))).await.unwrap();
    assert!(matches!(active.kind, ProviderEventKind::SubscriptionActivated(_)));

    let mut canceling = subscription("active");
    canceling["cancel_at_period_end"] = json!(true);
    let canceled = signed(&body("subscription.canceled", canceling.clone())).await.unwrap();
    let mut expected = state(SubscriptionStatus::Active);
    expected.cancel_at_period_end = true;
    assert_eq!(canceled.kind, ProviderEventKind::SubscriptionCanceled(expected));

    for kind in ["subscription.updated", "subscription.uncanceled"] {
        let event = signed(&body(kind, subscription("past_due"))).await.unwrap();
        assert_eq!(event.kind, ProviderEventKind::SubscriptionUpdated(state(SubscriptionStatus::PastDue)));
    }
}

#[tokio::test]
async fn a_revoked_subscription_ends_access_now() {
    let mut revoked = subscription("canceled");
    revoked["ended_at"] = json!("2026-01-01T11:59:58Z");
    let event = signed(&body("subscription.revoked", revoked)).await.unwrap();
    let mut expected = state(SubscriptionStatus::Canceled);
    expected.current_period_end = Some(at(T - 2));
    assert_eq!(event.kind, ProviderEventKind::SubscriptionCanceled(expected));
}

#[tokio::test]
async fn without_metadata_the_customer_and_product_name_organization_and_plan() {
    let mut bare = subscription("trialing");
    bare["metadata"] = json!({});
    bare.as_object_mut().unwrap().remove("modified_at");
    let event = signed(&body("subscription.updated", bare)).await.unwrap();
    assert_eq!(event.kind, ProviderEventKind::SubscriptionUpdated(state(SubscriptionStatus::Trialing)));
    assert_eq!(
        event.occurred_at,
        DateTime::parse_from_rfc3339("2026-01-01T11:59:59Z").unwrap().to_utc(),
        "the body's timestamp when the subscription has no modified_at"
    );

    let mut orphan = subscription("active");
    orphan["metadata"] = json!({});
    orphan["customer"]["external_id"] = json!(null);
    assert!(matches!(signed(&body("subscription.updated", orphan)).await, Err(WebhookError::Ignored(_))));
}

#[tokio::test]
async fn other_events_are_ignored() {
    let order = body("order.paid", json!({"id": "ord_1", "status": "paid"}));
    assert!(matches!(signed(&order).await, Err(WebhookError::Ignored(ref t)) if t == "order.paid"));
}

#[tokio::test]
async fn signatures_are_checked_before_the_body_is_read() {
    let b = body("subscription.updated", subscription("active"));
    let good = signature("msg_2kxYz", T, &b, SECRET);

    let stale = deliver(&b, &good, T + 301).await;
    assert!(matches!(stale, Err(WebhookError::Signature(SignatureError::Stale))), "{stale:?}");

    let wrong = deliver(&b, &signature("msg_2kxYz", T, &b, "polar_whs_other"), T).await;
    assert!(matches!(wrong, Err(WebhookError::Signature(SignatureError::Mismatch))), "{wrong:?}");

    let tampered = body("subscription.updated", subscription("canceled"));
    let tampered = deliver(&tampered, &good, T).await;
    assert!(matches!(tampered, Err(WebhookError::Signature(SignatureError::Mismatch))), "{tampered:?}");

    let several = format!("{} {good}", signature("msg_2kxYz", T, &b, "polar_whs_previous"));
    assert!(deliver(&b, &several, T).await.is_ok());

    let garbage = b"not json".to_vec();
    let malformed = deliver(&garbage, &signature("msg_2kxYz", T, &garbage, SECRET), T).await;
    assert!(matches!(malformed, Err(WebhookError::Malformed(_))), "{malformed:?}");
}
