//! Errors on the wire. [`ApiFailure`] turns a use case's `DomainError` (or a ready-made
//! `ApiError`) into the documented JSON shape and status; [`JsonErrors`] makes sure errors
//! produced below the handlers (unknown route, wrong method, body too large, a panic) on JSON
//! paths get the same shape.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, Response, StatusCode};
use contracts::{ApiError, ErrorCode};
use http_body_util::{Either, Full};
use pin_project_lite::pin_project;
use tower::{Layer, Service};

/// A failed request, ready to be answered (defined beside the caller extractors, which reject
/// with it, so both doors answer failures the same way).
pub use app::server::ApiFailure;

/// Paths whose clients expect JSON errors: the REST API, webhooks and the ops endpoints.
#[must_use]
pub fn is_json_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path == "/api"
        || path.starts_with("/webhooks/")
        || matches!(path, "/health" | "/ready" | "/metrics")
}

fn default_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "There is nothing at this address.",
        StatusCode::METHOD_NOT_ALLOWED => "This address does not accept that method.",
        StatusCode::PAYLOAD_TOO_LARGE => "The request body is too large.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "The request body has an unsupported Content-Type.",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests; slow down and retry later.",
        StatusCode::SERVICE_UNAVAILABLE => "The service is temporarily unavailable.",
        s if s.is_client_error() => "The request could not be processed.",
        _ => "Something went wrong on our side.",
    }
}

/// Rewrites any 4xx/5xx response on a JSON path that is not already JSON into the documented error
/// shape, keeping its status and headers (`Allow`, `Retry-After`, …): as a layer, see
/// [`JsonErrors`].
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonErrorsLayer;

impl<S> Layer<S> for JsonErrorsLayer {
    type Service = JsonErrors<S>;

    fn layer(&self, inner: S) -> JsonErrors<S> {
        JsonErrors { inner }
    }
}

/// Makes sure errors produced below the handlers (unknown route, wrong method, body too large)
/// on JSON paths get the JSON shape. A hand-written service: it runs on every request.
#[derive(Debug, Clone)]
pub struct JsonErrors<S> {
    inner: S,
}

impl<S, B> Service<Request> for JsonErrors<S>
where
    S: Service<Request, Response = Response<B>>,
{
    type Response = Response<Either<B, Full<Bytes>>>;
    type Error = S::Error;
    type Future = JsonErrorsFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let json_path = is_json_path(req.uri().path());
        JsonErrorsFuture { inner: self.inner.call(req), json_path }
    }
}

pin_project! {
    /// The response future of [`JsonErrors`].
    pub struct JsonErrorsFuture<F> {
        #[pin]
        inner: F,
        json_path: bool,
    }
}

impl<F, B, E> Future for JsonErrorsFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Result<Response<Either<B, Full<Bytes>>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = ready!(this.inner.poll(cx))?;
        let status = res.status();
        let already_json = || {
            res.headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/json"))
        };
        if !*this.json_path || status.as_u16() < 400 || already_json() {
            return Poll::Ready(Ok(res.map(Either::Left)));
        }
        let error = ApiError::new(ErrorCode::for_status(status.as_u16()), default_message(status));
        let body = serde_json::to_vec(&error.into_body()).unwrap_or_default();
        let (mut parts, _) = res.into_parts();
        parts.headers.remove(CONTENT_LENGTH);
        parts.headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Poll::Ready(Ok(Response::from_parts(parts, Either::Right(Full::new(Bytes::from(body))))))
    }
}

/// The answer for `/api/*` paths no route matches: a JSON 404, never the HTML 404 page.
pub async fn api_not_found() -> ApiFailure {
    ApiFailure::new(ErrorCode::NotFound, default_message(StatusCode::NOT_FOUND))
}
