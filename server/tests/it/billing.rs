//! Billing through the real router (docs/http-api.md, "Billing"): the public plans, the free
//! start, `503 billing_not_configured` without a provider, and one end-to-end flow per provider —
//! checkout requested (the provider's API is a local server speaking its wire format) → a webhook
//! signed here, independently of the code under test → the subscription is active → the premium
//! feature (hiding the footer) opens → a cancellation webhook → it closes when the paid time ends.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use common::app::{Call, Client, Reply, TestApp};
use hmac::{KeyInit as _, Mac as _};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const STRIPE_SECRET: &str = "whsec_host_test_1";
const MP_SECRET: &str = "mp_host_secret_9";
const POLAR_SECRET: &str = "polar_whs_host_test";
const POLAR_PRO_MONTH: &str = "3f1c2a44-0000-4c2e-9a51-00000000beef";

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <hmac::Hmac<sha2_011::Sha256>>::new_from_slice(key).expect("any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// A signed-in owner of a new organization with a published page; (client, org id, page id).
async fn coach(app: &TestApp, email: &str, slug: &str) -> (Client, String, String) {
    let (client, _) = app.user(email).await;
    let org = app.organization(&client, &format!("Org {slug}"), &format!("org-{slug}")).await;
    let page = create_page(&client, slug).await;
    let page_id = id(&page);
    publish(&client, &page_id).await;
    (client, org, page_id)
}

async fn hide_branding(client: &Client, page_id: &str) -> Reply {
    client.patch(&page_path(page_id), json!({"hideBranding": true})).await
}

/// Whether the public page at `slug` shows the "Made with mibio" footer.
async fn footer_shown(app: &TestApp, slug: &str) -> bool {
    let html = app.client().get(&format!("/{slug}")).await.expect(StatusCode::OK).text();
    let json = app.client().get(&public_path(slug)).await.expect(StatusCode::OK).json();
    let shown = html.contains("<footer");
    assert_eq!(json["page"]["branding"], shown, "the JSON view agrees with the page");
    shown
}

/// The public read path trusts a cached page for a minute of real time (a plan change is not a
/// page edit, so it evicts nothing); the test edits the page, which evicts it everywhere, instead
/// of waiting.
async fn touch(client: &Client, page_id: &str) {
    patch_page(client, page_id, json!({"bio": format!("bio {}", uuid::Uuid::now_v7())})).await;
}

async fn subscription(client: &Client) -> Value {
    client.get("/api/v1/billing/subscription").await.expect(StatusCode::OK).json()
}

/// A provider's delivery: no session, no `Origin`.
async fn deliver(app: &TestApp, call: Call) -> Reply {
    app.client().send(call.without_origin()).await
}

#[tokio::test]
async fn plans_are_public_a_new_organization_is_free_and_without_a_provider_nothing_is_for_sale() {
    let app = TestApp::start().await;
    let plans = app.client().get("/api/v1/billing/plans").await.expect(StatusCode::OK).json();
    let ids: Vec<&str> =
        plans["plans"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["free", "pro", "business"]);
    let pro = &plans["plans"][1];
    assert!(
        pro["prices"]
            .as_array()
            .unwrap()
            .contains(&json!({"currency": "MXN", "interval": "month", "amountMinor": 17_900})),
        "{pro}"
    );

    let (ana, _, page) = coach(&app, "ana@example.com", "ana").await;
    let sub = subscription(&ana).await;
    assert_eq!(sub["planId"], "free");
    assert_eq!(sub["provider"], Value::Null);

    ana.post("/api/v1/billing/checkout", json!({"planId": "pro"}))
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE, "billing_not_configured");
    ana.post_empty("/api/v1/billing/portal")
        .await
        .expect_error(StatusCode::SERVICE_UNAVAILABLE, "billing_not_configured");
    let body = br#"{"id":"evt_1","type":"customer.subscription.created"}"#.to_vec();
    deliver(&app, Call::post("/webhooks/stripe").body("application/json", body.clone()))
        .await
        .expect(StatusCode::NOT_FOUND);
    deliver(&app, Call::post("/webhooks/paypal").body("application/json", body))
        .await
        .expect(StatusCode::NOT_FOUND);

    // The premium feature is closed, and asking for it changes nothing.
    hide_branding(&ana, &page).await.expect_error(StatusCode::PAYMENT_REQUIRED, "subscription_required");
    assert_eq!(get_page(&ana, &page).await["hideBranding"], false);
    assert!(footer_shown(&app, "ana").await);

    let overview = app.client().get("/api/v1/billing/subscription").await;
    overview.expect(StatusCode::UNAUTHORIZED);
}

