//! The platform admin surface (docs/http-api.md, "Platform admin"): every `/api/v1/platform/*`
//! route hides from non-admins (404, walked from the router's own route table), the first-run
//! setup token, users (search, deactivate, reactivate), organizations, dead jobs and events, the
//! overview,
//! and impersonation (visible in the session, never of an admin, audited in the outbox, one hour
//! at most).

use crate::common;
use crate::common::links;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::app::{Call, Client, TestApp};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const ADMIN: &str = "root@example.com";

async fn app() -> TestApp {
    TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", ADMIN)]).await
}

/// `path` under the platform prefix with its `{id}`s (made up) and `{key}`s (a real feature
/// flag) filled in.
fn concrete(path: &str) -> String {
    let path = path.replace("{id}", &uuid::Uuid::now_v7().to_string()).replace("{key}", "lead-csv-export");
    format!("/api/v1/platform{path}")
}

async fn call(client: &Client, method: &Method, path: &str) -> common::app::Reply {
    let call = Call::new(method.clone(), path);
    let call = if method == Method::GET { call } else { call.json(&json!({})) };
    client.send(call).await
}

#[tokio::test]
async fn every_platform_route_is_404_for_anyone_but_an_admin() {
    let app = app().await;
    let anonymous = app.client();
    let coach = owner(&app, "coach@example.com", "org-coach").await;
    let (admin, _) = app.user(ADMIN).await;

    let table = mibio_server::http::api::platform::table();
    assert!(table.len() >= 10, "the table lists the routes");
    for route in &table {
        let path = concrete(&route.path);
        for (who, client) in [("anonymous", &anonymous), ("coach", &coach)] {
            let reply = call(client, &route.method, &path).await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{who} {} {path}: {}",
                route.method,
                reply.text()
            );
            assert_eq!(reply.json()["error"]["code"], "not_found", "{who} {} {path}", route.method);
        }
        // The admin reaches every route (whatever the answer about a made-up id).
        if route.method == Method::GET && !route.path.contains("{id}") {
            call(&admin, &route.method, &path).await.expect(StatusCode::OK);
        }
    }
}

#[tokio::test]
async fn an_unverified_address_in_platform_admin_emails_is_not_an_admin() {
    let app = app().await;
    app.sign_up(ADMIN, "Impostor").await.expect(StatusCode::CREATED);
    let impostor = app.client();
    impostor.sign_in(ADMIN, common::app::PASSWORD).await.expect(StatusCode::OK);
    impostor.get("/api/v1/platform/overview").await.expect_error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(impostor.session().await.expect(StatusCode::OK).json()["platformAdmin"], false);
}

fn platform_ctx(app: &TestApp) -> platform::PlatformCtx {
    platform::PlatformCtx {
        db: app.db.pool().clone(),
        clock: Arc::new(app.clock.clone()),
        config_admins: Arc::new(Vec::new()),
    }
}

#[tokio::test]
async fn the_first_admin_claims_the_setup_token_once() {
    let app = TestApp::start().await; // no PLATFORM_ADMIN_EMAILS
    let ctx = platform_ctx(&app);
    let token = platform::application::admins::issue_setup_token(&ctx).await.unwrap().expect("a token");
    let (first, first_id) = app.user("first@example.com").await;
    let (second, _) = app.user("second@example.com").await;

    let claim = "/api/v1/setup/platform-admin";
    app.client()
        .post(claim, json!({"token": token}))
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    first.post(claim, json!({"token": "not-the-token"})).await.expect_invalid("token");
    first.post(claim, json!({"token": token, "admin": true})).await.expect(StatusCode::BAD_REQUEST);
    first.get("/api/v1/platform/overview").await.expect(StatusCode::NOT_FOUND);

    first.post(claim, json!({"token": token})).await.expect(StatusCode::NO_CONTENT);
    first.get("/api/v1/platform/overview").await.expect(StatusCode::OK);
    assert_eq!(first.session().await.json()["platformAdmin"], true);
    let granted = app
        .count_with(
            "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'platform_admin.granted' \
             AND payload->>'userId' = $1",
            &first_id,
        )
        .await;
    assert_eq!(granted, 1, "the grant is an event (the audit log records it)");

    // Spent, and setup is over for everyone.
    second.post(claim, json!({"token": token})).await.expect(StatusCode::NOT_FOUND);
    second.get("/api/v1/platform/overview").await.expect(StatusCode::NOT_FOUND);
    assert_eq!(platform::application::admins::issue_setup_token(&ctx).await.unwrap(), None);
}

