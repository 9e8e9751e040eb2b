//! The console's users: overview, list and search, one user with their organizations,
//! deactivate / reactivate, and impersonation (start and stop)
//! (`platform::application::console`, which the console's server functions call too).

use app::server::admin::id_of;
use app::server::caller::{begin_impersonation, end_impersonation, impersonation};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse as _, Response};
use contracts::links::Page;
use contracts::platform::{AdminUserDetail, AdminUserView, ImpersonationView, PlatformOverview};
use contracts::{ApiErrorBody, ErrorCode};
use platform::application::console;
use platform::domain::impersonation::StopReason;

use super::ListQuery;
use crate::http::error::ApiFailure;
use crate::http::openapi::tags::PLATFORM;
use crate::http::session::{Admin, ORG_COOKIE, cookie, org_cookie, with_org_cookie};
use crate::state::AppState;

/// `GET overview`.
#[utoipa::path(
    get,
    operation_id = "platform_overview",
    path = "/api/v1/platform/overview",
    tag = PLATFORM,
    security(("session" = [])),
    responses((status = 200, description = "The platform's numbers", body = PlatformOverview)),
)]
pub async fn overview(
    State(state): State<AppState>,
    at: Admin,
) -> Result<Json<PlatformOverview>, ApiFailure> {
    Ok(Json(console::overview(&state.services.console, &at.admin).await?))
}

/// `GET users?q=&cursor=&limit=`.
#[utoipa::path(
    get,
    operation_id = "list_users",
    path = "/api/v1/platform/users",
    tag = PLATFORM,
    security(("session" = [])),
    params(ListQuery),
    responses((status = 200, description = "A page of users, newest first", body = Page<AdminUserView>), (status = 400, description = "`validation` naming the bad or unknown parameter", body = ApiErrorBody)),
)]
pub async fn list(
    State(state): State<AppState>,
    at: Admin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminUserView>>, ApiFailure> {
    let page = query.page()?;
    Ok(Json(console::users(&state.services.console, &at.admin, query.search(), &page).await?))
}

/// `GET users/{id}`.
#[utoipa::path(
    get,
    operation_id = "get_user",
    path = "/api/v1/platform/users/{id}",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 200, description = "The user and their memberships", body = AdminUserDetail), (status = 404, description = "`not_found`: no such user (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn detail(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(console::user(&state.services.console, &at.admin, id_of(&id)?).await?))
}

/// `POST users/{id}/deactivate`: they cannot sign in, their sessions end. Never an admin.
#[utoipa::path(
    post,
    path = "/api/v1/platform/users/{id}/deactivate",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 200, description = "Deactivated; every session of theirs ended", body = AdminUserDetail), (status = 400, description = "`validation` naming `userId`: an admin cannot deactivate themselves", body = ApiErrorBody), (status = 403, description = "`forbidden`: another platform admin.", body = ApiErrorBody), (status = 404, description = "`not_found`: no such user (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn deactivate(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(console::deactivate(&state.services.console, &at.admin, id_of(&id)?).await?))
}

/// `POST users/{id}/reactivate`.
#[utoipa::path(
    post,
    path = "/api/v1/platform/users/{id}/reactivate",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 200, description = "Active again", body = AdminUserDetail), (status = 404, description = "`not_found`: no such user (or not a platform admin)", body = ApiErrorBody)),
)]
pub async fn reactivate(
    State(state): State<AppState>,
    at: Admin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(console::reactivate(&state.services.console, &at.admin, id_of(&id)?).await?))
}

/// `POST users/{id}/impersonate`: this session becomes the user's for at most an hour, visibly
/// marked; their first organization becomes the active one.
#[utoipa::path(
    post,
    path = "/api/v1/platform/users/{id}/impersonate",
    tag = PLATFORM,
    security(("session" = [])),
    params(("id" = String, Path, description = "The id (a UUID; anything else names nothing: 404)")),
    responses((status = 200, description = "This session acts as the user for at most an hour; their first organization is active", body = ImpersonationView), (status = 400, description = "`validation`: oneself", body = ApiErrorBody), (status = 403, description = "`forbidden`: another platform admin.", body = ApiErrorBody), (status = 404, description = "`not_found`: no such user (or not a platform admin)", body = ApiErrorBody), (status = 409, description = "`conflict`: a deactivated user, or already impersonating", body = ApiErrorBody)),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/platform/impersonation/stop",
    tag = PLATFORM,
    security(("session" = [])),
    responses((status = 204, description = "The admin's session and organization are back"), (status = 409, description = "`conflict`: not impersonating", body = ApiErrorBody)),
)]
pub async fn stop_impersonation(State(state): State<AppState>, at: Admin) -> Result<Response, ApiFailure> {
    let Admin { mut session, .. } = at;
    let ended = end_impersonation(&state.services, &mut session, StopReason::Stopped).await?;
    let imp = ended
        .ok_or_else(|| ApiFailure::new(ErrorCode::Conflict, "This session is not impersonating anyone."))?;
    let organization = imp.admin_organization.as_deref().and_then(|o| o.parse().ok());
    Ok(with_org_cookie(StatusCode::NO_CONTENT.into_response(), org_cookie(&state, organization)))
}
