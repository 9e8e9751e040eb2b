//! Database migrations: embedded in the binary, applied at start-up and by `mibio migrate`.
//! diesel_migrations runs through diesel-async's connection wrapper on a blocking thread, so no
//! libpq is needed. A Postgres advisory lock makes concurrent start-ups of several replicas safe.

use std::collections::BTreeSet;

use crate::db::DbConn;
use anyhow::Context as _;
use diesel::connection::Connection as _;
use diesel::pg::Pg;
use diesel_async::AsyncPgConnection;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness as _, embed_migrations};

/// Every migration under `migrations/`, compiled in.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../../migrations");

/// Arbitrary constant key of the advisory lock taken while migrating ("mibio" in ASCII).
const MIGRATION_LOCK_KEY: i64 = 0x6d_6962_696f;

/// The versions of the embedded migrations, oldest first.
///
/// # Panics
/// Never in practice: the embedded set is fixed at compile time.
#[must_use]
pub fn embedded_versions() -> BTreeSet<String> {
    diesel::migration::MigrationSource::<Pg>::migrations(&MIGRATIONS)
        .expect("embedded migrations are readable")
        .iter()
        .map(|m| m.name().version().to_string())
        .collect()
}

/// Applies every pending migration and returns the versions it applied.
///
/// # Errors
/// When the database cannot be reached or a migration fails (it is rolled back).
pub async fn run_pending(database_url: &str) -> anyhow::Result<Vec<String>> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        use diesel::RunQueryDsl as _;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .context("could not connect to the database to migrate it")?;
        diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))
            .execute(&mut conn)
            .context("could not take the migration lock")?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| anyhow::anyhow!("a migration failed: {e}"));
        diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))
            .execute(&mut conn)
            .context("could not release the migration lock")?;
        applied
    })
    .await
    .context("the migration task panicked")?
}

#[derive(diesel::QueryableByName)]
struct AppliedVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// The embedded migrations the database has not applied yet (empty when current).
///
/// # Errors
/// When the database cannot be queried.
pub async fn pending(
    conn: &mut DbConn,
    embedded: &BTreeSet<String>,
) -> Result<Vec<String>, diesel::result::Error> {
    use diesel_async::RunQueryDsl as _;
    let applied: Vec<AppliedVersion> =
        match diesel::sql_query("SELECT version FROM __diesel_schema_migrations").load(conn).await {
            Ok(rows) => rows,
            // No bookkeeping table yet: nothing has been applied.
            Err(diesel::result::Error::DatabaseError(_, info))
                if info.message().contains("does not exist") =>
            {
                Vec::new()
            }
            Err(e) => return Err(e),
        };
    let applied: BTreeSet<String> = applied.into_iter().map(|r| r.version).collect();
    Ok(embedded.difference(&applied).cloned().collect())
}

#[cfg(test)]
mod tests {
    use diesel::migration::MigrationSource;

    use super::*;

    #[test]
    fn every_migration_has_its_own_version() {
        // Two folders with the same timestamp (easy after a merge) would make diesel skip one.
        let all = MigrationSource::<Pg>::migrations(&MIGRATIONS).unwrap();
        assert_eq!(all.len(), embedded_versions().len(), "two migrations share a version");
    }
}
