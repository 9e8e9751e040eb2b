//! Sign-in, the session and sign-out (docs/http-api.md, "Identity"): the cookie's attributes, a
//! new session id at every sign-in, one answer for a wrong password and an unknown email, the
//! per-IP and per-account limits, and sessions destroyed server-side.

use crate::common;

use std::net::{IpAddr, Ipv4Addr};

use axum::http::StatusCode;
use chrono::TimeDelta;
use common::app::{Call, Client, PASSWORD, TestApp, assert_rate_limited};
use pretty_assertions::assert_eq;
use serde_json::json;

const SESSION: &str = "mibio_session";
const SIGN_IN: &str = "/api/auth/sign-in/email";

#[tokio::test]
async fn sign_in_answers_the_user_and_sets_an_http_only_lax_session_cookie() {
    let app = TestApp::start().await;
    let signed_up = app.sign_up("ana@example.com", "Ana").await.expect(StatusCode::CREATED).json();
    let client = app.client();

    let reply = client.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    assert_eq!(
        reply.json(),
        json!({"user": signed_up["user"], "next": "/dashboard"}),
        "the same {{user}} as at sign-up, and where to go"
    );
    let cookie = reply.set_cookie(SESSION).expect("a session cookie");
    assert!(!cookie.value.is_empty());
    assert_eq!(cookie.attribute("httponly"), Some(""));
    assert_eq!(cookie.attribute("samesite").map(str::to_ascii_lowercase).as_deref(), Some("lax"));
    assert_eq!(cookie.attribute("path"), Some("/"));
    assert_eq!(cookie.attribute("secure"), None, "PUBLIC_URL is http here");
    assert_eq!(cookie.attribute("max-age"), Some("2592000"), "30 days");
    let (limit, remaining, _) = reply.rate_limit().expect("X-RateLimit-* on a successful sign-in");
    assert_eq!((limit, remaining), (5, 4), "the tighter of the IP (10) and account (5) budgets");

    let session = client.session().await.expect(StatusCode::OK).json();
    assert_eq!(
        session,
        json!({
            "user": signed_up["user"],
            "organization": null,
            "permissions": [],
            "platformAdmin": false,
            "impersonation": null,
        })
    );
    let signed_in = "SELECT count(*) AS n FROM iam.users WHERE last_login_at IS NOT NULL";
    assert_eq!(app.count(signed_in).await, 1);
}

#[tokio::test]
async fn on_https_the_session_cookie_is_secure() {
    let app = TestApp::with_env(&[("PUBLIC_URL", "https://mibio.example")]).await;
    app.sign_up("ana@example.com", "Ana").await.expect(StatusCode::CREATED);
    let reply = app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    let cookie = reply.set_cookie(SESSION).expect("a session cookie");
    assert_eq!(cookie.attribute("secure"), Some(""));
    assert_eq!(cookie.attribute("httponly"), Some(""));

    // The active-organization cookie too.
    let client = app.client();
    client.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    let create = Call::post("/api/v1/organizations")
        .json(&json!({"name": "Coaching Ana", "slug": "coaching-ana"}))
        .without_origin()
        .header("origin", "https://mibio.example");
    let reply = client.send(create).await.expect(StatusCode::CREATED);
    let org = reply.set_cookie("mibio_org").expect("the active-organization cookie");
    assert_eq!((org.attribute("secure"), org.attribute("httponly")), (Some(""), Some("")));
}