// ---- Stripe ---------------------------------------------------------------------------------

fn stripe_env(api: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("PLATFORM_ADMIN_EMAILS", "root@example.com".to_owned()),
        ("PAYMENT_PROVIDER", "stripe".to_owned()),
        ("STRIPE_SECRET_KEY", "sk_test_host".to_owned()),
        ("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET.to_owned()),
        (
            "STRIPE_PRICES",
            "pro:month:USD=price_pro_m,pro:year:USD=price_pro_y,business:month:USD=price_biz_m".to_owned(),
        ),
        ("STRIPE_API_BASE", api.uri()),
    ]
}

async fn app_with(vars: &[(&'static str, String)]) -> TestApp {
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    TestApp::with_env(&vars).await
}

fn stripe_event(id: &str, kind: &str, created: DateTime<Utc>, object: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": id,
        "object": "event",
        "api_version": "2025-03-31.basil",
        "created": created.timestamp(),
        "data": {"object": object},
        "livemode": false,
        "type": kind,
    }))
    .unwrap()
}

fn stripe_subscription(
    org: &str,
    status: &str,
    period_end: DateTime<Utc>,
    cancel_at_period_end: bool,
) -> Value {
    json!({
        "id": "sub_host_1",
        "object": "subscription",
        "cancel_at_period_end": cancel_at_period_end,
        "customer": "cus_host_1",
        "ended_at": null,
        "items": {"object": "list", "data": [{
            "id": "si_1",
            "object": "subscription_item",
            "current_period_end": period_end.timestamp(),
            "current_period_start": (period_end - Duration::days(30)).timestamp(),
            "price": {"id": "price_pro_m", "object": "price", "currency": "usd", "unit_amount": 900},
            "quantity": 1,
        }]},
        "metadata": {"organizationId": org, "planId": "pro"},
        "status": status,
    })
}

/// `POST /webhooks/stripe` signed with `secret` at `t` (Stripe's scheme: `t=…,v1=hex(HMAC(t.body))`).
fn stripe_call(body: &[u8], secret: &str, t: DateTime<Utc>) -> Call {
    let mut signed = format!("{}.", t.timestamp()).into_bytes();
    signed.extend_from_slice(body);
    let v1 = hex::encode(hmac_sha256(secret.as_bytes(), &signed));
    Call::post("/webhooks/stripe")
        .body("application/json", body.to_vec())
        .header("Stripe-Signature", &format!("t={},v1={v1}", t.timestamp()))
}

