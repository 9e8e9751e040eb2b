//! The platform admin console (`/admin/*`, rendered by the Leptos app) and its server functions:
//! every console page sends a signed-out visitor to sign-in and is the 404 page, with status 404,
//! for anyone else but a platform admin (walked from the app's own route list, so a new screen is
//! covered automatically); every `admin_*`
//! server function answers `not_found` to them (walked from the registered server functions);
//! admins get the screens rendered with their data; impersonation through the server functions
//! shows the support banner on every page and ends back in the admin's session, and the audit
//! log screen names both people; the feature flags screen; and the first-run setup page.

use crate::common;
use crate::common::links;

use std::sync::Arc;

use axum::http::StatusCode;
use common::app::{Call, Client, Reply, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ADMIN: &str = "root@example.com";

async fn app() -> TestApp {
    TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", ADMIN)]).await
}

/// Every console page of the app's route list, its `{param}`s filled with `filler`.
fn console_pages(filler: &str) -> Vec<String> {
    let mut pages: Vec<String> = leptos_axum::generate_route_list(app::App)
        .iter()
        .map(|route| route.path().to_owned())
        .filter(|path| path == "/admin" || path.starts_with("/admin/"))
        .map(|path| {
            path.split('/')
                .map(
                    |segment| {
                        if segment.starts_with('{') || segment.starts_with(':') { filler } else { segment }
                    },
                )
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    pages.sort();
    pages.dedup();
    pages
}

/// Every console server function (`/api/fn/admin_*`).
fn console_functions() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .filter(|path| path.starts_with("/api/fn/admin_"))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Calls a server function with JSON arguments.
async fn call_fn(client: &Client, path: &str, args: Value) -> Reply {
    client.send(Call::post(path).json(&args)).await
}

/// The error code of a failed server function (its body is the `ApiError`).
fn fn_error_code(reply: &Reply) -> String {
    let body = reply.json();
    body["code"].as_str().or_else(|| body["error"]["code"].as_str()).unwrap_or_default().to_owned()
}

fn assert_not_found_page(reply: &Reply, who: &str, path: &str) {
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{who} GET {path}");
    let html = reply.text();
    assert!(html.contains("not-found-code"), "{who} GET {path}: not the 404 page: {html}");
    assert!(!html.contains("adm-nav"), "{who} GET {path}: the console's shell leaked");
}

#[tokio::test]
async fn every_console_page_is_sign_in_first_then_the_404_page_for_anyone_but_an_admin() {
    let app = app().await;
    let anonymous = app.client();
    let coach = owner(&app, "coach@example.com", "org-coach").await;
    let (admin, _) = app.user(ADMIN).await;

    let filler = uuid::Uuid::now_v7().to_string();
    let pages = console_pages(&filler);
    for expected in ["/admin", "/admin/users", "/admin/organizations", "/admin/jobs", "/admin/setup"] {
        assert!(pages.iter().any(|p| p == expected), "{expected} is a console page: {pages:?}");
    }
    for path in &pages {
        let signed_out = anonymous.get(path).await;
        assert_eq!(signed_out.status, StatusCode::SEE_OTHER, "anonymous GET {path}");
        assert_eq!(signed_out.header("location"), Some(format!("/signin?next={path}").as_str()));
        assert_not_found_page(&coach.get(path).await, "coach", path);
        if path == "/admin/setup" {
            // The platform has its admin: setup is over, for everyone.
            assert_not_found_page(&admin.get(path).await, "admin", path);
            continue;
        }
        // A made-up id names nothing: the console says so, with status 404.
        let reply = admin.get(path).await;
        let status = if path.contains(&filler) { StatusCode::NOT_FOUND } else { StatusCode::OK };
        assert_eq!(reply.status, status, "admin GET {path}");
        assert!(reply.text().contains("adm-nav"), "admin GET {path}: the console's shell");
    }
    // A page the console does not have is the plain 404 for admins too.
    assert_not_found_page(&admin.get("/admin/nothing-here").await, "admin", "/admin/nothing-here");
}

#[tokio::test]
async fn every_console_server_function_is_not_found_for_anyone_but_an_admin() {
    let app = app().await;
    let anonymous = app.client();
    let coach = owner(&app, "coach@example.com", "org-coach").await;
    let (admin, _) = app.user(ADMIN).await;
    let functions = console_functions();
    assert!(functions.len() >= 12, "the console's server functions are registered: {functions:?}");

    // Every argument any of them takes, so each reaches its admin check.
    let flag = json!({"enabled": true, "rolloutPercentage": 100, "environments": [], "overrides": []});
    let args = json!({"id": uuid::Uuid::now_v7().to_string(), "filter": {}, "key": "lead-csv-export", "input": flag});
    for path in &functions {
        for (who, client) in [("anonymous", &anonymous), ("coach", &coach)] {
            let reply = call_fn(client, path, args.clone()).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{who} {path}: {}", reply.text());
            assert_eq!(fn_error_code(&reply), "not_found", "{who} {path}");
        }
    }
    for name in [
        "admin_console",
        "admin_overview",
        "admin_users",
        "admin_organizations",
        "admin_dead_jobs",
        "admin_dead_events",
        "admin_flags",
    ] {
        let reply = call_fn(&admin, &format!("/api/fn/{name}"), json!({})).await;
        assert_eq!(reply.status, StatusCode::OK, "admin {name}: {}", reply.text());
    }
    let reply = call_fn(&admin, "/api/fn/admin_stop_impersonation", json!({})).await;
    assert_eq!((reply.status, fn_error_code(&reply).as_str()), (StatusCode::CONFLICT, "conflict"));
}

#[tokio::test]
async fn admins_get_the_console_rendered_with_its_data() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let ana = owner(&app, "ana.perez@example.com", "org-ana").await;
    let ana_id = ana.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();

    let html = admin.get("/admin/users?q=perez").await.expect(StatusCode::OK).text();
    assert!(html.contains("ana.perez@example.com"), "the first page is server-rendered: {html}");
    assert_eq!(html.matches("data-testid=\"user-row\"").count(), 1, "the search applies on the server");
    let html = admin.get(&format!("/admin/users/{ana_id}")).await.expect(StatusCode::OK).text();
    assert!(html.contains("org-ana"), "the user's organizations");
    let html = admin.get("/admin").await.expect(StatusCode::OK).text();
    assert!(html.contains("overview-users"), "the overview's cards");

    // The same screens through the server functions.
    let users = call_fn(&admin, "/api/fn/admin_users", json!({"q": "PÉREZ", "limit": 1})).await;
    let users = users.expect(StatusCode::OK).json();
    assert_eq!(users["items"].as_array().map(Vec::len), Some(0), "accents are not folded: {users}");
    let users = call_fn(&admin, "/api/fn/admin_users", json!({"q": "perez"})).await.json();
    assert_eq!(users["items"][0]["id"], ana_id.as_str());
    let page = call_fn(&admin, "/api/fn/admin_users", json!({"limit": 1})).await.json();
    let next = page["nextCursor"].as_str().expect("a second page").to_owned();
    let rest = call_fn(&admin, "/api/fn/admin_users", json!({"limit": 1, "cursor": next})).await.json();
    assert_eq!(rest["items"][0]["email"], ADMIN);
    let bad = call_fn(&admin, "/api/fn/admin_users", json!({"cursor": "not-a-cursor"})).await;
    assert_eq!((bad.status, fn_error_code(&bad).as_str()), (StatusCode::BAD_REQUEST, "validation"));

    // Deactivate and reactivate through the console's door: the same rules as the REST door.
    let done = call_fn(&admin, "/api/fn/admin_deactivate_user", json!({"id": ana_id})).await;
    assert_eq!(done.expect(StatusCode::OK).json()["user"]["active"], false);
    ana.get("/api/v1/me").await.expect(StatusCode::UNAUTHORIZED);
    let done = call_fn(&admin, "/api/fn/admin_reactivate_user", json!({"id": ana_id})).await;
    assert_eq!(done.expect(StatusCode::OK).json()["user"]["active"], true);
    let admin_id = admin.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let myself = call_fn(&admin, "/api/fn/admin_deactivate_user", json!({"id": admin_id})).await;
    assert_eq!((myself.status, fn_error_code(&myself).as_str()), (StatusCode::BAD_REQUEST, "validation"));
    let events = app
        .count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type IN ('user.deactivated', 'user.reactivated')")
        .await;
    assert_eq!(events, 2);
}

#[tokio::test]
async fn dead_jobs_are_retried_through_the_console() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let id = app.dead_job().await;
    let html = admin.get("/admin/jobs").await.expect(StatusCode::OK).text();
    assert!(html.contains("connection refused") && html.contains("2026-11-24"), "error and payload shown");

    let done = call_fn(&admin, "/api/fn/admin_retry_job", json!({"id": id.to_string()})).await;
    done.expect(StatusCode::OK);
    let again = call_fn(&admin, "/api/fn/admin_retry_job", json!({"id": id.to_string()})).await;
    assert_eq!((again.status, fn_error_code(&again).as_str()), (StatusCode::NOT_FOUND, "not_found"));
    assert_eq!(call_fn(&admin, "/api/fn/admin_dead_jobs", json!({})).await.json(), json!([]));
}

#[tokio::test]
async fn dead_events_are_replayed_through_the_console() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    owner(&app, "ana@example.com", "org-ana").await;
    let id = app.dead_event("organization.created").await;
    let html = admin.get("/admin/jobs").await.expect(StatusCode::OK).text();
    assert!(html.contains("data-testid=\"dead-event\""), "the dead events' section: {html}");
    assert!(
        html.contains("organization.created")
            && html.contains("audit: connection refused")
            && html.contains("organizationId"),
        "type, error and payload shown"
    );

    let overview = admin.get("/admin").await.expect(StatusCode::OK).text();
    assert!(overview.contains("overview-dead-events"), "the overview counts them: {overview}");

    let listed = call_fn(&admin, "/api/fn/admin_dead_events", json!({})).await.expect(StatusCode::OK).json();
    assert_eq!(listed[0]["id"], id.to_string());
    call_fn(&admin, "/api/fn/admin_replay_event", json!({"id": id.to_string()})).await.expect(StatusCode::OK);
    let again = call_fn(&admin, "/api/fn/admin_replay_event", json!({"id": id.to_string()})).await;
    assert_eq!((again.status, fn_error_code(&again).as_str()), (StatusCode::NOT_FOUND, "not_found"));
    assert_eq!(call_fn(&admin, "/api/fn/admin_dead_events", json!({})).await.json(), json!([]));
    app.dispatch_events().await;
    let audited =
        app.count(&format!("SELECT count(*) AS n FROM audit.entries WHERE event_id = '{id}'")).await;
    assert_eq!(audited, 1, "delivered once replayed");
}