#[tokio::test]
async fn admins_find_users_and_deactivate_and_reactivate_them() {
    let app = app().await;
    let (admin, admin_id) = app.user(ADMIN).await;
    let (maria, maria_id) = app.user("maria.lopez@example.com").await;
    app.user("juan@example.com").await;

    let all = admin.get("/api/v1/platform/users").await.expect(StatusCode::OK).json();
    let emails: Vec<&str> =
        all["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["juan@example.com", "maria.lopez@example.com", ADMIN], "newest first");
    let found = admin.get("/api/v1/platform/users?q=LOPEZ").await.expect(StatusCode::OK).json();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["id"], maria_id.as_str());
    let page = admin.get("/api/v1/platform/users?limit=2").await.expect(StatusCode::OK).json();
    let next = page["nextCursor"].as_str().expect("a second page");
    let rest = admin.get(&format!("/api/v1/platform/users?limit=2&cursor={next}")).await.json();
    assert_eq!(rest["items"][0]["email"], ADMIN);
    admin.get("/api/v1/platform/users?limit=0").await.expect_invalid("limit");
    admin.get("/api/v1/platform/users?role=owner").await.expect(StatusCode::BAD_REQUEST);
    // A hostile search is just text.
    let none =
        admin.get("/api/v1/platform/users?q=%25%27%20OR%201%3D1--").await.expect(StatusCode::OK).json();
    assert_eq!(none["items"], json!([]));

    let detail = admin.post_empty(&format!("/api/v1/platform/users/{maria_id}/deactivate")).await;
    assert_eq!(detail.expect(StatusCode::OK).json()["user"]["active"], false);
    maria.get("/api/v1/me").await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    app.client()
        .sign_in("maria.lopez@example.com", common::app::PASSWORD)
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    let events =
        app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'user.deactivated'").await;
    assert_eq!(events, 1);

    let detail = admin.post_empty(&format!("/api/v1/platform/users/{maria_id}/reactivate")).await;
    assert_eq!(detail.expect(StatusCode::OK).json()["user"]["active"], true);
    app.client().sign_in("maria.lopez@example.com", common::app::PASSWORD).await.expect(StatusCode::OK);

    // Not oneself, not an admin, not a made-up id.
    admin.post_empty(&format!("/api/v1/platform/users/{admin_id}/deactivate")).await.expect_invalid("userId");
    let missing = uuid::Uuid::now_v7();
    admin
        .post_empty(&format!("/api/v1/platform/users/{missing}/deactivate"))
        .await
        .expect(StatusCode::NOT_FOUND);
    admin.post_empty("/api/v1/platform/users/not-a-uuid/deactivate").await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn admins_see_organizations_with_their_members_and_the_overview() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let (luis, _) = app.user("luis@example.com").await;
    app.join(&ana, &luis, "luis@example.com", "editor").await;
    let page_id = id(&create_page(&ana, "ana-coach").await);
    publish(&ana, &page_id).await;

    let orgs = admin.get("/api/v1/platform/organizations?q=ana").await.expect(StatusCode::OK).json();
    assert_eq!(orgs["items"].as_array().unwrap().len(), 1);
    let org = &orgs["items"][0];
    assert_eq!((org["slug"].as_str(), org["members"].as_i64()), (Some("org-ana"), Some(2)));
    let detail = admin.get(&format!("/api/v1/platform/organizations/{}", org["id"].as_str().unwrap())).await;
    let detail = detail.expect(StatusCode::OK).json();
    let members: Vec<(&str, &str)> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["email"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(members, [("ana@example.com", "owner"), ("luis@example.com", "editor")]);

    let overview = admin.get("/api/v1/platform/overview").await.expect(StatusCode::OK).json();
    assert_eq!(overview["users"], 3);
    assert_eq!(overview["organizations"], 1);
    assert_eq!((overview["pages"].as_i64(), overview["publishedPages"].as_i64()), (Some(1), Some(1)));
    assert_eq!(overview["subscriptionsByStatus"], json!({}));
}

#[tokio::test]
async fn dead_jobs_can_be_seen_and_queued_again() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let id = app.dead_job().await;
    let dead = admin.get("/api/v1/platform/jobs/dead").await.expect(StatusCode::OK).json();
    assert_eq!(dead.as_array().unwrap().len(), 1);
    assert_eq!(
        (dead[0]["name"].as_str(), dead[0]["lastError"].as_str()),
        (Some("analytics-rollup"), Some("connection refused"))
    );

    admin.post_empty(&format!("/api/v1/platform/jobs/{id}/retry")).await.expect(StatusCode::NO_CONTENT);
    let state = app
        .count(&format!(
            "SELECT count(*) AS n FROM kernel.jobs WHERE id = '{id}' AND state = 'queued' AND attempts = 0"
        ))
        .await;
    assert_eq!(state, 1);
    admin.post_empty(&format!("/api/v1/platform/jobs/{id}/retry")).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(admin.get("/api/v1/platform/jobs/dead").await.json(), json!([]));
}