#[tokio::test]
async fn stripe_checkout_webhook_premium_and_cancellation_end_to_end() {
    let stripe = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/checkout/sessions"))
        .and(header("authorization", "Bearer sk_test_host"))
        .and(body_string_contains("mode=subscription"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "cs_test_host", "object": "checkout.session", "url": "https://checkout.stripe.com/c/pay/cs_test_host"
        })))
        .expect(1)
        .mount(&stripe)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/billing_portal/sessions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "bps_1", "object": "billing_portal.session", "url": "https://billing.stripe.com/p/session/bps_1"
        })))
        .mount(&stripe)
        .await;
    let app = app_with(&stripe_env(&stripe)).await;
    let (ana, org, page) = coach(&app, "ana@example.com", "ana").await;

    // No billing account yet: nothing to manage.
    ana.post_empty("/api/v1/billing/portal").await.expect_error(StatusCode::CONFLICT, "no_billing_account");

    // Checkout: the organization and plan ride on the subscription's own metadata.
    let redirect =
        ana.post("/api/v1/billing/checkout", json!({"planId": "pro"})).await.expect(StatusCode::OK).json();
    assert_eq!(redirect, json!({"url": "https://checkout.stripe.com/c/pay/cs_test_host"}));
    let sent = &stripe.received_requests().await.unwrap()[0];
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&sent.body).into_owned().collect();
    assert!(form.contains(&("subscription_data[metadata][organizationId]".into(), org.clone())), "{form:?}");
    assert!(form.contains(&("subscription_data[metadata][planId]".into(), "pro".into())), "{form:?}");
    assert!(form.contains(&("line_items[0][price]".into(), "price_pro_m".into())), "{form:?}");
    assert!(form.contains(&("customer_email".into(), "ana@example.com".into())), "{form:?}");

    // The provider tells us: active until a month from now.
    let now = app.now();
    let period_end = now + Duration::days(30);
    let created = stripe_event(
        "evt_created",
        "customer.subscription.created",
        now,
        stripe_subscription(&org, "active", period_end, false),
    );
    // A bad signature changes nothing.
    deliver(&app, stripe_call(&created, "whsec_wrong", now))
        .await
        .expect_error(StatusCode::BAD_REQUEST, "bad_request");
    deliver(&app, stripe_call(&created, STRIPE_SECRET, now - Duration::minutes(6)))
        .await
        .expect_error(StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(subscription(&ana).await["planId"], "free");

    let reply = deliver(&app, stripe_call(&created, STRIPE_SECRET, now)).await.expect(StatusCode::OK).json();
    assert_eq!(reply, json!({"received": true, "outcome": "applied"}));
    let replay = deliver(&app, stripe_call(&created, STRIPE_SECRET, now)).await.expect(StatusCode::OK).json();
    assert_eq!(replay["outcome"], "duplicate");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'subscription.activated'")
            .await,
        1,
        "one effect"
    );

    let sub = subscription(&ana).await;
    assert_eq!(sub["planId"], "pro");
    assert_eq!(sub["status"], "active");
    assert_eq!(sub["provider"], "stripe");
    assert_eq!(instant(&sub["currentPeriodEnd"]), period_end);

    // The platform console shows the real subscription.
    let (admin, _) = app.user("root@example.com").await;
    let overview = admin.get("/api/v1/platform/overview").await.expect(StatusCode::OK).json();
    assert_eq!(overview["subscriptionsByStatus"], json!({"active": 1}));
    let orgs = admin.get("/api/v1/platform/organizations").await.expect(StatusCode::OK).json();
    let listed = orgs["items"].as_array().unwrap().iter().find(|o| o["id"] == org.as_str()).unwrap().clone();
    assert_eq!((listed["plan"].as_str(), listed["subscription"].as_str()), (Some("pro"), Some("active")));

    // The premium feature opens, and visitors stop seeing the footer.
    assert_eq!(hide_branding(&ana, &page).await.expect(StatusCode::OK).json()["hideBranding"], true);
    assert!(!footer_shown(&app, "ana").await);

    // Running subscriptions are changed in the portal, not checked out again.
    ana.post("/api/v1/billing/checkout", json!({"planId": "business"}))
        .await
        .expect_conflict("already_subscribed");
    let portal = ana.post_empty("/api/v1/billing/portal").await.expect(StatusCode::OK).json();
    assert_eq!(portal["url"], "https://billing.stripe.com/p/session/bps_1");

    // Canceled at period end: still paid for until then.
    let later = now + Duration::minutes(1);
    let canceling = stripe_event(
        "evt_cancel_at_end",
        "customer.subscription.updated",
        later,
        stripe_subscription(&org, "active", period_end, true),
    );
    deliver(&app, stripe_call(&canceling, STRIPE_SECRET, now)).await.expect(StatusCode::OK);
    // An older event arriving late does not undo it.
    let late = stripe_event(
        "evt_late",
        "customer.subscription.updated",
        now - Duration::minutes(1),
        stripe_subscription(&org, "past_due", period_end, false),
    );
    let stale = deliver(&app, stripe_call(&late, STRIPE_SECRET, now)).await.expect(StatusCode::OK).json();
    assert_eq!(stale["outcome"], "stale");
    let sub = subscription(&ana).await;
    assert_eq!((sub["status"].as_str(), sub["cancelAtPeriodEnd"].as_bool()), (Some("active"), Some(true)));
    touch(&ana, &page).await;
    assert!(!footer_shown(&app, "ana").await, "paid time is left");

    // The period ends: Stripe deletes the subscription, the footer comes back.
    app.clock.advance(Duration::days(31));
    let ended = app.now();
    let deleted = stripe_event(
        "evt_deleted",
        "customer.subscription.deleted",
        ended,
        json!({
            "id": "sub_host_1", "object": "subscription", "cancel_at_period_end": false, "customer": "cus_host_1",
            "ended_at": period_end.timestamp(), "status": "canceled",
            "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item",
                "current_period_end": period_end.timestamp(), "price": {"id": "price_pro_m"}}]},
            "metadata": {"organizationId": org, "planId": "pro"},
        }),
    );
    deliver(&app, stripe_call(&deleted, STRIPE_SECRET, ended)).await.expect(StatusCode::OK);
    assert_eq!(subscription(&ana).await["status"], "canceled");
    touch(&ana, &page).await;
    assert!(footer_shown(&app, "ana").await, "the plan ended");
    // The owner's wish is kept, but turning it on again needs a plan.
    patch_page(&ana, &page, json!({"hideBranding": false})).await;
    hide_branding(&ana, &page).await.expect_error(StatusCode::PAYMENT_REQUIRED, "subscription_required");
}

