//! Links server functions: the dashboard's door to pages, blocks, templates and leads. Each
//! calls the same use case as its REST twin (`/api/v1/links/*`). The CSV export is a plain
//! download of the REST URL (a file, not data for a component).

use contracts::ApiError;
use contracts::links::{
    BlockView, CreateBlockInput, CreatePageInput, LeadView, Page, PageCardView, PageSummary, PageView,
    TemplateView, UpdateBlockInput, UpdatePageInput,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A path id that is not a UUID names nothing: `not_found`, as the REST door answers.
#[cfg(feature = "ssr")]
fn id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| crate::server::wire(links::LinksError::NotFound))
}

/// The four coach templates, in the caller's language.
#[server(prefix = "/api/fn", endpoint = "link_templates", input = Json)]
pub async fn link_templates() -> Result<Vec<TemplateView>, ApiError> {
    crate::api::orgs::member().await?;
    Ok(links::application::templates::gallery(crate::i18n::request_locale()))
}

/// The active organization's pages.
#[server(prefix = "/api/fn", endpoint = "list_pages", input = Json)]
pub async fn list_pages() -> Result<Vec<PageSummary>, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let rows = links::application::pages::list(&services.links, &membership.actor)
        .await
        .map_err(crate::server::wire)?;
    Ok(rows.iter().map(links::application::views::summary).collect())
}

/// The active organization's pages for the dashboard's home: address, state, and the views and
/// leads of the last 7 days.
#[server(prefix = "/api/fn", endpoint = "page_cards", input = Json)]
pub async fn page_cards() -> Result<Vec<PageCardView>, ApiError> {
    use contracts::analytics::Range;
    let (services, _, membership) = crate::api::orgs::member().await?;
    let actor = &membership.actor;
    let rows = links::application::pages::list(&services.links, actor).await.map_err(crate::server::wire)?;
    let range = Range::Days7;
    let leads = links::application::leads::counts_over(&services.links, actor, u32::from(range.days()))
        .await
        .map_err(crate::server::wire)?;
    let ids: Vec<uuid::Uuid> = rows.iter().map(|(page, _)| page.id.into_uuid()).collect();
    let views = analytics::application::views_by_page(&services.analytics, actor, &ids, range)
        .await
        .map_err(crate::server::wire)?;
    Ok(rows
        .iter()
        .map(|(page, _)| PageCardView {
            id: page.id.to_string(),
            slug: page.slug.clone(),
            title: page.title.clone(),
            published: page.published,
            views7d: views.get(&page.id.into_uuid()).copied().unwrap_or(0),
            leads7d: leads.get(&page.id).copied().unwrap_or(0),
        })
        .collect())
}

/// Creates a page, blank or from a template.
#[server(prefix = "/api/fn", endpoint = "create_page", input = Json)]
pub async fn create_page(input: CreatePageInput) -> Result<PageView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let locale =
        input.locale.as_deref().and_then(|l| l.parse().ok()).unwrap_or_else(crate::i18n::request_locale);
    let new = links::application::pages::NewPage {
        slug: input.slug,
        title: input.title,
        template_id: input.template_id,
        locale,
    };
    let page = links::application::pages::create(&services.links, &membership.actor, new)
        .await
        .map_err(crate::server::wire)?;
    Ok(PageView::from(&page))
}

/// One page with all its blocks.
#[server(prefix = "/api/fn", endpoint = "get_page", input = Json)]
pub async fn get_page(page_id: String) -> Result<PageView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let page = links::application::pages::get(&services.links, &membership.actor, id(&page_id)?)
        .await
        .map_err(crate::server::wire)?;
    Ok(PageView::from(&page))
}

/// Edits a page's title, bio, theme, slug or publication.
#[server(prefix = "/api/fn", endpoint = "update_page", input = Json)]
pub async fn update_page(page_id: String, changes: UpdatePageInput) -> Result<PageView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let page =
        links::application::pages::update(&services.links, &membership.actor, id(&page_id)?, changes.into())
            .await
            .map_err(crate::server::wire)?;
    Ok(PageView::from(&page))
}

/// Deletes a page with its blocks and leads.
#[server(prefix = "/api/fn", endpoint = "delete_page", input = Json)]
pub async fn delete_page(page_id: String) -> Result<(), ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    links::application::pages::delete(&services.links, &membership.actor, id(&page_id)?)
        .await
        .map_err(crate::server::wire)
}