#[tokio::test]
async fn the_email_matches_in_any_case_and_with_surrounding_spaces() {
    let app = TestApp::start().await;
    app.sign_up("Ana.Perez@Example.COM", "Ana").await.expect(StatusCode::CREATED);
    for email in ["ana.perez@example.com", "ANA.PEREZ@EXAMPLE.COM", "  Ana.Perez@example.com "] {
        let reply = app.client().sign_in(email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{email}: {}", reply.text());
        assert_eq!(reply.json()["user"]["email"], "Ana.Perez@Example.COM", "the address as registered");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401() {
    let app = TestApp::start().await;
    app.sign_up("ana@example.com", "Ana").await.expect(StatusCode::CREATED);
    let client = app.client();

    let wrong_password = client.sign_in("ana@example.com", "not the password at all").await;
    let unknown_email = client.sign_in("nobody@example.com", "not the password at all").await;
    let wrong_case_password = client.sign_in("ana@example.com", &PASSWORD.to_uppercase()).await;
    let empty_password = client.sign_in("ana@example.com", "").await;
    let huge_password = client.sign_in("ana@example.com", &"x".repeat(10_000)).await;
    let not_an_email = client.sign_in("not-an-email", PASSWORD).await;

    let expected = wrong_password.clone().expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
    for (what, reply) in [
        ("unknown email", &unknown_email),
        ("password in another case", &wrong_case_password),
        ("empty password", &empty_password),
        ("10 000-character password", &huge_password),
        ("not an email", &not_an_email),
    ] {
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}: {}", reply.text());
        assert_eq!(reply.body, expected.body, "{what}: the body must not tell the cases apart");
    }
    for reply in [&wrong_password, &unknown_email] {
        assert_eq!(reply.set_cookie(SESSION), None, "no session for a failed sign-in");
    }
    client.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE last_login_at IS NOT NULL").await, 0);
}

#[tokio::test]
async fn every_sign_in_gets_a_new_session_id_and_the_old_one_stops_working() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let before = client.cookie(SESSION).expect("signed in");
    let kept_copy = client.fork();
    kept_copy.session().await.expect(StatusCode::OK);

    client.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    let after = client.cookie(SESSION).expect("still signed in");
    assert_ne!(after, before, "the session id changes at sign-in");
    client.session().await.expect(StatusCode::OK);
    kept_copy.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn a_planted_session_id_is_not_adopted() {
    let app = TestApp::start().await;
    app.user("ana@example.com").await;
    // An attacker makes the victim's browser carry an id of the attacker's choosing.
    let planted = "zA0Emhge-H5BT78wNZ_jWw";
    let victim = app.client();
    victim.set_cookie(SESSION, Some(planted));
    victim.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    assert_ne!(victim.cookie(SESSION).as_deref(), Some(planted));

    let attacker = app.client();
    attacker.set_cookie(SESSION, Some(planted));
    attacker.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

/// Session fixation with an authenticated session: the attacker signs in to their own account,
/// plants that session's cookie in the victim's browser, and waits for the victim to sign in.
/// The victim's sign-in must get a fresh id, or the attacker's copy becomes the victim's session.
#[tokio::test]
async fn signing_in_over_someone_elses_session_does_not_hand_it_to_them() {
    let app = TestApp::start().await;
    let (attacker, _) = app.user("mallory@example.com").await;
    let (_, victim_id) = app.user("victim@example.com").await;

    let victim_browser = app.client();
    victim_browser.set_cookie(SESSION, attacker.cookie(SESSION).as_deref());
    victim_browser.sign_in("victim@example.com", PASSWORD).await.expect(StatusCode::OK);
    assert_eq!(
        victim_browser.session().await.expect(StatusCode::OK).json()["user"]["id"],
        victim_id.as_str()
    );

    let reply = attacker.session().await;
    assert_ne!(
        reply.json()["user"]["id"],
        victim_id.as_str(),
        "the attacker's cookie now opens the victim's account"
    );
    assert_ne!(victim_browser.cookie(SESSION), attacker.cookie(SESSION), "the victim got a new session id");
}

#[tokio::test]
async fn the_session_needs_a_valid_cookie() {
    let app = TestApp::start().await;
    let client = app.client();
    client.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    client.set_cookie(SESSION, Some("not-a-session"));
    client.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn sign_out_destroys_the_session_on_the_server() {
    let app = TestApp::start().await;
    let (client, id) = app.user("ana@example.com").await;
    let copy = client.fork();
    let sessions = "SELECT count(*) AS n FROM iam.sessions WHERE user_id = $1::uuid";
    assert_eq!(app.count_with(sessions, &id).await, 1);

    let reply = client.post_empty("/api/auth/sign-out").await.expect(StatusCode::NO_CONTENT);
    assert!(reply.body.is_empty());
    assert!(reply.set_cookie(SESSION).expect("the cookie is cleared").deletes());
    assert_eq!(client.cookie(SESSION), None);

    // The old cookie, replayed by a copy, no longer works: the session is gone server-side.
    copy.session().await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    copy.get("/api/v1/me").await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(app.count_with(sessions, &id).await, 0);
}

#[tokio::test]
async fn sign_out_leaves_the_other_sessions_alone() {
    let app = TestApp::start().await;
    let (laptop, _) = app.user("ana@example.com").await;
    let phone = app.client();
    phone.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    laptop.post_empty("/api/auth/sign-out").await.expect(StatusCode::NO_CONTENT);
    phone.session().await.expect(StatusCode::OK);
}

/// Sign-in attempts from one address: after `RATE_LIMIT_SIGNIN_PER_MINUTE` of them (any
/// account, any outcome) the address gets 429 — even with the right password — until the window
/// ends; other addresses are unaffected.
#[tokio::test]
async fn sign_in_is_limited_per_ip() {
    let app = TestApp::with_env(&[
        ("RATE_LIMIT_SIGNIN_PER_MINUTE", "3"),
        ("RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE", "100"),
    ])
    .await;
    app.user("ana@example.com").await; // one attempt from its own address
    let here = app.client();
    for n in 1..=2 {
        here.sign_in(&format!("guess{n}@example.com"), "wrong password")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
    let third = here.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
    let (limit, remaining, _) = third.rate_limit().unwrap();
    assert_eq!((limit, remaining), (3, 0));

    let limited = here.sign_in("ana@example.com", PASSWORD).await;
    assert_rate_limited(&limited, 3, app.now(), 60);
    assert_eq!(limited.set_cookie(SESSION), None);

    app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);

    let retry_after: i64 = limited.header("retry-after").unwrap().parse().unwrap();
    app.clock.advance(TimeDelta::seconds(retry_after));
    here.sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
}

/// Guessing one account's password from many addresses: after
/// `RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE` attempts on that account (whatever the case of the
/// email), it gets 429 from everywhere — even with the right password — while other accounts
/// still sign in.
#[tokio::test]
async fn sign_in_is_limited_per_account_across_addresses() {
    let app = TestApp::with_env(&[
        ("RATE_LIMIT_SIGNIN_PER_MINUTE", "100"),
        ("RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE", "2"),
    ])
    .await;
    app.sign_up("ana@example.com", "Ana").await.expect(StatusCode::CREATED);
    app.user("bea@example.com").await;

    let from = |n: u8| app.client_from(IpAddr::V4(Ipv4Addr::new(198, 51, 100, n)));
    from(1).sign_in("ana@example.com", "guess one").await.expect(StatusCode::UNAUTHORIZED);
    from(2).sign_in("ANA@example.com", "guess two").await.expect(StatusCode::UNAUTHORIZED);

    let limited = from(3).sign_in("ana@example.com", PASSWORD).await;
    assert_rate_limited(&limited, 2, app.now(), 60);
    let limited_again = from(4).sign_in(" Ana@Example.com", PASSWORD).await;
    assert_eq!(limited_again.status, StatusCode::TOO_MANY_REQUESTS);

    from(5).sign_in("bea@example.com", PASSWORD).await.expect(StatusCode::OK);

    app.clock.advance(TimeDelta::seconds(61));
    from(6).sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn sign_in_bodies_are_strict() {
    let app = TestApp::start().await;
    let client: Client = app.client();
    let reply = client
        .post(SIGN_IN, json!({"email": "ana@example.com", "password": PASSWORD, "remember": true}))
        .await;
    reply.expect_invalid("remember");
    client.post(SIGN_IN, json!({"email": "ana@example.com"})).await.expect_invalid("password");
    client
        .post(SIGN_IN, json!({"email": ["ana@example.com"], "password": PASSWORD}))
        .await
        .expect_invalid("email");
}