#[tokio::test]
async fn a_support_session_shows_its_banner_everywhere_and_ends_back_at_the_admin() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let admin_org = app.organization(&admin, "Ops", "org-ops").await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let ana_id = ana.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let banner = "data-testid=\"impersonation-banner\"";
    assert!(!admin.get("/").await.text().contains(banner));

    let started = call_fn(&admin, "/api/fn/admin_impersonate", json!({"id": ana_id})).await;
    let started_cookie = started.set_cookie("mibio_org").expect("the org cookie is set");
    let started = started.expect(StatusCode::OK).json();
    assert_eq!(
        (started["userEmail"].as_str(), started["adminEmail"].as_str()),
        (Some("ana@example.com"), Some(ADMIN))
    );
    assert_ne!(started_cookie.value, admin_org, "Ana's organization is the active one");
    assert_eq!(admin.session().await.json()["organization"]["slug"], "org-ana");

    let current = call_fn(&admin, "/api/fn/impersonation", json!({})).await.expect(StatusCode::OK).json();
    assert_eq!(current["userId"], ana_id.as_str());
    for page in ["/", "/dashboard", "/dashboard/pages", "/signin", "/dashboard/no-such-page", "/admin"] {
        let html = admin.get(page).await.text();
        assert!(html.contains(banner), "{page} shows the banner");
        assert!(html.contains("ana@example.com"), "{page} names the user");
    }
    // Ana's own browser sees nothing of it.
    assert!(!ana.get("/dashboard").await.text().contains(banner));
    assert_eq!(call_fn(&ana, "/api/fn/impersonation", json!({})).await.json(), Value::Null);

    let stopped = call_fn(&admin, "/api/fn/admin_stop_impersonation", json!({})).await;
    assert_eq!(
        stopped.set_cookie("mibio_org").map(|c| c.value),
        Some(admin_org.clone()),
        "the admin's org again"
    );
    assert_eq!(stopped.expect(StatusCode::OK).json(), json!(ana_id));
    let view = admin.session().await.json();
    assert_eq!((view["user"]["email"].as_str(), &view["impersonation"]), (Some(ADMIN), &Value::Null));
    assert!(!admin.get("/dashboard").await.text().contains(banner));
    let n = app
        .count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type IN ('impersonation.started', 'impersonation.stopped')")
        .await;
    assert_eq!(n, 2);
}

