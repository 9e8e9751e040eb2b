//! Tenancy server functions: organizations, the active one, members, invitations, roles.

use contracts::ApiError;
use contracts::organizations::{InvitationView, MemberView, MyOrganizationView, OrganizationView, RoleView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The caller's membership in the organization their cookie names, if still a member.
#[cfg(feature = "ssr")]
pub(crate) async fn active_membership(
    services: &crate::server::Services,
    user: &iam::User,
) -> Result<Option<tenancy::application::actor::Membership>, ApiError> {
    let parts = crate::server::request_parts()?;
    let org = crate::server::cookies::read(&parts.headers, crate::server::cookies::ORG_COOKIE)
        .and_then(|v| v.parse::<uuid::Uuid>().ok());
    let Some(org) = org else { return Ok(None) };
    tenancy::application::actor::membership(&services.tenancy, user.caller(), org.into())
        .await
        .map_err(crate::server::wire)
}

/// The active membership, or — when no (valid) organization is chosen yet, e.g. on a new
/// browser — the caller's first organization, which then becomes the active one. The dashboard
/// door only: the REST door answers `409 no_active_organization` as its contract says.
#[cfg(feature = "ssr")]
pub(crate) async fn active_or_first_membership(
    services: &crate::server::Services,
    user: &iam::User,
) -> Result<Option<tenancy::application::actor::Membership>, ApiError> {
    if let Some(found) = active_membership(services, user).await? {
        return Ok(Some(found));
    }
    let mine = tenancy::application::organizations::my_organizations(&services.tenancy, user.id.into_uuid())
        .await
        .map_err(crate::server::wire)?;
    let Some((first, _)) = mine.into_iter().next() else { return Ok(None) };
    set_active_cookie(services, first.id.into_uuid());
    tenancy::application::actor::membership(&services.tenancy, user.caller(), first.id)
        .await
        .map_err(crate::server::wire)
}

/// The caller acting in their active organization.
#[cfg(feature = "ssr")]
pub(crate) async fn member()
-> Result<(crate::server::Services, iam::User, tenancy::application::actor::Membership), ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let membership = active_or_first_membership(&services, &user).await?.ok_or_else(|| {
        ApiError::new(contracts::ErrorCode::NoActiveOrganization, "Choose an organization first.")
    })?;
    Ok((services, user, membership))
}

#[cfg(feature = "ssr")]
fn set_active_cookie(services: &crate::server::Services, org: uuid::Uuid) {
    let cookie = crate::server::cookies::org_cookie(Some(org), services.secure_cookies);
    crate::server::append_header(http::header::SET_COOKIE, &cookie);
}

/// Creates an organization (the caller becomes its owner) and makes it active.
#[server(prefix = "/api/fn", endpoint = "create_organization", input = Json)]
pub async fn create_organization(name: String, slug: String) -> Result<OrganizationView, ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let org = tenancy::application::organizations::create_organization(
        &services.tenancy,
        user.id.into_uuid(),
        &name,
        &slug,
    )
    .await
    .map_err(crate::server::wire)?;
    set_active_cookie(&services, org.id.into_uuid());
    Ok(OrganizationView::from(&org))
}

/// The caller's organizations with their role in each.
#[server(prefix = "/api/fn", endpoint = "my_organizations", input = Json)]
pub async fn my_organizations() -> Result<Vec<MyOrganizationView>, ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let mine = tenancy::application::organizations::my_organizations(&services.tenancy, user.id.into_uuid())
        .await
        .map_err(crate::server::wire)?;
    Ok(mine.into_iter().map(tenancy::application::views::my_organization).collect())
}

/// Makes one of the caller's organizations the active one.
#[server(prefix = "/api/fn", endpoint = "set_active_organization", input = Json)]
pub async fn set_active_organization(organization_id: String) -> Result<(), ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let id = organization_id
        .parse::<uuid::Uuid>()
        .map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    let org =
        tenancy::application::organizations::choose_active(&services.tenancy, user.id.into_uuid(), id.into())
            .await
            .map_err(crate::server::wire)?;
    set_active_cookie(&services, org.id.into_uuid());
    Ok(())
}

