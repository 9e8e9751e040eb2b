//! Usage quotas through the real router (docs/http-api.md, "Billing" and "Usage"): with
//! `USAGE_METERING_ENABLED=true` a free organization past its page cap gets `402 quota_exceeded`
//! and nothing is created, a paid plan lifts the cap, a deleted page frees its place; lead capture
//! past the monthly cap still answers the visitor with success and stores the lead, flagged, and
//! the owners are told once; with metering off nothing is enforced. `GET /api/v1/usage` shows it.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use chrono::{Datelike as _, TimeZone as _, Utc};
use common::app::{Client, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ON: &[(&str, &str)] = &[("USAGE_METERING_ENABLED", "true")];

/// A signed-in owner of a new organization; (client, organization id).
async fn owner_of(app: &TestApp, email: &str, slug: &str) -> (Client, String) {
    let (client, _) = app.user(email).await;
    let org = app.organization(&client, &format!("Org {slug}"), slug).await;
    (client, org)
}

async fn pages_in(app: &TestApp, org: &str) -> i64 {
    app.count(&format!("SELECT count(*) AS n FROM links.pages WHERE organization_id = '{org}'")).await
}

/// The meter `key` of `GET /api/v1/usage`.
fn meter<'a>(usage: &'a Value, key: &str) -> &'a Value {
    usage["meters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["meter"] == key)
        .unwrap_or_else(|| panic!("no {key} in {usage}"))
}

#[tokio::test]
async fn a_free_organization_past_its_page_cap_gets_402_and_nothing_is_created() {
    let app = TestApp::with_env(ON).await;
    let (ana, org) = owner_of(&app, "ana@example.com", "org-ana").await;
    let first = create_page(&ana, "ana-one").await;

    let reply = try_create_page(&ana, json!({"slug": "ana-two", "title": "Two"}))
        .await
        .expect_error(StatusCode::PAYMENT_REQUIRED, "quota_exceeded");
    let error = &reply.json()["error"];
    assert_eq!(
        error["problems"]["pages_created"],
        json!({"code": "quota_exceeded", "meter": "pages_created", "limit": 1})
    );
    assert_eq!(pages_in(&app, &org).await, 1, "nothing created");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'page.created'").await,
        1
    );

    let usage = ana.get("/api/v1/usage").await.expect(StatusCode::OK).json();
    assert_eq!(usage["planId"], "free");
    assert_eq!(usage["enforced"], true);
    assert_eq!(meter(&usage, "pages_created")["used"], 1);
    assert_eq!(meter(&usage, "pages_created")["limit"], 1);

    // Deleting the page gives its place back.
    ana.delete(&page_path(&id(&first))).await.expect(StatusCode::NO_CONTENT);
    create_page(&ana, "ana-three").await;
    assert_eq!(pages_in(&app, &org).await, 1);
}

#[tokio::test]
async fn a_paid_plan_lifts_the_page_cap() {
    let app = TestApp::with_env(ON).await;
    let (ana, org) = owner_of(&app, "ana@example.com", "org-ana").await;
    app.execute(&format!(
        "INSERT INTO billing.subscriptions (id, organization_id, plan, status, provider, last_event_at, created_at, updated_at) \
         VALUES (gen_random_uuid(), '{org}', 'pro', 'active', 'stripe', now(), now(), now())"
    ))
    .await;
    for slug in ["ana-one", "ana-two", "ana-three"] {
        create_page(&ana, slug).await;
    }
    let usage = ana.get("/api/v1/usage").await.expect(StatusCode::OK).json();
    assert_eq!(usage["planId"], "pro");
    assert_eq!(meter(&usage, "pages_created")["used"], 3);
    assert_eq!(meter(&usage, "pages_created")["limit"], 10);
}

#[tokio::test]
async fn leads_past_the_monthly_cap_are_stored_flagged_and_the_owners_told_once() {
    let app = TestApp::with_env(ON).await;
    let (ana, org) = owner_of(&app, "ana@example.com", "org-ana").await;
    let (page_id, block_id) = published_with_form(&ana, "ana-coach", lead_form("Letter")).await;
    // The free plan's 50 leads of this month are used up (too many for the rate-limited door).
    let now = app.now();
    let month = Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).unwrap();
    app.execute(&format!(
        "INSERT INTO usage.counters (organization_id, meter, period_start, count, updated_at) \
         VALUES ('{org}', 'leads_captured', '{}', 50, now())",
        month.to_rfc3339()
    ))
    .await;

    let visitor = app.client();
    lead(&visitor, &block_id, "late@example.com", Some("Late")).await;
    lead(&visitor, &block_id, "later@example.com", None).await;

    let list = ana.get(&leads_path(&page_id)).await.expect(StatusCode::OK).json();
    let flags: Vec<(String, bool)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["email"].as_str().unwrap().to_owned(), l["overQuota"].as_bool().unwrap()))
        .collect();
    assert_eq!(flags, [("later@example.com".to_owned(), true), ("late@example.com".to_owned(), true)]);
    let told =
        app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'usage.quota_exceeded'").await;
    assert_eq!(told, 1, "one notice per period, not one per lead");
    let usage = ana.get("/api/v1/usage").await.expect(StatusCode::OK).json();
    assert_eq!(meter(&usage, "leads_captured")["used"], 50);
    assert_eq!(meter(&usage, "leads_captured")["limit"], 50);
}

#[tokio::test]
async fn leads_within_the_cap_are_not_flagged() {
    let app = TestApp::with_env(ON).await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let (page_id, block_id) = published_with_form(&ana, "ana-coach", lead_form("Letter")).await;
    lead(&app.client(), &block_id, "first@example.com", None).await;
    let list = ana.get(&leads_path(&page_id)).await.expect(StatusCode::OK).json();
    assert_eq!(list["items"][0]["overQuota"], false);
    let usage = ana.get("/api/v1/usage").await.expect(StatusCode::OK).json();
    assert_eq!(meter(&usage, "leads_captured")["used"], 1);
}

#[tokio::test]
async fn with_metering_off_nothing_is_enforced() {
    let app = TestApp::start().await;
    let (ana, org) = owner_of(&app, "ana@example.com", "org-ana").await;
    for slug in ["ana-one", "ana-two", "ana-three"] {
        create_page(&ana, slug).await;
    }
    assert_eq!(pages_in(&app, &org).await, 3);
    let usage = ana.get("/api/v1/usage").await.expect(StatusCode::OK).json();
    assert_eq!(usage["enforced"], false);
    assert_eq!(meter(&usage, "pages_created")["used"], 3, "still counted");
    assert_eq!(meter(&usage, "pages_created")["limit"], 1);
}

#[tokio::test]
async fn usage_is_for_those_who_see_billing() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    ana.get("/api/v1/usage").await.expect(StatusCode::OK);
    let admin = member(&app, &ana, "bea@example.com", "admin").await;
    admin.get("/api/v1/usage").await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    app.client().get("/api/v1/usage").await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}
