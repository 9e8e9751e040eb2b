//! Tenancy server functions: organizations, the active one, members, invitations, roles.

use contracts::ApiError;
use contracts::organizations::{InvitationView, MemberView, MyOrganizationView, OrganizationView, RoleView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The caller acting in their active organization — or, on a browser where none is chosen yet,
/// their first (see [`ActiveOrFirst`](crate::server::caller::ActiveOrFirst)).
#[cfg(feature = "ssr")]
pub(crate) async fn member()
-> Result<(crate::server::Services, iam::User, tenancy::application::actor::Membership), ApiError> {
    use crate::server::caller::{ActiveOrFirst, extract};
    let (services, ActiveOrFirst(member)) = extract::<ActiveOrFirst>().await?;
    Ok((services, member.caller.user, member.membership))
}

#[cfg(feature = "ssr")]
fn set_active_cookie(services: &crate::server::Services, org: tenancy::OrganizationId) {
    let cookie = crate::server::cookies::org_cookie(Some(org), services.secure_cookies);
    crate::server::append_header(http::header::SET_COOKIE, &cookie);
}

/// Creates an organization (the caller becomes its owner) and makes it active.
#[server(prefix = "/api/fn", endpoint = "create_organization", input = Json)]
pub async fn create_organization(name: String, slug: String) -> Result<OrganizationView, ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let org =
        tenancy::application::organizations::create_organization(&services.tenancy, user.id, &name, &slug)
            .await
            .map_err(crate::server::wire)?;
    set_active_cookie(&services, org.id);
    Ok(OrganizationView::from(&org))
}

/// The caller's organizations with their role in each.
#[server(prefix = "/api/fn", endpoint = "my_organizations", input = Json)]
pub async fn my_organizations() -> Result<Vec<MyOrganizationView>, ApiError> {
    let services = crate::server::services()?;
    let user = crate::api::auth::current_user().await?;
    let mine = tenancy::application::organizations::my_organizations(&services.tenancy, user.id)
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
        .parse::<tenancy::OrganizationId>()
        .map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    let org = tenancy::application::organizations::choose_active(&services.tenancy, user.id, id)
        .await
        .map_err(crate::server::wire)?;
    set_active_cookie(&services, org.id);
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
    let org = tenancy::application::invitations::accept(&services.tenancy, user.id, &user.email, &token)
        .await
        .map_err(crate::server::wire)?;
    set_active_cookie(&services, org);
    Ok(())
}

/// Changes a member's role.
#[server(prefix = "/api/fn", endpoint = "change_member_role", input = Json)]
pub async fn change_member_role(user_id: String, role: String) -> Result<(), ApiError> {
    let (services, _, m) = member().await?;
    let id = user_id.parse().map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    tenancy::application::members::change_role(&services.tenancy, &m.actor, id, role.trim())
        .await
        .map_err(crate::server::wire)?;
    Ok(())
}

/// Removes a member (or leaves, for oneself).
#[server(prefix = "/api/fn", endpoint = "remove_member", input = Json)]
pub async fn remove_member(user_id: String) -> Result<(), ApiError> {
    let (services, _, m) = member().await?;
    let id = user_id.parse().map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
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
        .map(|id| id.parse().map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found.")))
        .transpose()?;
    let changes = RoleChanges { name: Some(name), permissions: Some(permissions), inherits: Some(inherits) };
    let r = save_role(&services.tenancy, &m.actor, id, changes).await.map_err(crate::server::wire)?;
    Ok(RoleView::from(r))
}

/// Deletes a custom role nobody holds or inherits.
#[server(prefix = "/api/fn", endpoint = "delete_role", input = Json)]
pub async fn delete_role(id: String) -> Result<(), ApiError> {
    let (services, _, m) = member().await?;
    let id = id.parse().map_err(|_| ApiError::new(contracts::ErrorCode::NotFound, "Not found."))?;
    tenancy::application::roles::delete_role(&services.tenancy, &m.actor, id)
        .await
        .map_err(crate::server::wire)
}