/// The members of the active organization.
#[server(prefix = "/api/fn", endpoint = "members", input = Json)]
pub async fn members() -> Result<Vec<MemberView>, ApiError> {
    let (services, _, m) = member().await?;
    let list = tenancy::application::members::list_members(&services.tenancy, &m.actor)
        .await
        .map_err(crate::server::wire)?;
    Ok(list.into_iter().map(MemberView::from).collect())
}

/// Invites someone to the active organization by email.
#[server(prefix = "/api/fn", endpoint = "invite", input = Json)]
pub async fn invite(email: String, role: String) -> Result<InvitationView, ApiError> {
    use tenancy::application::invitations::{Inviter, invite};
    let (services, user, m) = member().await?;
    let inviter = Inviter { name: user.name.clone(), locale: user.locale };
    let row = invite(&services.tenancy, &m.actor, &inviter, &m.organization, &email, role.trim())
        .await
        .map_err(crate::server::wire)?;
    Ok(InvitationView::from(row))
}

/// The active organization's open invitations.
#[server(prefix = "/api/fn", endpoint = "invitations", input = Json)]
pub async fn invitations() -> Result<Vec<InvitationView>, ApiError> {
    let (services, _, m) = member().await?;
    let rows = tenancy::application::invitations::open_invitations(&services.tenancy, &m.actor)
        .await
        .map_err(crate::server::wire)?;
    Ok(rows.into_iter().map(InvitationView::from).collect())
}

/// Accepts an invitation for the signed-in user and makes its organization active.
#[server(prefix = "/api/fn", endpoint = "accept_invitation", input = Json)]
pub async fn accept_invitation(token: String) -> Result<(), ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let org = tenancy::application::invitations::accept(
        &services.tenancy,
        user.id.into_uuid(),
        &user.email,
        &token,
    )
    .await
    .map_err(crate::server::wire)?;
    set_active_cookie(&services, org.into_uuid());
    Ok(())
}

/// Changes a member's role.
#[server(prefix = "/api/fn", endpoint = "change_member_role", input = Json)]
pub async fn change_member_role(user_id: String, role: String) -> Result<(), ApiError> {
    let (services, _, m) = member().await?;
    let id = user_id
        .parse::<uuid::Uuid>()
        .map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    tenancy::application::members::change_role(&services.tenancy, &m.actor, id, role.trim())
        .await
        .map_err(crate::server::wire)?;
    Ok(())
}

/// Removes a member (or leaves, for oneself).
#[server(prefix = "/api/fn", endpoint = "remove_member", input = Json)]
pub async fn remove_member(user_id: String) -> Result<(), ApiError> {
    let (services, _, m) = member().await?;
    let id = user_id
        .parse::<uuid::Uuid>()
        .map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    tenancy::application::members::remove_member(&services.tenancy, &m.actor, id)
        .await
        .map_err(crate::server::wire)
}

/// The active organization's roles (built-in first).
#[server(prefix = "/api/fn", endpoint = "roles", input = Json)]
pub async fn roles() -> Result<Vec<RoleView>, ApiError> {
    let (services, _, m) = member().await?;
    let list = tenancy::application::roles::list_roles(&services.tenancy, &m.actor)
        .await
        .map_err(crate::server::wire)?;
    Ok(list.into_iter().map(RoleView::from).collect())
}

/// Creates (no id) or edits a custom role.
#[server(prefix = "/api/fn", endpoint = "save_role", input = Json)]
pub async fn save_role(
    id: Option<String>,
    name: String,
    permissions: Vec<String>,
    inherits: Vec<String>,
) -> Result<RoleView, ApiError> {
    use tenancy::application::roles::{RoleChanges, save_role};
    let (services, _, m) = member().await?;
    let id = id
        .map(|id| {
            id.parse::<uuid::Uuid>().map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))
        })
        .transpose()?;
    let changes = RoleChanges { name: Some(name), permissions: Some(permissions), inherits: Some(inherits) };
    let r = save_role(&services.tenancy, &m.actor, id, changes).await.map_err(crate::server::wire)?;
    Ok(RoleView::from(r))
}

/// Deletes a custom role nobody holds or inherits.
#[server(prefix = "/api/fn", endpoint = "delete_role", input = Json)]
pub async fn delete_role(id: String) -> Result<(), ApiError> {
    let (services, _, m) = member().await?;
    let id =
        id.parse::<uuid::Uuid>().map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    tenancy::application::roles::delete_role(&services.tenancy, &m.actor, id)
        .await
        .map_err(crate::server::wire)
}
