//! The console's organizations: list and search, one with its members
//! (`platform::application::console`, which the console's server functions call too).

use app::server::admin::id_of;
use axum::Json;
use axum::extract::{Path, Query, State};
use contracts::links::Page;
use contracts::platform::{AdminOrganizationDetail, AdminOrganizationView};
use platform::application::console;

use super::ListQuery;
use crate::http::error::ApiFailure;
use crate::http::session::Admin;
use crate::state::AppState;

/// `GET organizations?q=&cursor=&limit=`.
pub async fn list(
    State(state): State<AppState>,
    at: Admin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminOrganizationView>>, ApiFailure> {
    let page = query.page()?;
    Ok(Json(console::organizations(&state.services.console, &at.admin, query.search(), &page).await?))
}

/// `GET organizations/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminOrganizationDetail>, ApiFailure> {
    Ok(Json(console::organization(&state.services.console, &at.admin, id_of(&id)?).await?))
}
