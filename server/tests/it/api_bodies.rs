//! The REST API's response bodies as `insta` snapshots (`snapshots/it__api_bodies__*.snap`): the
//! whole shape of each main answer, so a renamed field, a new one or a changed error body shows
//! up in review. Ids become `[id N]` (numbered by first appearance, so a reference to an id shown
//! elsewhere in the same body keeps its number), the test clock's instant `[now]`, any other
//! instant `[time]`, and days `[today]`, `[today-1]`, …
//!
//! A changed body fails the test and leaves a `.snap.new` next to the snapshot; accept it on
//! purpose (`cargo insta review`, or `INSTA_UPDATE=always` and review the diff).

use crate::common;
use crate::common::links;

use std::collections::HashMap;
use std::time::Duration;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use common::app::{Call, Client, TestApp};
use links::*;
use serde_json::{Value, json};

/// Replaces what changes from run to run in `body` (see the module docs).
fn redacted(app: &TestApp, body: &Value) -> Value {
    let mut ids = HashMap::new();
    redact(body, app.now(), &mut ids)
}

fn redact(value: &Value, now: DateTime<Utc>, ids: &mut HashMap<String, usize>) -> Value {
    match value {
        Value::String(text) => Value::String(redact_text(text, now, ids)),
        Value::Array(items) => Value::Array(items.iter().map(|v| redact(v, now, ids)).collect()),
        Value::Object(fields) => {
            Value::Object(fields.iter().map(|(k, v)| (k.clone(), redact(v, now, ids))).collect())
        }
        other => other.clone(),
    }
}

fn redact_text(text: &str, now: DateTime<Utc>, ids: &mut HashMap<String, usize>) -> String {
    if uuid::Uuid::parse_str(text).is_ok() {
        let next = ids.len() + 1;
        return format!("[id {}]", ids.entry(text.to_owned()).or_insert(next));
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return if at == now { "[now]".to_owned() } else { "[time]".to_owned() };
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return match (now.date_naive() - day).num_days() {
            0 => "[today]".to_owned(),
            days => format!("[today-{days}]"),
        };
    }
    text.to_owned()
}

#[tokio::test]
async fn sign_up_and_me() {
    let app = TestApp::start().await;
    let client = app.client();
    let body =
        json!({"email": "Ana@Example.com", "password": common::app::PASSWORD, "name": "Ana", "locale": "es"});
    let signed_up = client.post("/api/auth/sign-up/email", body).await.expect(StatusCode::CREATED);
    insta::assert_json_snapshot!("sign_up", redacted(&app, &signed_up.json()));

    let (ana, _) = app.user("bea@example.com").await;
    let me = ana.get("/api/v1/me").await.expect(StatusCode::OK);
    insta::assert_json_snapshot!("me", redacted(&app, &me.json()));
    let session = ana.session().await.expect(StatusCode::OK);
    insta::assert_json_snapshot!("session_without_organization", redacted(&app, &session.json()));
}

#[tokio::test]
async fn organizations_list() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "estudio-ana").await;
    app.organization(&ana, "Coaching Norte", "coaching-norte").await;
    let list = ana.get("/api/v1/organizations").await.expect(StatusCode::OK);
    insta::assert_json_snapshot!("organizations", redacted(&app, &list.json()));
    let session = ana.session().await.expect(StatusCode::OK);
    insta::assert_json_snapshot!("session_in_an_organization", redacted(&app, &session.json()));
}

