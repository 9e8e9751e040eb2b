//! The console's organizations: list and search, one with its members. The work is done by
//! `app::server::admin`, which the console's server functions call too.

use app::server::admin;
use axum::Json;
use axum::extract::{Path, Query, State};
use contracts::links::Page;
use contracts::platform::{AdminOrganizationDetail, AdminOrganizationView};

use super::{ListQuery, PlatformAdmin};
use crate::http::error::ApiFailure;
use crate::state::AppState;

/// `GET organizations?q=&cursor=&limit=`.
pub async fn list(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminOrganizationView>>, ApiFailure> {
    Ok(Json(admin::organizations(&state.services, query.search(), &query.page()?).await?))
}

/// `GET organizations/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminOrganizationDetail>, ApiFailure> {
    Ok(Json(admin::organization(&state.services, &id).await?))
}
