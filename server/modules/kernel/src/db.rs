//! The Postgres pool every context shares: diesel-async connections (pure Rust, no libpq) in a
//! deadpool pool with timeouts, so a stopped database turns into quick `Unavailable` errors
//! instead of hung requests, and the pool heals by itself when the database comes back.

use std::str::FromStr;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};

/// The shared connection pool.
pub type DbPool = Pool<AsyncPgConnection>;
/// A connection checked out of the pool; it goes back when dropped.
pub type DbConn = Object<AsyncPgConnection>;
/// Why the pool could not hand out a connection (database down, timeout, …).
pub type PoolError = diesel_async::pooled_connection::deadpool::PoolError;

/// Whether a query failed because the database could not be reached: the connection was lost or
/// closed under it (Postgres stopped or restarted, the network cut). Such a failure passes on a
/// retry once the database is back, so it is answered `503 unavailable`, like a connection the
/// pool could not hand out, and not `500`.
#[must_use]
pub fn is_unreachable(err: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        err,
        Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection, _)
            | Error::BrokenTransactionManager
    )
}

/// What a failed query means to a context's error: `None` when the database could not be reached
/// ([`is_unreachable`]; logged here, and the context answers `unavailable`), else the error with
/// `context` attached, for the context's `internal`.
#[must_use]
pub fn query_failure(err: diesel::result::Error, context: &'static str) -> Option<anyhow::Error> {
    if is_unreachable(&err) {
        tracing::warn!(error = %err, "the database connection was lost");
        return None;
    }
    Some(anyhow::Error::new(err).context(context))
}

/// How the pool behaves; the defaults suit one replica on a small machine.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    /// Most connections held at once.
    pub max_size: usize,
    /// Longest wait for a free connection, and for opening a new one.
    pub timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self { max_size: 16, timeout: Duration::from_secs(5) }
    }
}

/// A `DATABASE_URL` that is not a Postgres connection string.
#[derive(Debug, thiserror::Error)]
#[error(
    "DATABASE_URL is not a valid Postgres URL ({reason}); expected postgres://user[:password]@host[:port]/database"
)]
pub struct InvalidDatabaseUrl {
    reason: String,
}

/// Checks that `url` is a Postgres connection string the driver accepts, without connecting.
///
/// # Errors
/// [`InvalidDatabaseUrl`] naming what is wrong.
pub fn validate_url(url: &str) -> Result<(), InvalidDatabaseUrl> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(InvalidDatabaseUrl { reason: "it must start with postgres://".to_owned() });
    }
    tokio_postgres::Config::from_str(url).map(drop).map_err(|e| InvalidDatabaseUrl { reason: e.to_string() })
}

/// Builds the pool. No connection is opened until the first checkout.
///
/// # Errors
/// [`InvalidDatabaseUrl`] when `url` is not a Postgres URL.
pub fn build_pool(url: &str, settings: PoolSettings) -> Result<DbPool, InvalidDatabaseUrl> {
    validate_url(url)?;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new(url);
    Pool::builder(manager)
        .max_size(settings.max_size)
        .wait_timeout(Some(settings.timeout))
        .create_timeout(Some(settings.timeout))
        .recycle_timeout(Some(settings.timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| InvalidDatabaseUrl { reason: e.to_string() })
}

/// A snapshot of the pool for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    pub max_size: usize,
    /// Connections open (idle + in use).
    pub size: usize,
    /// Idle connections ready to hand out.
    pub available: usize,
    /// Tasks waiting for a connection.
    pub waiting: usize,
}

/// Reads the pool's current state.
#[must_use]
pub fn pool_state(pool: &DbPool) -> PoolState {
    let status = pool.status();
    PoolState {
        max_size: status.max_size,
        size: status.size,
        available: status.available,
        waiting: status.waiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_unreachable_and_a_failed_query_is_not() {
        use diesel::result::{DatabaseErrorKind, Error};
        let lost = Error::DatabaseError(
            DatabaseErrorKind::UnableToSendCommand,
            Box::new("connection closed".to_owned()),
        );
        assert!(is_unreachable(&lost));
        assert!(is_unreachable(&Error::BrokenTransactionManager));
        let unique =
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new("duplicate".to_owned()));
        assert!(!is_unreachable(&unique));
        assert!(!is_unreachable(&Error::NotFound));
    }

    #[test]
    fn accepts_postgres_urls() {
        validate_url("postgres://postgres@127.0.0.1:5432/mibio").unwrap();
        validate_url("postgresql://u:p%40ss@db.internal/mibio?sslmode=disable").unwrap();
    }

    #[test]
    fn rejects_anything_else_with_a_reason() {
        let err = validate_url("nonsense").unwrap_err().to_string();
        assert!(err.starts_with("DATABASE_URL is not a valid Postgres URL"), "{err}");
        assert!(validate_url("mysql://root@localhost/db").is_err());
        assert!(validate_url("postgres://h:notaport/db").is_err());
    }
}