#[tokio::test]
async fn dead_events_can_be_seen_and_replayed() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let coach = owner(&app, "coach@example.com", "org-coach").await;
    let id = app.dead_event("organization.created").await;
    let audited = format!("SELECT count(*) AS n FROM audit.entries WHERE event_id = '{id}'");
    app.dispatch_events().await;
    assert_eq!(app.count(&audited).await, 0, "a dead event is not delivered");

    let overview = admin.get("/api/v1/platform/overview").await.json();
    assert_eq!((overview["deadJobs"].as_i64(), overview["deadEvents"].as_i64()), (Some(0), Some(1)));
    let dead = admin.get("/api/v1/platform/events/dead").await.expect(StatusCode::OK).json();
    assert_eq!(dead.as_array().map(Vec::len), Some(1), "{dead}");
    assert_eq!(dead[0]["id"], id.to_string());
    assert_eq!(
        (dead[0]["eventType"].as_str(), dead[0]["producer"].as_str(), dead[0]["attempts"].as_i64()),
        (Some("organization.created"), Some("tenancy"), Some(20))
    );
    assert_eq!(dead[0]["lastError"], "audit: connection refused");
    assert!(dead[0]["payload"]["organizationId"].is_string(), "{dead}");
    assert!(dead[0]["occurredAt"].is_string() && dead[0]["failedAt"].is_string(), "{dead}");

    let replay = format!("/api/v1/platform/events/{id}/replay");
    coach.get("/api/v1/platform/events/dead").await.expect_error(StatusCode::NOT_FOUND, "not_found");
    coach.post_empty(&replay).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    let unknown = format!("/api/v1/platform/events/{}/replay", uuid::Uuid::now_v7());
    admin.post_empty(&unknown).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    admin.post_empty("/api/v1/platform/events/not-a-uuid/replay").await.expect(StatusCode::NOT_FOUND);

    admin.post_empty(&replay).await.expect(StatusCode::NO_CONTENT);
    assert_eq!(admin.get("/api/v1/platform/events/dead").await.json(), json!([]));
    admin.post_empty(&replay).await.expect_error(StatusCode::NOT_FOUND, "not_found");
    app.dispatch_events().await;
    assert_eq!(app.count(&audited).await, 1, "delivered once replayed");
    let dispatched = format!(
        "SELECT count(*) AS n FROM kernel.outbox WHERE event_id = '{id}' AND dispatched_at IS NOT NULL \
         AND dead_at IS NULL AND attempts = 0"
    );
    assert_eq!(app.count(&dispatched).await, 1);
}

/// The `impersonation` of `client`'s session view.
async fn impersonation(client: &Client) -> Value {
    client.session().await.expect(StatusCode::OK).json()["impersonation"].clone()
}