#[tokio::test]
async fn checkout_refuses_what_is_not_for_sale_naming_the_field() {
    let stripe = MockServer::start().await;
    let app = app_with(&stripe_env(&stripe)).await;
    let (ana, _, _) = coach(&app, "ana@example.com", "ana").await;
    let invalid = |reply: Reply, field: &str| {
        let body = reply.expect(StatusCode::BAD_REQUEST).json();
        assert_eq!(body["error"]["code"], "validation", "{body}");
        assert!(body["error"]["fields"].get(field).is_some(), "{field} in {body}");
    };
    invalid(ana.post("/api/v1/billing/checkout", json!({"planId": "free"})).await, "planId");
    invalid(ana.post("/api/v1/billing/checkout", json!({"planId": "gold"})).await, "planId");
    // Business has no yearly Stripe price here.
    invalid(
        ana.post("/api/v1/billing/checkout", json!({"planId": "business", "interval": "year"})).await,
        "interval",
    );
    invalid(
        ana.post("/api/v1/billing/checkout", json!({"planId": "pro", "currency": "BRL"})).await,
        "currency",
    );
    invalid(ana.post("/api/v1/billing/checkout", json!({"planId": "pro", "coupon": "FREE"})).await, "coupon");
    assert!(stripe.received_requests().await.unwrap().is_empty(), "Stripe was never asked");

    // Billing is the owner's: an editor may not start a checkout.
    let editor = member(&app, &ana, "eve@example.com", "editor").await;
    editor.post("/api/v1/billing/checkout", json!({"planId": "pro"})).await.expect(StatusCode::FORBIDDEN);

    // A plan the provider has no price for at all is named, with the plans that are for sale.
    let mut env = stripe_env(&stripe);
    env.retain(|(k, _)| *k != "STRIPE_PRICES");
    env.push(("STRIPE_PRICES", "pro:month:USD=price_pro_m".to_owned()));
    let only_pro = app_with(&env).await;
    let (bea, _, _) = coach(&only_pro, "bea@example.com", "bea").await;
    let body = bea
        .post("/api/v1/billing/checkout", json!({"planId": "business"}))
        .await
        .expect(StatusCode::BAD_REQUEST)
        .json();
    assert_eq!(body["error"]["problems"]["planId"], json!({"code": "one_of", "choices": ["pro"]}), "{body}");
}

// ---- Mercado Pago ---------------------------------------------------------------------------

