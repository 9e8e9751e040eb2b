//! [`BillingCtx`]: what billing's use cases need.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;

use crate::domain::provider::PaymentProvider;

/// Billing's dependencies: cheap to clone.
#[derive(Clone)]
pub struct BillingCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    /// The provider `PAYMENT_PROVIDER` names; `None` for `none` (checkout and portal answer 503
    /// `billing_not_configured`, webhooks 404).
    pub provider: Option<Arc<dyn PaymentProvider>>,
}

impl std::fmt::Debug for BillingCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BillingCtx").finish_non_exhaustive()
    }
}