#[tokio::test]
async fn an_admin_impersonates_a_coach_visibly_and_every_change_names_both() {
    let app = app().await;
    let (admin, admin_id) = app.user(ADMIN).await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let ana_id = ana.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    let page_id = id(&create_page(&ana, "ana-coach").await);
    assert_eq!(impersonation(&admin).await, Value::Null);

    let started = admin.post_empty(&format!("/api/v1/platform/users/{ana_id}/impersonate")).await;
    let started = started.expect(StatusCode::OK).json();
    assert_eq!(
        (started["userEmail"].as_str(), started["adminEmail"].as_str()),
        (Some("ana@example.com"), Some(ADMIN))
    );

    // The session is Ana's, marked as impersonated, in Ana's organization.
    let view = admin.session().await.expect(StatusCode::OK).json();
    assert_eq!(view["user"]["email"], "ana@example.com");
    assert_eq!(view["organization"]["slug"], "org-ana");
    assert_eq!(view["platformAdmin"], false);
    assert_eq!(view["impersonation"]["adminId"], admin_id.as_str());
    assert_eq!(view["impersonation"]["userId"], ana_id.as_str());

    patch_page(&admin, &page_id, json!({"title": "Edited by support"})).await;
    let by_ana = app
        .count_with(
            "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'page.updated' AND payload->>'actorId' = $1",
            &ana_id,
        )
        .await;
    assert_eq!(by_ana, 1, "the edit is recorded in Ana's name");
    let behind = app
        .count_with(
            "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'page.updated' AND impersonator_id = $1::uuid",
            &admin_id,
        )
        .await;
    assert_eq!(behind, 1, "… and names the admin behind her");

    // Not while impersonating; and never another admin.
    admin
        .post_empty(&format!("/api/v1/platform/users/{ana_id}/impersonate"))
        .await
        .expect(StatusCode::CONFLICT);

    admin.post_empty("/api/v1/platform/impersonation/stop").await.expect(StatusCode::NO_CONTENT);
    let view = admin.session().await.json();
    assert_eq!((view["user"]["email"].as_str(), &view["impersonation"]), (Some(ADMIN), &Value::Null));
    assert_eq!(view["platformAdmin"], true);
    admin.post_empty("/api/v1/platform/impersonation/stop").await.expect(StatusCode::CONFLICT);
    for kind in ["impersonation.started", "impersonation.stopped"] {
        let n = app
            .count_with(
                &format!(
                    "SELECT count(*) AS n FROM kernel.outbox WHERE event_type = '{kind}' AND payload->>'adminId' = $1"
                ),
                &admin_id,
            )
            .await;
        assert_eq!(n, 1, "{kind}");
    }
    // Ana's own session never changed, and her own edits name nobody else.
    assert_eq!(impersonation(&ana).await, Value::Null);
    patch_page(&ana, &page_id, json!({"title": "Ana again"})).await;
    let plain = app
        .count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'page.updated' AND impersonator_id IS NULL")
        .await;
    assert_eq!(plain, 1);
}

#[tokio::test]
async fn impersonation_never_reaches_an_admin_oneself_or_a_deactivated_user() {
    let app = TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", "root@example.com,ops@example.com")]).await;
    let (admin, admin_id) = app.user(ADMIN).await;
    let (_ops, ops_id) = app.user("ops@example.com").await;
    let (_gone, gone_id) = app.user("gone@example.com").await;
    admin
        .post_empty(&format!("/api/v1/platform/users/{ops_id}/impersonate"))
        .await
        .expect_error(StatusCode::FORBIDDEN, "forbidden");
    admin
        .post_empty(&format!("/api/v1/platform/users/{admin_id}/impersonate"))
        .await
        .expect(StatusCode::BAD_REQUEST);
    admin.post_empty(&format!("/api/v1/platform/users/{gone_id}/deactivate")).await.expect(StatusCode::OK);
    admin
        .post_empty(&format!("/api/v1/platform/users/{gone_id}/impersonate"))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(impersonation(&admin).await, Value::Null);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'impersonation.started'").await,
        0
    );
}

#[tokio::test]
async fn an_impersonation_ends_by_itself_after_an_hour() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let ana = owner(&app, "ana@example.com", "org-ana").await;
    let ana_id = ana.get("/api/v1/me").await.json()["id"].as_str().unwrap().to_owned();
    admin.post_empty(&format!("/api/v1/platform/users/{ana_id}/impersonate")).await.expect(StatusCode::OK);
    app.clock.advance(chrono::Duration::minutes(59));
    assert_eq!(admin.get("/api/v1/me").await.json()["email"], "ana@example.com");

    app.clock.advance(chrono::Duration::minutes(1));
    assert_eq!(admin.get("/api/v1/me").await.json()["email"], ADMIN, "back to the admin's own session");
    assert_eq!(impersonation(&admin).await, Value::Null);
    let expired = app
        .count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'impersonation.stopped' AND payload->>'reason' = 'expired'")
        .await;
    assert_eq!(expired, 1);
}

#[tokio::test]
async fn signing_out_during_an_impersonation_ends_it() {
    let app = app().await;
    let (admin, _) = app.user(ADMIN).await;
    let (_ana, ana_id) = app.user("ana@example.com").await;
    admin.post_empty(&format!("/api/v1/platform/users/{ana_id}/impersonate")).await.expect(StatusCode::OK);
    admin.post_empty("/api/auth/sign-out").await.expect(StatusCode::NO_CONTENT);
    admin.get("/api/v1/me").await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let stopped = app
        .count("SELECT count(*) AS n FROM kernel.outbox WHERE event_type = 'impersonation.stopped' AND payload->>'reason' = 'signed_out'")
        .await;
    assert_eq!(stopped, 1);
}
