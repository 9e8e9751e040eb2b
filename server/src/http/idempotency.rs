//! The `Idempotency-Key` middleware for creating POSTs (docs/http-api.md, "Idempotency"), over
//! the key store of `runtime::idempotency`.
//!
//! For a POST with an `Idempotency-Key` header from a caller with an [`IdempotencyScope`]:
//! - the key is reserved before the handler runs; a repeat with the same key and the same request
//!   (method, path with query, body) within 24 hours gets the stored response again, with
//!   `Idempotent-Replayed: true`, and nothing runs;
//! - the same key with a different request is `422 validation` naming `Idempotency-Key`;
//! - a repeat while the first is still running is `409 conflict` (with `Retry-After: 1`);
//! - a malformed key (not 1–255 visible ASCII characters) is `400 validation`.
//!
//! Only `2xx` responses of at most [`MAX_STORED_BODY`] bytes are stored. Any other outcome (an
//! error status, a larger or streamed body, a panic or a dropped request) frees the key, so a
//! retry runs the handler again. Requests without the header or without a scope (anonymous) pass
//! through untouched. If the key store cannot be reached the request is refused with `503`.

use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::{FromRequest as _, Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH, DATE, RETRY_AFTER, SET_COOKIE, TRANSFER_ENCODING};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use contracts::{ApiError, ErrorCode, Problem};
use kernel::db::DbPool;
use kernel::{Clock, DomainError};
use runtime::idempotency::{self as store, IdempotencyKey, Lease, Reservation, StoredResponse};

use crate::http::error::ApiFailure;
use crate::http::middleware::X_REQUEST_ID;

/// The request header carrying the client's key.
pub static IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// The response header marking a replayed response.
pub static IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// Largest response body stored for replay; larger ones pass through unstored.
pub const MAX_STORED_BODY: usize = 64 * 1024;

/// Whose keys these are (the signed-in user's id). The auth layer inserts it as a request
/// extension; without it the middleware does nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyScope(pub String);

/// The middleware's state: the key store and the clock. Pass it to `from_fn_with_state` (the app
/// state keeps one: `state.idempotency`).
#[derive(Clone)]
pub struct Idempotency {
    db: DbPool,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Idempotency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Idempotency").finish_non_exhaustive()
    }
}

impl Idempotency {
    /// A key store over `db`, reading the time from `clock`.
    #[must_use]
    pub fn new(db: DbPool, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }
}

/// Middleware: the `Idempotency-Key` behaviour described in the module docs. Mount it with
/// `route_layer` on the creating POST routes, inside (added before) the layer that authenticates
/// and inserts the [`IdempotencyScope`].
pub async fn idempotency(State(store): State<Idempotency>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.headers().contains_key(&IDEMPOTENCY_KEY) {
        return next.run(req).await;
    }
    let Some(IdempotencyScope(scope)) = req.extensions().get::<IdempotencyScope>().cloned() else {
        return next.run(req).await;
    };
    let key = match parse_key(&req) {
        Ok(key) => key,
        Err(failure) => return failure.into_response(),
    };
    let (parts, body) = match buffer(req).await {
        Ok(buffered) => buffered,
        Err(failure) => return failure.into_response(),
    };
    let path = parts.uri.path_and_query().map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    let fingerprint = store::request_fingerprint(parts.method.as_str(), path, &body);

    let reservation = match store.db.get().await {
        Ok(mut conn) => store::reserve(&mut conn, &scope, &key, &fingerprint, store.clock.now()).await,
        Err(error) => return unavailable(&error),
    };
    let lease = match reservation {
        Ok(Reservation::Reserved(lease)) => lease,
        Ok(Reservation::Replay(stored)) => return replay(stored),
        Ok(Reservation::KeyReused) => return key_reused(),
        Ok(Reservation::InFlight) => return in_flight(),
        Err(error) => return unavailable(&error),
    };

    let guard = Held { db: store.db.clone(), scope, key, lease, armed: true };
    let res = next.run(Request::from_parts(parts, Body::from(body))).await;
    guard.finish(res).await
}

fn parse_key(req: &Request) -> Result<IdempotencyKey, ApiFailure> {
    let mut values = req.headers().get_all(&IDEMPOTENCY_KEY).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(bad_key(Problem::MustBeSentOnce));
    };
    value
        .to_str()
        .ok()
        .and_then(|raw| IdempotencyKey::parse(raw).ok())
        .ok_or_else(|| bad_key(Problem::NotAnIdempotencyKey))
}

