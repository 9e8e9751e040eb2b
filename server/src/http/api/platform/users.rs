//! The console's users: overview, list and search, one user with their organizations,
//! deactivate / reactivate, and impersonation (start and stop).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse as _, Response};
use contracts::links::Page;
use contracts::platform::{
    AdminMembershipView, AdminUserDetail, AdminUserView, ImpersonationView, PlatformOverview,
};
use iam::{User, UserId};
use platform::domain::impersonation::StopReason;

use super::{ListQuery, PlatformAdmin, uuid_of};
use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::session::{ORG_COOKIE, cookie, org_cookie, with_org_cookie};
use crate::state::AppState;

pub(super) async fn view(state: &AppState, user: &User) -> Result<AdminUserView, ApiFailure> {
    let platform_admin = app::server::platform::is_admin(&state.services(), user).await?;
    Ok(AdminUserView {
        id: user.id.to_string(),
        email: user.email.clone(),
        name: user.name.clone(),
        active: user.active,
        email_verified: user.email_verified_at.is_some(),
        platform_admin,
        created_at: user.created_at.to_rfc3339(),
        last_login_at: user.last_login_at.map(|t| t.to_rfc3339()),
    })
}

/// `GET overview`.
pub async fn overview(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
) -> Result<Json<PlatformOverview>, ApiFailure> {
    Ok(Json(platform::application::overview::overview(&state.platform).await.map_err(fail)?))
}

/// `GET users?q=&cursor=&limit=`.
pub async fn list(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<AdminUserView>>, ApiFailure> {
    let page = query.page()?;
    let found = iam::application::admin::list_users(&state.iam, query.search(), &page).await.map_err(fail)?;
    let mut items = Vec::with_capacity(found.items.len());
    for user in &found.items {
        items.push(view(&state, user).await?);
    }
    Ok(Json(Page { items, next_cursor: found.next_cursor }))
}

async fn user_detail(state: &AppState, id: UserId) -> Result<AdminUserDetail, ApiFailure> {
    let user = iam::application::admin::get_user(&state.iam, id).await.map_err(fail)?;
    let memberships = tenancy::application::admin::memberships_of(&state.tenancy, id.into_uuid())
        .await
        .map_err(fail)?
        .into_iter()
        .map(|(org, role)| AdminMembershipView {
            organization_id: org.id.to_string(),
            organization_name: org.name,
            organization_slug: org.slug,
            role,
        })
        .collect();
    Ok(AdminUserDetail { user: view(state, &user).await?, memberships })
}

/// `GET users/{id}`.
pub async fn detail(
    State(state): State<AppState>,
    _admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    Ok(Json(user_detail(&state, UserId::from(uuid_of(&id)?)).await?))
}

/// `POST users/{id}/deactivate`: they cannot sign in, their sessions end. Never an admin.
pub async fn deactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    let id = UserId::from(uuid_of(&id)?);
    let target = iam::application::admin::get_user(&state.iam, id).await.map_err(fail)?;
    if id != admin.user.id && app::server::platform::is_admin(&state.services(), &target).await? {
        return Err(ApiFailure::new(
            contracts::ErrorCode::Forbidden,
            "Platform admins cannot be deactivated here; remove them from PLATFORM_ADMIN_EMAILS first.",
        ));
    }
    iam::application::admin::deactivate(&state.iam, id, admin.user.id).await.map_err(fail)?;
    Ok(Json(user_detail(&state, id).await?))
}

/// `POST users/{id}/reactivate`.
pub async fn reactivate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<String>,
) -> Result<Json<AdminUserDetail>, ApiFailure> {
    let id = UserId::from(uuid_of(&id)?);
    iam::application::admin::reactivate(&state.iam, id, admin.user.id).await.map_err(fail)?;
    Ok(Json(user_detail(&state, id).await?))
}

/// `POST users/{id}/impersonate`: this session becomes the user's for at most an hour, visibly
/// marked; their first organization becomes the active one.
pub async fn impersonate(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiFailure> {
    let PlatformAdmin { user: admin, mut session } = admin;
    let target = UserId::from(uuid_of(&id)?);
    let services = state.services();
    let previous_org = cookie(&headers, ORG_COOKIE).map(ToOwned::to_owned);
    let (imp, user) =
        app::server::platform::begin(&services, &mut session, &admin, target, previous_org).await?;
    let first_org = tenancy::application::admin::memberships_of(&state.tenancy, target.into_uuid())
        .await
        .map_err(fail)?
        .first()
        .map(|(org, _)| org.id.into_uuid());
    let body = ImpersonationView {
        admin_id: admin.id.to_string(),
        admin_email: admin.email.clone(),
        user_id: user.id.to_string(),
        user_email: user.email.clone(),
        user_name: user.name.clone(),
        expires_at: imp.expires_at.to_rfc3339(),
    };
    Ok(with_org_cookie(Json(body).into_response(), org_cookie(&state, first_org)))
}

/// `POST impersonation/stop`: the session is the admin's again (204; 409 when not impersonating).
pub async fn stop_impersonation(
    State(state): State<AppState>,
    admin: PlatformAdmin,
) -> Result<Response, ApiFailure> {
    let PlatformAdmin { mut session, .. } = admin;
    let ended = app::server::platform::end(&state.services(), &mut session, StopReason::Stopped).await?;
    let Some(imp) = ended else {
        return Err(ApiFailure::new(
            contracts::ErrorCode::Conflict,
            "This session is not impersonating anyone.",
        ));
    };
    let org = imp.admin_organization.and_then(|o| o.parse().ok());
    Ok(with_org_cookie(axum::http::StatusCode::NO_CONTENT.into_response(), org_cookie(&state, org)))
}
