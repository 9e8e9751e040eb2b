//! What members read: a page's report and the page cards' view counts. Both check the
//! [`Actor`]: `links:read`, and only the actor's organization's pages (another organization's
//! page is `NotFound`, never revealed).

use std::collections::HashMap;
use std::sync::Arc;

use contracts::analytics::{AnalyticsReport, Range};
use contracts::permissions::Permission;
use kernel::db::DbPool;
use kernel::{Actor, Clock, DomainError, DomainResult, OrganizationId};
use uuid::Uuid;

/// Who owns a page, answered by the links context (which owns pages); any page, published or not.
#[async_trait::async_trait]
pub trait PageOwners: Send + Sync {
    /// The organization of page `page`, `None` when there is no such page.
    ///
    /// # Errors
    /// When the pages cannot be read.
    async fn organization_of(&self, page: Uuid) -> anyhow::Result<Option<OrganizationId>>;
}

/// The analytics use cases' dependencies.
#[derive(Clone)]
pub struct AnalyticsCtx {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
    pub pages: Arc<dyn PageOwners>,
}

impl std::fmt::Debug for AnalyticsCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalyticsCtx").finish_non_exhaustive()
    }
}

/// The report of the actor's organization's page `page` over `range`, as of now (`links:read`).
///
/// # Errors
/// `Forbidden`; `NotFound` for a page that is not the organization's; the database's.
pub async fn page_report(
    ctx: &AnalyticsCtx,
    actor: &Actor,
    page: Uuid,
    range: Range,
) -> DomainResult<AnalyticsReport> {
    actor.require(&Permission::LINKS_READ)?;
    if ctx.pages.organization_of(page).await? != Some(actor.organization_id) {
        return Err(DomainError::NotFound);
    }
    Ok(crate::report::report(&ctx.db, page, range, ctx.clock.now()).await?)
}

/// The views of each of `pages` over `range` (`links:read`). Views of another organization's
/// pages are never counted: a page that is not the actor's organization's answers 0.
///
/// # Errors
/// `Forbidden`; the database's.
pub async fn views_by_page(
    ctx: &AnalyticsCtx,
    actor: &Actor,
    pages: &[Uuid],
    range: Range,
) -> DomainResult<HashMap<Uuid, u64>> {
    actor.require(&Permission::LINKS_READ)?;
    Ok(crate::summary::views_by_page(&ctx.db, actor.organization_id, pages, range, ctx.clock.now()).await?)
}
