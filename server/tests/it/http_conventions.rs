//! The HTTP conventions every route shares (docs/http-api.md, "Conventions"): the JSON error
//! shape, 404/405/413/415, unknown fields, request ids and security headers — through the real
//! middleware stack, with a JSON echo route mounted the way context adapters mount theirs.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::post;
use common::{get, header, json, send, state};
use mibio_server::AppState;
use mibio_server::http::json::ApiJson;
use pretty_assertions::assert_eq;
use serde::{Deserialize, Serialize};
use serde_json::json;
use test_db::TestDb;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct EchoInput {
    display_name: String,
    #[serde(default)]
    tags: Vec<String>,
}

async fn echo(ApiJson(input): ApiJson<EchoInput>) -> axum::Json<EchoInput> {
    axum::Json(input)
}

async fn router() -> (TestDb, Router) {
    let db = TestDb::new().await;
    let api: Router<AppState> = Router::new().route("/api/v1/echo", post(echo));
    let router = mibio_server::http::router_with(state(&db), api);
    (db, router)
}

fn post_json(path: &str, content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(path).header("content-type", content_type).body(body.into()).unwrap()
}

#[tokio::test]
async fn a_good_body_goes_through() {
    let (_db, router) = router().await;
    let res =
        send(&router, post_json("/api/v1/echo", "application/json", r#"{"displayName":"Ana","tags":["a"]}"#))
            .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await, json!({"displayName": "Ana", "tags": ["a"]}));
}

#[tokio::test]
async fn unknown_and_missing_fields_are_named() {
    let (_db, router) = router().await;
    let res = send(
        &router,
        post_json("/api/v1/echo", "application/json", r#"{"displayName":"Ana","role":"owner"}"#),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json(res).await,
        json!({"error": {
            "code": "validation",
            "message": "Invalid value for role.",
            "fields": {"role": "is not a known field"},
            "problems": {"role": {"code": "unknown_field"}}
        }})
    );
    let res = send(&router, post_json("/api/v1/echo", "application/json", r#"{"tags":[1]}"#)).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "validation");
    assert!(body["error"]["fields"].get("tags[0]").is_some(), "{body}");
    // A wrong type keeps serde's words, as a `malformed` problem.
    assert_eq!(body["error"]["problems"]["tags[0]"]["code"], "malformed", "{body}");
    assert_eq!(body["error"]["problems"]["tags[0]"]["detail"], body["error"]["fields"]["tags[0]"]);
}

#[tokio::test]
async fn malformed_json_is_a_bad_request() {
    let (_db, router) = router().await;
    let res = send(&router, post_json("/api/v1/echo", "application/json", "{\"displayName\":")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(res).await["error"]["code"], "bad_request");
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let (_db, router) = router().await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
    {
        let res = send(&router, post_json("/api/v1/echo", content_type, r#"{"displayName":"Ana"}"#)).await;
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert_eq!(json(res).await["error"]["code"], "unsupported_media_type");
    }
    let res = send(&router, Request::post("/api/v1/echo").body(Body::from("{}")).unwrap()).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn bodies_over_64_kib_are_413_in_the_error_shape() {
    let (_db, router) = router().await;
    let big = format!(r#"{{"displayName":"{}"}}"#, "a".repeat(64 * 1024));
    let res = send(&router, post_json("/api/v1/echo", "application/json", big)).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(res).await["error"]["code"], "payload_too_large");
    // Just under the limit still goes through.
    let fits = format!(r#"{{"displayName":"{}"}}"#, "a".repeat(64 * 1024 - 20));
    let res = send(&router, post_json("/api/v1/echo", "application/json", fits)).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let (_db, router) = router().await;
    let res = get(&router, "/api/v1/no-such-thing").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        json(res).await,
        json!({"error": {"code": "not_found", "message": "There is nothing at this address."}})
    );

    let res = get(&router, "/api/v1/echo").await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header(&res, "allow"), Some("POST"));
    assert_eq!(json(res).await["error"]["code"], "method_not_allowed");

    let res = send(&router, Request::delete("/health").body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json(res).await["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let (_db, router) = router().await;
    let res = get(&router, "/health").await;
    let generated = header(&res, "x-request-id").unwrap();
    assert_eq!(uuid::Uuid::parse_str(generated).unwrap().get_version_num(), 7);

    let req = Request::get("/health").header("x-request-id", "edge-7f3a.42").body(Body::empty()).unwrap();
    assert_eq!(header(&send(&router, req).await, "x-request-id"), Some("edge-7f3a.42"));

    let req =
        Request::get("/health").header("x-request-id", "<script>x</script>").body(Body::empty()).unwrap();
    let res = send(&router, req).await;
    let replaced = header(&res, "x-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(replaced).is_ok(), "hostile id replaced, got {replaced}");
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let (_db, router) = router().await;
    for path in ["/health", "/api/v1/nope", "/", "/no/such/page"] {
        let res = get(&router, path).await;
        assert_eq!(header(&res, "x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(header(&res, "referrer-policy"), Some("strict-origin-when-cross-origin"), "{path}");
        let csp = header(&res, "content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.split(';').any(|d| d.contains("script-src") && d.contains("unsafe-inline")),
            "{path}: {csp}"
        );
    }
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    let (_db, router) = router().await;
    let req = Request::get("/").header("accept-encoding", "gzip").body(Body::empty()).unwrap();
    let res = send(&router, req).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-encoding"), Some("gzip"));
}
