//! The public read path: a published page by slug, through the cache.

use std::sync::Arc;

use contracts::links::{PublicBlock, PublicPage};
use contracts::slug::Slug;

use crate::application::{LinksCtx, LinksError};
use crate::infrastructure::blocks::{self, BlockRow};
use crate::infrastructure::cache::CachedPage;
use crate::infrastructure::pages;

/// Whether a read was served from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    Hit,
    Miss,
}

/// The published page at `slug`, with its enabled blocks (windows applied by the caller through
/// [`CachedPage::view_at`]). Malformed and reserved slugs are refused before the cache and the
/// database; unknown and unpublished ones are `None`.
///
/// # Errors
/// `Unavailable`, or an unreadable stored block.
pub async fn page_by_slug(
    ctx: &LinksCtx,
    slug: &str,
) -> Result<Option<(Arc<CachedPage>, CacheStatus)>, LinksError> {
    if Slug::parse(slug).is_err() {
        return Ok(None);
    }
    if let Some(page) = ctx.cache.get(slug) {
        return Ok(Some((page, CacheStatus::Hit)));
    }
    let mut conn = ctx.db.get().await?;
    let Some(row) = pages::published_by_slug(&mut conn, slug).await? else {
        return Ok(None);
    };
    // A paid feature shown only while paid for: the footer comes back when the subscription
    // lapses (within the cache's TTL). A failed lookup shows the footer rather than the error.
    let branding = if row.hide_branding {
        match ctx.premium.has_premium(row.organization_id.into()).await {
            Ok(premium) => !premium,
            Err(err) => {
                tracing::warn!(error = %err, "premium lookup failed; showing the footer");
                true
            }
        }
    } else {
        true
    };
    let rows = blocks::of_page(&mut conn, row.id).await?;
    let blocks = rows
        .iter()
        .filter(|b| b.enabled)
        .map(|b: &BlockRow| {
            b.to_block().map(|block| {
                (PublicBlock { id: block.id.to_string(), block: block.config }, block.visibility)
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let page = Arc::new(CachedPage {
        page: PublicPage {
            id: row.id.to_string(),
            slug: row.slug.clone(),
            title: row.title.clone(),
            bio: row.bio.clone(),
            theme: row.theme(),
            avatar_url: storage::upload::url_of(ctx.storage.as_ref(), row.avatar_key.as_deref()),
            updated_at: row.updated_at.to_rfc3339(),
            branding,
        },
        organization_id: row.organization_id,
        avatar_key: row.avatar_key.clone(),
        blocks,
        load: CachedPage::next_load(),
    });
    ctx.cache.put(page.clone());
    Ok(Some((page, CacheStatus::Miss)))
}

/// The slug of the published page holding block `block` (for click beacons that do not name
/// their page).
///
/// # Errors
/// `Unavailable`.
pub async fn slug_of_block(ctx: &LinksCtx, block: uuid::Uuid) -> Result<Option<String>, LinksError> {
    let mut conn = ctx.db.get().await?;
    let found = blocks::with_page(&mut conn, block).await?;
    Ok(found.filter(|(_, page)| page.published).map(|(_, page)| page.slug))
}
