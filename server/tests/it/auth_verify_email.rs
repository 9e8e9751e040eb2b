//! Email verification (docs/http-api.md, "Identity": `GET /api/auth/verify-email?token=`), over
//! real SMTP: sign up, read the captured mail, follow its link.

use crate::common;

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Call, PASSWORD, TestApp, link_to, token_of};
use pretty_assertions::assert_eq;
use serde_json::json;

/// Signs `email` up and returns the verification link of the mail it receives.
async fn sign_up_and_read_link(app: &TestApp, email: &str) -> String {
    app.sign_up(email, "Ana").await.expect(StatusCode::CREATED);
    let mail = app.mail_to(email, 0).await;
    link_to(&mail, "/verify-email?token=")
}

/// The API path that verifies the token of a mailed link.
fn api_path(link: &str) -> String {
    format!("/api/auth/verify-email?token={}", token_of(link))
}

#[tokio::test]
async fn following_the_mailed_link_verifies_the_email_once() {
    let app = TestApp::start().await;
    let link = sign_up_and_read_link(&app, "ana@example.com").await;
    assert!(link.starts_with("http://127.0.0.1:3000/verify-email?token="), "{link}");

    let client = app.client();
    client.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    assert_eq!(client.session().await.expect(StatusCode::OK).json()["user"]["emailVerified"], false);

    let reply = client.get(&api_path(&link)).await.expect(StatusCode::OK);
    assert_eq!(reply.json(), json!({"verified": true, "signedIn": false}));

    assert_eq!(client.session().await.expect(StatusCode::OK).json()["user"]["emailVerified"], true);
    assert_eq!(client.get("/api/v1/me").await.expect(StatusCode::OK).json()["emailVerified"], true);
    let row = "SELECT count(*) AS n FROM iam.users WHERE email_verified_at IS NOT NULL";
    assert_eq!(app.count(row).await, 1);

    // The link works once.
    app.client().get(&api_path(&link)).await.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
}

#[tokio::test]
async fn a_browser_following_the_link_is_redirected_to_a_page() {
    let app = TestApp::start().await;
    let link = sign_up_and_read_link(&app, "ana@example.com").await;
    let browser = app.client();
    let html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    // docs/http-api.md, "Decisions made in code": 303 to `/signin?verified=1`, or `?verified=0`.
    let verified = browser.send(Call::get(&api_path(&link)).header("accept", html)).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.text());
    assert_eq!(verified.header("location"), Some("/signin?verified=1"));
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE email_verified_at IS NOT NULL").await, 1);

    // A used link sends the browser to the page that says the link failed.
    let again = browser.send(Call::get(&api_path(&link)).header("accept", html)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text());
    assert_eq!(again.header("location"), Some("/signin?verified=0"));
}

#[tokio::test]
async fn a_link_works_for_24_hours() {
    let app = TestApp::start().await;
    let early = sign_up_and_read_link(&app, "early@example.com").await;
    let late = sign_up_and_read_link(&app, "late@example.com").await;

    app.clock.advance(TimeDelta::hours(23) + TimeDelta::minutes(59));
    app.client().get(&api_path(&early)).await.expect(StatusCode::OK);

    app.clock.advance(TimeDelta::hours(1)); // 24 h 59 min after sign-up
    app.client().get(&api_path(&late)).await.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
    let unverified =
        "SELECT count(*) AS n FROM iam.users WHERE email_normalized = $1 AND email_verified_at IS NULL";
    assert_eq!(app.count_with(unverified, "late@example.com").await, 1);
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    let app = TestApp::start().await;
    let link = sign_up_and_read_link(&app, "ana@example.com").await;
    app.clock.advance(TimeDelta::hours(25));
    app.client().get(&api_path(&link)).await.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE email_verified_at IS NULL").await, 1);
}

#[tokio::test]
async fn missing_and_made_up_tokens_are_refused() {
    let app = TestApp::start().await;
    sign_up_and_read_link(&app, "ana@example.com").await;
    let client = app.client();
    for path in [
        "/api/auth/verify-email",
        "/api/auth/verify-email?token=",
        "/api/auth/verify-email?token=DxmezR5Fy7euCvp1WXzMXUgTvKR33UxWituBaSB3aSo",
        "/api/auth/verify-email?token=%00%27%20OR%201%3D1",
    ] {
        let reply = client.get(path).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "invalid_token", "{path}");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE email_verified_at IS NULL").await, 1);
}

#[tokio::test]
async fn a_password_reset_token_does_not_verify_an_email() {
    let app = TestApp::start().await;
    sign_up_and_read_link(&app, "ana@example.com").await;
    app.client()
        .post("/api/auth/request-password-reset", json!({"email": "ana@example.com"}))
        .await
        .expect(StatusCode::ACCEPTED);
    let reset_link = link_to(&app.mail_to("ana@example.com", 1).await, "/reset-password?token=");
    app.client().get(&api_path(&reset_link)).await.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE email_verified_at IS NULL").await, 1);
}
