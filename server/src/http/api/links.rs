//! `/api/v1/links/*`: the active organization's pages, blocks, templates and leads.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use contracts::ApiErrorBody;
use contracts::analytics::{AnalyticsReport, Range};
use contracts::links::{
    BlockView, CreateBlockInput, CreatePageInput, LeadView, Page, PageSummary, PageView, RestoreBlockInput,
    TemplateView, UpdateBlockInput, UpdatePageInput,
};
use contracts::media::{AvatarUploaded, ImageUploaded};
use contracts::organizations::Items;
use kernel::pagination::PageRequest;
use links::LinksError;
use links::application::blocks::{self, PlacementInput};
use links::application::leads::{self, Export};
use links::application::pages::{self, NewPage};
use links::application::{media, templates, views};
use links::domain::export;
use links::domain::page::Lead;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::{fail, request_locale};
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::LINKS;
use crate::http::session::Member;
use crate::http::upload::{Upload, UploadForm};
use crate::state::AppState;

/// The links routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates))
        .routes(routes!(create_page, list_pages))
        .routes(routes!(get_page, update_page, delete_page))
        .routes(routes!(add_block))
        .routes(routes!(update_block, delete_block))
        .routes(routes!(restore_block))
        .routes(routes!(list_leads))
        .routes(routes!(export_leads))
        .routes(routes!(page_analytics))
}

/// The upload routes (mounted with the upload body limit): a page's avatar and its IMAGE
/// blocks' pictures.
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_page_avatar, remove_page_avatar))
        .routes(routes!(upload_block_image))
}

/// `201 {avatarUrl}` (`links:write`); another organization's page is `404`.
#[utoipa::path(
    post,
    path = "/api/v1/links/pages/{id}/avatar",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The page's new avatar", body = AvatarUploaded),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: storage is off (`STORAGE_PROVIDER=null`)", body = ApiErrorBody),
    ),
)]
async fn upload_page_avatar(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Upload(file): Upload,
) -> Result<(StatusCode, Json<AvatarUploaded>), ApiFailure> {
    let page =
        media::set_page_avatar(&state.links, &member.actor, path_id(&id)?, file).await.map_err(fail)?;
    Ok((StatusCode::CREATED, Json(AvatarUploaded { avatar_url: page.avatar_url.unwrap_or_default() })))
}

/// Removes the page's avatar (`links:write`): initials again.
#[utoipa::path(
    delete,
    path = "/api/v1/links/pages/{id}/avatar",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    responses((status = 204, description = "Removed"), (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody)),
)]
async fn remove_page_avatar(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    media::remove_page_avatar(&state.links, &member.actor, path_id(&id)?).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `201 {url, width, height}` (`links:write`): the address to give an IMAGE block.
#[utoipa::path(
    post,
    path = "/api/v1/links/pages/{id}/images",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The stored picture", body = ImageUploaded),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
        (status = 503, description = "`unavailable`: storage is off (`STORAGE_PROVIDER=null`)", body = ApiErrorBody),
    ),
)]
async fn upload_block_image(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Upload(file): Upload,
) -> Result<(StatusCode, Json<ImageUploaded>), ApiFailure> {
    let image =
        media::upload_block_image(&state.links, &member.actor, path_id(&id)?, file).await.map_err(fail)?;
    Ok((
        StatusCode::CREATED,
        Json(ImageUploaded { url: image.url, width: image.width, height: image.height }),
    ))
}

/// Ids in paths that are not UUIDs name nothing: 404, like an id of another organization.
fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiFailure> {
    raw.parse().map_err(|_| fail(LinksError::NotFound))
}

/// The template gallery: the four coach archetypes.
#[utoipa::path(
    get,
    path = "/api/v1/links/templates",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "The templates", body = Items<TemplateView>)),
)]
async fn list_templates(_member: Member, headers: HeaderMap) -> Json<Items<TemplateView>> {
    Json(Items { items: templates::gallery(request_locale(&headers)) })
}

