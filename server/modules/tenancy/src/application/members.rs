//! The members of the active organization: listing, changing roles, removing.

use contracts::permissions::{BuiltinRole, Permission};
use contracts::{ConflictReason, Problem};
use diesel_async::AsyncConnection as _;
use kernel::{Actor, UserId};
use uuid::Uuid;

use crate::application::actor::{definitions, grants_of};
use crate::application::{DirectoryUser, TenancyCtx, TenancyError};
use crate::domain::events::{MembershipRemoved, MembershipRoleChanged};
use crate::domain::organization::{OrganizationId, OrganizationMember};
use crate::domain::role_guard::{RoleChange, may_change_role};
use crate::domain::roles::RoleDefinition;
use crate::infrastructure::organizations::{self, MembershipRow};
use crate::infrastructure::roles;

/// A member, with what identity knows of them.
#[derive(Debug, Clone)]
pub struct Member {
    pub membership: OrganizationMember,
    pub user: Option<DirectoryUser>,
}

/// The members of the actor's organization (`members:read`), oldest first.
///
/// # Errors
/// `Forbidden`.
pub async fn list_members(ctx: &TenancyCtx, actor: &Actor) -> Result<Vec<Member>, TenancyError> {
    actor.require(&Permission::MEMBERS_READ)?;
    let rows = {
        let mut conn = ctx.db.get().await?;
        organizations::members(&mut conn, OrganizationId::from(actor.organization_id.into_uuid())).await?
    };
    let ids: Vec<Uuid> = rows.iter().map(|m| m.user_id).collect();
    let users = ctx.users.users(&ids).await.map_err(TenancyError::Internal)?;
    Ok(rows
        .into_iter()
        .map(|membership| {
            let user = users.iter().find(|u| u.id == membership.user_id).cloned();
            Member { membership: membership.to_member(), user }
        })
        .collect())
}

/// Asks the escalation guard ([`may_change_role`]) about `change`, with the actor's grants
/// resolved fresh from `defs` (inside the use case's transaction, not from the session's copy).
///
/// # Errors
/// `Forbidden` naming the permission.
pub(crate) fn guard(
    defs: &[RoleDefinition],
    actor: &Actor,
    change: RoleChange<'_>,
) -> Result<(), TenancyError> {
    may_change_role(&grants_of(defs, &actor.role), change)
        .map_err(|refusal| TenancyError::Forbidden(refusal.to_string()))
}

/// Changes a member's role (`members:manage`). The actor may only assign a role — and only
/// change a member — whose grants they hold themselves, and the last owner cannot be demoted.
///
/// # Errors
/// `Forbidden`, `NotFound` (no such member or role), `Conflict` (last owner).
#[tracing::instrument(skip(ctx, actor), fields(org = %actor.organization_id.into_uuid()))]
pub async fn change_role(
    ctx: &TenancyCtx,
    actor: &Actor,
    member: UserId,
    role: &str,
) -> Result<OrganizationMember, TenancyError> {
    actor.require(&Permission::MEMBERS_MANAGE)?;
    let member = member.into_uuid();
    let org = OrganizationId::from(actor.organization_id.into_uuid());
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, TenancyError, _>(async |tx| {
        let target = organizations::membership(tx, org, member).await?.ok_or(TenancyError::NotFound)?;
        let defs = definitions(&roles::of_org(tx, org).await?);
        if !role_exists(&defs, role) {
            return Err(TenancyError::field("role", Problem::NotARole));
        }
        let (from, to) = (grants_of(&defs, &target.role), grants_of(&defs, role));
        guard(&defs, actor, RoleChange::Assign { from: &from, to: &to })?;
        let owner = BuiltinRole::Owner.name();
        if target.role == owner
            && role != owner
            && organizations::count_with_role_for_update(tx, org, owner).await? <= 1
        {
            return Err(TenancyError::Conflict(ConflictReason::LastOwnerRoleChange));
        }
        if target.role != role {
            organizations::set_role(tx, org, member, role, now).await?;
            let event = MembershipRoleChanged {
                organization_id: org,
                user_id: member,
                from: target.role.clone(),
                to: role.to_owned(),
                actor_id: actor.user_id.into_uuid(),
            };
            runtime::outbox::record(tx, &event, now).await?;
        }
        Ok(MembershipRow { role: role.to_owned(), updated_at: now, ..target }.to_member())
    })
    .await
}

/// Removes a member (`members:manage`, or anyone removing themselves: leaving). The last owner
/// cannot be removed.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Conflict` (last owner).
#[tracing::instrument(skip(ctx, actor), fields(org = %actor.organization_id.into_uuid()))]
pub async fn remove_member(ctx: &TenancyCtx, actor: &Actor, member: UserId) -> Result<(), TenancyError> {
    let member = member.into_uuid();
    let leaving = member == actor.user_id.into_uuid();
    if !leaving {
        actor.require(&Permission::MEMBERS_MANAGE)?;
    }
    let org = OrganizationId::from(actor.organization_id.into_uuid());
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, TenancyError, _>(async |tx| {
        let target = organizations::membership(tx, org, member).await?.ok_or(TenancyError::NotFound)?;
        if !leaving {
            let defs = definitions(&roles::of_org(tx, org).await?);
            guard(&defs, actor, RoleChange::Revoke { role: &grants_of(&defs, &target.role) })?;
        }
        let owner = BuiltinRole::Owner.name();
        if target.role == owner && organizations::count_with_role_for_update(tx, org, owner).await? <= 1 {
            return Err(TenancyError::Conflict(ConflictReason::LastOwnerRemoval));
        }
        organizations::remove_member(tx, org, member).await?;
        runtime::outbox::record(
            tx,
            &MembershipRemoved { organization_id: org, user_id: member, actor_id: actor.user_id.into_uuid() },
            now,
        )
        .await?;
        Ok(())
    })
    .await
}

/// Whether `role` names a built-in role or one of `defs`.
pub(crate) fn role_exists(defs: &[crate::domain::roles::RoleDefinition], role: &str) -> bool {
    BuiltinRole::from_name(role).is_some() || defs.iter().any(|d| d.name.as_str() == role)
}