/// `POST /webhooks/mercadopago?data.id=…&type=subscription_preapproval`, signed as Mercado Pago
/// does: `x-signature: ts=…,v1=hex(HMAC(id:{data.id};request-id:{x-request-id};ts:{ts};))`.
fn mercadopago_call(preapproval: &str, request_id: &str, notification: i64, ts: DateTime<Utc>) -> Call {
    mercadopago_call_as(preapproval, preapproval, request_id, notification, ts)
}

/// Like [`mercadopago_call`], but signed for `signed_id` while the query names `preapproval`.
fn mercadopago_call_as(
    preapproval: &str,
    signed_id: &str,
    request_id: &str,
    notification: i64,
    ts: DateTime<Utc>,
) -> Call {
    let manifest = format!("id:{signed_id};request-id:{request_id};ts:{};", ts.timestamp_millis());
    let v1 = hex::encode(hmac_sha256(MP_SECRET.as_bytes(), manifest.as_bytes()));
    let body = serde_json::to_vec(&json!({
        "id": notification, "action": "updated", "api_version": "v1", "live_mode": false,
        "type": "subscription_preapproval", "data": {"id": preapproval},
        "date_created": ts.to_rfc3339(),
    }))
    .unwrap();
    Call::post(&format!("/webhooks/mercadopago?data.id={preapproval}&type=subscription_preapproval"))
        .body("application/json", body)
        .header("x-signature", &format!("ts={},v1={v1}", ts.timestamp_millis()))
        .header("x-request-id", request_id)
}

async fn serve_preapproval(
    mp: &MockServer,
    id: &str,
    org: &str,
    status: &str,
    modified: DateTime<Utc>,
    next: DateTime<Utc>,
) {
    mp.reset().await;
    Mock::given(method("GET"))
        .and(path(format!("/preapproval/{id}")))
        .and(header("authorization", "Bearer APP_USR-host"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": id, "payer_id": 555_001, "status": status, "reason": "mibio Pro",
            "external_reference": format!("{org}:pro"),
            "date_created": (modified - Duration::days(1)).to_rfc3339(),
            "last_modified": modified.to_rfc3339(),
            "auto_recurring": {"frequency": 1, "frequency_type": "months", "transaction_amount": 179, "currency_id": "MXN"},
            "next_payment_date": next.to_rfc3339(),
        })))
        .mount(mp)
        .await;
}