/// Creates a page (`links:write`), blank or from a template.
#[utoipa::path(
    post,
    path = "/api/v1/links/pages",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    request_body = CreatePageInput,
    responses(
        (status = 201, description = "The page", body = PageView, links(
            ("GetPage" = (operation_id = "get_page", parameters(("id" = "$response.body#/id")))),
            ("UpdatePage" = (operation_id = "update_page", parameters(("id" = "$response.body#/id")))),
            ("DeletePage" = (operation_id = "delete_page", parameters(("id" = "$response.body#/id")))),
            ("AddBlock" = (operation_id = "add_block", parameters(("id" = "$response.body#/id")))),
            ("ListLeads" = (operation_id = "list_leads", parameters(("id" = "$response.body#/id")))),
            ("ExportLeads" = (operation_id = "export_leads", parameters(("id" = "$response.body#/id")))),
            ("PageAnalytics" = (operation_id = "page_analytics", parameters(("id" = "$response.body#/id")))),
            ("UploadPageAvatar" = (operation_id = "upload_page_avatar", parameters(("id" = "$response.body#/id")))),
            ("RemovePageAvatar" = (operation_id = "remove_page_avatar", parameters(("id" = "$response.body#/id")))),
            ("UploadBlockImage" = (operation_id = "upload_block_image", parameters(("id" = "$response.body#/id")))),
        )),
        (status = 402, description = "`quota_exceeded`: the plan's page cap is reached (with metering on)", body = ApiErrorBody),
        (status = 409, description = "`slug_unavailable`: the slug is taken or reserved", body = ApiErrorBody),
    ),
)]
async fn create_page(
    State(state): State<AppState>,
    member: Member,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CreatePageInput>,
) -> Result<(StatusCode, Json<PageView>), ApiFailure> {
    let locale =
        input.locale.as_deref().and_then(|l| l.parse().ok()).unwrap_or_else(|| request_locale(&headers));
    let new = NewPage { slug: input.slug, title: input.title, template_id: input.template_id, locale };
    let page = pages::create(&state.links, &member.actor, new).await.map_err(fail)?;
    Ok((StatusCode::CREATED, Json(PageView::from(&page))))
}

/// The active organization's pages (`links:read`).
#[utoipa::path(
    get,
    path = "/api/v1/links/pages",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "The pages", body = Items<PageSummary>)),
)]
async fn list_pages(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<PageSummary>>, ApiFailure> {
    let rows = pages::list(&state.links, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: rows.iter().map(views::summary).collect() }))
}

/// A page with all its blocks (`links:read`).
#[utoipa::path(
    get,
    path = "/api/v1/links/pages/{id}",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    responses((status = 200, description = "The page", body = PageView), (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody)),
)]
async fn get_page(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Json<PageView>, ApiFailure> {
    let page = pages::get(&state.links, &member.actor, path_id(&id)?).await.map_err(fail)?;
    Ok(Json(PageView::from(&page)))
}

/// Changes a page (`links:write`): any subset of its fields.
#[utoipa::path(
    patch,
    path = "/api/v1/links/pages/{id}",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    request_body = UpdatePageInput,
    responses(
        (status = 200, description = "The page", body = PageView),
        (status = 402, description = "`subscription_required`: `hideBranding` needs a paid plan", body = ApiErrorBody),
        (status = 403, description = "`email_unverified`: publishing needs a verified email address.", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
        (status = 409, description = "`slug_unavailable`: the slug is taken or reserved", body = ApiErrorBody),
    ),
)]
async fn update_page(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<UpdatePageInput>,
) -> Result<Json<PageView>, ApiFailure> {
    let page = pages::update(&state.links, &member.actor, path_id(&id)?, input.into()).await.map_err(fail)?;
    Ok(Json(PageView::from(&page)))
}

/// Deletes a page with its blocks and leads (`links:write`).
#[utoipa::path(
    delete,
    path = "/api/v1/links/pages/{id}",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody)),
)]
async fn delete_page(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    pages::delete(&state.links, &member.actor, path_id(&id)?).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a block (`links:write`); `config` is checked against `type`.
#[utoipa::path(
    post,
    path = "/api/v1/links/pages/{id}/blocks",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    request_body = CreateBlockInput,
    responses(
        (status = 201, description = "The block", body = BlockView, links(
            ("UpdateBlock" = (operation_id = "update_block", parameters(("id" = "$request.path.id"), ("block_id" = "$response.body#/id")))),
            ("DeleteBlock" = (operation_id = "delete_block", parameters(("id" = "$request.path.id"), ("block_id" = "$response.body#/id")))),
            ("RestoreBlock" = (operation_id = "restore_block", parameters(("id" = "$request.path.id"), ("block_id" = "$response.body#/id")))),
        )),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
        (status = 409, description = "`conflict`: the page holds 100 blocks already", body = ApiErrorBody),
    ),
)]
async fn add_block(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CreateBlockInput>,
) -> Result<(StatusCode, Json<BlockView>), ApiFailure> {
    let page = path_id(&id)?;
    let block = blocks::add(&state.links, &member.actor, page, input.into()).await.map_err(fail)?;
    Ok((StatusCode::CREATED, Json(BlockView::from(&block))))
}

