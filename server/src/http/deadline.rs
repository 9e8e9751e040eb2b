//! The request deadline: a request whose response has not begun within `REQUEST_TIMEOUT_SECS` is
//! answered `503 unavailable` with `Retry-After`, and its handler is dropped.
//!
//! The pool's timeouts already turn a stopped database into quick 503s: a checkout waits at most
//! `kernel::db::PoolSettings::timeout`. They cannot help a query that is already running when the
//! database goes silent (a network partition, a hung server): nothing closes the connection, so
//! the query — and the visitor — would wait until the operating system gives up on the socket,
//! minutes later. The deadline bounds that wait for every request but uploads (their time is
//! mostly the client's, reading the body), whatever it waits on.
//!
//! Dropping a handler mid-query is what happens anyway when a client goes away: `tokio-postgres`
//! discards the answer of a query nobody waits for, and diesel-async marks a connection whose
//! transaction was cancelled as broken, so the pool closes it instead of handing it out again (its
//! transaction rolls back with it). A single statement already sent may still be carried out by
//! the database when it answers again: as with any time-out, the outcome of a write cut short is
//! unknown to the caller (docs/http-api.md, `unavailable`). The deadline covers the response's
//! head only: a streamed body (the lead CSV) runs as long as it takes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, Request};
use axum::response::{IntoResponse as _, Response};
use contracts::ErrorCode;
use pin_project_lite::pin_project;
use tokio::time::Sleep;
use tower::{Layer, Service};

use crate::http::error::ApiFailure;

/// The deadline as a layer: see [`Deadline`].
#[derive(Debug, Clone, Copy)]
pub struct DeadlineLayer {
    limit: Duration,
}

impl DeadlineLayer {
    /// Requests get `limit` to produce their response's head.
    #[must_use]
    pub const fn new(limit: Duration) -> Self {
        Self { limit }
    }
}

impl<S> Layer<S> for DeadlineLayer {
    type Service = Deadline<S>;

    fn layer(&self, inner: S) -> Deadline<S> {
        Deadline { inner, limit: self.limit }
    }
}

/// Answers `503` when the inner service has not answered within the limit. A hand-written service
/// (one timer per request, no boxing): it runs on the public hot path too.
#[derive(Debug, Clone)]
pub struct Deadline<S> {
    inner: S,
    limit: Duration,
}

impl<S, ReqBody> Service<Request<ReqBody>> for Deadline<S>
where
    S: Service<Request<ReqBody>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = DeadlineFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        DeadlineFuture {
            inner: self.inner.call(req),
            sleep: tokio::time::sleep(self.limit),
            limit: self.limit,
        }
    }
}

pin_project! {
    /// The response future of [`Deadline`].
    pub struct DeadlineFuture<F> {
        #[pin]
        inner: F,
        #[pin]
        sleep: Sleep,
        limit: Duration,
    }
}

impl<F, E> Future for DeadlineFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(res) = this.inner.poll(cx) {
            return Poll::Ready(res);
        }
        if this.sleep.poll(cx).is_pending() {
            return Poll::Pending;
        }
        tracing::warn!(limit_secs = this.limit.as_secs_f64(), "request deadline passed; answered 503");
        Poll::Ready(Ok(timed_out()))
    }
}

/// What a request past its deadline gets: the documented `unavailable` error, to be retried.
fn timed_out() -> Response {
    let mut res = ApiFailure::new(
        ErrorCode::Unavailable,
        "The service is taking too long to answer; try again shortly.",
    )
    .into_response();
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("5"));
    res
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::time::Duration;

    use axum::body::Body;
    use axum::extract::Request;
    use axum::http::StatusCode;
    use axum::response::Response;
    use tower::{Layer as _, ServiceExt as _};

    use super::DeadlineLayer;

    fn slow(
        after: Duration,
    ) -> impl tower::Service<Request, Response = Response, Error = Infallible, Future: Send> + Clone {
        tower::service_fn(move |_req: Request| async move {
            tokio::time::sleep(after).await;
            Ok::<_, Infallible>(Response::new(Body::from("done")))
        })
    }

    #[tokio::test]
    async fn an_answer_within_the_deadline_passes_untouched() {
        let svc = DeadlineLayer::new(Duration::from_secs(60)).layer(slow(Duration::from_millis(20)));
        let res = svc.oneshot(Request::new(Body::empty())).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = axum::body::to_bytes(res.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], b"done");
    }

    #[tokio::test]
    async fn a_request_past_its_deadline_is_answered_503_with_retry_after() {
        let svc = DeadlineLayer::new(Duration::from_millis(50)).layer(slow(Duration::from_secs(3600)));
        let started = std::time::Instant::now();
        let res = svc.oneshot(Request::new(Body::empty())).await.unwrap();
        // Not before the deadline; and (the handler sleeps an hour) not after the handler.
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers()["retry-after"], "5");
        let body = axum::body::to_bytes(res.into_body(), 4096).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "unavailable", "{json}");
    }
}