#[tokio::test]
async fn mercadopago_checkout_webhook_premium_and_cancellation_end_to_end() {
    let mp = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/preapproval"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "2c9380847e0000000000000000000001", "status": "pending",
            "init_point": "https://www.mercadopago.com.mx/subscriptions/checkout?preapproval_id=2c9380847e0000000000000000000001"
        })))
        .mount(&mp)
        .await;
    let app = app_with(&[
        ("PAYMENT_PROVIDER", "mercadopago".to_owned()),
        ("MERCADOPAGO_ACCESS_TOKEN", "APP_USR-host".to_owned()),
        ("MERCADOPAGO_WEBHOOK_SECRET", MP_SECRET.to_owned()),
        ("MERCADOPAGO_CURRENCIES", "MXN".to_owned()),
        ("MERCADOPAGO_API_BASE", mp.uri()),
    ])
    .await;
    let (ana, org, page) = coach(&app, "ana@example.com", "ana").await;

    // Mercado Pago charges this account in pesos only.
    ana.post("/api/v1/billing/checkout", json!({"planId": "pro"})).await.expect(StatusCode::BAD_REQUEST);
    let redirect = ana
        .post("/api/v1/billing/checkout", json!({"planId": "pro", "currency": "MXN"}))
        .await
        .expect(StatusCode::OK)
        .json();
    assert!(
        redirect["url"]
            .as_str()
            .unwrap()
            .starts_with("https://www.mercadopago.com.mx/subscriptions/checkout")
    );
    let sent: Value = serde_json::from_slice(&mp.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent["external_reference"], format!("{org}:pro"));
    assert_eq!(sent["auto_recurring"]["currency_id"], "MXN");
    assert_eq!(sent["auto_recurring"]["transaction_amount"], 179.0);

    let preapproval = "2c9380847e0000000000000000000001";
    let now = app.now();
    let next = now + Duration::days(30);
    serve_preapproval(&mp, preapproval, &org, "authorized", now, next).await;
    // A tampered data.id (another preapproval's) does not verify.
    let forged = mercadopago_call_as("2c93808400000000000000000000ffff", preapproval, "req-1", 1001, now);
    deliver(&app, forged).await.expect(StatusCode::BAD_REQUEST);
    let reply =
        deliver(&app, mercadopago_call(preapproval, "req-1", 1001, now)).await.expect(StatusCode::OK).json();
    assert_eq!(reply["outcome"], "applied");
    let sub = subscription(&ana).await;
    assert_eq!((sub["planId"].as_str(), sub["status"].as_str()), (Some("pro"), Some("active")));
    assert_eq!(sub["provider"], "mercadopago");
    hide_branding(&ana, &page).await.expect(StatusCode::OK);
    assert!(!footer_shown(&app, "ana").await);

    // Cancelled: paid until the next payment date, then closed.
    let later = now + Duration::minutes(5);
    serve_preapproval(&mp, preapproval, &org, "cancelled", later, next).await;
    app.clock.advance(Duration::minutes(5));
    deliver(&app, mercadopago_call(preapproval, "req-2", 1002, app.now())).await.expect(StatusCode::OK);
    assert_eq!(subscription(&ana).await["status"], "canceled");
    patch_page(&ana, &page, json!({"hideBranding": false})).await;
    hide_branding(&ana, &page).await.expect(StatusCode::OK);
    app.clock.advance(Duration::days(31));
    touch(&ana, &page).await;
    assert!(footer_shown(&app, "ana").await, "the paid time is over");
}

// ---- Polar ----------------------------------------------------------------------------------

fn polar_call(id: &str, ts: DateTime<Utc>, body: &[u8]) -> Call {
    let mut signed = format!("{id}.{}.", ts.timestamp()).into_bytes();
    signed.extend_from_slice(body);
    let signature =
        base64::engine::general_purpose::STANDARD.encode(hmac_sha256(POLAR_SECRET.as_bytes(), &signed));
    Call::post("/webhooks/polar")
        .body("application/json", body.to_vec())
        .header("webhook-id", id)
        .header("webhook-timestamp", &ts.timestamp().to_string())
        .header("webhook-signature", &format!("v1,{signature}"))
}

fn polar_event(
    kind: &str,
    org: &str,
    status: &str,
    modified: DateTime<Utc>,
    period_end: DateTime<Utc>,
    cancel: bool,
) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": kind,
        "timestamp": modified.to_rfc3339(),
        "data": {
            "id": "sub_polar_1", "status": status, "modified_at": modified.to_rfc3339(),
            "created_at": (modified - Duration::days(1)).to_rfc3339(),
            "current_period_start": (period_end - Duration::days(30)).to_rfc3339(),
            "current_period_end": period_end.to_rfc3339(),
            "cancel_at_period_end": cancel, "ended_at": null, "recurring_interval": "month",
            "customer_id": "cust_polar_1", "product_id": POLAR_PRO_MONTH,
            "metadata": {"organizationId": org, "planId": "pro"},
            "customer": {"id": "cust_polar_1", "external_id": org},
        },
    }))
    .unwrap()
}