/// Changes a block (`links:write`): its config, whether it shows, its place, its window.
#[utoipa::path(
    patch,
    path = "/api/v1/links/pages/{id}/blocks/{block_id}",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id"), ("block_id" = String, Path, description = "The block's id")),
    request_body = UpdateBlockInput,
    responses((status = 200, description = "The block", body = BlockView), (status = 404, description = "`not_found`: no such page, or no such block on it", body = ApiErrorBody)),
)]
async fn update_block(
    State(state): State<AppState>,
    member: Member,
    Path((id, block_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<UpdateBlockInput>,
) -> Result<Json<BlockView>, ApiFailure> {
    let (page, block_id) = (path_id(&id)?, path_id(&block_id)?);
    let block =
        blocks::update(&state.links, &member.actor, page, block_id, input.into()).await.map_err(fail)?;
    Ok(Json(BlockView::from(&block)))
}

/// Deletes a block (`links:write`); it can be restored for 24 hours.
#[utoipa::path(
    delete,
    path = "/api/v1/links/pages/{id}/blocks/{block_id}",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id"), ("block_id" = String, Path, description = "The block's id")),
    responses(
        (status = 204, description = "Deleted", links(
            ("RestoreBlock" = (operation_id = "restore_block", parameters(("id" = "$request.path.id"), ("block_id" = "$request.path.block_id")))),
        )),
        (status = 404, description = "`not_found`: no such page, or no such block on it", body = ApiErrorBody),
    ),
)]
async fn delete_block(
    State(state): State<AppState>,
    member: Member,
    Path((id, block_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiFailure> {
    blocks::delete(&state.links, &member.actor, path_id(&id)?, path_id(&block_id)?).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Restores a block deleted from this page in the last 24 hours (`links:write`); the body is
/// optional.
#[utoipa::path(
    post,
    path = "/api/v1/links/pages/{id}/blocks/{block_id}/restore",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id"), ("block_id" = String, Path, description = "The block's id")),
    request_body(content = Option<RestoreBlockInput>, content_type = "application/json"),
    responses(
        (status = 200, description = "The block, with its id, config and window", body = BlockView),
        (status = 404, description = "`not_found`: no such page, or no block deleted from it in the last 24 hours with this id", body = ApiErrorBody),
    ),
)]
async fn restore_block(
    State(state): State<AppState>,
    member: Member,
    Path((id, block_id)): Path<(String, String)>,
    input: Option<ApiJson<RestoreBlockInput>>,
) -> Result<Json<BlockView>, ApiFailure> {
    let input = input.map(|ApiJson(input)| input).unwrap_or_default();
    let placement = PlacementInput { position: input.position, after_block_id: input.after_block_id };
    let block = blocks::restore(&state.links, &member.actor, path_id(&id)?, path_id(&block_id)?, placement)
        .await
        .map_err(fail)?;
    Ok(Json(BlockView::from(&block)))
}

/// `?range=7d|30d|90d` as given.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// `7d` (the default), `30d` or `90d`.
    range: Option<String>,
}

/// A page's views, clicks, visitors and referrers over a range (`links:read`).
#[utoipa::path(
    get,
    path = "/api/v1/links/pages/{id}/analytics",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id"), RangeQuery),
    responses(
        (status = 200, description = "The report", body = AnalyticsReport),
        (status = 400, description = "`validation` naming `range`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
    ),
)]
async fn page_analytics(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(query): Query<RangeQuery>,
) -> Result<Json<AnalyticsReport>, ApiFailure> {
    let range = match query.range.as_deref() {
        None | Some("") => Range::Days7,
        Some(raw) => raw.parse().map_err(|problem| fail(LinksError::field("range", problem)))?,
    };
    let page = path_id(&id)?;
    let report =
        analytics::application::page_report(&state.services.analytics, &member.actor, page, range).await?;
    Ok(Json(report))
}

