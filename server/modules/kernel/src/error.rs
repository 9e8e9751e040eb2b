//! The kernel's error vocabulary. Each context has its own error enum (`LinksError`, …) for its
//! use cases; all of them convert into [`DomainError`], which the HTTP host maps onto the wire
//! `ApiError` and its status code in exactly one place.

use contracts::usage::UsageMeter;
use contracts::{ApiError, ConflictReason, ErrorCode, Problem, Problems};

/// A use case's failure, in terms every adapter understands.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Input broke a rule; the map names each field and what is wrong with it.
    #[error("invalid input: {0:?}")]
    Validation(Problems),
    /// No session.
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but lacking the named permission.
    #[error("missing permission {0}")]
    Forbidden(String),
    /// No such resource, or one of another organization (never reveal which).
    #[error("not found")]
    NotFound,
    /// The request was refused for a reason the code names (`slug_unavailable`,
    /// `invalid_credentials`, …); the HTTP status follows from the code.
    #[error("rejected ({code}): {message}")]
    Rejected { code: ErrorCode, message: String },
    /// The request conflicts with the current state, for the reason given (409).
    #[error("conflict: {}", .0.message())]
    Conflict(ConflictReason),
    /// The organization's plan caps `meter` at `limit` and it is reached (`402 quota_exceeded`,
    /// its `problems` keyed by the meter).
    #[error("quota exceeded: {meter} (limit {limit})")]
    QuotaExceeded { meter: UsageMeter, limit: u64 },
    /// A dependency is down; the string names it (`database`, `storage`, …).
    #[error("{0} is unavailable")]
    Unavailable(String),
    /// Anything unexpected. Logged with an id; the client only sees the id.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The result of a kernel-level operation.
pub type DomainResult<T> = Result<T, DomainError>;

impl DomainError {
    /// A refusal with a specific code and message.
    #[must_use]
    pub fn rejected(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Rejected { code, message: message.into() }
    }

    /// A validation error naming one field.
    #[must_use]
    pub fn field(field: impl Into<String>, problem: impl Into<Problem>) -> Self {
        Self::Validation(problem.into().at(field))
    }

    /// The wire form of this error. `Internal` errors become an opaque message that quotes
    /// `incident` (the id under which the caller logged the details).
    #[must_use]
    pub fn to_api_error(&self, incident: &str) -> ApiError {
        match self {
            Self::Validation(problems) => ApiError::problems(problems.clone()),
            Self::Unauthenticated => ApiError::new(ErrorCode::Unauthenticated, "Sign in to continue."),
            Self::Forbidden(permission) => {
                ApiError::new(ErrorCode::Forbidden, format!("You need the {permission} permission for this."))
            }
            Self::NotFound => ApiError::new(ErrorCode::NotFound, "Not found."),
            Self::Rejected { code, message } => ApiError::new(*code, message.clone()),
            Self::Conflict(reason) => ApiError::conflict(*reason),
            Self::QuotaExceeded { meter, limit } => {
                let problem = Problem::QuotaExceeded { meter: *meter, limit: *limit };
                let mut api = ApiError::new(
                    ErrorCode::QuotaExceeded,
                    format!("Your plan's limit of {limit} ({meter}) is reached; upgrade in Billing."),
                );
                api.fields.insert(meter.key().to_owned(), problem.to_string());
                api.problems.insert(meter.key().to_owned(), problem);
                api
            }
            Self::Unavailable(dependency) => ApiError::new(
                ErrorCode::Unavailable,
                format!("The {dependency} is unavailable; try again shortly."),
            ),
            Self::Internal(_) => ApiError::new(
                ErrorCode::Internal,
                format!("Something went wrong on our side (incident {incident})."),
            ),
        }
    }
}

impl From<diesel::result::Error> for DomainError {
    fn from(err: diesel::result::Error) -> Self {
        match err {
            diesel::result::Error::NotFound => Self::NotFound,
            other => crate::db::query_failure(other, "database query failed")
                .map_or_else(|| Self::Unavailable("database".to_owned()), Self::Internal),
        }
    }
}

impl From<crate::db::PoolError> for DomainError {
    fn from(err: crate::db::PoolError) -> Self {
        tracing::warn!(error = %err, "database pool could not hand out a connection");
        Self::Unavailable("database".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_lost_mid_query_is_unavailable_not_internal() {
        use diesel::result::{DatabaseErrorKind, Error};
        let lost = Error::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand,
            Box::new("connection closed".to_owned()),
        );
        let err = DomainError::from(lost);
        assert!(matches!(err, DomainError::Unavailable(_)), "{err:?}");
        assert_eq!(err.to_api_error("x").code, ErrorCode::Unavailable);
        let other = Error::DatabaseError(DatabaseErrorKind::CheckViolation, Box::new("check".to_owned()));
        assert!(matches!(DomainError::from(other), DomainError::Internal(_)));
    }

    #[test]
    fn internal_errors_hide_their_details() {
        let err = DomainError::Internal(anyhow::anyhow!("password=hunter2 leaked in a query"));
        let api = err.to_api_error("01J0INCIDENT");
        assert_eq!(api.code, ErrorCode::Internal);
        assert!(api.message.contains("01J0INCIDENT"));
        assert!(!api.message.contains("hunter2"));
    }

    #[test]
    fn diesel_not_found_is_not_found() {
        assert!(matches!(DomainError::from(diesel::result::Error::NotFound), DomainError::NotFound));
    }

    #[test]
    fn a_reached_quota_is_402_and_names_its_meter() {
        let api = DomainError::QuotaExceeded { meter: UsageMeter::PagesCreated, limit: 1 }.to_api_error("x");
        assert_eq!(api.status(), 402);
        assert_eq!(api.code, ErrorCode::QuotaExceeded);
        assert_eq!(
            api.problems["pages_created"],
            Problem::QuotaExceeded { meter: UsageMeter::PagesCreated, limit: 1 }
        );
    }

    #[test]
    fn validation_names_the_field() {
        let api = DomainError::field("email", Problem::NotEmail).to_api_error("x");
        assert_eq!(api.status(), 400);
        assert_eq!(api.fields["email"], "is not an email address");
        assert_eq!(api.problems["email"], Problem::NotEmail);
    }
}
