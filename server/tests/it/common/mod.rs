//! Shared helpers of the host's integration tests: an app state on a fresh test database, and
//! one-shot requests through the real router. [`app`] has a whole app (capture SMTP, fixed clock)
//! and browser-like clients with cookie jars, for the black-box API tests.

pub mod app;
pub mod links;
pub mod process;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use http_body_util::BodyExt as _;
use mibio_server::{AppState, Config};
use test_db::TestDb;
use tower::ServiceExt as _;

/// Configuration for tests: the given database and defaults for everything else.
pub fn config(database_url: &str) -> Config {
    let url = database_url.to_owned();
    Config::from_lookup(move |name| (name == "DATABASE_URL").then(|| url.clone()))
        .expect("test config is valid")
}

/// An app state on `db`.
pub fn state(db: &TestDb) -> AppState {
    mibio_server::serve::build_state(config(db.url())).expect("state builds")
}

/// Sends one request through `router`.
pub async fn send(router: &Router, request: Request<Body>) -> Response<Body> {
    router.clone().oneshot(request).await.expect("the router is infallible")
}

/// `GET path`.
pub async fn get(router: &Router, path: &str) -> Response<Body> {
    send(router, Request::get(path).body(Body::empty()).expect("valid request")).await
}

/// The whole body as text.
pub async fn text(response: Response<Body>) -> String {
    let bytes = response.into_body().collect().await.expect("body is readable").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("body is UTF-8")
}

/// The whole body as JSON.
pub async fn json(response: Response<Body>) -> serde_json::Value {
    let body = text(response).await;
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("body is not JSON ({e}): {body}"))
}

/// A header's value as text.
pub fn header<'a>(response: &'a Response<Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}
