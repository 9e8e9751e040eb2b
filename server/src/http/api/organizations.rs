//! `/api/v1/organizations/*` and `/api/v1/invitations/*`: organizations, the active one,
//! members, invitations and roles.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use contracts::ApiErrorBody;
use contracts::organizations::{
    ChangeRoleInput, CreateOrganizationInput, InvitationView, InviteInput, Items, MemberView,
    MyOrganizationView, OrganizationView, RoleInput, RoleView, SetActiveOrganizationInput,
};
use tenancy::TenancyError;
use tenancy::application::invitations::{self, Inviter};
use tenancy::application::members::{self};
use tenancy::application::organizations as orgs;
use tenancy::application::roles::{self, RoleChanges};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::api::fail;
use crate::http::error::ApiFailure;
use crate::http::json::ApiJson;
use crate::http::openapi::tags::ORGANIZATIONS;
use crate::http::session::{Caller, Member, org_cookie, with_org_cookie};
use crate::state::AppState;

/// The organization routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(set_active))
        .routes(routes!(list_members))
        .routes(routes!(change_role, remove_member))
        .routes(routes!(invite, list_invitations))
        .routes(routes!(accept))
        .routes(routes!(list_roles, create_role))
        .routes(routes!(update_role, delete_role))
}

/// Ids in paths that are not UUIDs name nothing: 404, like an id of another organization.
fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiFailure> {
    raw.parse().map_err(|_| fail(TenancyError::NotFound))
}

/// Creates an organization; the creator becomes its `owner` and it becomes the active one.
#[utoipa::path(
    post,
    path = "/api/v1/organizations",
    tag = ORGANIZATIONS,
    security(("session" = [])),
    request_body = CreateOrganizationInput,
    responses(
        (status = 201, description = "Created; sets the active-organization cookie", body = OrganizationView),
        (status = 409, description = "`slug_unavailable`: another organization has this slug", body = ApiErrorBody),
    ),
)]
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

/// The caller's organizations, with their role in each.
#[utoipa::path(
    get,
    operation_id = "list_my_organizations",
    path = "/api/v1/organizations",
    tag = ORGANIZATIONS,
    security(("session" = [])),
    responses((status = 200, description = "The caller's organizations", body = Items<MyOrganizationView>)),
)]
async fn list(
    State(state): State<AppState>,
    current: Caller,
) -> Result<Json<Items<MyOrganizationView>>, ApiFailure> {
    let mine = orgs::my_organizations(&state.tenancy, current.user.id).await.map_err(fail)?;
    let items = mine.into_iter().map(tenancy::application::views::my_organization).collect();
    Ok(Json(Items { items }))
}

/// Makes one of the caller's organizations the active one (a cookie).
#[utoipa::path(
    post,
    path = "/api/v1/organizations/active",
    tag = ORGANIZATIONS,
    security(("session" = [])),
    request_body = SetActiveOrganizationInput,
    responses(
        (status = 204, description = "Active; sets the active-organization cookie"),
        (status = 404, description = "`not_found`: not an organization of the caller", body = ApiErrorBody),
    ),
)]
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

/// The active organization's members (`members:read`).
#[utoipa::path(
    get,
    path = "/api/v1/organizations/current/members",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "The members", body = Items<MemberView>)),
)]
async fn list_members(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<MemberView>>, ApiFailure> {
    let list = members::list_members(&state.tenancy, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: list.into_iter().map(MemberView::from).collect() }))
}

/// Gives a member another role (`members:manage`); the last owner cannot be demoted.
#[utoipa::path(
    patch,
    path = "/api/v1/organizations/current/members/{user_id}",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    params(("user_id" = String, Path, description = "The member's user id")),
    request_body = ChangeRoleInput,
    responses(
        (status = 200, description = "The member", body = MemberView),
        (status = 404, description = "`not_found`: no such member", body = ApiErrorBody),
        (status = 409, description = "`conflict` (`last_owner_role_change`)", body = ApiErrorBody),
    ),
)]
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

