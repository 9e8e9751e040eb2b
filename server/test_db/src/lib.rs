//! A fresh Postgres database per test, cloned from a migrated template, so a test starts from a
//! known, fully migrated schema in milliseconds instead of paying for a migration run.
//!
//! The server is `TEST_DATABASE_URL` (an admin connection, e.g.
//! `postgres://postgres@127.0.0.1:54329/postgres`; `scripts/test` sets it). The template is named
//! after a hash of the migration files, built once per server under an advisory lock (nextest runs
//! every test in its own process), and reused until a migration changes. Each [`TestDb`] drops its
//! database when it goes out of scope.

use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::path::Path;

use anyhow::Context as _;
use diesel_async::{AsyncConnection as _, AsyncPgConnection, RunQueryDsl as _};
use kernel::db::{DbPool, PoolSettings, build_pool};
use tokio::sync::OnceCell;

/// Serialises template builds across test processes.
const TEMPLATE_LOCK_KEY: i64 = 0x6d_6962_7464;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// A throwaway database, dropped with this value.
pub struct TestDb {
    name: String,
    url: String,
    admin_url: String,
    pool: DbPool,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDb").field("name", &self.name).finish_non_exhaustive()
    }
}

/// The admin URL of the test server.
#[must_use]
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// `admin_url` with its database name replaced by `db`.
fn with_database(admin_url: &str, db: &str) -> String {
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    query.map_or_else(|| format!("{base}/{db}"), |q| format!("{base}/{db}?{q}"))
}

impl TestDb {
    /// Creates a database cloned from the migrated template.
    ///
    /// # Panics
    /// When the test server is unreachable: tests need it, and say so.
    pub async fn new() -> Self {
        Self::try_new().await.unwrap_or_else(|e| {
            panic!("test database unavailable ({e:#}); is Postgres running and TEST_DATABASE_URL set? scripts/test does both")
        })
    }

    /// Creates an empty database with no migrations applied (for tests of migrating itself).
    ///
    /// # Panics
    /// When the test server is unreachable.
    pub async fn empty() -> Self {
        Self::create(None).await.unwrap_or_else(|e| panic!("test database unavailable ({e:#})"))
    }

    async fn try_new() -> anyhow::Result<Self> {
        let admin = admin_url();
        let template = TEMPLATE.get_or_try_init(|| ensure_template(&admin)).await?.clone();
        Self::create(Some(&template)).await
    }

    async fn create(template: Option<&str>) -> anyhow::Result<Self> {
        let admin_url = admin_url();
        let name = format!("mibio_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin =
            AsyncPgConnection::establish(&admin_url).await.context("connecting to the test server")?;
        let sql = match template {
            Some(template) => format!(r#"CREATE DATABASE "{name}" TEMPLATE "{template}""#),
            None => format!(r#"CREATE DATABASE "{name}""#),
        };
        diesel::sql_query(sql).execute(&mut admin).await.with_context(|| format!("creating {name}"))?;
        let url = with_database(&admin_url, &name);
        let pool = build_pool(&url, PoolSettings { max_size: 4, ..PoolSettings::default() })?;
        Ok(Self { name, url, admin_url, pool })
    }

    /// The database's URL.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A pool on the database.
    #[must_use]
    pub fn pool(&self) -> &DbPool {
        &self.pool
    }
}

/// `SELECT count(*) AS n …` (or any query whose one row has a bigint column `n`) on `pool`.
///
/// # Panics
/// When the query fails, naming it.
pub async fn count(pool: &DbPool, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = pool.get().await.expect("a connection");
    diesel::sql_query(sql).get_result::<Count>(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}")).n
}

/// The payloads of the outbox events of type `event_type` on `pool`, in the order they were
/// recorded.
///
/// # Panics
/// When the outbox cannot be read.
pub async fn outbox_events(pool: &DbPool, event_type: &str) -> Vec<serde_json::Value> {
    #[derive(diesel::QueryableByName)]
    struct Event {
        #[diesel(sql_type = diesel::sql_types::Jsonb)]
        payload: serde_json::Value,
    }
    let mut conn = pool.get().await.expect("a connection");
    diesel::sql_query("SELECT payload FROM kernel.outbox WHERE event_type = $1 ORDER BY event_id")
        .bind::<diesel::sql_types::Text, _>(event_type)
        .load::<Event>(&mut conn)
        .await
        .expect("the outbox is readable")
        .into_iter()
        .map(|e| e.payload)
        .collect()
}

/// Runs one statement on `pool`.
///
/// # Panics
/// When the statement fails, naming it.
pub async fn execute(pool: &DbPool, sql: &str) {
    let mut conn = pool.get().await.expect("a connection");
    diesel::sql_query(sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (name, admin_url) = (self.name.clone(), self.admin_url.clone());
        // Drop may run inside a runtime; use a thread with its own to stay out of its way.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut admin = AsyncPgConnection::establish(&admin_url).await.ok()?;
                diesel::sql_query(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#))
                    .execute(&mut admin)
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("test_db: could not drop {}; it will linger on the test server", self.name);
        }
    }
}

/// The template's name: a hash of every migration file, so a changed migration gets a new one.
fn template_name() -> anyhow::Result<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        for file in std::fs::read_dir(entry.path())? {
            let path = file?.path();
            files.push((path.strip_prefix(&dir)?.to_string_lossy().into_owned(), std::fs::read(&path)?));
        }
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    files.hash(&mut hasher);
    Ok(format!("mibio_tmpl_{:016x}", hasher.finish()))
}

async fn ensure_template(admin_url: &str) -> anyhow::Result<String> {
    let name = template_name()?;
    let mut admin = AsyncPgConnection::establish(admin_url).await.context("connecting to the test server")?;
    diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK_KEY})")).execute(&mut admin).await?;
    let built = build_template_if_missing(&mut admin, admin_url, &name).await;
    diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK_KEY})")).execute(&mut admin).await?;
    built.map(|()| name)
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

async fn build_template_if_missing(
    admin: &mut AsyncPgConnection,
    admin_url: &str,
    name: &str,
) -> anyhow::Result<()> {
    let exists: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result(admin)
            .await?;
    if exists.exists {
        return Ok(());
    }
    // Build under a scratch name and rename when complete, so a crash never leaves a half-built
    // template behind under the real name.
    let scratch = format!("{name}_building");
    diesel::sql_query(format!(r#"DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)"#)).execute(admin).await?;
    diesel::sql_query(format!(r#"CREATE DATABASE "{scratch}""#)).execute(admin).await?;
    kernel::migrations::run_pending(&with_database(admin_url, &scratch))
        .await
        .context("migrating the template")?;
    diesel::sql_query(format!(r#"ALTER DATABASE "{scratch}" RENAME TO "{name}""#)).execute(admin).await?;
    diesel::sql_query(format!(r#"ALTER DATABASE "{name}" IS_TEMPLATE true"#)).execute(admin).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:54329/postgres", "t1"),
            "postgres://postgres@127.0.0.1:54329/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
            "postgres://u:p@h/t2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h:5432", "t3"), "postgres://h:5432/t3");
    }
}
