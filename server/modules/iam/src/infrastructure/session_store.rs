//! Sessions in Postgres: a `tower_sessions::SessionStore` over diesel-async. Written here because
//! no published store speaks diesel-async (the existing Postgres stores use sqlx, a second driver
//! and pool we would rather not carry). Each row also keeps the signed-in user's id, copied out of
//! axum-login's session data, so all of a user's sessions can be revoked at once.

use chrono::{DateTime, Utc};
use diesel::prelude::{ExpressionMethods, OptionalExtension, QueryDsl, QueryResult};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use kernel::db::DbPool;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::domain::user::UserId;
use crate::infrastructure::schema::sessions;

/// The key under which axum-login keeps its data in the session.
pub const AUTH_DATA_KEY: &str = "axum-login.data";

tokio::task_local! {
    static UNREACHABLE: std::cell::Cell<bool>;
}

/// Runs `request` (the session layers and what they wrap) and tells whether the session store or
/// the auth backend failed to reach the database meanwhile. tower-sessions and axum-login answer
/// such a failure with a bare `500`; the host turns it into `503 unavailable`, like every other
/// request that needs a database that is down.
pub async fn track_unreachable<F: Future>(request: F) -> (F::Output, bool) {
    UNREACHABLE
        .scope(std::cell::Cell::new(false), async {
            let output = request.await;
            (output, UNREACHABLE.with(std::cell::Cell::get))
        })
        .await
}

/// Notes, for [`track_unreachable`], that the database could not be reached.
pub(crate) fn note_unreachable() {
    let _ = UNREACHABLE.try_with(|flag| flag.set(true));
}

/// The Postgres session store.
#[derive(Clone)]
pub struct PgSessionStore {
    db: DbPool,
}

impl std::fmt::Debug for PgSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgSessionStore")
    }
}

impl PgSessionStore {
    /// A store on `db`.
    #[must_use]
    pub fn new(db: DbPool) -> Self {
        Self { db }
    }

    async fn conn(&self) -> session_store::Result<kernel::db::DbConn> {
        self.db.get().await.map_err(|e| {
            note_unreachable();
            session_store::Error::Backend(e.to_string())
        })
    }
}

fn backend(err: diesel::result::Error) -> session_store::Error {
    note_unreachable();
    session_store::Error::Backend(err.to_string())
}

fn to_chrono(at: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

fn to_time(at: DateTime<Utc>) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(at.timestamp()).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// The signed-in user recorded in a session's data, if any.
fn user_of(record: &Record) -> Option<uuid::Uuid> {
    record.data.get(AUTH_DATA_KEY)?.get("user_id")?.as_str()?.parse().ok()
}

#[async_trait::async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        // Ids are 128 random bits; on the (theoretical) collision, draw another.
        loop {
            let inserted = diesel::insert_into(sessions::table)
                .values((
                    sessions::id.eq(record.id.to_string()),
                    sessions::user_id.eq(user_of(record)),
                    sessions::data.eq(serde_json::to_value(&record.data)
                        .map_err(|e| session_store::Error::Encode(e.to_string()))?),
                    sessions::expires_at.eq(to_chrono(record.expiry_date)),
                ))
                .on_conflict_do_nothing()
                .execute(&mut conn)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        let data =
            serde_json::to_value(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(record.id.to_string()),
                sessions::user_id.eq(user_of(record)),
                sessions::data.eq(&data),
                sessions::expires_at.eq(to_chrono(record.expiry_date)),
            ))
            .on_conflict(sessions::id)
            .do_update()
            .set((
                sessions::user_id.eq(user_of(record)),
                sessions::data.eq(&data),
                sessions::expires_at.eq(to_chrono(record.expiry_date)),
            ))
            .execute(&mut conn)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let mut conn = self.conn().await?;
        let row: Option<(serde_json::Value, DateTime<Utc>)> = sessions::table
            .find(id.to_string())
            .filter(sessions::expires_at.gt(Utc::now()))
            .select((sessions::data, sessions::expires_at))
            .first(&mut conn)
            .await
            .optional()
            .map_err(backend)?;
        row.map(|(data, expires_at)| {
            let data =
                serde_json::from_value(data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
            Ok(Record { id: *id, data, expiry_date: to_time(expires_at) })
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let mut conn = self.conn().await?;
        diesel::delete(sessions::table.find(id.to_string())).execute(&mut conn).await.map_err(backend)?;
        Ok(())
    }
}

/// Deletes every session of `user` except `keep` (the caller's own, when given).
///
/// # Errors
/// Database failures.
pub async fn delete_user_sessions(
    conn: &mut AsyncPgConnection,
    user: UserId,
    keep: Option<&str>,
) -> QueryResult<usize> {
    let mine = sessions::table.filter(sessions::user_id.eq(user.into_uuid()));
    match keep {
        Some(keep) => diesel::delete(mine.filter(sessions::id.ne(keep))).execute(conn).await,
        None => diesel::delete(mine).execute(conn).await,
    }
}

/// Deletes expired sessions; returns how many.
///
/// # Errors
/// Database failures.
pub async fn delete_expired(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn).await
}
