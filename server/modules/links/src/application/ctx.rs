//! What the links use cases need from the outside world.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;
use kernel::premium::PremiumAccess;
use kernel::quota::QuotaGate;

use crate::infrastructure::cache::PublicPageCache;

/// The links context's dependencies.
#[derive(Clone)]
pub struct LinksCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    /// The public read path's cache; writes evict from it.
    pub cache: Arc<PublicPageCache>,
    /// The plan's caps on pages and leads (`crate::domain::quota`), counted in the use cases'
    /// own transactions; `kernel::quota::Unmetered` where nothing is metered.
    pub quotas: Arc<dyn QuotaGate>,
    /// Whether an organization's plan opens the paid features (hiding the "Made with mibio"
    /// footer); `kernel::premium::NoPremium` where nobody pays.
    pub premium: Arc<dyn PremiumAccess>,
    /// Where pages' avatars and IMAGE blocks' uploaded pictures are kept, and the URLs they are
    /// served from (`storage`'s `null` adapter where uploads are off).
    pub storage: Arc<dyn storage::StorageProvider>,
}

impl std::fmt::Debug for LinksCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinksCtx").finish_non_exhaustive()
    }
}
