//! A failed request, ready to be answered by either door: the REST handlers return it as their
//! error (it is an axum response), the extractors of [`caller`](super::caller) reject with it, and
//! server functions turn it into their [`ApiError`] with [`wire`](super::wire).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use contracts::{ApiError, ErrorCode};
use kernel::DomainError;

/// A failed request: the wire error it answers.
#[derive(Debug)]
pub struct ApiFailure(pub ApiError);

impl ApiFailure {
    /// A failure with a code and a message.
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(ApiError::new(code, message))
    }
}

impl From<ApiError> for ApiFailure {
    fn from(err: ApiError) -> Self {
        Self(err)
    }
}

/// The one place a use case's failure becomes a wire error: an unexpected one is logged with an
/// incident id that the client sees (and can quote to support); a dependency that is down is
/// logged as a warning.
impl From<DomainError> for ApiFailure {
    fn from(err: DomainError) -> Self {
        let incident = uuid::Uuid::now_v7().simple().to_string();
        match &err {
            DomainError::Internal(cause) => {
                tracing::error!(incident, error = ?cause, "request failed unexpectedly");
            }
            DomainError::Unavailable(dependency) => {
                tracing::warn!(incident, dependency, "dependency unavailable");
            }
            _ => {}
        }
        Self(err.to_api_error(&incident))
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(self.0.into_body())).into_response()
    }
}
