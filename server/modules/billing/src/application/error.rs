//! The billing use cases' errors.

use contracts::ErrorCode;
use kernel::DomainError;

use crate::domain::provider::ProviderError;

/// Why a billing use case failed.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// The caller lacks the permission.
    #[error("missing permission {0}")]
    Forbidden(String),
    /// A premium feature, and the organization has no subscription that grants access.
    #[error("subscription required")]
    SubscriptionRequired,
    /// A provider event names an organization that does not exist (deleted since, or metadata
    /// from another environment).
    #[error("unknown organization")]
    UnknownOrganization,
    /// The payment provider failed or is not configured.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for BillingError {
    fn from(err: diesel::result::Error) -> Self {
        Self::Internal(anyhow::Error::new(err).context("billing query failed"))
    }
}

impl From<kernel::db::PoolError> for BillingError {
    fn from(err: kernel::db::PoolError) -> Self {
        tracing::warn!(error = %err, "no database connection for billing");
        Self::Unavailable
    }
}

impl From<BillingError> for DomainError {
    fn from(err: BillingError) -> Self {
        match err {
            BillingError::Forbidden(p) => Self::Forbidden(p),
            BillingError::SubscriptionRequired => Self::rejected(
                ErrorCode::SubscriptionRequired,
                "This feature needs a paid plan; upgrade in Billing.",
            ),
            BillingError::UnknownOrganization => Self::NotFound,
            BillingError::Provider(ProviderError::NotConfigured(_) | ProviderError::Unavailable) => {
                Self::Unavailable("payment provider".to_owned())
            }
            BillingError::Provider(e @ (ProviderError::Rejected(_) | ProviderError::Internal(_))) => {
                Self::Internal(anyhow::Error::new(e))
            }
            BillingError::Unavailable => Self::Unavailable("database".to_owned()),
            BillingError::Internal(e) => Self::Internal(e),
        }
    }
}
