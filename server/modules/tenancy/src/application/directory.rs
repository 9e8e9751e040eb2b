//! What other contexts may ask about organizations, through the host's ports (notifications'
//! `Recipients`): who in an organization holds a permission, and an organization's name. No
//! actor: the asking context decides what to do with the answer and shows it only to its owners.

use std::collections::HashMap;

use contracts::permissions::Permission;
use kernel::UserId;

use crate::application::actor::{definitions, grants_of};
use crate::application::{TenancyCtx, TenancyError};
use crate::domain::organization::OrganizationId;
use crate::infrastructure::{organizations, roles};

/// The members of `organization` whose role grants `permission` — built-in or custom roles,
/// inheritance and wildcards resolved as [`kernel::Actor::require`] would see them — each once,
/// oldest membership first. Empty for an unknown organization. Deactivated users are not filtered
/// here (identity knows who is active).
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip(ctx))]
pub async fn members_with(
    ctx: &TenancyCtx,
    organization: OrganizationId,
    permission: &Permission,
) -> Result<Vec<UserId>, TenancyError> {
    let mut conn = ctx.db.get().await?;
    let members = organizations::members(&mut conn, organization).await?;
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let definitions = definitions(&roles::of_org(&mut conn, organization).await?);
    // One resolution per role, however many members hold it.
    let mut allows: HashMap<String, bool> = HashMap::new();
    Ok(members
        .into_iter()
        .filter(|m| {
            *allows
                .entry(m.role.clone())
                .or_insert_with(|| grants_of(&definitions, &m.role).allows(permission))
        })
        .map(|m| UserId::from(m.user_id))
        .collect())
}

/// The name of `organization`; `None` when there is none (deleted).
///
/// # Errors
/// Database failures.
#[tracing::instrument(skip(ctx))]
pub async fn organization_name(
    ctx: &TenancyCtx,
    organization: OrganizationId,
) -> Result<Option<String>, TenancyError> {
    let mut conn = ctx.db.get().await?;
    Ok(organizations::find(&mut conn, organization).await?.map(|row| row.name))
}
