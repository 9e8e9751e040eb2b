//! Platform admins' use cases over organizations (the host checks the caller is one): list and
//! search them, and look inside one. Nothing here is scoped to an actor's organization.

use kernel::UserId;
use kernel::pagination::{Cursor, PageRequest, Paged};

use crate::application::{TenancyCtx, TenancyError};
use crate::domain::organization::{Organization, OrganizationId, OrganizationMember};
use crate::infrastructure::organizations::{self, MembershipRow};

/// Organizations newest first with their member counts, matching `search` when given.
///
/// # Errors
/// Database failures.
pub async fn list_organizations(
    ctx: &TenancyCtx,
    search: Option<&str>,
    page: &PageRequest,
) -> Result<Paged<(Organization, i64)>, TenancyError> {
    let mut conn = ctx.db.get().await?;
    let rows =
        organizations::search(&mut conn, search, page.cursor.map(|c| (c.at, c.id)), page.fetch_limit())
            .await?;
    let found = rows.into_iter().map(|(row, members)| (row.to_domain(), members)).collect();
    Ok(Paged::from_rows(found, page, |(o, _): &(Organization, i64)| Cursor {
        at: o.created_at,
        id: o.id.into_uuid(),
    }))
}

/// One organization and its memberships (oldest first).
///
/// # Errors
/// `NotFound`; database failures.
pub async fn organization(
    ctx: &TenancyCtx,
    id: OrganizationId,
) -> Result<(Organization, Vec<OrganizationMember>), TenancyError> {
    let mut conn = ctx.db.get().await?;
    let org = organizations::find(&mut conn, id).await?.ok_or(TenancyError::NotFound)?;
    let members = organizations::members(&mut conn, id).await?;
    Ok((org.to_domain(), members.iter().map(MembershipRow::to_member).collect()))
}

/// The organization with this slug, if any.
///
/// # Errors
/// Database failures.
pub async fn organization_by_slug(
    ctx: &TenancyCtx,
    slug: &str,
) -> Result<Option<Organization>, TenancyError> {
    let mut conn = ctx.db.get().await?;
    Ok(organizations::find_by_slug(&mut conn, slug).await?.map(|row| row.to_domain()))
}

/// The organizations `user` belongs to, with their role in each, by name.
///
/// # Errors
/// Database failures.
pub async fn memberships_of(
    ctx: &TenancyCtx,
    user: UserId,
) -> Result<Vec<(Organization, String)>, TenancyError> {
    let mut conn = ctx.db.get().await?;
    let rows = organizations::of_user(&mut conn, user.into_uuid()).await?;
    Ok(rows.into_iter().map(|(org, role)| (org.to_domain(), role)).collect())
}
