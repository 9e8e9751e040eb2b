//! The OpenAPI document (`GET /api/v1/openapi.json`) against the routes that exist, both ways.
//!
//! The REST handlers are mounted by their own `#[utoipa::path]` (`utoipa_axum::routes!`), so a
//! documented route is a mounted one by construction. These tests hold it all the same, on the
//! running app and in the source:
//! - every documented operation reaches a handler (never the router's own 404 or 405), and every
//!   method a documented path does not document is the router's 405;
//! - no route under `/api` or `/webhooks` is mounted past the document (`.route("/api/…", …)`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::app::{Call, Reply, TestApp};

use axum::http::{Method, StatusCode};
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

/// What the router answers, on a JSON path, when no route matches (`error::api_not_found`, or the
/// JSON errors layer over axum's empty 404); a handler's own 404 says something else.
const NO_ROUTE: &str = "There is nothing at this address.";

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

fn document() -> Value {
    serde_json::to_value(mibio_server::http::openapi::document()).expect("the document serializes")
}

/// Every documented (path, method).
fn operations(doc: &Value) -> Vec<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter(|m| item.get(**m).is_some()).map(|m| (path.clone(), (*m).to_owned()))
        })
        .collect()
}

/// `path` with its parameters filled in with values that name nothing.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a closing brace") + start;
        let value = match &rest[start + 1..end] {
            "provider" => "stripe".to_owned(),
            "slug" => "no-such-page".to_owned(),
            "kind" => "no_such_kind".to_owned(),
            "key" => "no-such-flag".to_owned(),
            _ => uuid::Uuid::now_v7().to_string(),
        };
        out.push_str(&value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn is_route_miss(reply: &Reply) -> bool {
    reply.status == StatusCode::METHOD_NOT_ALLOWED
        || (reply.status == StatusCode::NOT_FOUND
            && serde_json::from_slice::<Value>(&reply.body).is_ok_and(|b| b["error"]["message"] == NO_ROUTE))
}

#[tokio::test]
async fn the_document_is_served_built_once_and_cacheable() {
    let app = TestApp::start().await;
    let reply = app.client().get("/api/v1/openapi.json").await.expect(StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=3600"));
    let served: Value = reply.json();
    assert_eq!(served, document(), "the served document is the one the code describes");
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(served["info"]["title"], "mibio");
    for scheme in ["session", "organization"] {
        assert_eq!(served["components"]["securitySchemes"][scheme]["in"], "cookie", "{scheme}");
    }
    // Public: no session, no cookie set.
    assert!(reply.set_cookies().is_empty());
}

#[tokio::test]
async fn the_document_covers_the_rest_api() {
    let doc = document();
    let ops = operations(&doc);
    let documented: BTreeSet<String> = ops.iter().map(|(p, m)| format!("{} {p}", m.to_uppercase())).collect();
    for expected in [
        "POST /api/auth/sign-up/email",
        "GET /api/auth/session",
        "PATCH /api/v1/me",
        "POST /api/v1/me/avatar",
        "DELETE /api/v1/organizations/current/members/{user_id}",
        "GET /api/v1/links/pages/{id}/leads/export.csv",
        "POST /api/v1/links/pages/{id}/images",
        "PUT /api/v1/platform/feature-flags/{key}",
        "POST /api/v1/setup/platform-admin",
        "GET /api/v1/me/notifications",
        "POST /api/v1/public/leads",
        "POST /webhooks/{provider}",
        "GET /api/v1/openapi.json",
    ] {
        assert!(documented.contains(expected), "{expected} is documented");
    }
    assert!(ops.len() >= 75, "{} operations", ops.len());
    let ids: Vec<&str> = ops
        .iter()
        .map(|(p, m)| doc["paths"][p][m]["operationId"].as_str().expect("an operationId"))
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "operationIds are unique: {ids:?}");
    for (path, method) in &ops {
        let op = &doc["paths"][path][method];
        let responses = op["responses"].as_object().expect("responses");
        assert!(
            responses.keys().any(|s| s.starts_with('2') || s.starts_with('3')),
            "{method} {path}: a success"
        );
        assert!(responses.contains_key("500"), "{method} {path}: 500");
        // Every error answer is the one error shape.
        for (status, response) in responses.iter().filter(|(s, _)| s.as_str() >= "400") {
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ApiErrorBody",
                "{method} {path} {status}"
            );
        }
        assert!(op["tags"].as_array().is_some_and(|t| t.len() == 1), "{method} {path}: one tag");
        // Path parameters are declared.
        for name in path.split('{').skip(1).map(|s| s.split('}').next().unwrap_or_default()) {
            let declared = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
            assert!(declared, "{method} {path}: parameter {name}");
        }
    }
    // Links (the stateful tests follow them) name operations that exist.
    let mut links = 0;
    for (path, method) in &ops {
        for response in
            doc["paths"][path][method]["responses"].as_object().into_iter().flat_map(|r| r.values())
        {
            for link in response["links"].as_object().into_iter().flat_map(|l| l.values()) {
                let target = link["operationId"].as_str().expect("a link names an operationId");
                assert!(unique.contains(target), "{method} {path}: a link to {target}");
                links += 1;
            }
        }
    }
    assert!(links >= 10, "{links} links");
    // Every referenced schema exists.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in text.split("\"#/components/schemas/").skip(1).map(|s| s.split('"').next().unwrap_or_default())
    {
        assert!(schemas.contains_key(name), "schema {name}");
    }
}