fn bad_key(problem: Problem) -> ApiFailure {
    ApiFailure(ApiError::problem(IDEMPOTENCY_KEY_FIELD, problem))
}

/// How the header is named in `fields` of the error body.
const IDEMPOTENCY_KEY_FIELD: &str = "Idempotency-Key";

/// Reads the whole request body (the router's body limit still applies).
async fn buffer(req: Request) -> Result<(Parts, Bytes), ApiFailure> {
    let (parts, body) = req.into_parts();
    let bytes =
        Bytes::from_request(Request::from_parts(parts.clone(), body), &()).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiFailure::new(ErrorCode::PayloadTooLarge, "The request body is too large.")
            } else {
                ApiFailure::new(ErrorCode::BadRequest, "The request body could not be read.")
            }
        })?;
    Ok((parts, bytes))
}

fn unavailable(error: &dyn std::fmt::Display) -> Response {
    tracing::warn!(%error, "idempotency-key store unavailable; refusing the request");
    ApiFailure::from(DomainError::Unavailable("database".into())).into_response()
}

fn replay(stored: StoredResponse) -> Response {
    let mut res = Response::new(Body::from(stored.body));
    *res.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let headers = res.headers_mut();
    for (name, value) in stored.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.append(name, value);
        }
    }
    headers.insert(IDEMPOTENT_REPLAYED.clone(), HeaderValue::from_static("true"));
    res
}

fn key_reused() -> Response {
    let error = ApiError::problem(IDEMPOTENCY_KEY_FIELD, Problem::KeyReused);
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(error.into_body())).into_response()
}

fn in_flight() -> Response {
    let failure = ApiFailure::new(
        ErrorCode::Conflict,
        "A request with this Idempotency-Key is still being processed; retry shortly.",
    );
    let mut res = failure.into_response();
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

/// Headers never stored for replay: framing, per-response values, and cookies (a replay must not
/// hand out a session again).
fn replayable(name: &HeaderName) -> bool {
    ![CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, DATE, SET_COOKIE].contains(name) && *name != X_REQUEST_ID
}

/// A held reservation. Dropped while armed (the handler panicked, or the request was dropped
/// mid-way), it frees the key in the background so a retry is not blocked.
struct Held {
    db: DbPool,
    scope: String,
    key: IdempotencyKey,
    lease: Lease,
    armed: bool,
}

impl Held {
    /// Stores a storable response (`2xx`, known size up to [`MAX_STORED_BODY`]) and frees the key
    /// for anything else; answers `res` either way.
    async fn finish(mut self, res: Response) -> Response {
        let fits = res.body().size_hint().upper().is_some_and(|n| n <= MAX_STORED_BODY as u64);
        if !res.status().is_success() || !fits {
            self.release().await;
            return res;
        }
        let (parts, body) = res.into_parts();
        let Ok(body) = axum::body::to_bytes(body, MAX_STORED_BODY).await else {
            self.release().await;
            return ApiFailure::from(DomainError::Internal(anyhow::anyhow!(
                "a response body failed mid-way"
            )))
            .into_response();
        };
        let stored = StoredResponse {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .filter(|(name, _)| replayable(name))
                .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
                .collect(),
            body: body.to_vec(),
        };
        self.armed = false;
        let completed = match self.db.get().await {
            Ok(mut conn) => store::complete(&mut conn, &self.scope, &self.key, self.lease, &stored)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        };
        if let Err(error) = completed {
            // The request succeeded; answer it. The reservation stays in flight until it counts as
            // abandoned (runtime::idempotency::ABANDONED_AFTER), refusing repeats with 409 until then.
            tracing::error!(%error, "could not store an idempotent response; repeats get 409 for a while");
        }
        Response::from_parts(parts, Body::from(body))
    }

    async fn release(&mut self) {
        self.armed = false;
        release(self.db.clone(), self.scope.clone(), self.key.clone(), self.lease).await;
    }
}

async fn release(db: DbPool, scope: String, key: IdempotencyKey, lease: Lease) {
    let released = match db.get().await {
        Ok(mut conn) => store::release(&mut conn, &scope, &key, lease).await.map_err(|e| e.to_string()),
        Err(error) => Err(error.to_string()),
    };
    if let Err(error) = released {
        tracing::warn!(%error, "could not free an idempotency key; it frees itself when abandoned");
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            let (db, scope, key, lease) = (self.db.clone(), self.scope.clone(), self.key.clone(), self.lease);
            handle.spawn(release(db, scope, key, lease));
        }
    }
}