#[tokio::test]
async fn polar_checkout_webhook_premium_and_cancellation_end_to_end() {
    let polar = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/checkouts/"))
        .and(header("authorization", "Bearer polar_oat_host"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "chk_1", "url": "https://buy.polar.sh/polar_c_host", "status": "open"
        })))
        .mount(&polar)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/customer-sessions/"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "cs_1", "token": "polar_cst_1", "customer_portal_url": "https://polar.sh/acme/portal?customer_session_token=polar_cst_1"
        })))
        .mount(&polar)
        .await;
    let app = app_with(&[
        ("PAYMENT_PROVIDER", "polar".to_owned()),
        ("POLAR_ACCESS_TOKEN", "polar_oat_host".to_owned()),
        ("POLAR_WEBHOOK_SECRET", POLAR_SECRET.to_owned()),
        ("POLAR_PRODUCTS", format!("pro:month={POLAR_PRO_MONTH}")),
        ("POLAR_API_BASE", polar.uri()),
    ])
    .await;
    let (ana, org, page) = coach(&app, "ana@example.com", "ana").await;

    let redirect =
        ana.post("/api/v1/billing/checkout", json!({"planId": "pro"})).await.expect(StatusCode::OK).json();
    assert_eq!(redirect["url"], "https://buy.polar.sh/polar_c_host");
    let sent: Value = serde_json::from_slice(&polar.received_requests().await.unwrap()[0].body).unwrap();
    assert_eq!(sent["products"], json!([POLAR_PRO_MONTH]));
    assert_eq!(sent["metadata"]["organizationId"], org);

    let now = app.now();
    let period_end = now + Duration::days(30);
    let active = polar_event("subscription.active", &org, "active", now, period_end, false);
    // The secret must match and the body must be the one signed.
    let mut tampered = active.clone();
    tampered.extend_from_slice(b" ");
    let mut call = polar_call("msg_1", now, &active);
    call = call.body("application/json", tampered);
    deliver(&app, call).await.expect(StatusCode::BAD_REQUEST);
    deliver(&app, polar_call("msg_1", now, &active)).await.expect(StatusCode::OK);
    let again = deliver(&app, polar_call("msg_1", now, &active)).await.expect(StatusCode::OK).json();
    assert_eq!(again["outcome"], "duplicate");
    let sub = subscription(&ana).await;
    assert_eq!((sub["planId"].as_str(), sub["status"].as_str()), (Some("pro"), Some("active")));
    hide_branding(&ana, &page).await.expect(StatusCode::OK);
    let portal = ana.post_empty("/api/v1/billing/portal").await.expect(StatusCode::OK).json();
    assert!(portal["url"].as_str().unwrap().contains("customer_session_token"));

    // Canceled at period end: open until then, closed after.
    let later = now + Duration::minutes(2);
    let canceled = polar_event("subscription.canceled", &org, "active", later, period_end, true);
    deliver(&app, polar_call("msg_2", now, &canceled)).await.expect(StatusCode::OK);
    assert_eq!(subscription(&ana).await["cancelAtPeriodEnd"], true);
    touch(&ana, &page).await;
    assert!(!footer_shown(&app, "ana").await);
    app.clock.advance(Duration::days(31));
    touch(&ana, &page).await;
    assert!(footer_shown(&app, "ana").await, "set to cancel and the period is over");
    // Polar revokes it at the end.
    let ended = app.now();
    let revoked = polar_event("subscription.revoked", &org, "canceled", ended, period_end, false);
    deliver(&app, polar_call("msg_3", ended, &revoked)).await.expect(StatusCode::OK);
    assert_eq!(subscription(&ana).await["status"], "canceled");
    patch_page(&ana, &page, json!({"hideBranding": false})).await;
    hide_branding(&ana, &page).await.expect_error(StatusCode::PAYMENT_REQUIRED, "subscription_required");

    // The console counts subscriptions by status.
    assert_eq!(
        app.count("SELECT count(*) AS n FROM billing.subscriptions WHERE provider = 'polar'").await,
        1
    );
}

#[tokio::test]
async fn a_verified_event_for_an_organization_that_is_gone_is_acknowledged() {
    let stripe = MockServer::start().await;
    let app = app_with(&stripe_env(&stripe)).await;
    let now = app.now();
    let body = stripe_event(
        "evt_ghost",
        "customer.subscription.created",
        now,
        stripe_subscription(&uuid::Uuid::now_v7().to_string(), "active", now + Duration::days(30), false),
    );
    let reply = deliver(&app, stripe_call(&body, STRIPE_SECRET, now)).await.expect(StatusCode::OK).json();
    assert_eq!(reply["outcome"], "unknown_organization");
    assert_eq!(app.count("SELECT count(*) AS n FROM billing.subscriptions").await, 0);
}
