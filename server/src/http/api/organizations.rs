//! `/api/v1/organizations/*` and `/api/v1/invitations/*`: organizations, the active one,
//! members, invitations and roles.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use contracts::organizations::{
    ChangeRoleInput, CreateOrganizationInput, InvitationView, InviteInput, Items, MemberView,
    MyOrganizationView, OrganizationView, RoleInput, RoleView, SetActiveOrganizationInput,
};
use tenancy::TenancyError;
use tenancy::application::invitations::{self, Inviter};
use tenancy::application::members::{self};
use tenancy::application::organizations as orgs;
use tenancy::application::roles::{self, RoleChanges};

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::session::{Caller, Member, org_cookie, with_org_cookie};
use crate::state::AppState;

/// The organization routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/organizations", post(create).get(list))
        .route("/api/v1/organizations/active", post(set_active))
        .route("/api/v1/organizations/current/members", get(list_members))
        .route("/api/v1/organizations/current/members/{user_id}", patch(change_role).delete(remove_member))
        .route("/api/v1/organizations/current/invitations", post(invite).get(list_invitations))
        .route("/api/v1/invitations/{token}/accept", post(accept))
        .route("/api/v1/organizations/current/roles", get(list_roles).post(create_role))
        .route("/api/v1/organizations/current/roles/{id}", patch(update_role).delete(delete_role))
}

/// Ids in paths that are not UUIDs name nothing: 404, like an id of another organization.
fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiFailure> {
    raw.parse().map_err(|_| fail(TenancyError::NotFound))
}

async fn create(
    State(state): State<AppState>,
    current: Caller,
    ApiJson(input): ApiJson<CreateOrganizationInput>,
) -> Result<Response, ApiFailure> {
    let org = orgs::create_organization(&state.tenancy, current.user.id, &input.name, &input.slug)
        .await
        .map_err(fail)?;
    // The new organization becomes the active one: that is what its creator works on next.
    let response = (StatusCode::CREATED, Json(OrganizationView::from(&org))).into_response();
    Ok(with_org_cookie(response, org_cookie(&state, Some(org.id))))
}

async fn list(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<Items<MyOrganizationView>>, ApiFailure> {
    let mine = orgs::my_organizations(&state.tenancy, current.user.id).await.map_err(fail)?;
    let items = mine.into_iter().map(tenancy::application::views::my_organization).collect();
    Ok(Json(Items { items }))
}

async fn set_active(
    State(state): State<AppState>,
    current: Caller,
    ApiJson(input): ApiJson<SetActiveOrganizationInput>,
) -> Result<Response, ApiFailure> {
    let id =
        input.organization_id.parse::<tenancy::OrganizationId>().map_err(|_| fail(TenancyError::NotFound))?;
    let org = orgs::choose_active(&state.tenancy, current.user.id, id).await.map_err(fail)?;
    Ok(with_org_cookie(StatusCode::NO_CONTENT.into_response(), org_cookie(&state, Some(org.id))))
}

async fn list_members(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<MemberView>>, ApiFailure> {
    let list = members::list_members(&state.tenancy, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: list.into_iter().map(MemberView::from).collect() }))
}

async fn change_role(
    State(state): State<AppState>,
    member: Member,
    Path(user_id): Path<String>,
    ApiJson(input): ApiJson<ChangeRoleInput>,
) -> Result<Json<MemberView>, ApiFailure> {
    let user_id = path_id(&user_id)?;
    let row = members::change_role(&state.tenancy, &member.actor, user_id, input.role.trim())
        .await
        .map_err(fail)?;
    let list = members::list_members(&state.tenancy, &member.actor).await.map_err(fail)?;
    let found = list
        .into_iter()
        .find(|m| m.membership.user_id == row.user_id)
        .ok_or_else(|| fail(TenancyError::NotFound))?;
    Ok(Json(MemberView::from(found)))
}

async fn remove_member(
    State(state): State<AppState>,
    member: Member,
    Path(user_id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    let user_id = path_id(&user_id)?;
    members::remove_member(&state.tenancy, &member.actor, user_id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn invite(
    State(state): State<AppState>,
    member: Member,
    ApiJson(input): ApiJson<InviteInput>,
) -> Result<Response, ApiFailure> {
    let inviter = Inviter { name: member.caller.user.name.clone(), locale: member.caller.user.locale };
    let row = invitations::invite(
        &state.tenancy,
        &member.actor,
        &inviter,
        &member.organization,
        &input.email,
        input.role.trim(),
    )
    .await
    .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(InvitationView::from(row))).into_response())
}

async fn list_invitations(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<InvitationView>>, ApiFailure> {
    let rows = invitations::open_invitations(&state.tenancy, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: rows.into_iter().map(InvitationView::from).collect() }))
}

async fn accept(
    State(state): State<AppState>,
    current: Caller,
    Path(token): Path<String>,
) -> Result<Response, ApiFailure> {
    let org = invitations::accept(&state.tenancy, current.user.id, &current.user.email, &token)
        .await
        .map_err(fail)?;
    // The organization just joined becomes the active one.
    Ok(with_org_cookie(StatusCode::NO_CONTENT.into_response(), org_cookie(&state, Some(org))))
}

fn changes(input: RoleInput) -> RoleChanges {
    RoleChanges { name: input.name, permissions: input.permissions, inherits: input.inherits }
}

async fn list_roles(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<RoleView>>, ApiFailure> {
    let list = roles::list_roles(&state.tenancy, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: list.into_iter().map(RoleView::from).collect() }))
}

async fn create_role(
    State(state): State<AppState>,
    member: Member,
    ApiJson(input): ApiJson<RoleInput>,
) -> Result<Response, ApiFailure> {
    let role = roles::save_role(&state.tenancy, &member.actor, None, changes(input)).await.map_err(fail)?;
    Ok((StatusCode::CREATED, Json(RoleView::from(role))).into_response())
}

async fn update_role(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RoleInput>,
) -> Result<Json<RoleView>, ApiFailure> {
    let id = path_id(&id)?;
    let role =
        roles::save_role(&state.tenancy, &member.actor, Some(id), changes(input)).await.map_err(fail)?;
    Ok(Json(RoleView::from(role)))
}

async fn delete_role(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    roles::delete_role(&state.tenancy, &member.actor, path_id(&id)?).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}
