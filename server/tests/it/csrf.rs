//! The CSRF origin check (docs/http-api.md, "Conventions"): a mutating request that carries the
//! session cookie must come with an `Origin` (or, failing that, a `Referer`) of `PUBLIC_URL`'s
//! origin, or it is refused with 403 — and has no effect. Requests without the session cookie
//! (sign-up, sign-in) are not checked.

use crate::common;

use axum::http::StatusCode;
use common::app::{Call, Client, PASSWORD, TestApp};
use pretty_assertions::assert_eq;
use serde_json::json;

const ORGS: &str = "/api/v1/organizations";

fn create_org() -> Call {
    Call::post(ORGS).json(&json!({"name": "Coaching Ana", "slug": "coaching-ana"})).without_origin()
}

async fn org_count(app: &TestApp) -> i64 {
    app.count("SELECT count(*) AS n FROM tenancy.organizations").await
}

#[tokio::test]
async fn a_cookied_post_without_origin_or_referer_is_refused() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    client.send(create_org()).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(org_count(&app).await, 0);
}

#[tokio::test]
async fn foreign_origins_are_refused() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    for origin in [
        "https://evil.example",
        "null",
        "http://127.0.0.1:3001",
        "https://127.0.0.1:3000",
        "http://localhost:3000",
        "http://127.0.0.1:3000.evil.example",
        "",
    ] {
        let reply = client.send(create_org().header("origin", origin)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "Origin {origin:?}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "forbidden");
    }
    // A foreign Origin is not rescued by a same-site Referer.
    let both = create_org()
        .header("origin", "https://evil.example")
        .header("referer", "http://127.0.0.1:3000/dashboard");
    client.send(both).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(org_count(&app).await, 0);
}

#[tokio::test]
async fn a_same_site_referer_stands_in_for_a_missing_origin() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let foreign = create_org().header("referer", "https://evil.example/http://127.0.0.1:3000/");
    client.send(foreign).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    let ours = create_org().header("referer", "http://127.0.0.1:3000/dashboard/organizations/new?x=1");
    client.send(ours).await.expect(StatusCode::CREATED);
    assert_eq!(org_count(&app).await, 1);
}

#[tokio::test]
async fn the_matching_origin_is_accepted() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    client.send(create_org().header("origin", "http://127.0.0.1:3000")).await.expect(StatusCode::CREATED);
}

/// Every kind of mutation is checked: POST, PATCH and DELETE, on identity and organizations.
#[tokio::test]
async fn every_mutating_endpoint_is_checked() {
    let app = TestApp::start().await;
    let (client, me) = app.user("ana@example.com").await;
    let org = app.organization(&client, "Coaching Ana", "coaching-ana").await;
    let (bob, bob_id) = app.user("bob@example.com").await;
    app.join(&client, &bob, "bob@example.com", "editor").await;
    let role = client
        .post("/api/v1/organizations/current/roles", json!({"name": "helper", "permissions": ["links:read"]}))
        .await
        .expect(StatusCode::CREATED)
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let calls = [
        Call::post("/api/auth/sign-out"),
        Call::post("/api/auth/change-password")
            .json(&json!({"currentPassword": PASSWORD, "newPassword": "x y z w v u t"})),
        Call::patch("/api/v1/me").json(&json!({"name": "Pwned"})),
        Call::post(ORGS).json(&json!({"name": "X", "slug": "xyz"})),
        Call::post("/api/v1/organizations/active").json(&json!({"organizationId": org})),
        Call::post("/api/v1/organizations/current/invitations")
            .json(&json!({"email": "m@example.com", "role": "admin"})),
        Call::patch(&format!("/api/v1/organizations/current/members/{bob_id}"))
            .json(&json!({"role": "admin"})),
        Call::delete(&format!("/api/v1/organizations/current/members/{bob_id}")),
        Call::post("/api/v1/organizations/current/roles")
            .json(&json!({"name": "x-role", "permissions": ["*"]})),
        Call::patch(&format!("/api/v1/organizations/current/roles/{role}"))
            .json(&json!({"permissions": ["*"]})),
        Call::delete(&format!("/api/v1/organizations/current/roles/{role}")),
        Call::post("/api/v1/invitations/some-token/accept"),
        // A sign-in from a browser that already has a session is a mutation with the cookie.
        Call::post("/api/auth/sign-in/email")
            .json(&json!({"email": "ana@example.com", "password": PASSWORD})),
    ];
    for call in calls {
        let what = format!("{call:?}");
        let reply = client.send(call.without_origin().header("origin", "https://evil.example")).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{what}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "forbidden", "{what}");
    }

    // Nothing happened.
    client.session().await.expect(StatusCode::OK);
    let me_now = client.get("/api/v1/me").await.json();
    assert_eq!((me_now["id"].as_str(), me_now["name"].as_str()), (Some(me.as_str()), Some("ana")));
    assert_eq!(org_count(&app).await, 1);
    let members = client.get("/api/v1/organizations/current/members").await.json();
    let bob_now =
        members["items"].as_array().unwrap().iter().find(|m| m["userId"] == bob_id.as_str()).cloned();
    assert_eq!(bob_now.map(|m| m["role"].clone()), Some(json!("editor")));
    let roles = client.get("/api/v1/organizations/current/roles").await.json();
    assert_eq!(roles["items"].as_array().unwrap().len(), 5);
    assert!(app.mails_to("m@example.com").is_empty());
    app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
}

/// A stale or made-up session cookie still counts as "carries a session cookie".
#[tokio::test]
async fn any_session_cookie_triggers_the_check() {
    let app = TestApp::start().await;
    let client = app.client();
    client.set_cookie("mibio_session", Some("stale"));
    let call = Call::post("/api/auth/sign-out").without_origin();
    client.send(call).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
}

/// Without a session cookie there is no session authority to abuse: sign-up and sign-in work
/// from API clients that send no `Origin`.
#[tokio::test]
async fn requests_without_the_session_cookie_are_not_checked() {
    let app = TestApp::start().await;
    let client: Client = app.client();
    let sign_up = Call::post("/api/auth/sign-up/email")
        .json(&json!({"email": "ana@example.com", "password": PASSWORD, "name": "Ana"}))
        .without_origin()
        .header("origin", "https://other.example");
    client.send(sign_up).await.expect(StatusCode::CREATED);
    let sign_in = Call::post("/api/auth/sign-in/email")
        .json(&json!({"email": "ana@example.com", "password": PASSWORD}))
        .without_origin();
    client.send(sign_in).await.expect(StatusCode::OK);
    // Reads are never checked.
    client
        .send(Call::get("/api/auth/session").header("origin", "https://other.example"))
        .await
        .expect(StatusCode::OK);
}

/// The allowed origin is `PUBLIC_URL`'s, whatever it is.
#[tokio::test]
async fn the_allowed_origin_follows_public_url() {
    let app = TestApp::with_env(&[("PUBLIC_URL", "https://mibio.example")]).await;
    let (client, _) = app.user("ana@example.com").await;
    for (origin, status) in [
        ("http://127.0.0.1:3000", StatusCode::FORBIDDEN),
        ("http://mibio.example", StatusCode::FORBIDDEN),
        ("https://mibio.example:8443", StatusCode::FORBIDDEN),
        ("https://mibio.example", StatusCode::CREATED),
    ] {
        let reply = client.send(create_org().header("origin", origin)).await;
        assert_eq!(reply.status, status, "{origin}: {}", reply.text());
    }
}