#[tokio::test]
async fn the_setup_page_makes_the_first_admin_then_is_gone() {
    let app = TestApp::start().await; // no PLATFORM_ADMIN_EMAILS
    let ctx = platform::PlatformCtx {
        db: app.db.pool().clone(),
        clock: Arc::new(app.clock.clone()),
        config_admins: Arc::new(Vec::new()),
    };
    let token = platform::application::admins::issue_setup_token(&ctx).await.unwrap().expect("a token");
    let (first, _) = app.user("first@example.com").await;

    let anonymous = app.client().send(Call::get("/admin/setup").header("accept", "text/html")).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "signed out: sign in first");
    assert_eq!(anonymous.header("location"), Some("/signin?next=/admin/setup"));
    let page = first.get("/admin/setup").await.expect(StatusCode::OK).text();
    assert!(page.contains("id=\"token\""), "the form: {page}");
    assert_not_found_page(&first.get("/admin").await, "not yet an admin", "/admin");

    let wrong = call_fn(&first, "/api/fn/claim_platform_setup", json!({"token": "nope"})).await;
    assert_eq!((wrong.status, fn_error_code(&wrong).as_str()), (StatusCode::BAD_REQUEST, "validation"));
    let claimed =
        call_fn(&first, "/api/fn/claim_platform_setup", json!({"token": format!(" {token} ")})).await;
    claimed.expect(StatusCode::OK);
    first.get("/admin").await.expect(StatusCode::OK);
    assert_not_found_page(&first.get("/admin/setup").await, "the new admin", "/admin/setup");
    let closed = call_fn(&first, "/api/fn/platform_setup", json!({})).await;
    assert_eq!((closed.status, fn_error_code(&closed).as_str()), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn the_audit_log_screen_names_the_user_and_the_admin_behind_them() {
    let app = app().await;
    let (admin, admin_id) = app.user(ADMIN).await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let ana_id = ana.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let page_id = id(&create_page(&ana, "ana-coach").await);

    call_fn(&admin, "/api/fn/admin_impersonate", json!({"id": ana_id})).await.expect(StatusCode::OK);
    patch_page(&admin, &page_id, json!({"title": "Edited by support"})).await;
    call_fn(&admin, "/api/fn/admin_stop_impersonation", json!({})).await.expect(StatusCode::OK);
    app.dispatch_events().await;

    let filter = json!({"filter": {"action": "page.updated"}});
    let log = call_fn(&admin, "/api/fn/admin_audit", filter).await.expect(StatusCode::OK).json();
    let entry = &log["items"][0];
    assert_eq!(
        (entry["actor"]["id"].as_str(), entry["impersonator"]["id"].as_str()),
        (Some(ana_id.as_str()), Some(admin_id.as_str()))
    );
    let html = admin.get("/admin/audit?action=page.updated").await.expect(StatusCode::OK).text();
    assert_eq!(html.matches("data-testid=\"audit-row\"").count(), 1, "{html}");
    assert!(html.contains("ana@example.com") && html.contains("class=\"adm-via\""), "both people: {html}");
    let mine = call_fn(
        &admin,
        "/api/fn/admin_audit",
        json!({"filter": {"actor": admin_id, "action": "impersonation.*"}}),
    )
    .await;
    let mine: Vec<String> = mine.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(mine, ["impersonation.stopped", "impersonation.started"]);

    let bad = call_fn(&admin, "/api/fn/admin_audit", json!({"filter": {"from": "yesterday"}})).await;
    assert_eq!((bad.status, fn_error_code(&bad).as_str()), (StatusCode::BAD_REQUEST, "validation"));
    assert_eq!(bad.json()["fields"]["from"].as_str().map(|p| !p.is_empty()), Some(true));
}

#[tokio::test]
async fn flags_are_edited_through_the_console() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let html = admin.get("/admin/flags").await.expect(StatusCode::OK).text();
    assert!(html.contains("lead-csv-export") && html.contains("in-app-browser-hint"), "every flag: {html}");

    let input = |rollout: i64| json!({"enabled": true, "rolloutPercentage": rollout, "environments": [], "overrides": []});
    let bad =
        call_fn(&admin, "/api/fn/admin_put_flag", json!({"key": "lead-csv-export", "input": input(101)}))
            .await;
    assert_eq!((bad.status, fn_error_code(&bad).as_str()), (StatusCode::BAD_REQUEST, "validation"));
    assert!(bad.json()["fields"]["rolloutPercentage"].is_string());
    let unknown = call_fn(&admin, "/api/fn/admin_put_flag", json!({"key": "nope", "input": input(50)})).await;
    assert_eq!((unknown.status, fn_error_code(&unknown).as_str()), (StatusCode::NOT_FOUND, "not_found"));
    let saved =
        call_fn(&admin, "/api/fn/admin_put_flag", json!({"key": "lead-csv-export", "input": input(50)}))
            .await;
    assert_eq!(saved.expect(StatusCode::OK).json()["rolloutPercentage"], 50);
    let flags = call_fn(&admin, "/api/fn/admin_flags", json!({})).await.json();
    let flag =
        flags["items"].as_array().unwrap().iter().find(|f| f["key"] == "lead-csv-export").unwrap().clone();
    assert_eq!(flag["rolloutPercentage"], 50);
    // The REST door sees the same setting.
    let rest =
        admin.get("/api/v1/platform/feature-flags/lead-csv-export").await.expect(StatusCode::OK).json();
    assert_eq!(rest, flag);
}
