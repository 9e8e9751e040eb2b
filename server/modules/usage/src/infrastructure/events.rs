//! The usage events: append-only, one per counted use, unique per organization, meter and
//! idempotency key.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::prelude::QueryResult;
use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

/// A counted use to record.
pub(crate) struct NewEvent<'a> {
    pub id: Uuid,
    pub organization: Uuid,
    pub meter: &'a str,
    pub amount: i32,
    pub period_start: DateTime<Utc>,
    pub actor: Option<Uuid>,
    pub idempotency_key: &'a str,
    pub at: DateTime<Utc>,
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = Bool)]
    found: bool,
}

/// Whether a use with this key was counted for the organization and meter already.
///
/// # Errors
/// The database's.
pub(crate) async fn counted(
    conn: &mut AsyncPgConnection,
    organization: Uuid,
    meter: &str,
    idempotency_key: &str,
) -> QueryResult<bool> {
    let row: Found = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM usage.events \
           WHERE organization_id = $1 AND meter = $2 AND idempotency_key = $3) AS found",
    )
    .bind::<SqlUuid, _>(organization)
    .bind::<Text, _>(meter)
    .bind::<Text, _>(idempotency_key)
    .get_result(conn)
    .await?;
    Ok(row.found)
}

/// Appends the event. A concurrent use with the same key fails on the unique key, so it can
/// never be counted twice.
///
/// # Errors
/// The database's.
pub(crate) async fn append(conn: &mut AsyncPgConnection, event: &NewEvent<'_>) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO usage.events \
           (id, organization_id, meter, amount, period_start, actor_id, idempotency_key, occurred_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind::<SqlUuid, _>(event.id)
    .bind::<SqlUuid, _>(event.organization)
    .bind::<Text, _>(event.meter)
    .bind::<Integer, _>(event.amount)
    .bind::<Timestamptz, _>(event.period_start)
    .bind::<Nullable<SqlUuid>, _>(event.actor)
    .bind::<Text, _>(event.idempotency_key)
    .bind::<Timestamptz, _>(event.at)
    .execute(conn)
    .await
    .map(drop)
}
