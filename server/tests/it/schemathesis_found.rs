//! Regression tests for what `scripts/schemathesis` found (docs/reliability.md, "OpenAPI and
//! schemathesis"): each one a request that once answered 5xx or off the document.

use crate::common;

use axum::http::StatusCode;
use common::app::{PASSWORD, TestApp};
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
