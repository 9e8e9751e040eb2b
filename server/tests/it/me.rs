//! `GET` and `PATCH /api/v1/me` (docs/http-api.md, "Me"): the signed-in user's own profile.

use crate::common;

use axum::http::StatusCode;
use common::app::{Call, TestApp, link_to};
use pretty_assertions::assert_eq;
use serde_json::json;

#[tokio::test]
async fn me_shows_the_signed_in_user() {
    let app = TestApp::start().await;
    let (client, id) = app.user("Ana@Example.com").await;
    let me = client.get("/api/v1/me").await.expect(StatusCode::OK).json();
    assert_eq!(
        me,
        json!({
            "id": id,
            "email": "Ana@Example.com",
            "name": "Ana",
            "locale": "en",
            "avatarUrl": null,
            "emailVerified": true,
        })
    );
}

#[tokio::test]
async fn me_needs_a_session() {
    let app = TestApp::start().await;
    let client = app.client();
    client.get("/api/v1/me").await.expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    client
        .patch("/api/v1/me", json!({"name": "X"}))
        .await
        .expect_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn patch_changes_the_name_and_the_language() {
    let app = TestApp::start().await;
    let (client, id) = app.user("ana@example.com").await;

    let reply = client.patch("/api/v1/me", json!({"name": "Ana Pérez"})).await.expect(StatusCode::OK).json();
    assert_eq!(reply["name"], "Ana Pérez");
    assert_eq!(reply["locale"], "en");
    assert_eq!(reply["id"], id.as_str());

    let reply = client.patch("/api/v1/me", json!({"locale": "es"})).await.expect(StatusCode::OK).json();
    assert_eq!((reply["name"].as_str(), reply["locale"].as_str()), (Some("Ana Pérez"), Some("es")));

    // Other requests see the change.
    let me = client.get("/api/v1/me").await.expect(StatusCode::OK).json();
    assert_eq!((me["name"].as_str(), me["locale"].as_str()), (Some("Ana Pérez"), Some("es")));
    let session = client.session().await.expect(StatusCode::OK).json();
    assert_eq!(
        (session["user"]["name"].as_str(), session["user"]["locale"].as_str()),
        (Some("Ana Pérez"), Some("es"))
    );

    // An empty patch changes nothing.
    let unchanged = client.patch("/api/v1/me", json!({})).await.expect(StatusCode::OK).json();
    assert_eq!(unchanged, me);

    // Mails now come in the chosen language.
    app.client()
        .post("/api/auth/request-password-reset", json!({"email": "ana@example.com"}))
        .await
        .expect(StatusCode::ACCEPTED);
    let mail = app.mail_to("ana@example.com", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Restablece tu contraseña — mibio"));
    assert!(mail.text_body().unwrap().contains("Hola, Ana Pérez:"), "{:?}", mail.text_body());
    link_to(&mail, "/reset-password?token=");
}

#[tokio::test]
async fn patch_refuses_bad_values_and_fields_it_does_not_know() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let cases = [
        (json!({"name": ""}), "name"),
        (json!({"name": "   "}), "name"),
        (json!({"name": "x".repeat(101)}), "name"),
        (json!({"name": "Ana\u{0007}"}), "name"),
        (json!({"name": 42}), "name"),
        (json!({"locale": "fr"}), "locale"),
        // The email and the rest of the account are not editable here.
        (json!({"email": "mallory@example.com"}), "email"),
        (json!({"emailVerified": true}), "emailVerified"),
        (json!({"id": "00000000-0000-0000-0000-000000000000"}), "id"),
    ];
    for (body, field) in cases {
        let reply = client.patch("/api/v1/me", body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        assert_eq!(reply.json()["error"]["code"], "validation", "{body}");
        assert!(
            reply.json()["error"]["fields"][field].is_string(),
            "{body} should name {field}: {}",
            reply.text()
        );
    }
    let me = client.get("/api/v1/me").await.expect(StatusCode::OK).json();
    assert_eq!((me["name"].as_str(), me["email"].as_str()), (Some("ana"), Some("ana@example.com")));
}

/// A well-formed body whose `locale` has the wrong type is a validation failure naming `locale`,
/// like any other mistyped field — not "the body is not valid JSON".
#[tokio::test]
async fn a_mistyped_locale_is_named_like_any_mistyped_field() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    for body in [json!({"locale": 1}), json!({"locale": true}), json!({"locale": ["es"]})] {
        let reply = client.patch("/api/v1/me", body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(reply.json()["error"]["code"], "validation", "{body}: {}", reply.text());
        assert!(reply.json()["error"]["fields"]["locale"].is_string(), "{body}: {}", reply.text());
    }
}

#[tokio::test]
async fn patch_is_refused_from_another_site() {
    let app = TestApp::start().await;
    let (client, _) = app.user("ana@example.com").await;
    let call = Call::patch("/api/v1/me")
        .json(&json!({"name": "Pwned"}))
        .without_origin()
        .header("origin", "https://evil.example");
    client.send(call).await.expect_error(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(client.get("/api/v1/me").await.json()["name"], "ana");
}
