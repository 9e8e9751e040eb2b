//! Mercado Pago: preapprovals priced from our plans, and `subscription_preapproval` notifications
//! whose state is read back from `GET /preapproval/{id}`.

use billing::PaymentProvider as _;
use billing::domain::provider::{ProviderError, ProviderEventKind, SubscriptionState, WebhookError};
use billing::domain::signatures::SignatureError;
use billing::domain::subscription::ProviderKind;
use billing::providers::{MERCADOPAGO_PORTAL_URL, MercadoPagoConfig, MercadoPagoProvider};
use chrono::DateTime;
use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::matchers::{header as has_header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{T, at, checkout, delivery, header, headers, hmac, only_request, org, portal};

const SECRET: &str = "mp_webhook_secret_7e2";
const PREAPPROVAL: &str = "2c938084726fca480172750000000000";
const REQUEST_ID: &str = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";

fn provider(api_base: &str) -> MercadoPagoProvider {
    MercadoPagoProvider::new(MercadoPagoConfig {
        api_base: api_base.to_owned(),
        access_token: "APP_USR-123".to_owned(),
        webhook_secret: SECRET.to_owned(),
        currencies: vec![Currency::Mxn],
        portal_url: MERCADOPAGO_PORTAL_URL.to_owned(),
    })
    .unwrap()
}

#[tokio::test]
async fn checkout_creates_a_pending_preapproval_priced_from_the_plan() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/preapproval"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": PREAPPROVAL,
            "status": "pending",
            "init_point": format!("https://www.mercadopago.com.mx/subscriptions/checkout?preapproval_id={PREAPPROVAL}"),
        })))
        .mount(&server)
        .await;
    let mp = provider(&server.uri());
    let redirect =
        mp.create_checkout(&checkout(PlanId::Pro, Currency::Mxn, BillingInterval::Month)).await.unwrap();
    assert_eq!(
        redirect.url,
        format!("https://www.mercadopago.com.mx/subscriptions/checkout?preapproval_id={PREAPPROVAL}")
    );
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), "Bearer APP_USR-123");
    assert_eq!(
        request.body_json::<serde_json::Value>().unwrap(),
        json!({
            "reason": "Pro plan, monthly",
            "external_reference": format!("{}:pro", org()),
            "payer_email": "owner@example.com",
            "auto_recurring": {
                "frequency": 1,
                "frequency_type": "months",
                "transaction_amount": 179.0,
                "currency_id": "MXN",
            },
            "back_url": "https://app.mibio.test/billing?checkout=success",
            "status": "pending",
        })
    );
}

#[tokio::test]
async fn a_yearly_checkout_recurs_every_twelve_months() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"init_point": "https://mp.test/i"})))
        .mount(&server)
        .await;
    provider(&server.uri())
        .create_checkout(&checkout(PlanId::Business, Currency::Mxn, BillingInterval::Year))
        .await
        .unwrap();
    let body: serde_json::Value = only_request(&server).await.body_json().unwrap();
    assert_eq!(
        body["auto_recurring"],
        json!({"frequency": 12, "frequency_type": "months", "transaction_amount": 5790.0, "currency_id": "MXN"})
    );
}

#[tokio::test]
async fn offers_only_the_accounts_currency_and_has_no_portal_session() {
    let mp = provider("http://127.0.0.1:9");
    assert!(mp.offers(PlanId::Pro, Currency::Mxn, BillingInterval::Year));
    assert!(!mp.offers(PlanId::Pro, Currency::Usd, BillingInterval::Month));
    assert!(!mp.offers(PlanId::Free, Currency::Mxn, BillingInterval::Month));
    let err = mp.create_checkout(&checkout(PlanId::Pro, Currency::Usd, BillingInterval::Month)).await;
    assert!(matches!(err, Err(ProviderError::NotConfigured(_))), "{err:?}");
    let portal = mp.create_portal_session(&portal("123456")).await.unwrap();
    assert_eq!(portal.url, "https://www.mercadopago.com/subscriptions");
}

