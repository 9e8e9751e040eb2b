//! [`UsageCtx`]: what usage's use cases need.

use kernel::db::DbPool;

use crate::application::QuotaEnforcer;

/// Usage's dependencies: cheap to clone.
#[derive(Clone)]
pub struct UsageCtx {
    pub db: DbPool,
    /// The registered meters, the plan port, the clock and whether caps are enforced.
    pub enforcer: QuotaEnforcer,
}

impl std::fmt::Debug for UsageCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UsageCtx").finish_non_exhaustive()
    }
}
