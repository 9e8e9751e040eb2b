//! Pages, blocks, leads and templates on the wire: `/api/v1/links/*` and `/api/v1/public/*`.

use serde::{Deserialize, Serialize};

use crate::blocks::BlockConfig;
use crate::theme::PageTheme;

/// Longest page title.
pub const PAGE_TITLE_MAX: usize = 80;
/// Longest page bio.
pub const PAGE_BIO_MAX: usize = 300;
/// Longest lead name.
pub const LEAD_NAME_MAX: usize = 100;
/// Most blocks on one page.
pub const PAGE_BLOCKS_MAX: usize = 100;

/// `POST /api/v1/links/pages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreatePageInput {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 40, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")
    )]
    pub slug: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<String>,
    /// The language of the template's texts (`es` or `en`); defaults to the caller's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `PATCH /api/v1/links/pages/{id}`: any subset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdatePageInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<PageTheme>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 40, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")
    )]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
    /// Hide the "Made with mibio" footer: a paid feature (`402 subscription_required` to turn it
    /// on without a subscription).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide_branding: Option<bool>,
}

/// A page in the organization's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageSummary {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub published: bool,
    pub block_count: u32,
    /// RFC 3339.
    pub updated_at: String,
}

/// A page on the dashboard's home: its address, whether it is live, and its last 7 days (UTC days,
/// today included; the analytics report's `7d`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageCardView {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub published: bool,
    pub views7d: u64,
    pub leads7d: u64,
}

/// A page with all its blocks (enabled or not), as the editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PageView {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub bio: String,
    pub theme: PageTheme,
    pub published: bool,
    /// The owner asked to hide the "Made with mibio" footer; visitors see it anyway while the
    /// organization has no paid plan.
    pub hide_branding: bool,
    pub avatar_url: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    pub blocks: Vec<BlockView>,
}

/// A block as the editor sees it: `{id, type, config, enabled, position, visibleFrom, visibleUntil}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BlockView {
    pub id: String,
    #[serde(flatten)]
    pub block: BlockConfig,
    pub enabled: bool,
    pub position: i32,
    /// RFC 3339, UTC; the block is shown from then on.
    pub visible_from: Option<String>,
    /// RFC 3339, UTC; the block is hidden from then on.
    pub visible_until: Option<String>,
}

/// `POST /api/v1/links/pages/{id}/blocks`. `config` is checked against `type` by
/// [`BlockConfig::parse`]. Placement: `position` (sparse; a taken position inserts before the
/// block holding it) or `afterBlockId` (`null` = first); neither = last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateBlockInput {
    /// The block's type (`EMBED` and `TESTIMONIAL` are reserved: `400`).
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(value_type = crate::blocks::BlockType))]
    pub kind: String,
    pub config: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub after_block_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_until: Option<String>,
}

/// `PATCH /api/v1/links/pages/{id}/blocks/{blockId}`: any subset. `visibleFrom`/`visibleUntil`
/// set to `null` clear the window; `afterBlockId: null` moves the block first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateBlockInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub after_block_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub visible_from: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub visible_until: Option<Option<String>>,
}

/// `POST /api/v1/links/pages/{id}/blocks/{blockId}/restore` (the body is optional): where the
/// restored block goes, as for a new block; neither field = its old position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RestoreBlockInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i32>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    pub after_block_id: Option<Option<String>>,
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn double_option<'de, D, T>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// A template of the gallery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TemplateView {
    pub id: String,
    pub name: String,
    pub description: String,
    /// A path on this site to the template's preview image.
    pub thumbnail: String,
}

/// A captured lead, as the organization sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LeadView {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub block_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// Captured after the organization's monthly lead cap was reached: stored all the same (a
    /// coach never loses a contact), flagged so the leads list can say so.
    #[serde(default)]
    pub over_quota: bool,
}

/// `{"items": [...], "nextCursor": "opaque"|null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/public/leads` (and the no-JavaScript form, which posts the same fields).
/// `website` is a honeypot: people never see it, bots fill it in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CaptureLeadInput {
    pub block_id: String,
    #[cfg_attr(feature = "openapi", schema(format = Email))]
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Must be true when the form shows a consent text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// The answer to a lead submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LeadCaptured {
    /// What the form shows: the block's success message or the default one.
    pub message: String,
}

/// `GET /api/v1/public/pages/by-slug/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicPageView {
    pub page: PublicPage,
    /// Enabled blocks inside their visibility window, in position order.
    pub blocks: Vec<PublicBlock>,
}

/// The visitor-facing part of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicPage {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub bio: String,
    pub theme: PageTheme,
    pub avatar_url: Option<String>,
    /// RFC 3339: changes with every edit of the page or its blocks.
    pub updated_at: String,
    /// Whether the "Made with mibio" footer is shown: `false` only while the owner hides it and
    /// the organization's plan allows that.
    #[serde(default = "shown")]
    pub branding: bool,
}

const fn shown() -> bool {
    true
}

/// A block as visitors get it: `{id, type, config}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PublicBlock {
    pub id: String,
    #[serde(flatten)]
    pub block: BlockConfig,
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;
    use serde_json::json;

    use super::*;
    use crate::blocks::HeaderConfig;

    #[test]
    fn block_views_have_the_documented_shape() {
        let view = BlockView {
            id: "b1".into(),
            block: BlockConfig::Header(HeaderConfig { text: "Hola".into() }),
            enabled: true,
            position: 10,
            visible_from: None,
            visible_until: Some("2026-12-01T00:00:00Z".into()),
        };
        let wire = serde_json::to_value(&view).unwrap();
        assert_eq!(
            wire,
            json!({"id": "b1", "type": "HEADER", "config": {"text": "Hola"}, "enabled": true,
                   "position": 10, "visibleFrom": null, "visibleUntil": "2026-12-01T00:00:00Z"})
        );
        assert_eq!(serde_json::from_value::<BlockView>(wire).unwrap(), view);
    }

    #[test]
    fn patches_tell_null_from_absent() {
        let patch: UpdateBlockInput = serde_json::from_value(json!({"visibleFrom": null})).unwrap();
        assert_eq!(patch.visible_from, Some(None));
        assert_eq!(patch.visible_until, None);
        assert!(serde_json::from_value::<UpdateBlockInput>(json!({"pageId": "x"})).is_err());
        assert!(serde_json::from_value::<UpdatePageInput>(json!({"organizationId": "x"})).is_err());
    }
}
