//! Custom roles of the active organization: list, create, edit, delete.

use contracts::permissions::{BuiltinRole, Permission, PermissionPattern};
use contracts::{ConflictReason, Problem};
use diesel_async::AsyncConnection as _;
use kernel::Actor;
use uuid::Uuid;

use crate::application::actor::{definitions, grants_of};
use crate::application::members::guard;
use crate::application::{TenancyCtx, TenancyError};
use crate::domain::events::{RoleCreated, RoleDeleted, RoleFacts, RoleUpdated};
use crate::domain::organization::OrganizationId;
use crate::domain::role_guard::RoleChange;
use crate::domain::roles::{RoleDefinition, RoleError, RoleId, RoleName, dependants, resolve, validate};
use crate::infrastructure::roles::{self, RoleRow, SaveRoleError};
use crate::infrastructure::{invitations, organizations};

/// A role as listed: built-in (no id) or custom.
#[derive(Debug, Clone)]
pub struct RoleEntry {
    pub id: Option<RoleId>,
    pub name: String,
    pub permissions: Vec<String>,
    pub inherits: Vec<String>,
    pub builtin: bool,
}

/// What a role should become (every field on create; any subset on edit).
#[derive(Debug, Clone, Default)]
pub struct RoleChanges {
    pub name: Option<String>,
    pub permissions: Option<Vec<String>>,
    pub inherits: Option<Vec<String>>,
}

/// The organization's roles: the four built-in ones, then the custom ones (`roles:read`).
///
/// # Errors
/// `Forbidden`.
pub async fn list_roles(ctx: &TenancyCtx, actor: &Actor) -> Result<Vec<RoleEntry>, TenancyError> {
    actor.require(&Permission::ROLES_READ)?;
    let mut conn = ctx.db.get().await?;
    let custom = roles::of_org(&mut conn, OrganizationId::from(actor.organization_id.into_uuid())).await?;
    let builtin = BuiltinRole::ALL.into_iter().map(|r| RoleEntry {
        id: None,
        name: r.name().to_owned(),
        permissions: r.patterns().iter().map(ToString::to_string).collect(),
        inherits: Vec::new(),
        builtin: true,
    });
    let custom = custom.into_iter().map(|r| RoleEntry {
        id: Some(r.id.into()),
        name: r.name,
        permissions: r.permissions,
        inherits: r.inherits,
        builtin: false,
    });
    Ok(builtin.chain(custom).collect())
}

fn role_error(err: RoleError) -> TenancyError {
    let field = match &err {
        RoleError::ReservedName(_) => "name",
        RoleError::UnknownPermission(_) => "permissions",
        _ => "inherits",
    };
    TenancyError::field(field, err)
}

/// Most patterns of one role.
const MAX_PATTERNS: usize = 100;
/// Most roles one role inherits.
const MAX_INHERITED: usize = 20;

