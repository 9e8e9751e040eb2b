//! Stripe: Checkout and Billing Portal sessions (form-encoded), and its signed events.

use billing::PaymentProvider as _;
use billing::domain::provider::{ProviderError, ProviderEventKind, SubscriptionState, WebhookError};
use billing::domain::signatures::SignatureError;
use billing::domain::subscription::ProviderKind;
use billing::providers::{PriceIds, StripeConfig, StripeProvider};
use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use pretty_assertions::assert_eq;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{T, at, checkout, delivery, form, header, headers, hmac, only_request, org, portal};

const SECRET: &str = "whsec_test_5b1f0c";

fn prices() -> PriceIds {
    PriceIds::new()
        .with(PlanId::Pro, BillingInterval::Month, Some(Currency::Usd), "price_pro_month_usd")
        .with(PlanId::Pro, BillingInterval::Year, None, "price_pro_year")
        .with(PlanId::Business, BillingInterval::Month, Some(Currency::Usd), "price_business_month_usd")
}

fn provider(api_base: &str) -> StripeProvider {
    StripeProvider::new(StripeConfig {
        api_base: api_base.to_owned(),
        secret_key: "sk_test_123".to_owned(),
        webhook_secret: SECRET.to_owned(),
        prices: prices(),
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
async fn checkout_posts_a_subscription_session_naming_organization_and_plan() {
    let server = answering(200, json!({"id": "cs_test_a1", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_a1"})).await;
    let redirect = provider(&server.uri())
        .create_checkout(&checkout(PlanId::Pro, Currency::Usd, BillingInterval::Month))
        .await
        .unwrap();
    assert_eq!(redirect.url, "https://checkout.stripe.com/c/pay/cs_test_a1");

    let request = only_request(&server).await;
    assert_eq!((request.method.as_str(), request.url.path()), ("POST", "/v1/checkout/sessions"));
    assert_eq!(header(&request, "authorization"), "Bearer sk_test_123");
    assert_eq!(header(&request, "content-type"), "application/x-www-form-urlencoded");
    let org = org().to_string();
    let expected: Vec<(String, String)> = [
        ("mode", "subscription"),
        ("line_items[0][price]", "price_pro_month_usd"),
        ("line_items[0][quantity]", "1"),
        ("success_url", "https://app.mibio.test/billing?checkout=success"),
        ("cancel_url", "https://app.mibio.test/billing?checkout=cancel"),
        ("client_reference_id", &org),
        ("subscription_data[metadata][organizationId]", &org),
        ("subscription_data[metadata][planId]", "pro"),
        ("metadata[organizationId]", &org),
        ("metadata[planId]", "pro"),
        ("customer_email", "owner@example.com"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(form(&request.body), expected);
}

#[tokio::test]
async fn checkout_reuses_the_customer_and_names_the_currency_of_a_multi_currency_price() {
    let server = answering(200, json!({"url": "https://checkout.stripe.com/c/pay/cs_2"})).await;
    let mut request = checkout(PlanId::Pro, Currency::Mxn, BillingInterval::Year);
    request.provider_customer_id = Some("cus_Q1".to_owned());
    provider(&server.uri()).create_checkout(&request).await.unwrap();
    let fields = form(&only_request(&server).await.body);
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("line_items[0][price]"), Some("price_pro_year"));
    assert_eq!(get("currency"), Some("mxn"));
    assert_eq!(get("customer"), Some("cus_Q1"));
    assert_eq!(get("customer_email"), None, "customer and customer_email are exclusive");
}

#[tokio::test]
async fn offers_only_what_has_a_price() {
    let stripe = provider("http://127.0.0.1:9");
    assert!(stripe.offers(PlanId::Pro, Currency::Usd, BillingInterval::Month));
    assert!(stripe.offers(PlanId::Pro, Currency::Brl, BillingInterval::Year), "multi-currency price");
    assert!(!stripe.offers(PlanId::Pro, Currency::Brl, BillingInterval::Month));
    assert!(!stripe.offers(PlanId::Business, Currency::Usd, BillingInterval::Year));
    let err = stripe
        .create_checkout(&checkout(PlanId::Business, Currency::Usd, BillingInterval::Year))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::NotConfigured(_)), "{err:?}");
}

#[tokio::test]
async fn portal_posts_customer_and_return_url() {
    let server = answering(
        200,
        json!({"id": "bps_1", "object": "billing_portal.session", "url": "https://billing.stripe.com/p/session/test_YWNj"}),
    )
    .await;
    let redirect = provider(&server.uri()).create_portal_session(&portal("cus_Q1")).await.unwrap();
    assert_eq!(redirect.url, "https://billing.stripe.com/p/session/test_YWNj");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/billing_portal/sessions");
    assert_eq!(header(&request, "authorization"), "Bearer sk_test_123");
    assert_eq!(
        form(&request.body),
        [
            ("customer".to_owned(), "cus_Q1".to_owned()),
            ("return_url".to_owned(), "https://app.mibio.test/billing".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_5xx_or_429_is_unavailable_and_a_4xx_is_rejected_with_stripes_words() {
    let request = checkout(PlanId::Pro, Currency::Usd, BillingInterval::Month);
    for status in [500, 503, 429] {
        let server = answering(status, json!({"error": {"message": "try later"}})).await;
        let err = provider(&server.uri()).create_checkout(&request).await.unwrap_err();
        assert!(matches!(err, ProviderError::Unavailable), "{status}: {err:?}");
    }
    let server = answering(
        400,
        json!({"error": {"code": "resource_missing", "message": "No such price: 'price_pro_month_usd'", "type": "invalid_request_error"}}),
    )
    .await;
    let err = provider(&server.uri()).create_checkout(&request).await.unwrap_err();
    assert!(
        matches!(err, ProviderError::Rejected(ref m) if m == "400: No such price: 'price_pro_month_usd'"),
        "{err:?}"
    );
    let unreachable = provider("http://127.0.0.1:9").create_portal_session(&portal("cus_1")).await;
    assert!(matches!(unreachable, Err(ProviderError::Unavailable)), "{unreachable:?}");
}

// ---- webhooks ----

fn event(id: &str, kind: &str, object: serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id,
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": T - 2,
        "data": {"object": object},
        "livemode": false,
        "pending_webhooks": 1,
        "request": {"id": null, "idempotency_key": null},
        "type": kind,
    }))
    .unwrap()
}

fn signature(t: i64, body: &[u8], secret: &str) -> String {
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(body);
    hex::encode(hmac(secret.as_bytes(), &signed))
}

async fn deliver(
    body: &[u8],
    stripe_signature: &str,
    now: i64,
) -> Result<billing::ProviderEvent, WebhookError> {
    let h = headers(&[("stripe-signature", stripe_signature)]);
    provider("http://127.0.0.1:9").verify_and_parse_webhook(delivery(&h, None, body), at(now)).await
}

async fn signed(body: &[u8]) -> Result<billing::ProviderEvent, WebhookError> {
    deliver(body, &format!("t={T},v1={}", signature(T, body, SECRET)), T + 3).await
}

fn subscription(status: &str, metadata: serde_json::Value) -> serde_json::Value {
    json!({
        "id": "sub_1QxYz",
        "object": "subscription",
        "cancel_at_period_end": false,
        "created": T - 60,
        "customer": "cus_Q1",
        "ended_at": null,
        "items": {"object": "list", "data": [{
            "id": "si_1",
            "object": "subscription_item",
            "current_period_end": T + 30 * 86_400,
            "current_period_start": T,
            "price": {"id": "price_pro_month_usd", "object": "price", "currency": "usd", "unit_amount": 900},
            "quantity": 1,
        }]},
        "metadata": metadata,
        "status": status,
    })
}

fn ours() -> serde_json::Value {
    json!({"organizationId": org().to_string(), "planId": "pro"})
}

fn state(status: SubscriptionStatus, period_end: Option<i64>) -> SubscriptionState {
    SubscriptionState {
        organization_id: org(),
        plan: PlanId::Pro,
        status,
        current_period_end: period_end.map(at),
        cancel_at_period_end: false,
        provider_customer_id: Some("cus_Q1".to_owned()),
        provider_subscription_id: Some("sub_1QxYz".to_owned()),
    }
}

#[tokio::test]
async fn a_completed_checkout_activates_the_subscription_it_created() {
    let body = event(
        "evt_checkout",
        "checkout.session.completed",
        json!({
            "id": "cs_test_a1",
            "object": "checkout.session",
            "client_reference_id": org().to_string(),
            "customer": "cus_Q1",
            "customer_details": {"email": "owner@example.com"},
            "metadata": ours(),
            "mode": "subscription",
            "payment_status": "paid",
            "status": "complete",
            "subscription": "sub_1QxYz",
        }),
    );
    let event = signed(&body).await.unwrap();
    assert_eq!(event.provider, ProviderKind::Stripe);
    assert_eq!(event.event_id, "evt_checkout");
    assert_eq!(event.occurred_at, at(T - 2), "the event's `created`");
    assert_eq!(event.kind, ProviderEventKind::SubscriptionActivated(state(SubscriptionStatus::Active, None)));
}

#[tokio::test]
async fn a_payment_mode_checkout_is_ignored() {
    let body = event("evt_pay", "checkout.session.completed", json!({"mode": "payment", "metadata": {}}));
    assert!(matches!(signed(&body).await, Err(WebhookError::Ignored(_))));
}

#[tokio::test]
async fn subscription_events_carry_status_period_and_cancellation() {
    let created = event("evt_c", "customer.subscription.created", subscription("active", ours()));
    assert_eq!(
        signed(&created).await.unwrap().kind,
        ProviderEventKind::SubscriptionActivated(state(SubscriptionStatus::Active, Some(T + 30 * 86_400)))
    );

    // The pre-2025 shape: the period on the subscription itself; unpaid is past due.
    let mut old = subscription("unpaid", ours());
    old["current_period_end"] = json!(T + 5);
    old["items"] =
        json!({"object": "list", "data": [{"id": "si_1", "price": {"id": "price_pro_month_usd"}}]});
    old["cancel_at_period_end"] = json!(true);
    let updated = signed(&event("evt_u", "customer.subscription.updated", old)).await.unwrap();
    let mut expected = state(SubscriptionStatus::PastDue, Some(T + 5));
    expected.cancel_at_period_end = true;
    assert_eq!(updated.kind, ProviderEventKind::SubscriptionUpdated(expected));

    let mut ended = subscription("canceled", ours());
    ended["ended_at"] = json!(T - 2);
    let deleted = signed(&event("evt_d", "customer.subscription.deleted", ended)).await.unwrap();
    assert_eq!(
        deleted.kind,
        ProviderEventKind::SubscriptionCanceled(state(SubscriptionStatus::Canceled, Some(T - 2))),
        "an immediate cancellation ends access when it ended"
    );
}

#[tokio::test]
async fn statuses_map_to_ours() {
    for (theirs, ours_) in [
        ("trialing", SubscriptionStatus::Trialing),
        ("past_due", SubscriptionStatus::PastDue),
        ("incomplete", SubscriptionStatus::Incomplete),
        ("incomplete_expired", SubscriptionStatus::Canceled),
        ("canceled", SubscriptionStatus::Canceled),
    ] {
        let body = event("evt_s", "customer.subscription.updated", subscription(theirs, ours()));
        let ProviderEventKind::SubscriptionUpdated(s) = signed(&body).await.unwrap().kind else { panic!() };
        assert_eq!(s.status, ours_, "{theirs}");
    }
}

#[tokio::test]
async fn a_subscription_without_plan_metadata_is_known_by_its_price() {
    let body = event(
        "evt_p",
        "customer.subscription.updated",
        subscription("active", json!({"organizationId": org().to_string()})),
    );
    let ProviderEventKind::SubscriptionUpdated(s) = signed(&body).await.unwrap().kind else { panic!() };
    assert_eq!(s.plan, PlanId::Pro);
}

#[tokio::test]
async fn a_subscription_of_no_organization_is_ignored_and_a_bad_one_is_malformed() {
    let body = event("evt_x", "customer.subscription.updated", subscription("active", json!({})));
    assert!(matches!(signed(&body).await, Err(WebhookError::Ignored(_))));
    let body = event(
        "evt_y",
        "customer.subscription.updated",
        subscription("active", json!({"organizationId": "not-a-uuid", "planId": "pro"})),
    );
    assert!(matches!(signed(&body).await, Err(WebhookError::Malformed(_))));
    assert!(matches!(signed(b"{\"id\": 42}").await, Err(WebhookError::Malformed(_))));
}

#[tokio::test]
async fn a_failed_payment_names_organization_and_subscription_in_either_api_shape() {
    let expected = ProviderEventKind::PaymentFailed {
        organization_id: org(),
        provider_subscription_id: Some("sub_1QxYz".to_owned()),
    };
    let basil = json!({
        "id": "in_1", "object": "invoice", "customer": "cus_Q1", "status": "open",
        "parent": {"type": "subscription_details", "subscription_details": {"metadata": ours(), "subscription": "sub_1QxYz"}},
        "lines": {"object": "list", "data": []},
    });
    assert_eq!(signed(&event("evt_f1", "invoice.payment_failed", basil)).await.unwrap().kind, expected);
    let older = json!({
        "id": "in_2", "object": "invoice", "customer": "cus_Q1", "subscription": "sub_1QxYz",
        "subscription_details": {"metadata": ours()},
    });
    assert_eq!(signed(&event("evt_f2", "invoice.payment_failed", older)).await.unwrap().kind, expected);
    let lines_only = json!({
        "id": "in_3", "object": "invoice", "subscription": "sub_1QxYz", "subscription_details": {"metadata": null},
        "lines": {"object": "list", "data": [{"id": "il_1", "metadata": ours()}]},
    });
    assert_eq!(signed(&event("evt_f3", "invoice.payment_failed", lines_only)).await.unwrap().kind, expected);
}

#[tokio::test]
async fn other_event_types_are_ignored() {
    let body = event("evt_o", "customer.created", json!({"id": "cus_Q1", "object": "customer"}));
    assert!(matches!(signed(&body).await, Err(WebhookError::Ignored(ref t)) if t == "customer.created"));
}

#[tokio::test]
async fn signatures_are_checked_before_the_body_is_read() {
    let body = event("evt_c", "customer.subscription.created", subscription("active", ours()));
    let good = signature(T, &body, SECRET);

    let stale = deliver(&body, &format!("t={T},v1={good}"), T + 301).await;
    assert!(matches!(stale, Err(WebhookError::Signature(SignatureError::Stale))), "{stale:?}");

    let wrong = format!("t={T},v1={}", signature(T, &body, "whsec_other"));
    let wrong = deliver(&body, &wrong, T).await;
    assert!(matches!(wrong, Err(WebhookError::Signature(SignatureError::Mismatch))), "{wrong:?}");

    let mut tampered = body.clone();
    let at_ = tampered.windows(6).position(|w| w == b"active").unwrap();
    tampered[at_..at_ + 6].copy_from_slice(b"unpaid");
    let tampered = deliver(&tampered, &format!("t={T},v1={good}"), T).await;
    assert!(matches!(tampered, Err(WebhookError::Signature(SignatureError::Mismatch))), "{tampered:?}");

    let missing = provider("http://127.0.0.1:9")
        .verify_and_parse_webhook(delivery(&headers(&[]), None, &body), at(T))
        .await;
    assert!(matches!(missing, Err(WebhookError::Signature(SignatureError::Missing(_)))), "{missing:?}");

    // During a secret rotation Stripe sends one v1 per secret: any match will do.
    let rotated = format!("t={T},v1={},v1={good},v0={}", signature(T, &body, "whsec_old"), "0".repeat(64));
    assert!(deliver(&body, &rotated, T).await.is_ok());
}
