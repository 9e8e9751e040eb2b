//! Cross-cutting HTTP middleware: the edge every response passes (request id, access log, metrics,
//! security headers), the JSON shape of errors on JSON paths, and cache headers for hashed assets.
//!
//! The edge is one hand-written service rather than a stack of `from_fn` layers: a `from_fn` layer
//! clones and boxes the rest of the stack on every request, and at the public routes' rates that
//! was most of the CPU a cached page cost. Here a request costs one clone of a few `Arc`s.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Response, Uri};
use axum::middleware::Next;
use pin_project_lite::pin_project;
use tokio::task::futures::TaskLocalFuture;
use tower::{Layer, Service};
use tracing::Instrument as _;
use tracing::instrument::Instrumented;

use crate::metrics::{Metrics, RouteLabel};
use crate::state::AppState;

/// The header carrying the request id in both directions.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the request being served (also in its tracing span): a well-formed `X-Request-Id`
/// the client sent, else a new UUIDv7.
#[derive(Debug, Clone)]
pub struct RequestId(HeaderValue);

impl RequestId {
    /// The client's id from `headers` when it is safe to adopt, else a new one.
    #[must_use]
    pub fn of(headers: &HeaderMap) -> Self {
        if let Some(sent) = headers.get(&X_REQUEST_ID).filter(|v| acceptable_id(v.as_bytes())) {
            return Self(sent.clone());
        }
        let mut buf = [0_u8; uuid::fmt::Hyphenated::LENGTH];
        let id = uuid::Uuid::now_v7().hyphenated().encode_lower(&mut buf);
        Self(HeaderValue::from_str(id).unwrap_or_else(|_| HeaderValue::from_static("-")))
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever adopted or made.
        self.0.to_str().unwrap_or_default()
    }
}

/// The trace a request belongs to: the trace id of a well-formed W3C `traceparent` header
/// (`00-{32 hex}-{16 hex}-{2 hex}`, lower case, neither id all zeros), so a request that an
/// instrumented caller or proxy started is logged — and its outbox events recorded — under the
/// caller's trace; `None` otherwise (the request id stands in).
#[must_use]
pub fn trace_id_of(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(&TRACEPARENT)?.to_str().ok()?.trim();
    let mut parts = value.split('-');
    let (version, trace, parent, flags) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex =
        |s: &str, len: usize| s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    // Version 00 has exactly four parts; a later version may add some (W3C Trace Context §4.3),
    // but "ff" is never valid.
    let parts_ok = if version == "00" { parts.next().is_none() } else { version != "ff" };
    (hex(version, 2)
        && parts_ok
        && hex(trace, 32)
        && hex(parent, 16)
        && hex(flags, 2)
        && !zero(trace)
        && !zero(parent))
    .then_some(trace)
}

/// The W3C Trace Context header.
pub static TRACEPARENT: HeaderName = HeaderName::from_static("traceparent");

/// Whether a client-sent id is safe to adopt (and to write into logs).
fn acceptable_id(id: &[u8]) -> bool {
    (1..=128).contains(&id.len())
        && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// What the edge adds to every response, computed once.
struct EdgeConfig {
    metrics: Arc<Metrics>,
    /// The policy of responses that bring none (the Leptos shell and the public page do).
    default_csp: HeaderValue,
    hsts: bool,
}

/// The edge of the router, as a layer: see [`Edge`].
#[derive(Clone)]
pub struct EdgeLayer(Arc<EdgeConfig>);

impl EdgeLayer {
    /// The edge over `state`'s metrics and configuration.
    #[must_use]
    pub fn new(state: &AppState) -> Self {
        let csp = app::security::content_security_policy(None);
        Self(Arc::new(EdgeConfig {
            metrics: state.metrics.clone(),
            default_csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts: state.config.secure_cookies(),
        }))
    }
}

impl<S> Layer<S> for EdgeLayer {
    type Service = Edge<S>;

    fn layer(&self, inner: S) -> Edge<S> {
        Edge { inner, config: self.0.clone() }
    }
}

/// Every request, public or not: adopts a well-formed incoming `X-Request-Id` or makes a UUIDv7,
/// runs the request in a tracing span carrying it (and with it as the outbox's trace id), echoes
/// it on the response, sets the security headers, counts the request in the metrics and logs one
/// line (method, route, path without the query, status, latency). Query strings are never
/// logged: they may carry tokens.
#[derive(Clone)]
pub struct Edge<S> {
    inner: S,
    config: Arc<EdgeConfig>,
}

impl<S, B> Service<Request> for Edge<S>
where
    S: Service<Request, Response = Response<B>>,
{
    type Response = Response<B>;
    type Error = S::Error;
    type Future = EdgeFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let started = Instant::now();
        let id = RequestId::of(req.headers());
        let method = req.method().clone();
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or(RouteLabel::FALLBACK, |m| RouteLabel::Matched(m.clone()));
        // A caller's W3C trace is continued: its id is the span's and the outbox events'.
        let (span, trace) = crate::telemetry::otel::request_span(id.as_str(), req.headers(), || {
            format!("{method} {}", route.as_str())
        });
        let uri = req.uri().clone();
        req.extensions_mut().insert(id.clone());
        let inner = {
            let _entered = span.enter();
            self.inner.call(req)
        };
        EdgeFuture {
            inner: runtime::outbox::TRACE_ID.scope(trace, inner).instrument(span),
            started,
            method,
            route,
            uri,
            id,
            config: self.config.clone(),
        }
    }
}