/// A published page with a header, a link and a lead form.
async fn page_with_blocks(app: &TestApp) -> (Client, String, String, String) {
    let ana = owner(app, "ana@example.com", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    patch_page(&ana, &page_id, json!({"bio": "Coach ejecutiva en Córdoba."})).await;
    add_block(&ana, &page_id, "HEADER", header("Sesiones")).await;
    let link = id(&add_block(&ana, &page_id, "LINK", link("Agenda una llamada")).await);
    let form = json!({"title": "Recibe mi newsletter", "buttonLabel": "Quiero", "consentText": "Acepto recibir correos."});
    let form = id(&add_block(&ana, &page_id, "LEAD_CAPTURE", form).await);
    publish(&ana, &page_id).await;
    (ana, page_id, link, form)
}

#[tokio::test]
async fn page_with_its_blocks() {
    let app = TestApp::start().await;
    let (ana, page_id, _, _) = page_with_blocks(&app).await;
    let page = ana.get(&page_path(&page_id)).await.expect(StatusCode::OK);
    insta::assert_json_snapshot!("page", redacted(&app, &page.json()));
    let public = app.client().send(Call::get(&public_path("ana-coach")).without_origin()).await;
    insta::assert_json_snapshot!("public_page", redacted(&app, &public.expect(StatusCode::OK).json()));
}

#[tokio::test]
async fn leads_list() {
    let app = TestApp::start().await;
    let (ana, page_id, _, form) = page_with_blocks(&app).await;
    let luis = json!({"blockId": form, "email": "luis@example.com", "name": "Luis", "consent": true});
    submit_lead(&app.client(), luis).await.expect(StatusCode::CREATED);
    let marta = json!({"blockId": form, "email": "marta@example.com", "consent": true});
    let captured = submit_lead(&app.client(), marta).await.expect(StatusCode::CREATED);
    insta::assert_json_snapshot!("lead_captured", redacted(&app, &captured.json()));
    let leads = ana.get(&leads_path(&page_id)).await.expect(StatusCode::OK);
    insta::assert_json_snapshot!("leads", redacted(&app, &leads.json()));
}

#[tokio::test]
async fn analytics_report() {
    let app = TestApp::start().await;
    let (ana, page_id, link, _) = page_with_blocks(&app).await;
    let visitor = app.client();
    let beacon = |path: &str, body: Value| {
        Call::post(path)
            .json(&body)
            .header("user-agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1")
            .without_origin()
    };
    let view = json!({"slug": "ana-coach", "referrer": "https://l.instagram.com/?u=x"});
    visitor.send(beacon("/api/v1/public/analytics/view", view)).await.expect(StatusCode::NO_CONTENT);
    let click = json!({"blockId": link, "slug": "ana-coach"});
    visitor.send(beacon("/api/v1/public/analytics/click", click)).await.expect(StatusCode::NO_CONTENT);
    // The beacons are written by a batch writer: wait for both rows.
    for _ in 0..100 {
        let written = app.count("SELECT count(*) AS n FROM analytics.page_views").await
            + app.count("SELECT count(*) AS n FROM analytics.block_clicks").await;
        if written == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let report = ana.get(&format!("{}/analytics?range=7d", page_path(&page_id))).await;
    insta::assert_json_snapshot!("analytics_report", redacted(&app, &report.expect(StatusCode::OK).json()));
}

#[tokio::test]
async fn problem_bodies() {
    let app = TestApp::start().await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let invalid = try_create_page(&ana, json!({"slug": "A B", "title": ""})).await;
    insta::assert_json_snapshot!("validation_problem", invalid.expect(StatusCode::BAD_REQUEST).json());
    let reserved = try_create_page(&ana, json!({"slug": "admin", "title": "Admin"})).await;
    insta::assert_json_snapshot!("slug_unavailable", reserved.expect(StatusCode::CONFLICT).json());
    let page_id = id(&create_page(&ana, "ana-coach").await);
    let block = json!({"type": "LINK", "config": {"url": "javascript:alert(1)", "title": ""}});
    let bad_block = try_add_block(&ana, &page_id, block).await;
    insta::assert_json_snapshot!("block_problem", bad_block.expect(StatusCode::BAD_REQUEST).json());
    let anonymous = app.client().get("/api/v1/me").await;
    insta::assert_json_snapshot!("unauthenticated", anonymous.expect(StatusCode::UNAUTHORIZED).json());
}
