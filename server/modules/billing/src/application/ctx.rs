//! [`BillingCtx`]: what billing's use cases need.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;

/// Billing's dependencies: cheap to clone.
#[derive(Clone)]
pub struct BillingCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for BillingCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BillingCtx").finish_non_exhaustive()
    }
}