#[tokio::test]
async fn refusals_and_failures() {
    for (status, body) in [
        (400, json!({"message": "Invalid value for payer_email", "error": "bad_request", "status": 400})),
        (502, json!({"message": "bad gateway"})),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
        let err = provider(&server.uri())
            .create_checkout(&checkout(PlanId::Pro, Currency::Mxn, BillingInterval::Month))
            .await
            .unwrap_err();
        match status {
            400 => assert!(
                matches!(err, ProviderError::Rejected(ref m) if m == "400: Invalid value for payer_email"),
                "{err:?}"
            ),
            _ => assert!(matches!(err, ProviderError::Unavailable), "{err:?}"),
        }
    }
}

// ---- notifications ----

fn x_signature(data_id: &str, request_id: &str, ts: i64, secret: &str) -> String {
    let manifest = format!("id:{data_id};request-id:{request_id};ts:{ts};");
    format!("ts={ts},v1={}", hex::encode(hmac(secret.as_bytes(), manifest.as_bytes())))
}

fn notification(id: Option<i64>, kind: &str) -> Vec<u8> {
    let mut body = json!({
        "action": "updated",
        "api_version": "v1",
        "application_id": "2170163813124242",
        "data": {"id": PREAPPROVAL},
        "date_created": "2026-01-01T07:59:58.000-04:00",
        "live_mode": false,
        "type": kind,
        "user_id": "1234567890",
        "version": 3,
    });
    if let Some(id) = id {
        body["id"] = json!(id);
    }
    serde_json::to_vec(&body).unwrap()
}

fn preapproval(status: &str, reference: &str) -> serde_json::Value {
    json!({
        "id": PREAPPROVAL,
        "payer_id": 1_234_567_890_u64,
        "payer_email": "",
        "back_url": "https://app.mibio.test/billing?checkout=success",
        "collector_id": 987_654,
        "application_id": 2_170_163_813_124_242_u64,
        "status": status,
        "reason": "Pro plan, monthly",
        "external_reference": reference,
        "date_created": "2025-12-31T10:00:00.000-04:00",
        "last_modified": "2026-01-01T07:59:59.250-04:00",
        "init_point": "https://www.mercadopago.com.mx/subscriptions/checkout?preapproval_id=2c93",
        "auto_recurring": {"frequency": 1, "frequency_type": "months", "transaction_amount": 179, "currency_id": "MXN"},
        "next_payment_date": "2026-02-01T07:59:59.000-04:00",
        "payment_method_id": "account_money",
    })
}

