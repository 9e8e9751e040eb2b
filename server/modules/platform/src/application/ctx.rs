//! What the platform use cases need.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;

/// The platform context's dependencies.
#[derive(Clone)]
pub struct PlatformCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    /// `PLATFORM_ADMIN_EMAILS`, lowercase.
    pub config_admins: Arc<Vec<String>>,
}

impl std::fmt::Debug for PlatformCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlatformCtx").field("config_admins", &self.config_admins).finish_non_exhaustive()
    }
}
