//! `POST /api/auth/sign-up/email` (docs/http-api.md, "Identity"): the answer, the verification
//! mail over real SMTP, no account enumeration through a taken email, validation naming each
//! field, and the per-IP limit.

use crate::common;

use axum::http::StatusCode;
use common::app::{Call, PASSWORD, Reply, TestApp, assert_rate_limited, link_to};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const SIGN_UP: &str = "/api/auth/sign-up/email";

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
    keys.sort();
    keys
}

/// The `{user}` answer with its id checked and taken out.
#[track_caller]
fn user_without_id(reply: &Reply) -> Value {
    let mut body = reply.json();
    assert_eq!(keys(&body), ["user"]);
    let id = body["user"]["id"].take();
    uuid::Uuid::parse_str(id.as_str().expect("the id is a string")).expect("the id is a UUID");
    body
}

#[tokio::test]
async fn sign_up_answers_201_with_the_user_and_mails_a_verification_link() {
    let app = TestApp::start().await;
    let reply = app
        .client()
        .post(
            SIGN_UP,
            json!({"email": "ana@example.com", "password": PASSWORD, "name": "Ana Pérez", "locale": "en"}),
        )
        .await
        .expect(StatusCode::CREATED);

    assert_eq!(
        user_without_id(&reply),
        json!({"user": {"id": null, "email": "ana@example.com", "name": "Ana Pérez", "emailVerified": false, "locale": "en"}})
    );
    let (limit, remaining, _) = reply.rate_limit().expect("X-RateLimit-* on a limited endpoint");
    assert_eq!((limit, remaining), (20, 19));
    assert_eq!(reply.set_cookie("mibio_session"), None, "sign-up does not sign in");
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users").await, 1);
    let id = reply.json()["user"]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.count_with("SELECT count(*) AS n FROM iam.users WHERE id = $1::uuid", &id).await, 1);

    let mail = app.mail_to("ana@example.com", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Confirm your email — mibio"));
    assert!(mail.text_body().unwrap().contains("Hi Ana Pérez,"), "{:?}", mail.text_body());
    let link = link_to(&mail, "/verify-email?token=");
    assert!(link.len() > "http://127.0.0.1:3000/verify-email?token=".len() + 40, "a 32-byte token: {link}");
    assert!(mail.html_body().is_some_and(|html| html.contains(&link)), "the HTML part carries the link too");
    app.assert_mail_count(1).await;
}

