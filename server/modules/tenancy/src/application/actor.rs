//! Building the [`Actor`] of a request: the caller's membership in their active organization and
//! the grants of its role, resolved through inheritance.

use std::sync::Arc;

use contracts::permissions::Permission;
use kernel::Actor;
use kernel::actor::{Caller, Grants};

use crate::application::{TenancyCtx, TenancyError};
use crate::domain::organization::{Organization, OrganizationId};
use crate::domain::roles::{GrantSet, RoleDefinition, RoleName, resolve};
use crate::infrastructure::{organizations, roles};

impl Grants for GrantSet {
    fn allows(&self, permission: &Permission) -> bool {
        GrantSet::allows(self, permission)
    }
}

/// The actor and their organization.
#[derive(Debug, Clone)]
pub struct Membership {
    pub actor: Actor,
    pub organization: Organization,
    pub grants: Arc<GrantSet>,
}

/// The custom roles of an organization as domain definitions (rows that no longer parse are
/// skipped and logged: they grant nothing).
pub(crate) fn definitions(rows: &[roles::RoleRow]) -> Vec<RoleDefinition> {
    rows.iter()
        .filter_map(|row| {
            let parsed = (|| {
                Some(RoleDefinition {
                    name: RoleName::parse(&row.name).ok()?,
                    permissions: row.permissions.iter().map(|p| p.parse().ok()).collect::<Option<_>>()?,
                    inherits: row.inherits.iter().map(|r| RoleName::parse(r).ok()).collect::<Option<_>>()?,
                })
            })();
            if parsed.is_none() {
                tracing::warn!(role = %row.name, "stored role does not parse; it grants nothing");
            }
            parsed
        })
        .collect()
}

/// Resolves `role` against `definitions`; an unresolvable role grants nothing.
pub(crate) fn grants_of(definitions: &[RoleDefinition], role: &str) -> GrantSet {
    let Ok(name) = RoleName::parse(role) else { return GrantSet::default() };
    resolve(definitions, &name).unwrap_or_else(|err| {
        tracing::warn!(role, %err, "role does not resolve; it grants nothing");
        GrantSet::default()
    })
}

/// The caller acting in `organization`, or `None` when they are not a member of it.
///
/// # Errors
/// Database failures.
pub async fn membership(
    ctx: &TenancyCtx,
    caller: Caller,
    organization: OrganizationId,
) -> Result<Option<Membership>, TenancyError> {
    let user = caller.user_id;
    let mut conn = ctx.db.get().await?;
    let Some(member) = organizations::membership(&mut conn, organization, user.into_uuid()).await? else {
        return Ok(None);
    };
    let Some(org) = organizations::find(&mut conn, organization).await? else { return Ok(None) };
    let definitions = definitions(&roles::of_org(&mut conn, organization).await?);
    let grants = Arc::new(grants_of(&definitions, &member.role));
    let actor = Actor {
        user_id: user,
        organization_id: organization,
        role: member.role,
        grants: grants.clone() as Arc<dyn Grants>,
        email_verified: caller.email_verified,
    };
    Ok(Some(Membership { actor, organization: org.to_domain(), grants }))
}