/// `?cursor=&limit=` as given (validated by [`PageRequest::parse`]).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// 1-100 (default 20).
    limit: Option<String>,
}

/// A page's leads, newest first (`links:leads:read`).
#[utoipa::path(
    get,
    path = "/api/v1/links/pages/{id}/leads",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id"), PageQuery),
    responses(
        (status = 200, description = "A page of leads", body = Page<LeadView>),
        (status = 400, description = "`validation` naming `cursor` or `limit`", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
    ),
)]
async fn list_leads(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<LeadView>>, ApiFailure> {
    let page = path_id(&id)?;
    let request = PageRequest::parse(query.cursor.as_deref(), query.limit.as_deref()).map_err(fail)?;
    let paged = leads::list(&state.links, &member.actor, page, request).await.map_err(fail)?;
    Ok(Json(Page { items: paged.items.iter().map(LeadView::from).collect(), next_cursor: paged.next_cursor }))
}

/// A page's leads as CSV (`links:leads:export`; the `lead-csv-export` flag), streamed.
#[utoipa::path(
    get,
    path = "/api/v1/links/pages/{id}/leads/export.csv",
    tag = LINKS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The page's id")),
    responses(
        (status = 200, description = "`leads-{slug}-{date}.csv`: `email,name,created_at,block_id`, newest first", content_type = "text/csv", body = String),
        (status = 403, description = "`forbidden`: lead export is turned off for the member (feature flag).", body = ApiErrorBody),
        (status = 404, description = "`not_found`: no such page in the active organization", body = ApiErrorBody),
    ),
)]
async fn export_leads(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    let subject = feature_flags::Subject::member(
        member.actor.user_id.into_uuid(),
        member.actor.organization_id.into_uuid(),
    );
    if !state.flags.is_enabled(feature_flags::Flag::LeadCsvExport, &subject) {
        let off = "Lead export is turned off for your account.";
        return Err(fail(kernel::DomainError::rejected(contracts::ErrorCode::Forbidden, off)));
    }
    let export = leads::export(&state.links, &member.actor, path_id(&id)?).await.map_err(fail)?;
    let filename = format!("leads-{}-{}.csv", export.slug, state.links.clock.now().format("%Y-%m-%d"));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"leads.csv\""));
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (CONTENT_DISPOSITION, disposition),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
    ];
    Ok((headers, Body::from_stream(csv_stream(export))).into_response())
}

/// Where a CSV export stands.
enum Step {
    /// The header row is next.
    Header(Export),
    /// The next batch of rows is next.
    Rows(Export),
    /// Ended by a failure (already reported in the stream).
    Failed,
}

/// The export as CSV chunks: the header row, then one chunk per batch of 500 leads. Memory stays
/// bounded by one batch whatever the number of leads.
///
/// The stream is fused: once it has ended it answers `None` again, however often it is asked.
/// Under `Accept-Encoding: gzip` or `br`, tower-http's compression reads the body to its end and
/// then polls it once more for trailers (`WrapBody::poll_frame` → `BodyIntoStream::poll_frame`),
/// which axum's `Body::from_stream` hands straight to the stream. A bare `unfold` panics on that
/// poll ("Unfold must not be polled after it returned `Poll::Ready(None)`"), killing the response
/// mid-body; that is why the download failed in every browser and worked for `curl` without
/// `--compressed`.
fn csv_stream(export: Export) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    use futures_util::StreamExt as _;
    futures_util::stream::unfold(Step::Header(export), |step| async move {
        match step {
            Step::Header(export) => Some((csv_chunk(None), Step::Rows(export))),
            Step::Rows(mut export) => match export.next_batch().await {
                Ok(Some(rows)) => Some((csv_chunk(Some(&rows)), Step::Rows(export))),
                Ok(None) => None,
                Err(e) => {
                    // The status line is long gone: cut the body short so the client sees a
                    // failed download rather than a silently truncated file.
                    tracing::error!(error = %e, "lead export failed mid-stream");
                    Some((Err(std::io::Error::other("export failed")), Step::Failed))
                }
            },
            Step::Failed => None,
        }
    })
    .fuse()
}

fn csv_chunk(rows: Option<&[Lead]>) -> Result<Vec<u8>, std::io::Error> {
    match rows {
        None => export::csv_header(),
        Some(rows) => export::csv_rows(rows),
    }
}
