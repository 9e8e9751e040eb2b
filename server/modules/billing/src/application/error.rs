//! The billing use cases' errors.

use contracts::{ErrorCode, Problems};
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
    /// The request breaks a rule; each field names what is wrong (a free plan, a currency or
    /// interval the plan or the provider has no price in).
    #[error("invalid input: {0:?}")]
    Invalid(Problems),
    /// No payment provider is configured (`PAYMENT_PROVIDER=none`).
    #[error("billing is not configured")]
    NotConfigured,
    /// The organization has no customer at the configured provider yet (it never paid there).
    #[error("no billing account")]
    NoBillingAccount,
    /// The organization already has a running subscription at the provider: a second checkout
    /// would charge it twice (plans are changed in the provider's portal).
    #[error("already subscribed")]
    AlreadySubscribed,
    /// A webhook for a provider that is not the configured one (or none is).
    #[error("unknown payment provider")]
    UnknownProvider,
    /// A webhook delivery that did not verify or does not parse; the text says why.
    #[error("bad webhook: {0}")]
    BadWebhook(String),
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
        kernel::db::query_failure(err, "billing query failed").map_or(Self::Unavailable, Self::Internal)
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
            BillingError::UnknownOrganization | BillingError::UnknownProvider => Self::NotFound,
            BillingError::Invalid(problems) => Self::Validation(problems),
            BillingError::NotConfigured | BillingError::Provider(ProviderError::NotConfigured(_)) => {
                Self::rejected(ErrorCode::BillingNotConfigured, "Billing is not set up on this server.")
            }
            BillingError::NoBillingAccount => Self::rejected(
                ErrorCode::NoBillingAccount,
                "This organization has no billing account yet; subscribe to a plan first.",
            ),
            BillingError::AlreadySubscribed => Self::Conflict(contracts::ConflictReason::AlreadySubscribed),
            BillingError::BadWebhook(reason) => {
                Self::rejected(ErrorCode::BadRequest, format!("Webhook refused: {reason}."))
            }
            BillingError::Provider(ProviderError::Unavailable) => {
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

#[cfg(test)]
mod tests {
    use contracts::Problem;

    use super::*;

    fn code(err: BillingError) -> Option<ErrorCode> {
        match DomainError::from(err) {
            DomainError::Rejected { code, .. } => Some(code),
            _ => None,
        }
    }

    #[test]
    fn billing_errors_become_the_wire_errors_of_http_api_md() {
        let problems = Problem::Required.at("planId");
        assert!(matches!(
            DomainError::from(BillingError::Invalid(problems.clone())),
            DomainError::Validation(p) if p == problems
        ));
        assert_eq!(code(BillingError::NotConfigured), Some(ErrorCode::BillingNotConfigured));
        assert_eq!(
            code(BillingError::Provider(ProviderError::NotConfigured("no price".into()))),
            Some(ErrorCode::BillingNotConfigured)
        );
        assert_eq!(code(BillingError::NoBillingAccount), Some(ErrorCode::NoBillingAccount));
        assert_eq!(code(BillingError::BadWebhook("bad signature".into())), Some(ErrorCode::BadRequest));
        assert!(matches!(DomainError::from(BillingError::UnknownProvider), DomainError::NotFound));
        assert!(matches!(
            DomainError::from(BillingError::Provider(ProviderError::Unavailable)),
            DomainError::Unavailable(ref what) if what == "payment provider"
        ));
        assert!(matches!(
            DomainError::from(BillingError::Provider(ProviderError::Rejected("400".into()))),
            DomainError::Internal(_)
        ));
    }
}
