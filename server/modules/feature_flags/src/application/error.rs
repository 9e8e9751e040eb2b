//! The feature_flags use cases' errors.

use contracts::Problems;
use kernel::DomainError;

/// Why a feature_flags use case failed.
#[derive(Debug, thiserror::Error)]
pub enum FlagsError {
    #[error("invalid input: {0:?}")]
    Validation(Problems),
    /// No flag with this key in the code.
    #[error("not found")]
    NotFound,
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for FlagsError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "feature_flags query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for FlagsError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for feature_flags");
        Self::Unavailable
    }
}

impl From<FlagsError> for DomainError {
    fn from(err: FlagsError) -> Self {
        match err {
            FlagsError::Validation(fields) => Self::Validation(fields),
            FlagsError::NotFound => Self::NotFound,
            FlagsError::Unavailable => Self::Unavailable("database".to_owned()),
            FlagsError::Internal(e) => Self::Internal(e),
        }
    }
}
