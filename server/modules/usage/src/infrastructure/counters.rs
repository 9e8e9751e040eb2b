//! The counters: one row per organization, meter and period.
//!
//! Every change is one statement, so concurrent uses are serialised by Postgres on the row (the
//! `ON CONFLICT … DO UPDATE … WHERE` re-checks the cap against the row's latest version); nothing
//! here reads a count and then writes it.

use chrono::{DateTime, Utc};
use diesel::QueryableByName;
use diesel::prelude::{OptionalExtension as _, QueryResult};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

#[derive(QueryableByName)]
struct Refused {
    #[diesel(sql_type = BigInt)]
    refused: i64,
}

/// Adds `amount` to the counter when the result stays within `cap` (`None`: no cap), creating the
/// period's row if needed. Returns the new count, or `None` when the cap refused it (nothing
/// changed).
///
/// # Errors
/// The database's.
pub(crate) async fn add_within_cap(
    conn: &mut AsyncPgConnection,
    organization: Uuid,
    meter: &str,
    period_start: DateTime<Utc>,
    amount: i64,
    cap: Option<i64>,
    now: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    let row: Option<Count> = diesel::sql_query(
        "INSERT INTO usage.counters AS c (organization_id, meter, period_start, count, refused, updated_at) \
         SELECT $1, $2, $3, $4, 0, $5 WHERE $6::bigint IS NULL OR $4 <= $6::bigint \
         ON CONFLICT (organization_id, meter, period_start) DO UPDATE \
           SET count = c.count + EXCLUDED.count, updated_at = EXCLUDED.updated_at \
           WHERE $6::bigint IS NULL OR c.count + EXCLUDED.count <= $6::bigint \
         RETURNING c.count",
    )
    .bind::<SqlUuid, _>(organization)
    .bind::<Text, _>(meter)
    .bind::<Timestamptz, _>(period_start)
    .bind::<BigInt, _>(amount)
    .bind::<Timestamptz, _>(now)
    .bind::<Nullable<BigInt>, _>(cap)
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map(|r| r.count))
}

/// Records `amount` refused uses in the period; returns the period's refused total (equal to
/// `amount` for the first refusal).
///
/// # Errors
/// The database's.
pub(crate) async fn add_refused(
    conn: &mut AsyncPgConnection,
    organization: Uuid,
    meter: &str,
    period_start: DateTime<Utc>,
    amount: i64,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    let row: Refused = diesel::sql_query(
        "INSERT INTO usage.counters AS c (organization_id, meter, period_start, count, refused, updated_at) \
         VALUES ($1, $2, $3, 0, $4, $5) \
         ON CONFLICT (organization_id, meter, period_start) DO UPDATE \
           SET refused = c.refused + EXCLUDED.refused, updated_at = EXCLUDED.updated_at \
         RETURNING c.refused",
    )
    .bind::<SqlUuid, _>(organization)
    .bind::<Text, _>(meter)
    .bind::<Timestamptz, _>(period_start)
    .bind::<BigInt, _>(amount)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .await?;
    Ok(row.refused)
}

/// The count of the period (0 when nothing was counted in it).
///
/// # Errors
/// The database's.
pub(crate) async fn count(
    conn: &mut AsyncPgConnection,
    organization: Uuid,
    meter: &str,
    period_start: DateTime<Utc>,
) -> QueryResult<i64> {
    let row: Option<Count> = diesel::sql_query(
        "SELECT count FROM usage.counters WHERE organization_id = $1 AND meter = $2 AND period_start = $3",
    )
    .bind::<SqlUuid, _>(organization)
    .bind::<Text, _>(meter)
    .bind::<Timestamptz, _>(period_start)
    .get_result(conn)
    .await
    .optional()?;
    Ok(row.map_or(0, |r| r.count))
}

/// Opens the period starting `to` at zero for every organization that has a counter of `meter`
/// in the period starting `from`; rows already there are left alone. Returns how many it opened.
///
/// # Errors
/// The database's.
pub(crate) async fn roll_over(
    conn: &mut AsyncPgConnection,
    meter: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO usage.counters (organization_id, meter, period_start, count, refused, updated_at) \
         SELECT organization_id, meter, $3, 0, 0, $4 FROM usage.counters \
         WHERE meter = $1 AND period_start = $2 \
         ON CONFLICT (organization_id, meter, period_start) DO NOTHING",
    )
    .bind::<Text, _>(meter)
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await
}

/// Takes `amount` off the period's count, never below zero (nothing when there is no row).
///
/// # Errors
/// The database's.
pub(crate) async fn subtract(
    conn: &mut AsyncPgConnection,
    organization: Uuid,
    meter: &str,
    period_start: DateTime<Utc>,
    amount: i64,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "UPDATE usage.counters SET count = GREATEST(count - $4, 0), updated_at = $5 \
         WHERE organization_id = $1 AND meter = $2 AND period_start = $3",
    )
    .bind::<SqlUuid, _>(organization)
    .bind::<Text, _>(meter)
    .bind::<Timestamptz, _>(period_start)
    .bind::<BigInt, _>(amount)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await
    .map(drop)
}
