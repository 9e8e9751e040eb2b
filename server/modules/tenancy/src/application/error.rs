//! Tenancy's use-case errors.

use contracts::{ConflictReason, ErrorCode, Problem, Problems};
use kernel::{Actor, DomainError};

/// Why a tenancy use case failed.
#[derive(Debug, thiserror::Error)]
pub enum TenancyError {
    #[error("invalid input: {0:?}")]
    Validation(Problems),
    /// The actor lacks a permission (or would grant more than they hold).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// No such organization, member, role or invitation — or one the caller may not see.
    #[error("not found")]
    NotFound,
    /// The request conflicts with the current state.
    #[error("conflict: {}", .0.message())]
    Conflict(ConflictReason),
    /// The organization slug is taken.
    #[error("slug taken")]
    SlugTaken,
    /// The caller's email address is not verified, and the action reaches other people (see
    /// `kernel::Actor::require_verified_email`).
    #[error("email unverified")]
    EmailUnverified,
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl TenancyError {
    /// A validation error on one field.
    #[must_use]
    pub fn field(field: &str, problem: impl Into<Problem>) -> Self {
        Self::Validation(problem.into().at(field))
    }
}

impl From<diesel::result::Error> for TenancyError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "tenancy query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for TenancyError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for tenancy");
        Self::Unavailable
    }
}

impl From<DomainError> for TenancyError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Forbidden(p) => Self::Forbidden(p),
            DomainError::NotFound => Self::NotFound,
            DomainError::Validation(f) => Self::Validation(f),
            DomainError::Conflict(reason) => Self::Conflict(reason),
            DomainError::Rejected { code: ErrorCode::EmailUnverified, .. } => Self::EmailUnverified,
            other => Self::Internal(anyhow::anyhow!(other.to_string())),
        }
    }
}

impl From<TenancyError> for DomainError {
    fn from(err: TenancyError) -> Self {
        match err {
            TenancyError::Validation(fields) => Self::Validation(fields),
            TenancyError::Forbidden(p) => Self::Forbidden(p),
            TenancyError::NotFound => Self::NotFound,
            TenancyError::Conflict(reason) => Self::Conflict(reason),
            TenancyError::SlugTaken => Self::rejected(
                ErrorCode::SlugUnavailable,
                "That organization address is taken; choose another.",
            ),
            TenancyError::EmailUnverified => Actor::unverified(),
            TenancyError::Unavailable => Self::Unavailable("database".to_owned()),
            TenancyError::Internal(e) => Self::Internal(e),
        }
    }
}