/// Parses the changes over `base` into a definition, naming the first bad field.
fn definition(base: Option<&RoleRow>, changes: &RoleChanges) -> Result<RoleDefinition, TenancyError> {
    let name = changes
        .name
        .as_deref()
        .or(base.map(|b| b.name.as_str()))
        .ok_or_else(|| TenancyError::field("name", Problem::Required))?;
    let name = RoleName::parse(name.trim()).map_err(|e| TenancyError::field("name", e))?;
    let permissions = changes
        .permissions
        .as_ref()
        .or(base.map(|b| &b.permissions))
        .ok_or_else(|| TenancyError::field("permissions", Problem::Required))?;
    let permissions = permissions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.parse::<PermissionPattern>().map_err(|e| TenancyError::field(&format!("permissions[{i}]"), e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let empty = Vec::new();
    let inherits = changes.inherits.as_ref().or(base.map(|b| &b.inherits)).unwrap_or(&empty);
    let inherits = inherits
        .iter()
        .enumerate()
        .map(|(i, r)| RoleName::parse(r).map_err(|e| TenancyError::field(&format!("inherits[{i}]"), e)))
        .collect::<Result<Vec<_>, _>>()?;
    if permissions.len() > MAX_PATTERNS || inherits.len() > MAX_INHERITED {
        let too_many = Problem::TooManyGrants { permissions: MAX_PATTERNS, roles: MAX_INHERITED };
        return Err(TenancyError::field("permissions", too_many));
    }
    Ok(RoleDefinition { name, permissions, inherits })
}

/// Creates or edits a custom role (`roles:manage`). The role must validate (no cycles, known
/// parents and permissions, bounded depth) and may not grant anything the actor does not hold.
/// Records `role.created` or `role.updated` (with the definition before and after) in the same
/// transaction.
///
/// # Errors
/// `Forbidden`, `Validation` naming the field, `NotFound` (edit of an unknown id), `Conflict`
/// (name taken).
#[tracing::instrument(skip(ctx, actor, changes), fields(org = %actor.organization_id.into_uuid()))]
pub async fn save_role(
    ctx: &TenancyCtx,
    actor: &Actor,
    id: Option<RoleId>,
    changes: RoleChanges,
) -> Result<RoleEntry, TenancyError> {
    actor.require(&Permission::ROLES_MANAGE)?;
    let id = id.map(RoleId::into_uuid);
    let org = OrganizationId::from(actor.organization_id.into_uuid());
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, TenancyError, _>(async |tx| {
        let rows = roles::of_org(tx, org).await?;
        let base = match id {
            Some(id) => Some(rows.iter().find(|r| r.id == id).ok_or(TenancyError::NotFound)?),
            None => None,
        };
        let candidate = definition(base, &changes)?;
        // Validate against the other roles (a rename leaves the old name out).
        let others: Vec<RoleDefinition> = definitions(&rows)
            .into_iter()
            .filter(|d| base.is_none_or(|b| d.name.as_str() != b.name))
            .collect();
        validate(&others, &candidate).map_err(role_error)?;
        if let Some(base) = base
            && base.name != candidate.name.as_str()
            && (role_in_use(tx, org, &base.name, now).await?
                || !dependants(
                    &others,
                    &RoleName::parse(&base.name).map_err(|e| TenancyError::field("name", e))?,
                )
                .is_empty())
        {
            return Err(TenancyError::Conflict(ConflictReason::RoleInUseRename));
        }
        let mut all = others.clone();
        all.push(candidate.clone());
        let granted = resolve(&all, &candidate.name).map_err(role_error)?;
        // Editing a role changes what its holders may do: the guard looks at what it grants now
        // (or one could cut down a role above their own) and at what it will grant.
        let defs = definitions(&rows);
        let before = base.map(|b| grants_of(&defs, &b.name));
        let change = match &before {
            Some(before) => RoleChange::Edit { before, after: &granted },
            None => RoleChange::Create { grants: &granted },
        };
        guard(&defs, actor, change)?;
        let row = RoleRow {
            id: base.map_or_else(Uuid::now_v7, |b| b.id),
            organization_id: org.into_uuid(),
            name: candidate.name.as_str().to_owned(),
            permissions: candidate.permissions.iter().map(ToString::to_string).collect(),
            inherits: candidate.inherits.iter().map(|r| r.as_str().to_owned()).collect(),
            created_at: base.map_or(now, |b| b.created_at),
            updated_at: now,
        };
        let saved =
            if base.is_some() { roles::update(tx, &row).await } else { roles::insert(tx, &row).await };
        saved.map_err(|e| match e {
            SaveRoleError::NameTaken => TenancyError::Conflict(ConflictReason::RoleNameTaken),
            SaveRoleError::Database(e) => e.into(),
        })?;
        let (role_id, actor_id) = (row.id, actor.user_id.into_uuid());
        match base {
            Some(base) => {
                let event = RoleUpdated {
                    role_id,
                    organization_id: org,
                    before: facts(base),
                    after: facts(&row),
                    actor_id,
                };
                runtime::outbox::record(tx, &event, now).await?;
            }
            None => {
                let event = RoleCreated { role_id, organization_id: org, role: facts(&row), actor_id };
                runtime::outbox::record(tx, &event, now).await?;
            }
        }
        Ok(RoleEntry {
            id: Some(row.id.into()),
            name: row.name,
            permissions: row.permissions,
            inherits: row.inherits,
            builtin: false,
        })
    })
    .await
}

/// A stored role as its events describe it.
fn facts(row: &RoleRow) -> RoleFacts {
    RoleFacts { name: row.name.clone(), permissions: row.permissions.clone(), inherits: row.inherits.clone() }
}

/// Whether members or open invitations hold `role`.
async fn role_in_use(
    conn: &mut diesel_async::AsyncPgConnection,
    org: OrganizationId,
    role: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool, TenancyError> {
    Ok(organizations::count_role_users(conn, org, role).await? > 0
        || invitations::count_open_with_role(conn, org, role, now).await? > 0)
}

/// Deletes a custom role (`roles:manage`) that no member or open invitation holds and no role
/// inherits; records `role.deleted` in the same transaction.
///
/// # Errors
/// `Forbidden`, `NotFound`, `Conflict` (in use).
pub async fn delete_role(ctx: &TenancyCtx, actor: &Actor, id: RoleId) -> Result<(), TenancyError> {
    actor.require(&Permission::ROLES_MANAGE)?;
    let id = id.into_uuid();
    let org = OrganizationId::from(actor.organization_id.into_uuid());
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, TenancyError, _>(async |tx| {
        let rows = roles::of_org(tx, org).await?;
        let row = rows.iter().find(|r| r.id == id).ok_or(TenancyError::NotFound)?;
        let defs = definitions(&rows);
        // A role above the actor's own may not be deleted, even while nobody holds it.
        guard(&defs, actor, RoleChange::Delete { grants: &grants_of(&defs, &row.name) })?;
        if role_in_use(tx, org, &row.name, ctx.clock.now()).await? {
            return Err(TenancyError::Conflict(ConflictReason::RoleHeld));
        }
        let name = RoleName::parse(&row.name)
            .map_err(|e| TenancyError::Internal(anyhow::anyhow!("stored role name: {e}")))?;
        if !dependants(&defs, &name).is_empty() {
            return Err(TenancyError::Conflict(ConflictReason::RoleInherited));
        }
        roles::delete(tx, org, id).await?;
        let event = RoleDeleted {
            role_id: id,
            organization_id: org,
            role: facts(row),
            actor_id: actor.user_id.into_uuid(),
        };
        runtime::outbox::record(tx, &event, ctx.clock.now()).await?;
        Ok(())
    })
    .await
}
