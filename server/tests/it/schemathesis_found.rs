//! Regression tests for what `scripts/schemathesis` found (docs/reliability.md, "OpenAPI and
//! schemathesis"): each one a request that once answered 5xx or off the document.

use crate::common;

use axum::http::StatusCode;
use common::app::{PASSWORD, TestApp};
use pretty_assertions::assert_eq;
use serde_json::json;

/// An email with U+0000 reached Postgres, which refuses text holding it: the lookup failed and
/// sign-in answered `500`. No address holds U+0000, so it is an unknown address: `401` (and
/// `202` for a reset request, as for any unknown address).
#[tokio::test]
async fn an_email_with_a_nul_character_is_an_unknown_address() {
    let app = TestApp::start().await;
    let (signed_in, _) = app.user("ana@example.com").await;
    for email in ["\u{0}", "ana\u{0}@example.com", "ana@example.com\u{0}"] {
        let body = json!({"email": email, "password": PASSWORD});
        app.client()
            .post("/api/auth/sign-in/email", body.clone())
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
        // With a session, as the fuzzer sent it.
        signed_in
            .post("/api/auth/sign-in/email", body)
            .await
            .expect_error(StatusCode::UNAUTHORIZED, "invalid_credentials");
        app.client()
            .post("/api/auth/request-password-reset", json!({"email": email}))
            .await
            .expect(StatusCode::ACCEPTED);
    }
    // The real address still signs in.
    app.client().sign_in("ana@example.com", PASSWORD).await.expect(StatusCode::OK);
}

/// Found next to it, by probing every text input with U+0000 after the finding above: the
/// console's search (`?q=`) put it in an `ILIKE` pattern, and the lists of users and of
/// organizations answered `500`. Nothing stored holds U+0000: the lists are empty.
#[tokio::test]
async fn a_console_search_with_a_nul_character_finds_nothing() {
    let app = TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", "root@example.com")]).await;
    let (admin, _) = app.user("root@example.com").await;
    for list in ["users", "organizations"] {
        for q in ["%00", "a%00b"] {
            let reply = admin.get(&format!("/api/v1/platform/{list}?q={q}")).await.expect(StatusCode::OK);
            assert_eq!(reply.json(), json!({"items": [], "nextCursor": null}), "{list} ?q={q}");
        }
        admin.get(&format!("/api/v1/platform/{list}")).await.expect(StatusCode::OK);
    }
}

/// Found by the long run (seed 790811861): the audit log takes an organization by slug (and an
/// actor by email, as the console shows them); a slug with U+0000 went to Postgres and the
/// answer was `500`. Now no organization has it: `400` naming the filter, like any unknown slug.
#[tokio::test]
async fn an_audit_filter_with_a_nul_character_names_nobody() {
    let app = TestApp::with_env(&[("PLATFORM_ADMIN_EMAILS", "root@example.com")]).await;
    let (admin, _) = app.user("root@example.com").await;
    for (field, value) in
        [("organization", "%00"), ("organization", "acme%00"), ("actor", "a%00%40example.com")]
    {
        admin.get(&format!("/api/v1/platform/audit?{field}={value}")).await.expect_invalid(field);
    }
    admin.get("/api/v1/platform/audit").await.expect(StatusCode::OK);
}
