//! Notifications through the real router (docs/http-api.md, "Notifications"): a lead left on a
//! public page becomes an in-app notification for every member who may read leads, in their own
//! language, which they list, count and mark read (only their own); email preferences; the
//! emails' unsubscribe page, which asks before it acts and works once; the welcome email, sent by
//! the `emails.send` job after sign-up; and a failed payment, told to those who manage billing.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Call, Client, TestApp, link_to, token_of};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const LIST: &str = "/api/v1/notifications";
const COUNT: &str = "/api/v1/notifications/unread-count";
const READ_ALL: &str = "/api/v1/notifications/read-all";
const PREFERENCES: &str = "/api/v1/notifications/preferences";
const UNSUBSCRIBE: &str = "/notifications/unsubscribe";
const FORM: &str = "application/x-www-form-urlencoded";

async fn unread(client: &Client) -> i64 {
    let reply = client.get(COUNT).await.expect(StatusCode::OK).json();
    reply["unread"].as_i64().unwrap_or_else(|| panic!("no unread count in {reply}"))
}

async fn items(client: &Client, query: &str) -> Vec<Value> {
    let reply = client.get(&format!("{LIST}{query}")).await.expect(StatusCode::OK).json();
    reply["items"].as_array().unwrap_or_else(|| panic!("no items in {reply}")).clone()
}

/// Ana owns `ana-coach`'s organization and its published page with a lead form; (ana, org id,
/// page id, block id).
async fn coach(app: &TestApp) -> (Client, String, String, String) {
    let (ana, _) = app.user("ana@example.com").await;
    let org = app.organization(&ana, "Ana Coaching", "ana-org").await;
    let (page, block) = published_with_form(&ana, "ana-coach", lead_form("Newsletter")).await;
    (ana, org, page, block)
}

#[tokio::test]
async fn a_lead_notifies_each_member_who_reads_leads_in_their_language() {
    let app = TestApp::start().await;
    let (ana, org, page, block) = coach(&app).await;
    let bea = member(&app, &ana, "bea@example.com", "editor").await;
    bea.patch("/api/v1/me", json!({"locale": "es"})).await.expect(StatusCode::OK);
    let carl = member(&app, &ana, "carl@example.com", "viewer").await;
    assert_eq!(unread(&ana).await, 0);

    lead(&app.client(), &block, "lea@example.com", Some("Lea")).await;
    app.dispatch_events().await;

    assert_eq!((unread(&ana).await, unread(&bea).await, unread(&carl).await), (1, 1, 0));
    let listed = ana.get(LIST).await.expect(StatusCode::OK).json();
    assert_eq!(listed["nextCursor"], Value::Null);
    let [notification] = listed["items"].as_array().unwrap().as_slice() else { panic!("one item: {listed}") };
    assert_eq!(notification["kind"], "lead_captured");
    assert_eq!(notification["title"], "New lead on “Page ana-coach”");
    assert_eq!(notification["body"], "Someone left their email on your page /ana-coach.");
    assert_eq!(notification["link"], format!("/dashboard/pages/{page}/leads"));
    assert_eq!(notification["organizationId"], org.as_str());
    assert_eq!(notification["read"], false);
    assert!(!listed.to_string().contains("lea@example.com"), "the lead's address stays in links");
    let in_spanish = items(&bea, "").await;
    assert_eq!(in_spanish[0]["title"], "Nuevo contacto en «Page ana-coach»");
    assert!(items(&carl, "").await.is_empty());
    // The older form of the contract lists the same.
    let me = ana.get("/api/v1/me/notifications?unread=true").await.expect(StatusCode::OK).json();
    assert_eq!(me["items"][0]["id"], notification["id"]);

    // Ana reads hers; Bea's stays unread.
    let id = notification["id"].as_str().unwrap();
    ana.post_empty(&format!("{LIST}/{id}/read")).await.expect(StatusCode::NO_CONTENT);
    ana.post_empty(&format!("{LIST}/{id}/read")).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(unread(&ana).await, 0);
    assert_eq!(items(&ana, "").await[0]["read"], true);
    assert!(items(&ana, "?unread=true").await.is_empty());
    assert_eq!(unread(&bea).await, 1);
}

