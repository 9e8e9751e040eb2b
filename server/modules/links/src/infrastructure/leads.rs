//! The leads repository.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::prelude::{
    BoolExpressionMethods as _, ExpressionMethods, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel::sql_types::{Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::pagination::Cursor;
use uuid::Uuid;

use crate::infrastructure::schema::leads;

/// A lead as listed and exported.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = leads)]
pub struct LeadRow {
    pub id: Uuid,
    pub block_id: Uuid,
    pub email: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub over_quota: bool,
}

impl LeadRow {
    /// The lead this row stores.
    #[must_use]
    pub fn to_lead(&self) -> crate::domain::page::Lead {
        crate::domain::page::Lead {
            id: self.id.into(),
            block_id: self.block_id.into(),
            email: self.email.clone(),
            name: self.name.clone(),
            created_at: self.created_at,
            over_quota: self.over_quota,
        }
    }

    /// Where this lead sits in the newest-first order.
    #[must_use]
    pub const fn cursor(&self) -> Cursor {
        Cursor { at: self.created_at, id: self.id }
    }
}

/// A lead to store.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub id: Uuid,
    pub page_id: Uuid,
    pub block_id: Uuid,
    pub email: String,
    pub name: Option<String>,
    pub consent_text: Option<String>,
    pub consent_version: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Upserted {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Bool)]
    inserted: bool,
}

/// Stores the lead once per page and email (case-insensitively). A repeat keeps the first
/// capture's id and time and refreshes the name and consent when given. Returns the lead's id and
/// whether it is new.
///
/// # Errors
/// The database's.
pub async fn upsert(conn: &mut AsyncPgConnection, lead: &NewLead) -> QueryResult<(Uuid, bool)> {
    let row: Upserted = diesel::sql_query(
        "INSERT INTO links.leads (id, page_id, block_id, email, name, consent_text, consent_version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         ON CONFLICT (page_id, email_key) DO UPDATE SET \
           name = COALESCE(EXCLUDED.name, leads.name), \
           consent_text = COALESCE(EXCLUDED.consent_text, leads.consent_text), \
           consent_version = COALESCE(EXCLUDED.consent_version, leads.consent_version), \
           updated_at = EXCLUDED.updated_at \
         RETURNING id, (xmax = 0) AS inserted",
    )
    .bind::<SqlUuid, _>(lead.id)
    .bind::<SqlUuid, _>(lead.page_id)
    .bind::<SqlUuid, _>(lead.block_id)
    .bind::<Text, _>(&lead.email)
    .bind::<Nullable<Text>, _>(lead.name.as_deref())
    .bind::<Nullable<Text>, _>(lead.consent_text.as_deref())
    .bind::<Nullable<Text>, _>(lead.consent_version.as_deref())
    .bind::<Timestamptz, _>(lead.at)
    .get_result(conn)
    .await?;
    Ok((row.id, row.inserted))
}

/// Flags a lead as captured over the organization's monthly lead cap.
///
/// # Errors
/// The database's.
pub async fn mark_over_quota(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<()> {
    diesel::update(leads::table.filter(leads::id.eq(id)))
        .set(leads::over_quota.eq(true))
        .execute(conn)
        .await
        .map(drop)
}

/// Up to `limit` leads of `page`, newest first, strictly after `after`.
///
/// # Errors
/// The database's.
pub async fn newest_first(
    conn: &mut AsyncPgConnection,
    page: Uuid,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<LeadRow>> {
    let mut query = leads::table.filter(leads::page_id.eq(page)).into_boxed();
    if let Some(Cursor { at, id }) = after {
        query = query.filter(leads::created_at.lt(at).or(leads::created_at.eq(at).and(leads::id.lt(id))));
    }
    query
        .order((leads::created_at.desc(), leads::id.desc()))
        .limit(limit)
        .select(LeadRow::as_select())
        .load(conn)
        .await
}

#[derive(QueryableByName)]
struct PageCount {
    #[diesel(sql_type = SqlUuid)]
    page_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    leads: i64,
}

/// Leads captured since `since`, per page of the organization (pages without any are absent).
///
/// # Errors
/// Database failures.
pub async fn counts_since(
    conn: &mut AsyncPgConnection,
    organization_id: Uuid,
    since: DateTime<Utc>,
) -> QueryResult<Vec<(Uuid, i64)>> {
    let rows: Vec<PageCount> = diesel::sql_query(
        "SELECT l.page_id, count(*) AS leads FROM links.leads l \
         JOIN links.pages p ON p.id = l.page_id \
         WHERE p.organization_id = $1 AND l.created_at >= $2 GROUP BY l.page_id",
    )
    .bind::<SqlUuid, _>(organization_id)
    .bind::<Timestamptz, _>(since)
    .load(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.page_id, r.leads)).collect())
}
