//! The notifications use cases' errors.

use contracts::Problem;
use kernel::DomainError;

use crate::views::NotificationKind;

/// Why a notifications use case failed.
#[derive(Debug, thiserror::Error)]
pub enum NotificationsError {
    /// No such notification of this user (another user's is not found either).
    #[error("not found")]
    NotFound,
    /// An unsubscribe token that is unknown or already used.
    #[error("invalid or used unsubscribe link")]
    InvalidToken,
    /// The kind's emails cannot be turned off (see [`NotificationKind::email_optional`]).
    #[error("the {0} emails cannot be turned off")]
    NotOptional(NotificationKind),
    /// The database could not be reached.
    #[error("database unavailable")]
    Unavailable,
    /// Anything unexpected.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for NotificationsError {
    fn from(err: diesel::result::Error) -> Self {
        kernel::db::query_failure(err, "notifications query failed").map_or(Self::Unavailable, Self::Internal)
    }
}

impl From<kernel::db::PoolError> for NotificationsError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for notifications");
        Self::Unavailable
    }
}

impl From<NotificationsError> for DomainError {
    fn from(err: NotificationsError) -> Self {
        match err {
            NotificationsError::NotFound => Self::NotFound,
            NotificationsError::InvalidToken => Self::rejected(
                contracts::ErrorCode::InvalidToken,
                "This unsubscribe link is invalid or was already used. Change your email preferences in the dashboard.",
            ),
            NotificationsError::NotOptional(_) => {
                let choices = NotificationKind::ALL
                    .into_iter()
                    .filter(|k| k.email_optional())
                    .map(|k| k.key().to_owned())
                    .collect();
                Self::field("kind", Problem::OneOf { choices })
            }
            NotificationsError::Unavailable => Self::Unavailable("database".to_owned()),
            NotificationsError::Internal(e) => Self::Internal(e),
        }
    }
}