#[tokio::test]
async fn nobody_reads_or_marks_another_users_notifications() {
    let app = TestApp::start().await;
    let (ana, _, _, block) = coach(&app).await;
    let bea = member(&app, &ana, "bea@example.com", "editor").await;
    lead(&app.client(), &block, "lea@example.com", None).await;
    app.dispatch_events().await;
    let beas = items(&bea, "").await[0]["id"].as_str().unwrap().to_owned();

    ana.post_empty(&format!("{LIST}/{beas}/read")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    ana.post_empty(&format!("{LIST}/not-a-uuid/read")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    let stranger = uuid::Uuid::now_v7();
    ana.post_empty(&format!("{LIST}/{stranger}/read")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(unread(&bea).await, 1);

    // Marking all read touches only the caller's.
    let marked = ana.post_empty(READ_ALL).await.expect(StatusCode::OK).json();
    assert_eq!(marked, json!({"marked": 1}));
    assert_eq!(unread(&bea).await, 1);
    assert_eq!(bea.post_empty(READ_ALL).await.expect(StatusCode::OK).json(), json!({"marked": 1}));
    assert_eq!(bea.post_empty(READ_ALL).await.expect(StatusCode::OK).json(), json!({"marked": 0}));
    bea.post_empty("/api/v1/me/notifications/read-all").await.expect(StatusCode::NO_CONTENT);

    // Signed out: 401; a bad filter names itself; a cross-site POST is refused.
    let visitor = app.client();
    visitor.get(LIST).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    visitor.get(COUNT).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    ana.get(&format!("{LIST}?unread=maybe")).await.expect_invalid("unread");
    ana.get(&format!("{LIST}?limit=0")).await.expect_invalid("limit");
    ana.send(Call::post(READ_ALL).without_origin().header("origin", "https://evil.example"))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn email_preferences_round_trip_and_essential_emails_stay_on() {
    let app = TestApp::start().await;
    let (ana, _) = app.user("ana@example.com").await;
    let put = |kind: &str, body: Value| {
        let ana = ana.clone();
        let path = format!("{PREFERENCES}/{kind}");
        async move { ana.send(Call::new(axum::http::Method::PUT, &path).json(&body)).await }
    };

    let listed = ana.get(PREFERENCES).await.expect(StatusCode::OK).json();
    assert_eq!(listed, json!([{"kind": "lead_captured", "email": true}]));
    let saved = put("lead_captured", json!({"email": false})).await.expect(StatusCode::OK).json();
    assert_eq!(saved, json!({"kind": "lead_captured", "email": false}));
    let listed = ana.get(PREFERENCES).await.expect(StatusCode::OK).json();
    assert_eq!(listed, json!([{"kind": "lead_captured", "email": false}]));
    put("lead_captured", json!({"email": true})).await.expect(StatusCode::OK);
    assert_eq!(ana.get(PREFERENCES).await.json()[0]["email"], true);

    put("payment_failed", json!({"email": false})).await.expect_invalid("kind");
    put("quota_exceeded", json!({"email": false})).await.expect_invalid("kind");
    put("welcome", json!({"email": false})).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    put("lead_captured", json!({"email": false, "sms": true})).await.expect(StatusCode::BAD_REQUEST);
    app.client().get(PREFERENCES).await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

/// The unsubscribe link of the lead digest mailed to `address` (after the digest's minute).
async fn unsubscribe_link(app: &TestApp, address: &str) -> String {
    app.dispatch_events().await;
    app.run_jobs_due_by(chrono::Utc::now() + TimeDelta::minutes(2)).await;
    let mail = app.mail_to(address, 0).await;
    assert_eq!(mail.subject().as_deref(), Some("New lead on “Page ana-coach”"));
    let link = link_to(&mail, UNSUBSCRIBE);
    format!("{UNSUBSCRIBE}?token={}", token_of(&link))
}

#[tokio::test]
async fn the_unsubscribe_link_asks_first_then_works_once() {
    let app = TestApp::start().await;
    let (ana, _, _, block) = coach(&app).await;
    lead(&app.client(), &block, "lea@example.com", None).await;
    let link = unsubscribe_link(&app, "ana@example.com").await;
    let token = link.split_once("token=").unwrap().1.to_owned();

    // Opening it (no session: a mail scanner, or the coach on their phone) only asks.
    let visitor = app.client();
    for _ in 0..2 {
        let page = visitor.send(Call::get(&link).header("accept-language", "es-AR,es;q=0.9")).await;
        let html = page.expect(StatusCode::OK).text();
        assert!(html.contains("¿Dejar de recibir estos correos?"), "{html}");
        assert!(html.contains("los avisos de nuevos contactos"), "{html}");
        assert!(html.contains(r#"method="post""#) && html.contains(&token), "{html}");
    }
    let english =
        visitor.send(Call::get(&link).header("accept-language", "en-US")).await.expect(StatusCode::OK);
    assert!(english.text().contains("Stop these emails?"), "{}", english.text());
    assert_eq!(english.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(ana.get(PREFERENCES).await.json()[0]["email"], true, "a GET changes nothing");

    // The button posts the token back, from the page itself (no session, no Origin needed).
    let post = |body: String| {
        Call::post(UNSUBSCRIBE).body(FORM, body).without_origin().header("accept-language", "en")
    };
    let done = visitor.send(post(format!("token={token}"))).await.expect(StatusCode::OK);
    assert!(
        done.text().contains("You won&#x27;t get emails about new leads any more")
            || done.text().contains("You won't get emails about new leads any more"),
        "{}",
        done.text()
    );
    assert_eq!(ana.get(PREFERENCES).await.json()[0]["email"], false);

    // Used once: the same link, again or forged, is no longer valid.
    let again = visitor.send(post(format!("token={token}"))).await.expect(StatusCode::BAD_REQUEST);
    assert!(again.text().contains("This link is no longer valid"), "{}", again.text());
    let html = visitor
        .send(Call::get(&link).header("accept-language", "en"))
        .await
        .expect(StatusCode::BAD_REQUEST)
        .text();
    assert!(html.contains("This link is no longer valid") && !html.contains("<form"), "{html}");
    visitor.get(&format!("{UNSUBSCRIBE}?token=forged")).await.expect(StatusCode::BAD_REQUEST);
    visitor.get(UNSUBSCRIBE).await.expect(StatusCode::BAD_REQUEST);
    // Not subject to the session's origin check, even from a browser that has a session.
    ana.send(post("token=forged".to_owned()).header("origin", "https://mail.example"))
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert_eq!(ana.get(PREFERENCES).await.json()[0]["email"], false);
}

#[tokio::test]
async fn the_welcome_email_is_sent_by_the_job_after_sign_up() {
    let app = TestApp::start().await;
    app.sign_up("nina@example.com", "Nina").await.expect(StatusCode::CREATED);
    let verification = app.mail_to("nina@example.com", 0).await;
    assert_ne!(verification.subject().as_deref(), Some("Welcome to mibio"));

    app.dispatch_events().await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM kernel.jobs WHERE name = 'emails.send' AND state = 'queued'")
            .await,
        1,
        "the subscriber enqueued the email; nothing is sent from the request or the dispatcher"
    );
    app.run_due_jobs().await;
    let welcome = app.mail_to("nina@example.com", 1).await;
    assert_eq!(welcome.subject().as_deref(), Some("Welcome to mibio"));
    let text = welcome.text_body().unwrap_or_default();
    assert!(text.contains("Nina") && text.contains("/dashboard/pages"), "{text}");
    // Delivered once, however often the event is dispatched again.
    app.dispatch_events().await;
    app.run_due_jobs().await;
    app.assert_mail_count(2).await;
}

#[tokio::test]
async fn a_failed_payment_is_told_to_those_who_manage_billing() {
    let app = TestApp::start().await;
    let (ana, org, _, _) = coach(&app).await;
    let bea = member(&app, &ana, "bea@example.com", "editor").await;
    // As billing records it when the provider reports a failed renewal.
    app.execute(&format!(
        "INSERT INTO kernel.outbox (event_id, event_type, producer, schema_version, occurred_at, payload) \
         VALUES (gen_random_uuid(), 'payment.failed', 'billing', 1, now(), \
         '{{\"organizationId\": \"{org}\", \"provider\": \"stripe\", \"providerSubscriptionId\": \"sub_1\", \
         \"providerEventId\": \"evt_1\"}}')"
    ))
    .await;
    app.dispatch_events().await;

    let [failed] = items(&ana, "").await.try_into().unwrap_or_else(|v| panic!("one: {v:?}"));
    assert_eq!(failed["kind"], "payment_failed");
    assert_eq!(failed["title"], "Your payment failed");
    assert!(failed["body"].as_str().unwrap().contains("“Ana Coaching”"), "{failed}");
    assert_eq!(failed["link"], "/dashboard/billing");
    assert_eq!(unread(&bea).await, 0, "an editor does not manage billing");
    app.run_due_jobs().await;
    let mail = app.mail_to("ana@example.com", 0).await;
    assert!(mail.text_body().unwrap_or_default().contains("/dashboard/billing"), "{:?}", mail.text_body());
    assert!(
        app.mails_to("bea@example.com")
            .iter()
            .all(|m| !m.text_body().unwrap_or_default().contains("billing"))
    );
}
