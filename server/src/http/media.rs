//! `GET /media/{key}`: uploaded files, read through the configured storage (`STORAGE_PROVIDER`).
//! Keys are content-addressed (a new picture is a new key), so an answer never changes: it is
//! cached for a year, `immutable`. A key that does not parse, a missing object and storage that is
//! off all answer `404` (nothing says which).

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use storage::{ObjectKey, StorageError};

use crate::state::AppState;

/// How long an answer may be kept: keys never change their bytes.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The media route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/media/{*key}", get(object))
}

async fn object(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    let Ok(key) = ObjectKey::parse(&key) else {
        return not_found();
    };
    match state.storage.get(&key).await {
        Ok(Some(found)) => {
            let content_type = HeaderValue::from_str(&found.content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            (
                [
                    (CONTENT_TYPE, content_type),
                    (CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
                    (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
                ],
                Body::from(found.bytes),
            )
                .into_response()
        }
        Ok(None) | Err(StorageError::Disabled) => not_found(),
        Err(err) => {
            tracing::warn!(error = %err, "media read failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}
