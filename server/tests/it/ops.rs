//! `/health`, `/ready` and `/metrics` through the real router, on a real Postgres.

use crate::common;

use axum::http::StatusCode;
use common::{get, header, json, state, text};
use pretty_assertions::assert_eq;
use serde_json::json;
use test_db::TestDb;

#[tokio::test]
async fn health_answers_ok() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));
    let res = get(&router, "/health").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), Some("application/json"));
    assert_eq!(json(res).await, json!({"status": "ok"}));
}

#[tokio::test]
async fn ready_when_the_database_answers_and_migrations_are_current() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));
    let res = get(&router, "/ready").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await, json!({"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}));
}

#[tokio::test]
async fn not_ready_while_a_migration_is_pending() {
    let db = TestDb::new().await;
    let mut state = state(&db);
    // This binary knows a migration the database has not applied (as after a deploy that
    // skipped `mibio migrate`).
    let mut versions = (*state.migrations).clone();
    versions.insert("29991231235959".to_owned());
    state.make_mut().migrations = versions.into();
    let router = mibio_server::http::router(state);
    let res = get(&router, "/ready").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(body["failing"], "migrations");
    assert!(body["error"]["message"].as_str().unwrap().contains("29991231235959"), "{body}");
}

#[tokio::test]
async fn not_ready_on_an_empty_database() {
    let db = TestDb::empty().await;
    let router = mibio_server::http::router(state(&db));
    let res = get(&router, "/ready").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json(res).await["failing"], "migrations");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_pool() {
    let db = TestDb::new().await;
    let router = mibio_server::http::router(state(&db));
    for _ in 0..3 {
        assert_eq!(get(&router, "/health").await.status(), StatusCode::OK);
    }
    assert_eq!(get(&router, "/api/v1/nothing/here").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get(&router, "/ready").await.status(), StatusCode::OK);
    let res = get(&router, "/metrics").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, "content-type").unwrap().starts_with("text/plain"));
    let body = text(res).await;
    for line in [
        r#"mibio_http_requests_total{method="GET",route="/health",status="200"} 3"#,
        r#"mibio_http_requests_total{method="GET",route="/api/{*rest}",status="404"} 1"#,
        r#"mibio_http_request_duration_seconds_count{method="GET",route="/health"} 3"#,
        "mibio_db_pool_max_connections 16",
        // `/ready` opened one connection, now idle in the pool.
        "mibio_db_pool_connections 1",
        "mibio_db_pool_idle_connections 1",
        "mibio_db_pool_waiting 0",
    ] {
        assert!(body.contains(line), "missing {line:?} in:\n{body}");
    }
}