/// Removes a page's avatar: the page shows its initials again. (Uploads go to the REST endpoint
/// `POST /api/v1/links/pages/{id}/avatar`, which reports progress.)
#[server(prefix = "/api/fn", endpoint = "remove_page_avatar", input = Json)]
pub async fn remove_page_avatar(page_id: String) -> Result<(), ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    links::application::media::remove_page_avatar(&services.links, &membership.actor, id(&page_id)?)
        .await
        .map(drop)
        .map_err(crate::server::wire)
}

/// Whether a slug is free for a page (`except`: the page being renamed). A malformed slug is a
/// `validation` error naming `slug`.
#[server(prefix = "/api/fn", endpoint = "slug_available", input = Json)]
pub async fn slug_available(slug: String, except: Option<String>) -> Result<bool, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let except = except.as_deref().map(id).transpose()?;
    links::application::pages::slug_available(&services.links, &membership.actor, &slug, except)
        .await
        .map_err(crate::server::wire)
}

/// Adds a block to a page.
#[server(prefix = "/api/fn", endpoint = "add_block", input = Json)]
pub async fn add_block(page_id: String, input: CreateBlockInput) -> Result<BlockView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let block =
        links::application::blocks::add(&services.links, &membership.actor, id(&page_id)?, input.into())
            .await
            .map_err(crate::server::wire)?;
    Ok(BlockView::from(&block))
}

/// Edits a block: config, enabled, position or visibility window.
#[server(prefix = "/api/fn", endpoint = "update_block", input = Json)]
pub async fn update_block(
    page_id: String,
    block_id: String,
    changes: UpdateBlockInput,
) -> Result<BlockView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let changes = changes.into();
    let block = links::application::blocks::update(
        &services.links,
        &membership.actor,
        id(&page_id)?,
        id(&block_id)?,
        changes,
    )
    .await
    .map_err(crate::server::wire)?;
    Ok(BlockView::from(&block))
}

/// Deletes a block.
#[server(prefix = "/api/fn", endpoint = "delete_block", input = Json)]
pub async fn delete_block(page_id: String, block_id: String) -> Result<(), ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    links::application::blocks::delete(&services.links, &membership.actor, id(&page_id)?, id(&block_id)?)
        .await
        .map_err(crate::server::wire)
}

/// Puts a block deleted in the last day back with its id (the editor's "Undo"): right after
/// `after_block_id` (`None`: first), as it was before it was deleted.
#[server(prefix = "/api/fn", endpoint = "restore_block", input = Json)]
pub async fn restore_block(
    page_id: String,
    block_id: String,
    after_block_id: Option<String>,
) -> Result<BlockView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let placement =
        links::application::blocks::PlacementInput { position: None, after_block_id: Some(after_block_id) };
    let block = links::application::blocks::restore(
        &services.links,
        &membership.actor,
        id(&page_id)?,
        id(&block_id)?,
        placement,
    )
    .await
    .map_err(crate::server::wire)?;
    Ok(BlockView::from(&block))
}

/// A page of a page's leads, newest first.
#[server(prefix = "/api/fn", endpoint = "list_leads", input = Json)]
pub async fn list_leads(
    page_id: String,
    cursor: Option<String>,
    limit: Option<u16>,
) -> Result<Page<LeadView>, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let limit = limit.map(|l| l.to_string());
    let request = kernel::pagination::PageRequest::parse(cursor.as_deref(), limit.as_deref())
        .map_err(crate::server::wire)?;
    let paged = links::application::leads::list(&services.links, &membership.actor, id(&page_id)?, request)
        .await
        .map_err(crate::server::wire)?;
    Ok(Page { items: paged.items.iter().map(LeadView::from).collect(), next_cursor: paged.next_cursor })
}

/// A page's analytics over `range` (`7d`, `30d` or `90d`).
#[server(prefix = "/api/fn", endpoint = "page_analytics", input = Json)]
pub async fn page_analytics(
    page_id: String,
    range: contracts::analytics::Range,
) -> Result<contracts::analytics::AnalyticsReport, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    analytics::application::page_report(&services.analytics, &membership.actor, id(&page_id)?, range)
        .await
        .map_err(crate::server::wire)
}