#[tokio::test]
async fn the_mail_speaks_the_language_of_the_request() {
    let app = TestApp::start().await;
    let reply = app
        .client()
        .send(
            Call::post(SIGN_UP)
                .header("accept-language", "es-AR,es;q=0.9")
                .json(&json!({"email": "lu@example.com", "password": PASSWORD, "name": "Lu"})),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(reply.json()["user"]["locale"], "es");
    let mail = app.mail_to("lu@example.com", 0).await;
    assert_eq!(mail.subject().as_deref(), Some("Confirma tu correo — mibio"));
}

#[tokio::test]
async fn a_taken_email_answers_like_a_new_one_but_mails_already_have_an_account() {
    let app = TestApp::start().await;
    let first = app.sign_up("ana@example.com", "Ana").await.expect(StatusCode::CREATED);
    app.mail_to("ana@example.com", 0).await;

    // Someone else tries the same address (in another case), with another name and password.
    let second = app
        .client()
        .post(
            SIGN_UP,
            json!({"email": "ANA@Example.com", "password": "quince marble harbour 9", "name": "Impostor", "locale": "en"}),
        )
        .await;

    // Same status, same shape, same headers: nothing tells the caller the address is taken.
    assert_eq!(second.status, first.status);
    assert_eq!(
        user_without_id(&second),
        json!({"user": {"id": null, "email": "ANA@Example.com", "name": "Impostor", "emailVerified": false, "locale": "en"}})
    );
    assert_eq!(keys(&second.json()["user"]), keys(&first.json()["user"]));
    assert_ne!(
        second.json()["user"]["id"],
        first.json()["user"]["id"],
        "the existing account's id is not revealed"
    );
    let names = |r: &Reply| {
        let mut names: Vec<String> =
            r.headers.keys().map(ToString::to_string).filter(|n| n != "content-length").collect();
        names.sort();
        names
    };
    assert_eq!(names(&second), names(&first));

    // No second account, and the first keeps its name and password.
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users").await, 1);
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users WHERE name = 'Ana'").await, 1);
    app.client().sign_in("ana@example.com", "quince marble harbour 9").await.expect(StatusCode::UNAUTHORIZED);

    // The owner of the address hears about it, in their own words, without a verification link.
    let mail = app.mail_to("ana@example.com", 1).await;
    assert_eq!(mail.subject().as_deref(), Some("You already have a mibio account"));
    assert!(mail.text_body().unwrap().starts_with("Hi Ana,"), "{:?}", mail.text_body());
    assert!(mail.links().iter().all(|l| !l.contains("/verify-email")), "{:?}", mail.links());
    link_to(&mail, "/forgot-password");
    link_to(&mail, "/signin");
    app.assert_mail_count(2).await;
}

#[tokio::test]
async fn each_bad_field_is_named_and_nothing_is_created() {
    let app = TestApp::start().await;
    let client = app.client();
    let long_password = "x".repeat(257);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"email": "not-an-email", "password": PASSWORD, "name": "Ana"}), "email"),
        (json!({"email": "ana@", "password": PASSWORD, "name": "Ana"}), "email"),
        (json!({"email": "", "password": PASSWORD, "name": "Ana"}), "email"),
        (json!({"email": "ana@example.com", "password": "zq8#vLm", "name": "Ana"}), "password"),
        (json!({"email": "ana@example.com", "password": "password123", "name": "Ana"}), "password"),
        (json!({"email": "ana@example.com", "password": "Password123", "name": "Ana"}), "password"),
        (json!({"email": "ana@example.com", "password": long_password, "name": "Ana"}), "password"),
        (json!({"email": "ana@example.com", "password": PASSWORD, "name": ""}), "name"),
        (json!({"email": "ana@example.com", "password": PASSWORD, "name": "   "}), "name"),
        (json!({"email": "ana@example.com", "password": PASSWORD, "name": "x".repeat(101)}), "name"),
        // Strict bodies: unknown, mistyped and missing fields are named too.
        (json!({"email": "ana@example.com", "password": PASSWORD, "name": "Ana", "role": "admin"}), "role"),
        (json!({"email": "ana@example.com", "password": 12_345_678, "name": "Ana"}), "password"),
        (json!({"email": "ana@example.com", "password": PASSWORD}), "name"),
        (json!({"email": "ana@example.com", "password": PASSWORD, "name": "Ana", "locale": "fr"}), "locale"),
    ];
    for (body, field) in cases {
        let reply = client.post(SIGN_UP, body.clone()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}: {}", reply.text());
        let error = &reply.json()["error"];
        assert_eq!(error["code"], "validation", "{body}");
        assert!(error["fields"][field].is_string(), "{body} should name {field}: {error}");
    }

    // Every bad field at once is named at once.
    let reply = client.post(SIGN_UP, json!({"email": "nope", "password": "short", "name": ""})).await;
    assert_eq!(keys(&reply.expect_invalid("email").json()["error"]["fields"]), ["email", "name", "password"]);

    // The messages say what is wrong.
    let reply =
        client.post(SIGN_UP, json!({"email": "ana@example.com", "password": "zq8#vLm", "name": "Ana"})).await;
    assert_eq!(reply.json()["error"]["fields"]["password"], "must be at least 8 characters");
    let reply = client
        .post(SIGN_UP, json!({"email": "ana@example.com", "password": "iloveyou", "name": "Ana"}))
        .await;
    assert!(
        reply.json()["error"]["fields"]["password"].as_str().unwrap().contains("common"),
        "{}",
        reply.text()
    );

    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users").await, 0);
    app.assert_mail_count(0).await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused() {
    let app = TestApp::start().await;
    let client = app.client();
    let form = Call::post(SIGN_UP)
        .body("application/x-www-form-urlencoded", "email=ana%40example.com&password=x&name=Ana");
    client.send(form).await.expect_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let broken = Call::post(SIGN_UP).body("application/json", r#"{"email": "ana@example.com","#);
    client.send(broken).await.expect_error(StatusCode::BAD_REQUEST, "bad_request");
    assert_eq!(app.count("SELECT count(*) AS n FROM iam.users").await, 0);
}

#[tokio::test]
async fn sign_up_is_limited_per_ip() {
    let app = TestApp::with_env(&[("RATE_LIMIT_SIGNUP_PER_HOUR", "2")]).await;
    let here = app.client();
    let body =
        |n: u32| json!({"email": format!("user{n}@example.com"), "password": PASSWORD, "name": "User"});

    for (n, remaining) in [(1, 1), (2, 0)] {
        let reply = here.post(SIGN_UP, body(n)).await.expect(StatusCode::CREATED);
        let (limit, left, reset) = reply.rate_limit().expect("X-RateLimit-* on success");
        assert_eq!((limit, left), (2, remaining));
        assert!(reset > app.now().timestamp() && reset <= app.now().timestamp() + 3600, "reset {reset}");
    }
    let limited = here.post(SIGN_UP, body(3)).await;
    assert_rate_limited(&limited, 2, app.now(), 3600);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM iam.users").await,
        2,
        "the limited sign-up created nothing"
    );

    // Another address has its own budget.
    app.client().post(SIGN_UP, body(4)).await.expect(StatusCode::CREATED);

    // After the window, this address may sign up again.
    let retry_after: i64 = limited.header("retry-after").unwrap().parse().unwrap();
    app.clock.advance(chrono::TimeDelta::seconds(retry_after));
    here.post(SIGN_UP, body(5)).await.expect(StatusCode::CREATED);
}
