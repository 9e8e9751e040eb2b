//! The organizations and memberships repository.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::domain::organization::{Organization, OrganizationId};
use crate::infrastructure::schema::{memberships, organizations};

/// An organization row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organizations)]
pub struct OrganizationRow {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OrganizationRow {
    /// The domain view.
    #[must_use]
    pub fn to_domain(&self) -> Organization {
        Organization {
            id: self.id.into(),
            name: self.name.clone(),
            slug: self.slug.clone(),
            created_at: self.created_at,
        }
    }
}

/// A membership row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MembershipRow {
    /// The member this row stores, as their organization sees them.
    #[must_use]
    pub fn to_member(&self) -> crate::domain::organization::OrganizationMember {
        crate::domain::organization::OrganizationMember {
            user_id: self.user_id.into(),
            role: self.role.clone(),
            joined_at: self.created_at,
        }
    }
}

/// Inserting an organization whose slug is taken.
#[derive(Debug, thiserror::Error)]
pub enum InsertOrgError {
    #[error("slug taken")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] DieselError),
}

/// Inserts an organization.
///
/// # Errors
/// [`InsertOrgError::SlugTaken`] on a duplicate slug.
pub async fn insert(conn: &mut AsyncPgConnection, row: &OrganizationRow) -> Result<(), InsertOrgError> {
    diesel::insert_into(organizations::table).values(row).execute(conn).await.map(drop).map_err(|e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => InsertOrgError::SlugTaken,
        other => InsertOrgError::Database(other),
    })
}

/// An organization by id.
///
/// # Errors
/// Database failures.
pub async fn find(conn: &mut AsyncPgConnection, id: OrganizationId) -> QueryResult<Option<OrganizationRow>> {
    organizations::table
        .find(id.into_uuid())
        .select(OrganizationRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// An organization by slug (slugs are stored lower-case).
///
/// # Errors
/// Database failures.
pub async fn find_by_slug(conn: &mut AsyncPgConnection, slug: &str) -> QueryResult<Option<OrganizationRow>> {
    // Postgres text cannot hold U+0000 (it refuses the query): no slug has one.
    if slug.contains('\0') {
        return Ok(None);
    }
    organizations::table
        .filter(organizations::slug.eq(slug.trim().to_lowercase()))
        .select(OrganizationRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// Adds a membership (no-op if it exists); returns whether it was added.
///
/// # Errors
/// Database failures.
pub async fn add_member(conn: &mut AsyncPgConnection, row: &MembershipRow) -> QueryResult<bool> {
    diesel::insert_into(memberships::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|n| n == 1)
}

/// A user's membership in an organization.
///
/// # Errors
/// Database failures.
pub async fn membership(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    user: Uuid,
) -> QueryResult<Option<MembershipRow>> {
    memberships::table
        .find((org.into_uuid(), user))
        .select(MembershipRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The organizations a user belongs to, with their role in each, by name.
///
/// # Errors
/// Database failures.
pub async fn of_user(
    conn: &mut AsyncPgConnection,
    user: Uuid,
) -> QueryResult<Vec<(OrganizationRow, String)>> {
    organizations::table
        .inner_join(memberships::table)
        .filter(memberships::user_id.eq(user))
        .order(organizations::name.asc())
        .select((OrganizationRow::as_select(), memberships::role))
        .load(conn)
        .await
}

/// An organization's members, oldest first.
///
/// # Errors
/// Database failures.
pub async fn members(conn: &mut AsyncPgConnection, org: OrganizationId) -> QueryResult<Vec<MembershipRow>> {
    memberships::table
        .filter(memberships::organization_id.eq(org.into_uuid()))
        .order((memberships::created_at.asc(), memberships::user_id.asc()))
        .select(MembershipRow::as_select())
        .load(conn)
        .await
}

/// How many members hold `role` (locks those rows for the rest of the transaction, so two
/// concurrent demotions cannot both see "another owner remains").
///
/// # Errors
/// Database failures.
pub async fn count_with_role_for_update(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    role: &str,
) -> QueryResult<usize> {
    let rows: Vec<Uuid> = memberships::table
        .filter(memberships::organization_id.eq(org.into_uuid()))
        .filter(memberships::role.eq(role))
        .select(memberships::user_id)
        .for_update()
        .load(conn)
        .await?;
    Ok(rows.len())
}

/// Changes a member's role.
///
/// # Errors
/// Database failures.
pub async fn set_role(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    user: Uuid,
    role: &str,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(memberships::table.find((org.into_uuid(), user)))
        .set((memberships::role.eq(role), memberships::updated_at.eq(at)))
        .execute(conn)
        .await
        .map(drop)
}

/// Removes a membership; returns whether it existed.
///
/// # Errors
/// Database failures.
pub async fn remove_member(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    user: Uuid,
) -> QueryResult<bool> {
    diesel::delete(memberships::table.find((org.into_uuid(), user))).execute(conn).await.map(|n| n == 1)
}

/// How many members use a custom role (to refuse deleting a role in use).
///
/// # Errors
/// Database failures.
pub async fn count_role_users(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    role: &str,
) -> QueryResult<i64> {
    memberships::table
        .filter(memberships::organization_id.eq(org.into_uuid()))
        .filter(memberships::role.eq(role))
        .count()
        .get_result(conn)
        .await
}

/// Organizations newest first with their member counts, optionally those whose name or slug
/// contains `search` (any case), after `cursor`; at most `limit`.
///
/// # Errors
/// Database failures.
pub async fn search(
    conn: &mut AsyncPgConnection,
    search: Option<&str>,
    cursor: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<(OrganizationRow, i64)>> {
    use diesel::BoolExpressionMethods as _;
    use diesel::NullableExpressionMethods as _;
    use diesel::PgTextExpressionMethods as _;
    // Postgres text cannot hold U+0000 (it refuses the query): nothing stored contains it.
    if search.is_some_and(|text| text.contains('\0')) {
        return Ok(Vec::new());
    }
    let members =
        memberships::table.filter(memberships::organization_id.eq(organizations::id)).count().single_value();
    let mut query =
        organizations::table.select((OrganizationRow::as_select(), members.assume_not_null())).into_boxed();
    if let Some(text) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        query =
            query.filter(organizations::name.ilike(pattern.clone()).or(organizations::slug.ilike(pattern)));
    }
    if let Some((at, id)) = cursor {
        query = query.filter(
            organizations::created_at
                .lt(at)
                .or(organizations::created_at.eq(at).and(organizations::id.lt(id))),
        );
    }
    query.order((organizations::created_at.desc(), organizations::id.desc())).limit(limit).load(conn).await
}
