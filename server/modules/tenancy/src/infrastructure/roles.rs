//! The custom roles repository.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    AsChangeset, ExpressionMethods, Insertable, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::domain::organization::OrganizationId;
use crate::infrastructure::schema::roles;

/// A custom role row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = roles)]
pub struct RoleRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub permissions: Vec<String>,
    pub inherits: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A role name already used in the organization.
#[derive(Debug, thiserror::Error)]
pub enum SaveRoleError {
    #[error("name taken")]
    NameTaken,
    #[error(transparent)]
    Database(#[from] DieselError),
}

fn map_unique(e: DieselError) -> SaveRoleError {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => SaveRoleError::NameTaken,
        other => SaveRoleError::Database(other),
    }
}

/// An organization's custom roles, by name.
///
/// # Errors
/// Database failures.
pub async fn of_org(conn: &mut AsyncPgConnection, org: OrganizationId) -> QueryResult<Vec<RoleRow>> {
    roles::table
        .filter(roles::organization_id.eq(org.into_uuid()))
        .order(roles::name.asc())
        .select(RoleRow::as_select())
        .load(conn)
        .await
}

/// Inserts a role.
///
/// # Errors
/// [`SaveRoleError::NameTaken`].
pub async fn insert(conn: &mut AsyncPgConnection, row: &RoleRow) -> Result<(), SaveRoleError> {
    diesel::insert_into(roles::table).values(row).execute(conn).await.map(drop).map_err(map_unique)
}

/// Replaces a role's definition.
///
/// # Errors
/// [`SaveRoleError::NameTaken`].
pub async fn update(conn: &mut AsyncPgConnection, row: &RoleRow) -> Result<(), SaveRoleError> {
    diesel::update(roles::table.find(row.id)).set(row).execute(conn).await.map(drop).map_err(map_unique)
}

/// Deletes a role; returns whether it existed.
///
/// # Errors
/// Database failures.
pub async fn delete(conn: &mut AsyncPgConnection, org: OrganizationId, id: Uuid) -> QueryResult<bool> {
    diesel::delete(roles::table.filter(roles::organization_id.eq(org.into_uuid())).filter(roles::id.eq(id)))
        .execute(conn)
        .await
        .map(|n| n == 1)
}
