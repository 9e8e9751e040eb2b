//! The audit log and feature flags through the platform admin API (docs/http-api.md, "Decisions
//! made in code": Audit log, Feature flags): what the log shows after the outbox is dispatched,
//! query validation, reading and writing flags, and a flag turning lead export off.

use crate::common;
use crate::common::links;

use axum::http::{Method, StatusCode};
use common::app::{Call, Client, Reply, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ADMIN: &str = "root@example.com";
const AUDIT: &str = "/api/v1/platform/audit";
const FLAGS: &str = "/api/v1/platform/feature-flags";

async fn app() -> TestApp {
    TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", ADMIN)]).await
}

/// `PUT feature-flags/{key}` with `body`.
async fn put_flag(client: &Client, key: &str, body: Value) -> Reply {
    client.send(Call::new(Method::PUT, &format!("{FLAGS}/{key}")).json(&body)).await
}

fn actions(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn the_audit_log_shows_sensitive_actions_with_who_did_them() {
    let app = app().await;
    let (admin, admin_id) = app.user(ADMIN).await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let ana_id = ana.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let role = ana
        .post(
            "/api/v1/organizations/current/roles",
            json!({"name": "analyst", "permissions": ["links:read"]}),
        )
        .await
        .expect(StatusCode::CREATED)
        .json();
    create_page(&ana, "ana-coach").await; // page.created is not audited
    let off = json!({"enabled": false, "rolloutPercentage": 100, "environments": [], "overrides": []});
    put_flag(&admin, "lead-csv-export", off).await.expect(StatusCode::OK);
    app.dispatch_events().await;

    let log = admin.get(AUDIT).await.expect(StatusCode::OK).json();
    assert_eq!(
        actions(&log),
        ["feature_flag.changed", "role.created", "membership.added", "organization.created"],
        "newest first"
    );
    let role_entry = &log["items"][1];
    assert_eq!(role_entry["actor"], json!({"id": ana_id, "email": "ana@example.com", "name": "ana"}));
    assert_eq!(role_entry["impersonator"], Value::Null);
    assert_eq!((&role_entry["targetType"], &role_entry["targetId"]), (&json!("role"), &role["id"]));
    assert_eq!(role_entry["metadata"]["role"]["name"], "analyst");
    let flag_entry = &log["items"][0];
    assert_eq!(flag_entry["actor"]["id"], admin_id.as_str());
    assert_eq!(
        (&flag_entry["targetType"], &flag_entry["targetId"]),
        (&json!("feature_flag"), &json!("lead-csv-export"))
    );
    assert_eq!(log["nextCursor"], Value::Null);

    let only_roles =
        admin.get(&format!("{AUDIT}?action=role.*&actor={ana_id}")).await.expect(StatusCode::OK).json();
    assert_eq!(actions(&only_roles), ["role.created"]);
    // People and organizations by the names the console shows: an email (any case), a slug.
    let by_email = admin.get(&format!("{AUDIT}?actor=ANA@example.com")).await.expect(StatusCode::OK).json();
    assert_eq!(actions(&by_email), ["role.created", "membership.added", "organization.created"]);
    let by_slug =
        admin.get(&format!("{AUDIT}?organization=org-ana&action=role.*")).await.expect(StatusCode::OK).json();
    assert_eq!(actions(&by_slug), ["role.created"]);
    admin.get(&format!("{AUDIT}?actor=nobody@example.com")).await.expect_invalid("actor");
    admin.get(&format!("{AUDIT}?organization=no-such-org")).await.expect_invalid("organization");
    let first = admin.get(&format!("{AUDIT}?limit=3")).await.expect(StatusCode::OK).json();
    let cursor = first["nextCursor"].as_str().expect("a next page").to_owned();
    let rest = admin.get(&format!("{AUDIT}?limit=3&cursor={cursor}")).await.expect(StatusCode::OK).json();
    assert_eq!(actions(&rest), ["organization.created"]);
}

#[tokio::test]
async fn audit_queries_name_every_bad_or_unknown_field() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let reply = admin
        .get(&format!(
            "{AUDIT}?actor=bob&action=DROP&from=yesterday&to=2026-01-01&limit=0&sort=asc&organization=1"
        ))
        .await
        .expect_error(StatusCode::BAD_REQUEST, "validation");
    let fields: Vec<String> = reply.json()["error"]["fields"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["action", "actor", "from", "limit", "organization", "sort"]);
    admin.get(&format!("{AUDIT}?from=2026-11-25&to=2026-11-24")).await.expect_invalid("to");
    admin.get(&format!("{AUDIT}?cursor=nope")).await.expect_invalid("cursor");
    admin
        .get(&format!("{AUDIT}?from=2026-11-25T10:00:00%2B01:00&to=2026-11-26"))
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn admins_read_and_write_flags_and_a_flag_turns_lead_export_off() {
    let app = app().await;
    let (admin, admin_id) = app.user(ADMIN).await;
    let (ana, _) = app.user("ana@example.com").await;
    let org = app.organization(&ana, "Org Ana", "org-ana").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    ana.get(&export_path(&page_id)).await.expect(StatusCode::OK);

    let list = admin.get(FLAGS).await.expect(StatusCode::OK).json();
    assert_eq!(list["environment"], "development");
    let keys: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|f| f["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["in-app-browser-hint", "lead-csv-export"]);
    let flag = admin.get(&format!("{FLAGS}/lead-csv-export")).await.expect(StatusCode::OK).json();
    assert_eq!(
        (&flag["enabled"], &flag["defaultEnabled"], &flag["rolloutPercentage"], &flag["updatedAt"]),
        (&json!(true), &json!(true), &json!(100), &Value::Null)
    );

    let put = |body: Value| put_flag(&admin, "lead-csv-export", body);
    let off = json!({"enabled": false, "rolloutPercentage": 100, "environments": [], "overrides": []});
    let written = put(off).await.expect(StatusCode::OK).json();
    assert_eq!((&written["enabled"], &written["updatedBy"]), (&json!(false), &json!(admin_id)));
    ana.get(&export_path(&page_id)).await.expect_error(StatusCode::FORBIDDEN, "forbidden");

    // On again for Ana's organization only.
    let just_ana = json!({"enabled": false, "rolloutPercentage": 0, "environments": [],
        "overrides": [{"subjectKind": "organization", "subjectId": org, "enabled": true}]});
    put(just_ana).await.expect(StatusCode::OK);
    ana.get(&export_path(&page_id)).await.expect(StatusCode::OK);

    // Validation names the field; unknown keys are 404 whatever the body.
    let bad = json!({"enabled": true, "rolloutPercentage": 101, "environments": ["Prod"], "overrides": []});
    let reply = put(bad).await.expect_error(StatusCode::BAD_REQUEST, "validation");
    let fields: Vec<String> = reply.json()["error"]["fields"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["environments[0]", "rolloutPercentage"]);
    put(json!({"enabled": true, "rolloutPercentage": 1, "environments": [], "overrides": [], "everyone": true}))
        .await
        .expect_invalid("everyone");
    put(json!({"enabled": true})).await.expect_invalid("rolloutPercentage");
    put_flag(&admin, "new-editor", json!({"nonsense": 1}))
        .await
        .expect_error(StatusCode::NOT_FOUND, "not_found");
    admin.get(&format!("{FLAGS}/new-editor")).await.expect_error(StatusCode::NOT_FOUND, "not_found");
}
