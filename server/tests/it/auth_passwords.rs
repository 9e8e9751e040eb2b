//! Passwords (docs/http-api.md, "Identity"): change-password, the reset request and the reset
//! through the mailed link, and the password rules (length, no truncation) as the API applies
//! them.

use crate::common;

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Client, NEW_PASSWORD, PASSWORD, TestApp, assert_rate_limited, link_to, token_of};
use pretty_assertions::assert_eq;
use serde_json::json;

const CHANGE: &str = "/api/auth/change-password";
const REQUEST_RESET: &str = "/api/auth/request-password-reset";
const RESET: &str = "/api/auth/reset-password";
const SESSIONS_OF: &str = "SELECT count(*) AS n FROM iam.sessions WHERE user_id = $1::uuid";

/// Asks for a reset of `email` and returns the token of the `index`-th mail to it.
async fn reset_token(app: &TestApp, email: &str, index: usize) -> String {
    app.client().post(REQUEST_RESET, json!({"email": email})).await.expect(StatusCode::ACCEPTED);
    let mail = app.mail_to(email, index).await;
    token_of(&link_to(&mail, "/reset-password?token="))
}

#[tokio::test]
async fn change_password_keeps_this_session_and_revokes_the_others() {
    let app = TestApp::start().await;
    let (laptop, id) = app.user("ana@example.com").await;
    let phone = app.client();
    phone.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    assert_eq!(app.count_with(SESSIONS_OF, &id).await, 2);

    let reply = laptop.post(CHANGE, json!({"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD})).await;
    assert!(reply.expect(StatusCode::NO_CONTENT).body.is_empty());

    laptop.session().await.expect(StatusCode::OK);
    laptop.get("/api/v1/me").await.expect(StatusCode::OK);
    phone.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(app.count_with(SESSIONS_OF, &id).await, 1, "the other session is gone from the store");

    app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::UNAUTHORIZED);
    app.client().sign_in("ana@example.com", NEW_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn change_password_refuses_a_wrong_current_password_or_a_weak_new_one() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let phone = app.client();
    phone.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);

    let wrong =
        client.post(CHANGE, json!({"currentPassword": "not my password", "newPassword": NEW_PASSWORD})).await;
    wrong.expect_invalid("currentPassword");
    for weak in ["short", "password123", &"y".repeat(257)] {
        let reply = client.post(CHANGE, json!({"currentPassword": PASSWORD, "newPassword": weak})).await;
        reply.expect_invalid("newPassword");
    }
    client.post(CHANGE, json!({"currentPassword": PASSWORD})).await.expect_invalid("newPassword");
    let extra = json!({"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD, "userId": "x"});
    client.post(CHANGE, extra).await.expect_invalid("userId");

    // Nothing changed: the other session lives and the old password still works.
    phone.session().await.expect(StatusCode::OK);
    app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);

    let anonymous = app.client();
    let reply =
        anonymous.post(CHANGE, json!({"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD})).await;
    reply.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn a_reset_request_answers_202_whether_or_not_the_account_exists() {
    let app = TestApp::start().await;
    app.user("ana@example.com").await;
    let client = app.client();

    let known =
        client.post(REQUEST_RESET, json!({"email": "ana@example.com"})).await.expect(StatusCode::ACCEPTED);
    let unknown =
        client.post(REQUEST_RESET, json!({"email": "nobody@example.com"})).await.expect(StatusCode::ACCEPTED);
    let odd =
        client.post(REQUEST_RESET, json!({"email": "not even an email"})).await.expect(StatusCode::ACCEPTED);
    for reply in [&unknown, &odd] {
        assert_eq!(reply.body, known.body);
        assert_eq!(reply.header("content-type"), known.header("content-type"));
        assert!(reply.rate_limit().is_some());
    }
    assert!(known.rate_limit().is_some(), "X-RateLimit-* on the answer");

    let mail = app.mail_to("ana@example.com", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Reset your password — mibio"));
    assert!(link_to(&mail, "/reset-password?token=").len() > 60);
    app.assert_mail_count(1).await; // nothing to the unknown addresses
}

#[tokio::test]
async fn a_reset_request_is_a_strict_json_body() {
    let app = TestApp::start().await;
    let client = app.client();
    client.post(REQUEST_RESET, json!({"email": "ana@example.com", "x": 1})).await.expect_invalid("x");
    client.post(REQUEST_RESET, json!({})).await.expect_invalid("email");
}

#[tokio::test]
async fn reset_requests_are_limited_per_ip() {
    let app = TestApp::with_env(&[("RATE_LIMIT_SIGNUP_PER_HOUR", "2")]).await;
    let here = app.client();
    for n in 0..2 {
        here.post(REQUEST_RESET, json!({"email": format!("who{n}@example.com")}))
            .await
            .expect(StatusCode::ACCEPTED);
    }
    let limited = here.post(REQUEST_RESET, json!({"email": "who@example.com"})).await;
    assert_rate_limited(&limited, 2, app.now(), 3600);
    app.client().post(REQUEST_RESET, json!({"email": "who@example.com"})).await.expect(StatusCode::ACCEPTED);
}

#[tokio::test]
async fn resetting_through_the_mailed_link_signs_out_everywhere() {
    let app = TestApp::start().await;
    let (laptop, id) = app.user("ana@example.com").await;
    let phone = app.client();
    phone.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    let token = reset_token(&app, "ana@example.com", 0).await;

    let reply = app.client().post(RESET, json!({"token": token, "newPassword": NEW_PASSWORD})).await;
    assert!(reply.expect(StatusCode::NO_CONTENT).body.is_empty());

    laptop.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    phone.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(app.count_with(SESSIONS_OF, &id).await, 0);
    app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::UNAUTHORIZED);
    app.client().sign_in("ana@example.com", NEW_PASSWORD).await.expect(StatusCode::OK);

    // The link works once.
    let again =
        app.client().post(RESET, json!({"token": token, "newPassword": "a third secret phrase"})).await;
    again.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
    app.client().sign_in("ana@example.com", NEW_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_reset_link_works_for_one_hour() {
    let app = TestApp::start().await;
    app.user("ana@example.com").await;

    let first = reset_token(&app, "ana@example.com", 0).await;
    app.clock.advance(TimeDelta::minutes(59));
    app.client()
        .post(RESET, json!({"token": first, "newPassword": NEW_PASSWORD}))
        .await
        .expect(StatusCode::NO_CONTENT);

    let second = reset_token(&app, "ana@example.com", 1).await;
    app.clock.advance(TimeDelta::minutes(61));
    let late =
        app.client().post(RESET, json!({"token": second, "newPassword": "a third secret phrase"})).await;
    late.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
    app.client().sign_in("ana@example.com", NEW_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_weak_new_password_is_refused_and_leaves_the_link_usable() {
    let app = TestApp::start().await;
    app.user("ana@example.com").await;
    let token = reset_token(&app, "ana@example.com", 0).await;
    let client = app.client();
    client.post(RESET, json!({"token": token, "newPassword": "1234567"})).await.expect_invalid("newPassword");
    client
        .post(RESET, json!({"token": token, "newPassword": "qwertyuiop"}))
        .await
        .expect_invalid("newPassword");
    client.post(RESET, json!({"token": token})).await.expect_invalid("newPassword");
    client
        .post(RESET, json!({"token": token, "newPassword": NEW_PASSWORD}))
        .await
        .expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn made_up_and_superseded_tokens_are_refused() {
    let app = TestApp::start().await;
    app.user("ana@example.com").await;
    let client = app.client();
    let made_up =
        json!({"token": "DxmezR5Fy7euCvp1WXzMXUgTvKR33UxWituBaSB3aSo", "newPassword": NEW_PASSWORD});
    client.post(RESET, made_up).await.expect_error(StatusCode::BAD_REQUEST, "invalid_token");

    let older = reset_token(&app, "ana@example.com", 0).await;
    let newer = reset_token(&app, "ana@example.com", 1).await;
    client
        .post(RESET, json!({"token": newer, "newPassword": NEW_PASSWORD}))
        .await
        .expect(StatusCode::NO_CONTENT);
    let stale = client.post(RESET, json!({"token": older, "newPassword": "a third secret phrase"})).await;
    stale.expect_error(StatusCode::BAD_REQUEST, "invalid_token");
}

/// ASVS V6.2: long passphrases are allowed (at least 64 characters; the cap is 256) and used
/// whole — a password is never cut short, so one that only shares a long prefix does not match.
#[tokio::test]
async fn long_passwords_are_used_whole() {
    let app = TestApp::start().await;
    let long: String = "correct horse battery staple ".repeat(9).chars().take(256).collect();
    assert_eq!(long.chars().count(), 256);
    let client: Client = app.client();
    let reply = client
        .post("/api/auth/sign-up/email", json!({"email": "ana@example.com", "password": long, "name": "Ana"}))
        .await;
    reply.expect(StatusCode::CREATED);

    client.sign_in("ana@example.com", &long).await.expect(StatusCode::OK);
    let prefix: String = long.chars().take(255).collect();
    app.client().sign_in("ana@example.com", &prefix).await.expect(StatusCode::UNAUTHORIZED);
    let first_72: String = long.chars().take(72).collect();
    app.client().sign_in("ana@example.com", &first_72).await.expect(StatusCode::UNAUTHORIZED);
}
