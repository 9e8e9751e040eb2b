//! The console's users: overview, list and search, one user with their organizations,
//! deactivate / reactivate, and impersonation (start and stop). The work is done by
//! `app::server::admin`, which the console's server functions call too.

use app::server::admin;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use contracts::links::Page;
use contracts::platform::{AdminUserDetail, AdminUserView, PlatformOverview};

use super::{ListQuery, PlatformAdmin};
use crate::http::error::ApiFailure;
use crate::http::session::{ORG_COOKIE, cookie, org_cookie, with_org_cookie};
use crate::state::AppState;

/// `GET overview`.
pub async fn overview(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<PlatformOverview>, ApiFailure> {
    Ok(Json(admin::overview(&state.services).await?))
}

/// `GET users?q=&cursor=&limit=`.
pub async fn list(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminUserView>>, ApiFailure> {
    Ok(Json(admin::users(&state.services, query.search(), &query.page()?).await?))
}

/// `GET users/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(admin::user(&state.services, &id).await?))
}

/// `POST users/{id}/deactivate`: they cannot sign in, their sessions end. Never an admin.
pub async fn deactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(admin::deactivate(&state.services, &admin.user, &id).await?))
}

/// `POST users/{id}/reactivate`.
pub async fn reactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(admin::reactivate(&state.services, &admin.user, &id).await?))
}

/// `POST users/{id}/impersonate`: this session becomes the user's for at most an hour, visibly
/// marked; their first organization becomes the active one.
pub async fn impersonate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    let PlatformAdmin { user, mut session } = admin;
    let previous_org = cookie(&headers, ORG_COOKIE).map(ToOwned::to_owned);
    let started = admin::impersonate(&state.services, &mut session, &user, &id, previous_org).await?;
    Ok(with_org_cookie(Json(started.view).into_response(), org_cookie(&state, started.organization)))
}

/// `POST impersonation/stop`: the session is the admin's again (204; 409 when not impersonating).
pub async fn stop_impersonation(
    State(state): State<AppState>,
    admin: PlatformAdmin,
) -> Result<Response, ApiFailure> {
    let PlatformAdmin { mut session, .. } = admin;
    let stopped = admin::stop_impersonation(&state.services, &mut session).await?;
    Ok(with_org_cookie(StatusCode::NO_CONTENT.into_response(), org_cookie(&state, stopped.organization)))
}
