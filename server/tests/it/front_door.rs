//! The front door (docs/http-api.md, "Signing in and `next`"): the landing page and the 404 page
//! show the way in; the dashboard and the console send a signed-out visitor to sign-in with a
//! server-side `303` that remembers where they were going; sign-in returns there — only to a path
//! on this site, whatever `next` says; and the verification link keeps `next`, signing in the
//! browser that signed up.

use crate::common;

use axum::http::StatusCode;
use common::app::{Call, Client, PASSWORD, TestApp, link_to, token_of};
use pretty_assertions::assert_eq;
use serde_json::json;

/// `next` values that must never be followed, as a browser sends them (percent-encoded in the
/// query once more by [`query`]).
const HOSTILE: &[&str] = &[
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "https://evil.example/dashboard",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2Fevil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%252F%252Fevil.example",
    "javascript%3Aalert(1)",
    "/%09/evil.example",
    "/\t/evil.example",
    "/dashboard/..//evil.example",
    "evil.example",
    "",
];

/// `raw` encoded for a query string (every byte outside the unreserved set).
fn query(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// `GET path` as a browser navigating there.
async fn navigate(client: &Client, path: &str) -> common::app::Reply {
    client.send(Call::get(path).header("accept", HTML)).await
}

/// An app whose sign-in limits do not get in the way of many sign-ins of one account.
async fn app() -> TestApp {
    TestApp::with_env(&[
        ("RATE_LIMIT_SIGNIN_PER_MINUTE", "1000"),
        ("RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE", "1000"),
    ])
    .await
}

#[tokio::test]
async fn the_landing_and_404_pages_show_the_way_in() {
    let app = app().await;
    let visitor = app.client();
    let landing = navigate(&visitor, "/").await.expect(StatusCode::OK).text();
    assert!(landing.contains(r#"href="/signup""#) && landing.contains(r#"href="/signin""#), "{landing}");
    assert!(!landing.contains("data-session"), "a visitor has no session");
    let lost = navigate(&visitor, "/no/such/page").await.expect(StatusCode::NOT_FOUND).text();
    assert!(lost.contains(r#"href="/""#) && lost.contains(r#"href="/signin""#), "{lost}");
    // The public 404 of a page that does not exist, too.
    let lost = navigate(&visitor, "/no-such-coach").await.expect(StatusCode::NOT_FOUND).text();
    assert!(lost.contains(r#"/signin""#), "{lost}");

    // Signed in: the dashboard instead.
    let (ana, _) = app.user("ana@example.com").await;
    let landing = navigate(&ana, "/").await.expect(StatusCode::OK).text();
    assert!(landing.contains(r#"href="/dashboard""#) && landing.contains("data-session"), "{landing}");
    assert!(!landing.contains(r#"href="/signup""#), "no sign-up for someone signed in");
    let lost = navigate(&ana, "/no/such/page").await.expect(StatusCode::NOT_FOUND).text();
    assert!(lost.contains(r#"href="/dashboard""#) && !lost.contains(r#"href="/signin""#), "{lost}");
}

#[tokio::test]
async fn signed_out_visitors_of_the_dashboard_and_the_console_are_sent_to_sign_in() {
    let app = app().await;
    let visitor = app.client();
    let id = uuid::Uuid::now_v7();
    for (path, location) in [
        ("/dashboard", "/signin".to_owned()),
        ("/dashboard/", "/signin?next=/dashboard/".to_owned()),
        ("/dashboard/pages?new=1", "/signin?next=/dashboard/pages%3Fnew%3D1".to_owned()),
        (&*format!("/dashboard/pages/{id}/leads"), format!("/signin?next=/dashboard/pages/{id}/leads")),
        ("/admin", "/signin?next=/admin".to_owned()),
        ("/admin/users?q=ana&limit=5", "/signin?next=/admin/users%3Fq%3Dana%26limit%3D5".to_owned()),
        ("/admin/setup", "/signin?next=/admin/setup".to_owned()),
    ] {
        let reply = navigate(&visitor, path).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "GET {path}: {}", reply.text());
        assert_eq!(reply.header("location"), Some(location.as_str()), "GET {path}");
        assert_eq!(reply.header("cache-control"), Some("no-store"), "GET {path}");
        assert!(reply.body.is_empty(), "GET {path}: nothing is rendered");
        let head = visitor.send(Call::new(axum::http::Method::HEAD, path)).await;
        assert_eq!(head.status, StatusCode::SEE_OTHER, "HEAD {path}");
    }
    // Addresses under those prefixes that name no screen keep their 404 (reserved slugs' cards
    // among them: docs/http-api.md, "OpenGraph cards").
    for path in [
        "/admin/opengraph-image",
        "/dashboard/opengraph-image",
        "/admin/nothing-here",
        "/dashboard/no-such-screen",
    ] {
        assert_eq!(navigate(&visitor, path).await.status, StatusCode::NOT_FOUND, "GET {path}");
    }
    // Pages around them are not affected.
    for path in ["/", "/signin", "/signup", "/dashboards", "/administrator"] {
        let reply = navigate(&visitor, path).await;
        assert_ne!(reply.status, StatusCode::SEE_OTHER, "GET {path}");
    }

    // Once signed in, the same addresses render.
    let (ana, _) = app.user("ana@example.com").await;
    navigate(&ana, "/dashboard").await.expect(StatusCode::OK);
    // Signed out again: back to the redirect.
    ana.post_empty("/api/auth/sign-out").await.expect(StatusCode::NO_CONTENT);
    assert_eq!(navigate(&ana, "/dashboard/pages").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_in_returns_to_next_on_this_site_only() {
    let app = app().await;
    let (_, _) = app.user("ana@example.com").await;
    let client = app.client();
    let sign_in = |next: Option<&str>| {
        let mut body = json!({"email": "ana@example.com", "password": PASSWORD});
        if let Some(next) = next {
            body["next"] = json!(next);
        }
        client.post("/api/auth/sign-in/email", body)
    };

    for raw in HOSTILE {
        let reply = sign_in(Some(raw)).await.expect(StatusCode::OK);
        assert_eq!(reply.json()["next"], "/dashboard", "REST, next = {raw:?}");
        let reply = client
            .post("/api/fn/sign_in", json!({"email": "ana@example.com", "password": PASSWORD, "next": raw}))
            .await
            .expect(StatusCode::OK);
        assert_eq!(reply.json()["next"], "/dashboard", "server function, next = {raw:?}");
    }
    let reply = sign_in(None).await.expect(StatusCode::OK);
    assert_eq!(reply.json()["next"], "/dashboard");
    assert_eq!(reply.json()["user"]["email"], "ana@example.com");
    for safe in ["/dashboard/pages?new=1", "/invitations/abc-DEF_123", "/admin/users?q=ana%20p"] {
        let reply = sign_in(Some(safe)).await.expect(StatusCode::OK);
        assert_eq!(reply.json()["next"], safe);
    }
    // Without `next` the server function answers as before, plus where to go.
    let reply = client
        .post("/api/fn/sign_in", json!({"email": "ana@example.com", "password": PASSWORD}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(reply.json()["next"], "/dashboard");
}

#[tokio::test]
async fn the_sign_in_screen_keeps_only_safe_next_values() {
    let app = app().await;
    let visitor = app.client();
    for raw in HOSTILE {
        let html =
            navigate(&visitor, &format!("/signin?next={}", query(raw))).await.expect(StatusCode::OK).text();
        // The way to sign-up carries `next` on: a refused one is not carried at all.
        assert!(html.contains(r#"href="/signup""#), "next = {raw:?}: {html}");
        assert!(!html.contains("evil.example"), "next = {raw:?} leaked into the page");
    }
    let html = navigate(&visitor, "/signin?next=%2Fdashboard%2Fpages%3Fnew%3D1").await.text();
    assert!(html.contains(r#"href="/signup?next=/dashboard/pages%3Fnew%3D1""#), "{html}");
}

/// Signs up `email` as `browser` with `next`; the mailed verification link.
async fn sign_up(app: &TestApp, browser: &Client, email: &str, next: Option<&str>) -> String {
    let mut body = json!({"email": email, "password": PASSWORD, "name": "Ana", "locale": "en"});
    if let Some(next) = next {
        body["next"] = json!(next);
    }
    let reply = browser.post("/api/auth/sign-up/email", body).await.expect(StatusCode::CREATED);
    let cookie = reply.set_cookie("mibio_signup").expect("the browser's proof");
    assert!(
        cookie.attributes.contains_key("httponly") && cookie.attributes["max-age"] == "86400",
        "{cookie:?}"
    );
    link_to(&app.mail_to(email, 0).await, "/verify-email?token=")
}

/// The path and query of a mailed link.
fn path_of(link: &str) -> String {
    link.strip_prefix(common::app::ORIGIN_URL).unwrap_or(link).to_owned()
}

#[tokio::test]
async fn the_mailed_link_keeps_next_and_signs_in_the_browser_that_signed_up() {
    let app = app().await;
    let browser = app.client();
    let link = sign_up(&app, &browser, "ana@example.com", Some("/dashboard/pages?new=1")).await;
    assert!(link.ends_with("&next=/dashboard/pages%3Fnew%3D1"), "{link}");
    browser.session().await.expect(StatusCode::UNAUTHORIZED);

    // The page the link opens, in the same browser: confirmed, signed in, sent on with a 303.
    let reply = navigate(&browser, &path_of(&link)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    assert_eq!(reply.header("location"), Some("/dashboard/pages?new=1"));
    assert!(reply.set_cookie("mibio_session").is_some(), "a new session");
    assert!(reply.set_cookie("mibio_signup").is_some_and(|c| c.deletes()), "the proof is spent");
    let session = browser.session().await.expect(StatusCode::OK).json();
    assert_eq!(
        (session["user"]["email"].as_str(), session["user"]["emailVerified"].as_bool()),
        (Some("ana@example.com"), Some(true))
    );
    navigate(&browser, "/dashboard/pages?new=1").await.expect(StatusCode::OK);
}

#[tokio::test]
async fn the_link_opened_elsewhere_only_confirms_and_offers_sign_in_with_next() {
    let app = app().await;
    let browser = app.client();
    let link = sign_up(&app, &browser, "ana@example.com", Some("/invitations/abc")).await;

    // Another browser (a phone's mail app, a mail scanner): confirmed, nobody signed in.
    let elsewhere = app.client();
    let html = navigate(&elsewhere, &path_of(&link)).await.expect(StatusCode::OK).text();
    assert!(html.contains(r#"data-ok="true""#), "{html}");
    assert!(html.contains(r#"href="/signin?next=/invitations/abc""#), "{html}");
    elsewhere.session().await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE email_verified_at IS NOT NULL").await, 1);

    // The link is spent: the browser that signed up is told so, and is not signed in.
    let again = navigate(&browser, &path_of(&link)).await.expect(StatusCode::BAD_REQUEST).text();
    assert!(again.contains(r#"data-ok="false""#), "{again}");
    browser.session().await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_rest_link_keeps_next_too() {
    let app = app().await;
    let browser = app.client();
    let link = sign_up(&app, &browser, "ana@example.com", Some("/dashboard/members")).await;
    let api = format!("/api/auth/verify-email?token={}&next=%2Fdashboard%2Fmembers", token_of(&link));
    let reply = navigate(&browser, &api).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/dashboard/members"));
    browser.session().await.expect(StatusCode::OK);

    let bruno = app.client();
    let link = sign_up(&app, &bruno, "bruno@example.com", None).await;
    let hostile = format!("/api/auth/verify-email?token={}&next=%2F%2Fevil.example", token_of(&link));
    // Not the browser that signed up: confirmed, then sign-in (the hostile `next` dropped).
    let reply = navigate(&app.client(), &hostile).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/signin?verified=1"));
}

#[tokio::test]
async fn hostile_next_values_never_reach_the_mail() {
    let app = app().await;
    for (n, raw) in HOSTILE.iter().enumerate() {
        let email = format!("user{n}@example.com");
        let link = sign_up(&app, &app.client(), &email, Some(raw)).await;
        assert!(!link.contains("next="), "next = {raw:?}: {link}");
    }
}

#[tokio::test]
async fn a_taken_email_gets_a_proof_cookie_too() {
    let app = app().await;
    let first = app.client();
    sign_up(&app, &first, "ana@example.com", None).await;
    let second = app
        .client()
        .post(
            "/api/auth/sign-up/email",
            json!({"email": "ana@example.com", "password": PASSWORD, "name": "X"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let cookie = second.set_cookie("mibio_signup").expect("the same cookie, so nothing tells them apart");
    assert_eq!(cookie.value.len(), 64);
}
