//! Creating organizations, listing the caller's, and choosing the active one.

use contracts::Problems;
use contracts::permissions::BuiltinRole;
use diesel_async::AsyncConnection as _;
use kernel::UserId;

use crate::application::{TenancyCtx, TenancyError};
use crate::domain::events::{MembershipAdded, OrganizationCreated};
use crate::domain::organization::{Organization, OrganizationId, parse_name, parse_slug};
use crate::infrastructure::organizations::{self, InsertOrgError, MembershipRow, OrganizationRow};

/// Creates an organization; its creator becomes its `owner`.
///
/// # Errors
/// `Validation` naming `name`/`slug`; `SlugTaken`.
#[tracing::instrument(skip(ctx))]
pub async fn create_organization(
    ctx: &TenancyCtx,
    creator: UserId,
    name: &str,
    slug: &str,
) -> Result<Organization, TenancyError> {
    let creator = creator.into_uuid();
    let mut fields = Problems::new();
    let name = parse_name(name).map_err(|e| fields.insert("name".to_owned(), e.into())).ok();
    let slug = parse_slug(slug).map_err(|e| fields.insert("slug".to_owned(), e.into())).ok();
    let (Some(name), Some(slug)) = (name, slug) else { return Err(TenancyError::Validation(fields)) };
    let now = ctx.clock.now();
    let org = OrganizationRow {
        id: OrganizationId::new().into_uuid(),
        name,
        slug,
        created_by: creator,
        created_at: now,
        updated_at: now,
    };
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, TenancyError, _>(async |tx| {
        organizations::insert(tx, &org).await.map_err(|e| match e {
            InsertOrgError::SlugTaken => TenancyError::SlugTaken,
            InsertOrgError::Database(e) => e.into(),
        })?;
        let owner = BuiltinRole::Owner.name().to_owned();
        organizations::add_member(
            tx,
            &MembershipRow {
                organization_id: org.id,
                user_id: creator,
                role: owner.clone(),
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        let id = OrganizationId::from(org.id);
        runtime::outbox::record(tx, &OrganizationCreated { organization_id: id, created_by: creator }, now)
            .await?;
        runtime::outbox::record(
            tx,
            &MembershipAdded { organization_id: id, user_id: creator, role: owner, actor_id: creator },
            now,
        )
        .await?;
        Ok(())
    })
    .await?;
    Ok(org.to_domain())
}

/// The organizations `user` belongs to, with their role in each, by name.
///
/// # Errors
/// Database failures.
pub async fn my_organizations(
    ctx: &TenancyCtx,
    user: UserId,
) -> Result<Vec<(Organization, String)>, TenancyError> {
    let user = user.into_uuid();
    let mut conn = ctx.db.get().await?;
    Ok(organizations::of_user(&mut conn, user)
        .await?
        .into_iter()
        .map(|(org, role)| (org.to_domain(), role))
        .collect())
}

/// Checks that `user` may make `organization` active (they are a member).
///
/// # Errors
/// `NotFound` when they are not a member (or it does not exist).
pub async fn choose_active(
    ctx: &TenancyCtx,
    user: UserId,
    organization: OrganizationId,
) -> Result<Organization, TenancyError> {
    let user = user.into_uuid();
    let mut conn = ctx.db.get().await?;
    if organizations::membership(&mut conn, organization, user).await?.is_none() {
        return Err(TenancyError::NotFound);
    }
    organizations::find(&mut conn, organization).await?.map(|o| o.to_domain()).ok_or(TenancyError::NotFound)
}
