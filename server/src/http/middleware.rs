//! Cross-cutting HTTP middleware: request ids, access log + metrics, security headers and cache
//! headers for hashed assets.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument as _;

use crate::state::AppState;

/// The header carrying the request id in both directions.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served (also in its tracing span).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Whether a client-sent id is safe to adopt (and to write into logs).
fn acceptable_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Middleware: adopts a well-formed incoming `X-Request-Id` or makes a UUIDv7, opens the
/// request's tracing span with it, and echoes it on the response.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable_id(v))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    let mut res = runtime::outbox::TRACE_ID.scope(id.clone(), next.run(req)).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    res
}

/// Middleware: logs one line per request (method, route, path without query, status, latency)
/// and feeds the request metrics. Query strings are never logged: they may carry tokens.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "fallback".to_owned(), |m| m.as_str().to_owned());
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    state.metrics.observe_request(method.as_str(), &route, status, elapsed);
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(%method, %path, %route, status, latency_ms, "request failed");
    } else {
        tracing::info!(%method, %path, %route, status, latency_ms, "request served");
    }
    res
}

/// Middleware: security headers on every response. The Leptos shell sets its own CSP (with a
/// per-response nonce for its inline hydration script); everything else gets the default one.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if !headers.contains_key(CONTENT_SECURITY_POLICY)
        && let Ok(csp) = HeaderValue::from_str(&app::security::content_security_policy(None))
    {
        headers.insert(CONTENT_SECURITY_POLICY, csp);
    }
    if state.config.secure_cookies() {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// Middleware for `/pkg`: files whose names carry a content hash never change, so browsers and
/// CDNs may keep them for a year; without hashed names they must revalidate.
pub async fn asset_cache(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status().is_success() {
        let policy = if state.leptos.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
        res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::acceptable_id;

    #[test]
    fn only_safe_request_ids_are_adopted() {
        assert!(acceptable_id("0193a7c2-7f7e-7cc1-9a3e-5c2d1f0e4b6a"));
        assert!(acceptable_id("lb.trace_42"));
        assert!(!acceptable_id(""));
        assert!(!acceptable_id("<script>alert(1)</script>"));
        assert!(!acceptable_id("line\nbreak"));
        assert!(!acceptable_id(&"a".repeat(129)));
    }
}
