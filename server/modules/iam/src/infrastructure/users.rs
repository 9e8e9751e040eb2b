//! The users repository.

use chrono::{DateTime, Utc};
use diesel::prelude::{
    ExpressionMethods, Insertable, OptionalExtension, QueryDsl, QueryResult, Queryable, Selectable,
    SelectableHelper,
};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

use crate::domain::user::{User, UserId};
use crate::infrastructure::schema::users;

/// A user row, with the password hash the domain type leaves out.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub email_normalized: String,
    pub name: String,
    pub locale: String,
    pub password_hash: String,
    pub avatar_key: Option<String>,
    pub active: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl UserRow {
    /// The domain view of the row.
    #[must_use]
    pub fn to_user(&self) -> User {
        User {
            id: UserId::from(self.id),
            email: self.email.clone(),
            name: self.name.clone(),
            locale: self.locale.parse().unwrap_or_default(),
            avatar_key: self.avatar_key.clone(),
            active: self.active,
            email_verified_at: self.email_verified_at,
            last_login_at: self.last_login_at,
            created_at: self.created_at,
        }
    }
}

/// Inserting a user whose email is already registered.
#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("email already registered")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] DieselError),
}

/// Inserts a new user.
///
/// # Errors
/// [`InsertUserError::EmailTaken`] when the normalized email exists.
pub async fn insert(conn: &mut AsyncPgConnection, row: &UserRow) -> Result<(), InsertUserError> {
    diesel::insert_into(users::table).values(row).execute(conn).await.map(drop).map_err(|e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => InsertUserError::EmailTaken,
        other => InsertUserError::Database(other),
    })
}

/// The user with this normalized email.
///
/// # Errors
/// Database failures.
pub async fn find_by_email(conn: &mut AsyncPgConnection, normalized: &str) -> QueryResult<Option<UserRow>> {
    // Postgres text cannot hold U+0000 (it refuses the query): no stored address has one.
    if normalized.contains('\0') {
        return Ok(None);
    }
    users::table
        .filter(users::email_normalized.eq(normalized))
        .select(UserRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// The user with this id.
///
/// # Errors
/// Database failures.
pub async fn find(conn: &mut AsyncPgConnection, id: UserId) -> QueryResult<Option<UserRow>> {
    users::table.find(id.into_uuid()).select(UserRow::as_select()).first(conn).await.optional()
}

/// The users with these ids (any order; unknown ids are skipped).
///
/// # Errors
/// Database failures.
pub async fn find_many(conn: &mut AsyncPgConnection, ids: &[UserId]) -> QueryResult<Vec<UserRow>> {
    let ids: Vec<Uuid> = ids.iter().map(|id| id.into_uuid()).collect();
    users::table.filter(users::id.eq_any(ids)).select(UserRow::as_select()).load(conn).await
}

/// Marks the email verified (keeps the first verification time).
///
/// # Errors
/// Database failures.
pub async fn mark_verified(conn: &mut AsyncPgConnection, id: UserId, at: DateTime<Utc>) -> QueryResult<bool> {
    let updated =
        diesel::update(users::table.find(id.into_uuid()).filter(users::email_verified_at.is_null()))
            .set((users::email_verified_at.eq(at), users::updated_at.eq(at)))
            .execute(conn)
            .await?;
    Ok(updated == 1)
}

/// Replaces the password hash.
///
/// # Errors
/// Database failures.
pub async fn set_password_hash(
    conn: &mut AsyncPgConnection,
    id: UserId,
    hash: &str,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id.into_uuid()))
        .set((users::password_hash.eq(hash), users::updated_at.eq(at)))
        .execute(conn)
        .await
        .map(drop)
}

/// Records a successful sign-in.
///
/// # Errors
/// Database failures.
pub async fn touch_last_login(
    conn: &mut AsyncPgConnection,
    id: UserId,
    at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(users::table.find(id.into_uuid()))
        .set(users::last_login_at.eq(at))
        .execute(conn)
        .await
        .map(drop)
}

/// Updates name and/or locale; returns the updated row.
///
/// # Errors
/// Database failures.
pub async fn update_profile(
    conn: &mut AsyncPgConnection,
    id: UserId,
    name: Option<&str>,
    locale: Option<&str>,
    at: DateTime<Utc>,
) -> QueryResult<Option<UserRow>> {
    let row = find(conn, id).await?;
    let Some(row) = row else { return Ok(None) };
    diesel::update(users::table.find(id.into_uuid()))
        .set((
            users::name.eq(name.unwrap_or(&row.name)),
            users::locale.eq(locale.unwrap_or(&row.locale)),
            users::updated_at.eq(at),
        ))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Sets (or clears) the user's avatar key; `None` when there is no such user. Answers the saved
/// row and the key it replaced.
///
/// # Errors
/// Database failures.
pub async fn set_avatar(
    conn: &mut AsyncPgConnection,
    id: UserId,
    key: Option<&str>,
    at: DateTime<Utc>,
) -> QueryResult<Option<(UserRow, Option<String>)>> {
    use diesel_async::AsyncConnection as _;
    conn.transaction::<_, diesel::result::Error, _>(async |tx| {
        let old: Option<Option<String>> = users::table
            .find(id.into_uuid())
            .select(users::avatar_key)
            .for_update()
            .first(tx)
            .await
            .optional()?;
        let Some(old) = old else { return Ok(None) };
        let row = diesel::update(users::table.find(id.into_uuid()))
            .set((users::avatar_key.eq(key), users::updated_at.eq(at)))
            .returning(UserRow::as_returning())
            .get_result(tx)
            .await?;
        Ok(Some((row, old)))
    })
    .await
}

/// Users newest first, optionally those whose email or name contains `search` (any case), after
/// `cursor`; at most `limit`.
///
/// # Errors
/// Database failures.
pub async fn search(
    conn: &mut AsyncPgConnection,
    search: Option<&str>,
    cursor: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    use diesel::BoolExpressionMethods as _;
    use diesel::PgTextExpressionMethods as _;
    // Postgres text cannot hold U+0000 (it refuses the query): nothing stored contains it.
    if search.is_some_and(|text| text.contains('\0')) {
        return Ok(Vec::new());
    }
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(text) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        query = query.filter(users::email_normalized.ilike(pattern.clone()).or(users::name.ilike(pattern)));
    }
    if let Some((at, id)) = cursor {
        query = query.filter(users::created_at.lt(at).or(users::created_at.eq(at).and(users::id.lt(id))));
    }
    query.order((users::created_at.desc(), users::id.desc())).limit(limit).load(conn).await
}

/// Sets whether `id` may sign in; `true` when that changed something.
///
/// # Errors
/// Database failures.
pub async fn set_active(
    conn: &mut AsyncPgConnection,
    id: UserId,
    active: bool,
    at: DateTime<Utc>,
) -> QueryResult<bool> {
    let changed = diesel::update(users::table.find(id.into_uuid()).filter(users::active.ne(active)))
        .set((users::active.eq(active), users::updated_at.eq(at)))
        .execute(conn)
        .await?;
    Ok(changed == 1)
}
