//! The usage use cases' errors.

use contracts::usage::UsageMeter;
use kernel::DomainError;

/// Why a usage use case failed.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// The caller lacks the permission.
    #[error("missing permission {0}")]
    Forbidden(String),
    /// A use of a meter nobody registered (a wiring bug of the host).
    #[error("usage meter {0} is not registered")]
    UnknownMeter(UsageMeter),
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for UsageError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "usage query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for UsageError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for usage");
        Self::Unavailable
    }
}

impl From<UsageError> for DomainError {
    fn from(err: UsageError) -> Self {
        match err {
            UsageError::Forbidden(p) => Self::Forbidden(p),
            UsageError::UnknownMeter(m) => {
                Self::Internal(anyhow::anyhow!("usage meter {m} is not registered"))
            }
            UsageError::Unavailable => Self::Unavailable("database".to_owned()),
            UsageError::Internal(e) => Self::Internal(e),
        }
    }
}
