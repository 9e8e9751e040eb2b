//! The invitations repository.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::domain::organization::OrganizationId;
use crate::infrastructure::schema::invitations;

/// An invitation row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invitations)]
pub struct InvitationRow {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub email_normalized: String,
    pub role: String,
    pub token_hash: Vec<u8>,
    pub invited_by: Uuid,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl InvitationRow {
    /// The invitation this row stores.
    #[must_use]
    pub fn to_invitation(&self) -> crate::domain::organization::Invitation {
        crate::domain::organization::Invitation {
            id: self.id,
            organization_id: self.organization_id.into(),
            email: self.email.clone(),
            role: self.role.clone(),
            invited_by: self.invited_by.into(),
            expires_at: self.expires_at,
            created_at: self.created_at,
        }
    }
}

/// Stores an invitation.
///
/// # Errors
/// Database failures.
pub async fn insert(conn: &mut AsyncPgConnection, row: &InvitationRow) -> QueryResult<()> {
    diesel::insert_into(invitations::table).values(row).execute(conn).await.map(drop)
}

/// The open (unaccepted, unexpired) invitation with this token digest, locked for acceptance.
///
/// # Errors
/// Database failures.
pub async fn open_by_token_for_update(
    conn: &mut AsyncPgConnection,
    digest: &[u8],
    now: DateTime<Utc>,
) -> QueryResult<Option<InvitationRow>> {
    invitations::table
        .filter(invitations::token_hash.eq(digest))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .select(InvitationRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()
}

/// Marks an invitation accepted.
///
/// # Errors
/// Database failures.
pub async fn mark_accepted(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(invitations::table.find(id))
        .set((invitations::accepted_at.eq(at), invitations::accepted_by.eq(by)))
        .execute(conn)
        .await
        .map(drop)
}

/// An organization's open invitations, newest first.
///
/// # Errors
/// Database failures.
pub async fn open_for_org(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    now: DateTime<Utc>,
) -> QueryResult<Vec<InvitationRow>> {
    invitations::table
        .filter(invitations::organization_id.eq(org.into_uuid()))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .order(invitations::created_at.desc())
        .select(InvitationRow::as_select())
        .load(conn)
        .await
}

/// How many open invitations of an organization name `role` (a role they name is in use).
///
/// # Errors
/// Database failures.
pub async fn count_open_with_role(
    conn: &mut AsyncPgConnection,
    org: OrganizationId,
    role: &str,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    invitations::table
        .filter(invitations::organization_id.eq(org.into_uuid()))
        .filter(invitations::role.eq(role))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .count()
        .get_result(conn)
        .await
}
