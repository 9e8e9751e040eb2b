//! Identity's use-case errors.

use contracts::{ErrorCode, Problem, Problems};
use kernel::DomainError;

/// Why an identity use case failed.
#[derive(Debug, thiserror::Error)]
pub enum IamError {
    /// Input broke a rule; each field and its problem.
    #[error("invalid input: {0:?}")]
    Validation(Problems),
    /// Wrong email or password — deliberately the same for both.
    #[error("wrong email or password")]
    InvalidCredentials,
    /// A link's token is unknown, already used or expired.
    #[error("invalid or expired link")]
    InvalidToken,
    /// No such user.
    #[error("not found")]
    NotFound,
    /// A new verification link was asked for an address that is verified already.
    #[error("email already verified")]
    AlreadyVerified,
    /// An uploaded picture was refused, or the store is off or down.
    #[error(transparent)]
    Upload(#[from] storage::UploadError),
    /// The database could not be reached.
    #[error("database unavailable")]
    Unavailable,
    /// Anything unexpected.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IamError {
    /// A validation error on one field.
    #[must_use]
    pub fn field(field: &str, problem: impl Into<Problem>) -> Self {
        Self::Validation(problem.into().at(field))
    }
}

impl From<diesel::result::Error> for IamError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "identity query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for IamError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for identity");
        Self::Unavailable
    }
}

impl From<IamError> for DomainError {
    fn from(err: IamError) -> Self {
        match err {
            IamError::Validation(fields) => Self::Validation(fields),
            IamError::InvalidCredentials => {
                Self::rejected(ErrorCode::InvalidCredentials, "Wrong email or password.")
            }
            IamError::InvalidToken => Self::rejected(
                ErrorCode::InvalidToken,
                "This link is invalid or has expired. Ask for a new one.",
            ),
            IamError::NotFound => Self::NotFound,
            IamError::AlreadyVerified => {
                Self::rejected(ErrorCode::Conflict, "Your email address is already verified.")
            }
            IamError::Upload(e) => e.into(),
            IamError::Unavailable => Self::Unavailable("database".to_owned()),
            IamError::Internal(e) => Self::Internal(e),
        }
    }
}
