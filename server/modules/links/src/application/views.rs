//! The wire views of the links context's results (one conversion for both doors).

use contracts::links::{BlockView, LeadView, PageSummary, PageView};

use crate::application::pages::PageDetail;
use crate::domain::page::{Block, Lead, Page};

impl From<&Block> for BlockView {
    fn from(b: &Block) -> Self {
        Self {
            id: b.id.to_string(),
            block: b.config.clone(),
            enabled: b.visibility.enabled,
            position: b.position,
            visible_from: b.visibility.from.map(|t| t.to_rfc3339()),
            visible_until: b.visibility.until.map(|t| t.to_rfc3339()),
        }
    }
}

impl From<&PageDetail> for PageView {
    fn from(d: &PageDetail) -> Self {
        Self {
            id: d.page.id.to_string(),
            slug: d.page.slug.clone(),
            title: d.page.title.clone(),
            bio: d.page.bio.clone(),
            theme: d.page.theme.clone(),
            published: d.page.published,
            hide_branding: d.page.hide_branding,
            avatar_url: d.avatar_url.clone(),
            created_at: d.page.created_at.to_rfc3339(),
            updated_at: d.page.updated_at.to_rfc3339(),
            blocks: d.blocks.iter().map(BlockView::from).collect(),
        }
    }
}

/// A page of the list with its block count.
#[must_use]
pub fn summary((page, blocks): &(Page, i64)) -> PageSummary {
    PageSummary {
        id: page.id.to_string(),
        slug: page.slug.clone(),
        title: page.title.clone(),
        published: page.published,
        block_count: u32::try_from(*blocks).unwrap_or(u32::MAX),
        updated_at: page.updated_at.to_rfc3339(),
    }
}

impl From<&Lead> for LeadView {
    fn from(l: &Lead) -> Self {
        Self {
            id: l.id.to_string(),
            email: l.email.clone(),
            name: l.name.clone(),
            block_id: l.block_id.to_string(),
            created_at: l.created_at.to_rfc3339(),
            over_quota: l.over_quota,
        }
    }
}
