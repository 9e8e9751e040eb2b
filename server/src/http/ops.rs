//! Health and ops endpoints: `/health` (liveness), `/ready` (readiness: database reachable and
//! migrations current) and `/metrics` (Prometheus text).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use contracts::{ApiError, ErrorCode};
use serde_json::json;

use crate::state::AppState;

/// How long `/ready` waits for the database before calling it unreachable.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /health`: 200 while the process runs. The body is a constant: nothing to build or
/// serialize per request.
pub async fn health() -> Response {
    let headers = [
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (CONTENT_TYPE, HeaderValue::from_static("application/json")),
    ];
    (headers, r#"{"status":"ok"}"#).into_response()
}

/// What is wrong, for a 503 from `/ready`.
struct NotReady {
    dependency: &'static str,
    detail: String,
}

async fn check(state: &AppState) -> Result<(), NotReady> {
    let mut conn = tokio::time::timeout(READY_TIMEOUT, state.db.get())
        .await
        .map_err(|_| NotReady { dependency: "database", detail: "did not answer in time".to_owned() })?
        .map_err(|e| NotReady { dependency: "database", detail: format!("unreachable ({e})") })?;
    let pending =
        tokio::time::timeout(READY_TIMEOUT, kernel::migrations::pending(&mut conn, &state.migrations))
            .await
            .map_err(|_| NotReady { dependency: "database", detail: "did not answer in time".to_owned() })?
            .map_err(|e| NotReady { dependency: "database", detail: format!("query failed ({e})") })?;
    if pending.is_empty() {
        Ok(())
    } else {
        Err(NotReady {
            dependency: "migrations",
            detail: format!("{} pending ({})", pending.len(), pending.join(", ")),
        })
    }
}

/// `GET /ready`: 200 when the database answers and every embedded migration is applied; 503
/// naming the failing dependency otherwise.
pub async fn ready(State(state): State<AppState>) -> Response {
    match check(&state).await {
        Ok(()) => (
            [(CACHE_CONTROL, "no-store")],
            Json(json!({"status": "ready", "checks": {"database": "ok", "migrations": "ok"}})),
        )
            .into_response(),
        Err(NotReady { dependency, detail }) => {
            tracing::warn!(dependency, detail, "not ready");
            let error = ApiError::new(ErrorCode::Unavailable, format!("{dependency} {detail}"));
            let mut checks = serde_json::Map::new();
            checks.insert("database".into(), json!(if dependency == "database" { "failing" } else { "ok" }));
            checks.insert(
                "migrations".into(),
                json!(if dependency == "migrations" {
                    "failing"
                } else if dependency == "database" {
                    "unknown"
                } else {
                    "ok"
                }),
            );
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(CACHE_CONTROL, "no-store")],
                Json(
                    json!({"error": error, "status": "unavailable", "failing": dependency, "checks": checks}),
                ),
            )
                .into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text exposition.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let (hits, misses, entries) = state.links.cache.stats();
    let cache = crate::metrics::CacheStats { hits, misses, entries };
    let readings = crate::metrics::Readings {
        pool: kernel::db::pool_state(&state.db),
        cache,
        ingest: state.analytics.stats(),
    };
    observe_queue(&state).await;
    let body = state.metrics.render(readings);
    ([(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (CACHE_CONTROL, "no-store")], body)
        .into_response()
}

/// Reads the job queue's depth and the outbox backlog into the metrics; on failure the gauges
/// keep their last reading (the pool gauges tell when the database is the problem).
async fn observe_queue(state: &AppState) {
    let read = async {
        let mut conn = state.db.get().await?;
        let depth = runtime::jobs::queue_depth(&mut conn).await?;
        let outbox = runtime::outbox::backlog(&mut conn).await?;
        anyhow::Ok((depth, outbox))
    };
    match tokio::time::timeout(READY_TIMEOUT, read).await {
        Ok(Ok((depth, outbox))) => state.metrics.observe_queue(depth, outbox),
        Ok(Err(e)) => tracing::debug!(error = %format!("{e:#}"), "could not read the job queue depth"),
        Err(_) => tracing::debug!("the job queue depth query timed out"),
    }
}