/// A server answering `GET /preapproval/{id}` (with our token) with `body`.
async fn serving(status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/preapproval/{PREAPPROVAL}")))
        .and(has_header("authorization", "Bearer APP_USR-123"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn query() -> String {
    format!("data.id={PREAPPROVAL}&type=subscription_preapproval")
}

async fn deliver(
    server: &MockServer,
    body: &[u8],
    signature: &str,
    now: i64,
) -> Result<billing::ProviderEvent, WebhookError> {
    let h = headers(&[("x-signature", signature), ("x-request-id", REQUEST_ID)]);
    let query = query();
    provider(&server.uri()).verify_and_parse_webhook(delivery(&h, Some(&query), body), at(now)).await
}

fn good_signature() -> String {
    x_signature(PREAPPROVAL, REQUEST_ID, T, SECRET)
}

fn ours() -> String {
    format!("{}:pro", org())
}

fn state(status: SubscriptionStatus) -> SubscriptionState {
    SubscriptionState {
        organization_id: org(),
        plan: PlanId::Pro,
        status,
        current_period_end: Some(DateTime::parse_from_rfc3339("2026-02-01T11:59:59Z").unwrap().to_utc()),
        cancel_at_period_end: false,
        provider_customer_id: Some("1234567890".to_owned()),
        provider_subscription_id: Some(PREAPPROVAL.to_owned()),
    }
}

#[tokio::test]
async fn an_authorized_preapproval_activates_the_subscription() {
    let server = serving(200, preapproval("authorized", &ours())).await;
    let body = notification(Some(120_000_000_001), "subscription_preapproval");
    let event = deliver(&server, &body, &good_signature(), T + 2).await.unwrap();
    assert_eq!(event.provider, ProviderKind::MercadoPago);
    assert_eq!(event.event_id, "120000000001");
    assert_eq!(
        event.occurred_at,
        DateTime::parse_from_rfc3339("2026-01-01T11:59:59.250Z").unwrap().to_utc(),
        "the preapproval's last_modified"
    );
    assert_eq!(event.kind, ProviderEventKind::SubscriptionActivated(state(SubscriptionStatus::Active)));
    let get = only_request(&server).await;
    assert_eq!(
        (get.method.as_str(), get.url.path()),
        ("GET", format!("/preapproval/{PREAPPROVAL}").as_str())
    );
}

#[tokio::test]
async fn paused_pending_and_cancelled_preapprovals() {
    let body = notification(Some(7), "subscription_preapproval");
    for (theirs, kind) in [
        ("paused", ProviderEventKind::SubscriptionUpdated(state(SubscriptionStatus::PastDue))),
        ("pending", ProviderEventKind::SubscriptionUpdated(state(SubscriptionStatus::Incomplete))),
        ("cancelled", ProviderEventKind::SubscriptionCanceled(state(SubscriptionStatus::Canceled))),
    ] {
        let server = serving(200, preapproval(theirs, &ours())).await;
        assert_eq!(deliver(&server, &body, &good_signature(), T).await.unwrap().kind, kind, "{theirs}");
    }
}

#[tokio::test]
async fn the_request_id_names_a_notification_without_id_and_its_date_stands_in() {
    let mut p = preapproval("authorized", &ours());
    p.as_object_mut().unwrap().remove("last_modified");
    let server = serving(200, p).await;
    let event = deliver(&server, &notification(None, "subscription_preapproval"), &good_signature(), T)
        .await
        .unwrap();
    assert_eq!(event.event_id, REQUEST_ID);
    assert_eq!(event.occurred_at, at(T - 2), "the notification's date_created");
}

#[tokio::test]
async fn other_topics_and_other_integrations_are_ignored() {
    let server = serving(200, preapproval("authorized", &ours())).await;
    let payment = deliver(&server, &notification(Some(8), "payment"), &good_signature(), T).await;
    assert!(matches!(payment, Err(WebhookError::Ignored(ref t)) if t == "payment"), "{payment:?}");
    assert!(server.received_requests().await.unwrap().is_empty(), "no lookup for another topic");

    let foreign = serving(200, preapproval("authorized", "ORDER-2026-0001")).await;
    let body = notification(Some(9), "subscription_preapproval");
    assert!(matches!(deliver(&foreign, &body, &good_signature(), T).await, Err(WebhookError::Ignored(_))));
}

#[tokio::test]
async fn a_lookup_that_fails_is_the_providers_failure() {
    let server = serving(500, json!({"message": "internal_error"})).await;
    let body = notification(Some(10), "subscription_preapproval");
    let err = deliver(&server, &body, &good_signature(), T).await;
    assert!(matches!(err, Err(WebhookError::Provider(ProviderError::Unavailable))), "{err:?}");
}

#[tokio::test]
async fn signatures_are_checked_before_asking_mercado_pago() {
    let server = serving(200, preapproval("authorized", &ours())).await;
    let body = notification(Some(11), "subscription_preapproval");

    let stale = deliver(&server, &body, &good_signature(), T + 301).await;
    assert!(matches!(stale, Err(WebhookError::Signature(SignatureError::Stale))), "{stale:?}");

    let wrong = deliver(&server, &body, &x_signature(PREAPPROVAL, REQUEST_ID, T, "other"), T).await;
    assert!(matches!(wrong, Err(WebhookError::Signature(SignatureError::Mismatch))), "{wrong:?}");

    // The signature covers data.id: another preapproval's id (in the body, no query) fails.
    let h = headers(&[("x-signature", &good_signature()), ("x-request-id", REQUEST_ID)]);
    let tampered = serde_json::to_vec(&json!({"id": 12, "type": "subscription_preapproval", "data": {"id": "2c93808400000000000000000000ffff"}})).unwrap();
    let tampered =
        provider(&server.uri()).verify_and_parse_webhook(delivery(&h, None, &tampered), at(T)).await;
    assert!(matches!(tampered, Err(WebhookError::Signature(SignatureError::Mismatch))), "{tampered:?}");

    let several =
        format!("ts={T},v1={},v1={}", "0".repeat(64), good_signature().split("v1=").nth(1).unwrap());
    assert!(deliver(&server, &body, &several, T).await.is_ok());
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "only the verified delivery looked up");
}
