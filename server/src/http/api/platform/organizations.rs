//! The console's organizations: list and search, one with its members
//! (`platform::application::console`, which the console's server functions call too).

use app::server::admin::id_of;
use axum::Json;
use axum::extract::{Path, Query, State};
use contracts::ApiErrorBody;
use contracts::links::Page;
use contracts::platform::{AdminOrganizationDetail, AdminOrganizationView};
use platform::application::console;

use super::ListQuery;
use crate::http::error::ApiFailure;
use crate::http::openapi::tags::PLATFORM;
use crate::http::session::Admin;
use crate::state::AppState;

/// `GET organizations?q=&cursor=&limit=`.
#[utoipa::path(
    get,
    operation_id = "list_all_organizations",
    path = "/api/v1/platform/organizations",
    tag = PLATFORM,
    security(("session" = [])),
    params(ListQuery),
    responses((status = 200, description = "A page of organizations, newest first", body = Page<AdminOrganizationView>), (status = 400, description = "`validation` naming the bad or unknown parameter", body = ApiErrorBody)),
)]
pub async fn list(
    State(state): State<AppState>,
    at: Admin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminOrganizationView>>, ApiFailure> {
    let page = query.page()?;
    Ok(Json(console::organizations(&state.services.console, &at.admin, query.search(), &page).await?))
}

/// `GET organizations/{id}`.
#[utoipa::path(
    get,
    operation_id = "get_any_organization",
    path = "/api/v1/platform/organizations/{id}",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 200, description = "The organization and its members", body = AdminOrganizationDetail), (status = 404, description = "`not_found`: no such organization (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn detail(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminOrganizationDetail>, ApiFailure> {
    Ok(Json(console::organization(&state.services.console, &at.admin, id_of(&id)?).await?))
}
