//! The console's users: overview, list and search, one user with their organizations,
//! deactivate / reactivate, and impersonation (start and stop)
//! (`platform::application::console`, which the console's server functions call too).

use app::server::admin::id_of;
use app::server::caller::{begin_impersonation, end_impersonation, impersonation};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use contracts::ErrorCode;
use contracts::links::Page;
use contracts::platform::{AdminUserDetail, AdminUserView, PlatformOverview};
use platform::application::console;
use platform::domain::impersonation::StopReason;

use super::ListQuery;
use crate::http::error::ApiFailure;
use crate::http::session::{Admin, ORG_COOKIE, cookie, org_cookie, with_org_cookie};
use crate::state::AppState;

/// `GET overview`.
pub async fn overview(
    State(state): State<AppState>,
    at: Admin,
) -> Result<Json<PlatformOverview>, ApiFailure> {
    Ok(Json(console::overview(&state.services.console, &at.admin).await?))
}

/// `GET users?q=&cursor=&limit=`.
pub async fn list(
    State(state): State<AppState>,
    at: Admin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminUserView>>, ApiFailure> {
    let page = query.page()?;
    Ok(Json(console::users(&state.services.console, &at.admin, query.search(), &page).await?))
}

/// `GET users/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(console::user(&state.services.console, &at.admin, id_of(&id)?).await?))
}

/// `POST users/{id}/deactivate`: they cannot sign in, their sessions end. Never an admin.
pub async fn deactivate(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(console::deactivate(&state.services.console, &at.admin, id_of(&id)?).await?))
}

/// `POST users/{id}/reactivate`.
pub async fn reactivate(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(console::reactivate(&state.services.console, &at.admin, id_of(&id)?).await?))
}

/// `POST users/{id}/impersonate`: this session becomes the user's for at most an hour, visibly
/// marked; their first organization becomes the active one.
pub async fn impersonate(
    State(state): State<AppState>,
    at: Admin,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    let Admin { admin, mut session } = at;
    let target = id_of(&id)?;
    let previous_org = cookie(&headers, ORG_COOKIE).map(ToOwned::to_owned);
    let current = impersonation(&session).await;
    let started =
        console::impersonate(&state.services.console, &admin, target, current.as_ref(), previous_org).await?;
    begin_impersonation(&mut session, &started).await?;
    Ok(with_org_cookie(Json(started.view).into_response(), org_cookie(&state, started.organization)))
}

/// `POST impersonation/stop`: the session is the admin's again (204; 409 when not impersonating).
pub async fn stop_impersonation(State(state): State<AppState>, at: Admin) -> Result<Response, ApiFailure> {
    let Admin { mut session, .. } = at;
    let ended = end_impersonation(&state.services, &mut session, StopReason::Stopped).await?;
    let imp = ended
        .ok_or_else(|| ApiFailure::new(ErrorCode::Conflict, "This session is not impersonating anyone."))?;
    let organization = imp.admin_organization.as_deref().and_then(|o| o.parse().ok());
    Ok(with_org_cookie(StatusCode::NO_CONTENT.into_response(), org_cookie(&state, organization)))
}