/// Removes a member (`members:manage`; anyone may leave); the last owner cannot go.
#[utoipa::path(
    delete,
    path = "/api/v1/organizations/current/members/{user_id}",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    params(("user_id" = String, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "`not_found`: no such member", body = ApiErrorBody),
        (status = 409, description = "`conflict` (`last_owner_removal`)", body = ApiErrorBody),
    ),
)]
async fn remove_member(
    State(state): State<AppState>,
    member: Member,
    Path(user_id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    let user_id = path_id(&user_id)?;
    members::remove_member(&state.tenancy, &member.actor, user_id).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invites someone by email (`members:invite`): the invitation link is mailed.
#[utoipa::path(
    post,
    path = "/api/v1/organizations/current/invitations",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    request_body = InviteInput,
    responses(
        (status = 201, description = "Invited", body = InvitationView),
        (status = 403, description = "`email_unverified`: the inviter has not verified their email address.", body = ApiErrorBody),
        (status = 409, description = "`conflict` (`already_member`)", body = ApiErrorBody),
    ),
)]
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

/// The active organization's open invitations.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/current/invitations",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "Open invitations", body = Items<InvitationView>)),
)]
async fn list_invitations(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<InvitationView>>, ApiFailure> {
    let rows = invitations::open_invitations(&state.tenancy, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: rows.into_iter().map(InvitationView::from).collect() }))
}

/// Accepts an invitation (only the invited address can); its organization becomes the active one.
#[utoipa::path(
    post,
    path = "/api/v1/invitations/{token}/accept",
    tag = ORGANIZATIONS,
    security(("session" = [])),
    params(("token" = String, Path, description = "The invitation link's token")),
    responses(
        (status = 204, description = "A member now; sets the active-organization cookie"),
        (status = 404, description = "`not_found`: no open invitation for the caller with this token", body = ApiErrorBody),
    ),
)]
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

/// The built-in roles, then the organization's own (`roles:read`).
#[utoipa::path(
    get,
    path = "/api/v1/organizations/current/roles",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    responses((status = 200, description = "The roles", body = Items<RoleView>)),
)]
async fn list_roles(
    State(state): State<AppState>,
    member: Member,
) -> Result<Json<Items<RoleView>>, ApiFailure> {
    let list = roles::list_roles(&state.tenancy, &member.actor).await.map_err(fail)?;
    Ok(Json(Items { items: list.into_iter().map(RoleView::from).collect() }))
}

/// Creates a custom role (`roles:manage`; never granting more than the caller's own role).
#[utoipa::path(
    post,
    path = "/api/v1/organizations/current/roles",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    request_body = RoleInput,
    responses(
        (status = 201, description = "Created", body = RoleView, links(
            ("UpdateRole" = (operation_id = "update_role", parameters(("id" = "$response.body#/id")))),
            ("DeleteRole" = (operation_id = "delete_role", parameters(("id" = "$response.body#/id")))),
        )),
        (status = 409, description = "`conflict` (`role_name_taken`)", body = ApiErrorBody),
    ),
)]
async fn create_role(
    State(state): State<AppState>,
    member: Member,
    ApiJson(input): ApiJson<RoleInput>,
) -> Result<Response, ApiFailure> {
    let role = roles::save_role(&state.tenancy, &member.actor, None, changes(input)).await.map_err(fail)?;
    Ok((StatusCode::CREATED, Json(RoleView::from(role))).into_response())
}

/// Changes a custom role (`roles:manage`).
#[utoipa::path(
    patch,
    path = "/api/v1/organizations/current/roles/{id}",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The role's id")),
    request_body = RoleInput,
    responses(
        (status = 200, description = "The role", body = RoleView),
        (status = 404, description = "`not_found`: no such custom role", body = ApiErrorBody),
        (status = 409, description = "`conflict` (`role_name_taken`, `role_in_use_rename`)", body = ApiErrorBody),
    ),
)]
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

/// Deletes a custom role (`roles:manage`) nobody holds or inherits.
#[utoipa::path(
    delete,
    path = "/api/v1/organizations/current/roles/{id}",
    tag = ORGANIZATIONS,
    security(("session" = [], "organization" = [])),
    params(("id" = String, Path, description = "The role's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "`not_found`: no such custom role", body = ApiErrorBody),
        (status = 409, description = "`conflict` (`role_held`, `role_inherited`)", body = ApiErrorBody),
    ),
)]
async fn delete_role(
    State(state): State<AppState>,
    member: Member,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiFailure> {
    roles::delete_role(&state.tenancy, &member.actor, path_id(&id)?).await.map_err(fail)?;
    Ok(StatusCode::NO_CONTENT)
}