#[tokio::test]
async fn every_documented_operation_reaches_a_handler() {
    let app = TestApp::start().await;
    let doc = document();
    let client = app.client();
    for (path, method) in operations(&doc) {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
        let mut call = Call::new(method.clone(), &concrete(&path));
        if method != Method::GET && method != Method::DELETE {
            call = call.json(&json!({}));
        }
        let reply = client.send(call).await;
        assert!(!is_route_miss(&reply), "{method} {path} is not routed: {} {}", reply.status, reply.text());
    }
}

#[tokio::test]
async fn methods_a_documented_path_does_not_document_are_not_routed() {
    let app = TestApp::start().await;
    let doc = document();
    let client = app.client();
    let paths = doc["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for method in METHODS.iter().filter(|m| item.get(**m).is_none()) {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
            let reply = client.send(Call::new(method.clone(), &concrete(path))).await;
            assert_eq!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is routed but not documented: {}",
                reply.text()
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The path literals of `.route("…"`, `.route_service("…"` and `.nest("…"` calls in `source`.
fn mounted_literals(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    for call in [".route(", ".route_service(", ".nest(", ".nest_service("] {
        for (at, _) in source.match_indices(call) {
            let rest = source[at + call.len()..].trim_start();
            if let Some(literal) = rest.strip_prefix('"') {
                found.push(literal.split('"').next().unwrap_or_default().to_owned());
            }
        }
    }
    found
}

#[test]
fn no_api_route_is_mounted_past_the_document() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 20, "the server's sources are found");
    // The JSON 404 of `/api` paths no route matches.
    let allowed = ["/api", "/api/{*rest}"];
    let mut undocumented = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("a readable source file");
        for path in mounted_literals(&source) {
            let rest_path = path == "/api" || path.starts_with("/api/") || path.starts_with("/webhooks");
            if rest_path && !allowed.contains(&path.as_str()) {
                undocumented.push(format!("{}: {path}", file.display()));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "mount these with `.routes(routes!(handler))` and a `#[utoipa::path]`: {undocumented:#?}"
    );
    // The scan itself sees mounts (the two allowed ones live in `http/mod.rs`).
    let router = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/mod.rs"))
        .expect("http/mod.rs");
    assert_eq!(mounted_literals(&router).into_iter().filter(|p| allowed.contains(&p.as_str())).count(), 2);
}
