//! The links use cases' errors.

use contracts::usage::UsageMeter;
use contracts::{ErrorCode, Problem, Problems};
use kernel::{Actor, DomainError};

/// Why a links use case failed.
#[derive(Debug, thiserror::Error)]
pub enum LinksError {
    #[error("invalid input: {0:?}")]
    Validation(Problems),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such page, block or lead — or one of another organization.
    #[error("not found")]
    NotFound,
    /// The slug is taken by another page or reserved for the app.
    #[error("slug unavailable")]
    SlugUnavailable,
    #[error("conflict: {0}")]
    Conflict(String),
    /// The caller's email address is not verified, and the action reaches other people (see
    /// `kernel::Actor::require_verified_email`).
    #[error("email unverified")]
    EmailUnverified,
    /// A paid feature (hiding the footer), and the organization's plan does not open it
    /// (`402 subscription_required`).
    #[error("subscription required")]
    SubscriptionRequired,
    /// The plan's cap on `meter` is reached (`402 quota_exceeded`).
    #[error("quota exceeded: {meter} (limit {limit})")]
    QuotaExceeded { meter: UsageMeter, limit: u64 },
    /// An uploaded picture was refused, or the store is off or down.
    #[error(transparent)]
    Upload(#[from] storage::UploadError),
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl LinksError {
    /// A validation error on one field.
    #[must_use]
    pub fn field(field: &str, problem: impl Into<Problem>) -> Self {
        Self::Validation(problem.into().at(field))
    }
}

impl From<diesel::result::Error> for LinksError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "links query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for LinksError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for links");
        Self::Unavailable
    }
}

impl From<DomainError> for LinksError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Forbidden(p) => Self::Forbidden(p),
            DomainError::NotFound => Self::NotFound,
            DomainError::Validation(f) => Self::Validation(f),
            DomainError::Rejected { code: ErrorCode::EmailUnverified, .. } => Self::EmailUnverified,
            DomainError::QuotaExceeded { meter, limit } => Self::QuotaExceeded { meter, limit },
            other => Self::Internal(anyhow::anyhow!(other.to_string())),
        }
    }
}

impl From<LinksError> for DomainError {
    fn from(err: LinksError) -> Self {
        match err {
            LinksError::Validation(fields) => Self::Validation(fields),
            LinksError::Forbidden(p) => Self::Forbidden(p),
            LinksError::NotFound => Self::NotFound,
            LinksError::SlugUnavailable => Self::rejected(
                ErrorCode::SlugUnavailable,
                "That address is taken or reserved; choose another.",
            ),
            LinksError::Conflict(message) => Self::rejected(ErrorCode::Conflict, message),
            LinksError::EmailUnverified => Actor::unverified(),
            LinksError::QuotaExceeded { meter, limit } => Self::QuotaExceeded { meter, limit },
            LinksError::SubscriptionRequired => Self::rejected(
                ErrorCode::SubscriptionRequired,
                "Hiding the mibio footer needs a paid plan; upgrade in Billing.",
            ),
            LinksError::Upload(e) => e.into(),
            LinksError::Unavailable => Self::Unavailable("database".to_owned()),
            LinksError::Internal(e) => Self::Internal(e),
        }
    }
}
