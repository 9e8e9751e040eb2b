//! The unverified-account policy (docs/http-api.md, "Unverified accounts"): an account that has not
//! proven its address may sign in and build in private, but publishing a page (and so capturing
//! leads on it) and sending invitations answer `403 email_unverified` and change nothing; the
//! dashboard says so with a banner that mails a new link; once verified, both work.

use crate::common;
use crate::common::links;

use axum::http::StatusCode;
use common::app::{Call, Client, PASSWORD, TestApp, link_to, token_of};
use links::*;
use pretty_assertions::assert_eq;
use serde_json::json;

const EMAIL: &str = "newcoach@example.com";

/// A new account through the real sign-up (unverified), signed in, owning an organization with a
/// draft page; the page's id.
async fn unverified_coach(app: &TestApp) -> (Client, String) {
    app.sign_up(EMAIL, "New Coach").await.expect(StatusCode::CREATED);
    let client = app.client();
    client.sign_in(EMAIL, PASSWORD).await.expect(StatusCode::OK);
    app.organization(&client, "New Coaching", "new-coaching").await;
    let page = create_page(&client, "new-coach").await;
    let page_id = id(&page);
    add_block(&client, &page_id, "LEAD_CAPTURE", lead_form("Join my list")).await;
    (client, page_id)
}

#[tokio::test]
async fn an_unverified_account_builds_in_private_but_cannot_publish_or_invite() {
    let app = TestApp::start().await;
    let (coach, page_id) = unverified_coach(&app).await;

    let publish = coach.patch(&page_path(&page_id), json!({"published": true})).await;
    let publish = publish.expect_error(StatusCode::FORBIDDEN, "email_unverified");
    assert!(publish.json()["error"]["message"].as_str().unwrap().contains("Verify your email"));
    assert_eq!(get_page(&coach, &page_id).await["published"], false, "nothing changed");
    app.client().get(&public_path("new-coach")).await.expect(StatusCode::NOT_FOUND);
    // A page that is not public takes no leads.
    let form = get_page(&coach, &page_id).await["blocks"][0]["id"].as_str().unwrap().to_owned();
    let lead =
        app.client().post("/api/v1/public/leads", json!({"blockId": form, "email": "x@example.com"})).await;
    lead.expect(StatusCode::NOT_FOUND);

    let before = app.mails_to("friend@example.com").len();
    let invite = coach
        .post(
            "/api/v1/organizations/current/invitations",
            json!({"email": "friend@example.com", "role": "editor"}),
        )
        .await;
    invite.expect_error(StatusCode::FORBIDDEN, "email_unverified");
    assert_eq!(app.mails_to("friend@example.com").len(), before, "no invitation was mailed");
    assert_eq!(app.count("SELECT count(*) AS n FROM tenancy.invitations").await, 0);

    // Editing the draft is fine.
    patch_page(&coach, &page_id, json!({"title": "Still a draft"})).await;
    // The same rule through the dashboard's door (the server functions call the same use cases).
    let html = coach.send(Call::get("/dashboard").header("accept", "text/html")).await.text();
    assert!(html.contains("data-testid=\"verify-banner\"") && html.contains(EMAIL), "the banner: {html}");
}

#[tokio::test]
async fn a_new_link_verifies_and_then_publishing_and_inviting_work() {
    let app = TestApp::start().await;
    let (coach, page_id) = unverified_coach(&app).await;
    assert_eq!(app.mails_to(EMAIL).len(), 1, "the sign-up mail");

    let resent = coach.post_empty("/api/auth/verify-email/resend").await.expect(StatusCode::ACCEPTED);
    assert_eq!(resent.rate_limit().map(|(limit, remaining, _)| (limit, remaining)), Some((5, 4)));
    let mail = app.mail_to(EMAIL, 1).await;
    let link = link_to(&mail, "/verify-email?token=");
    // The first link still works too; the new one is used here.
    app.client()
        .get(&format!("/api/auth/verify-email?token={}", token_of(&link)))
        .await
        .expect(StatusCode::OK);

    publish(&coach, &page_id).await;
    app.client().get(&public_path("new-coach")).await.expect(StatusCode::OK);
    coach
        .post(
            "/api/v1/organizations/current/invitations",
            json!({"email": "friend@example.com", "role": "editor"}),
        )
        .await
        .expect(StatusCode::CREATED);
    let html = coach.send(Call::get("/dashboard").header("accept", "text/html")).await.text();
    assert!(!html.contains("data-testid=\"verify-banner\""), "no banner once verified");

    coach.post_empty("/api/auth/verify-email/resend").await.expect_error(StatusCode::CONFLICT, "conflict");
    app.client().post_empty("/api/auth/verify-email/resend").await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn new_links_are_rate_limited_per_account() {
    let app = TestApp::start().await;
    let (coach, _) = unverified_coach(&app).await;
    for _ in 0..5 {
        coach.post_empty("/api/auth/verify-email/resend").await.expect(StatusCode::ACCEPTED);
    }
    coach
        .post_empty("/api/auth/verify-email/resend")
        .await
        .expect_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    // The dashboard's door spends the same budget.
    let reply = coach.send(Call::post("/api/fn/resend_verification").json(&json!({}))).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}", reply.text());
    assert_eq!(app.mails_to(EMAIL).len(), 6, "the sign-up mail and five new links");
}
