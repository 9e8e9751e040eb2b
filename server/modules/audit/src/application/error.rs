//! The audit use cases' errors.

use contracts::Problems;
use kernel::DomainError;

/// Why an audit use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A query parameter is bad; the map names each.
    #[error("invalid input: {0:?}")]
    Validation(Problems),
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AuditError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "audit query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for AuditError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for audit");
        Self::Unavailable
    }
}

impl From<AuditError> for DomainError {
    fn from(err: AuditError) -> Self {
        match err {
            AuditError::Validation(fields) => Self::Validation(fields),
            AuditError::Unavailable => Self::Unavailable("database".to_owned()),
            AuditError::Internal(e) => Self::Internal(e),
        }
    }
}
