//! The meter definitions table: the registered meters and their cadences, kept in step with the
//! code at start-up (counters and events reference it).

use chrono::{DateTime, Utc};
use diesel::prelude::QueryResult;
use diesel::sql_types::{Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};

/// Stores (or updates) a meter's cadence.
///
/// # Errors
/// The database's.
pub(crate) async fn upsert(
    conn: &mut AsyncPgConnection,
    key: &str,
    cadence: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO usage.meter_definitions (key, cadence, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET cadence = EXCLUDED.cadence, updated_at = EXCLUDED.updated_at \
         WHERE meter_definitions.cadence <> EXCLUDED.cadence",
    )
    .bind::<Text, _>(key)
    .bind::<Text, _>(cadence)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await
    .map(drop)
}