pin_project! {
    /// The response future of [`Edge`].
    pub struct EdgeFuture<F> {
        #[pin]
        inner: Instrumented<TaskLocalFuture<String, F>>,
        started: Instant,
        method: Method,
        route: RouteLabel,
        uri: Uri,
        id: RequestId,
        config: Arc<EdgeConfig>,
    }
}

impl<F, B, E> Future for EdgeFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let mut res = ready!(this.inner.as_mut().poll(cx))?;
        let elapsed = this.started.elapsed();
        let status = res.status().as_u16();
        let headers = res.headers_mut();
        security_headers(headers, this.config);
        headers.insert(X_REQUEST_ID.clone(), this.id.0.clone());
        this.config.metrics.observe_request(this.method.as_str(), this.route, status, elapsed);
        let _entered = this.inner.span().enter();
        let (method, path, route) = (this.method.as_str(), this.uri.path(), this.route.as_str());
        let latency_ms = elapsed.as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::error!(%method, %path, %route, status, latency_ms, "request failed");
        } else {
            tracing::info!(%method, %path, %route, status, latency_ms, "request served");
        }
        Poll::Ready(Ok(res))
    }
}

/// The security headers of every response. The Leptos shell sets its own CSP (with a
/// per-response nonce for its inline hydration script), the public pages theirs; everything else
/// gets the default one.
fn security_headers(headers: &mut HeaderMap, config: &EdgeConfig) {
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
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, config.default_csp.clone());
    }
    if config.hsts {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

/// Middleware for `/pkg`: files whose names carry a content hash never change, so browsers and
/// CDNs may keep them for a year; without hashed names they must revalidate.
pub async fn asset_cache(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    if res.status().is_success() {
        let policy = if state.leptos.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" };
        res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::{TRACEPARENT, acceptable_id, trace_id_of};

    fn traceparent(value: &str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(&TRACEPARENT, HeaderValue::from_str(value).unwrap());
        trace_id_of(&headers).map(str::to_owned)
    }

    #[test]
    fn a_w3c_traceparent_is_continued_when_well_formed() {
        let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        assert_eq!(traceparent(&format!("00-{trace}-00f067aa0ba902b7-01")).as_deref(), Some(trace));
        // A later version may carry more fields.
        assert_eq!(traceparent(&format!("01-{trace}-00f067aa0ba902b7-00-extra")).as_deref(), Some(trace));
        for bad in [
            format!("00-{trace}-00f067aa0ba902b7-01-extra"),
            format!("ff-{trace}-00f067aa0ba902b7-01"),
            format!("00-{}-00f067aa0ba902b7-01", "0".repeat(32)),
            format!("00-{trace}-0000000000000000-01"),
            format!("00-{}-00f067aa0ba902b7-01", trace.to_uppercase()),
            format!("00-{trace}-00f067aa0ba902b7"),
            format!("00-{trace}x-00f067aa0ba902b7-01"),
            "00-<script>-00f067aa0ba902b7-01".to_owned(),
            String::new(),
        ] {
            assert_eq!(traceparent(&bad), None, "{bad}");
        }
        assert_eq!(trace_id_of(&HeaderMap::new()), None);
    }

    #[test]
    fn only_safe_request_ids_are_adopted() {
        assert!(acceptable_id(b"0193a7c2-7f7e-7cc1-9a3e-5c2d1f0e4b6a"));
        assert!(acceptable_id(b"lb.trace_42"));
        assert!(!acceptable_id(b""));
        assert!(!acceptable_id(b"<script>alert(1)</script>"));
        assert!(!acceptable_id(b"line\nbreak"));
        assert!(!acceptable_id("a".repeat(129).as_bytes()));
    }
}
