//! The axum-login backend: how a session's user id becomes a signed-in user on each request.
//! Credentials are checked by the `sign_in` use case (rate limits, timing-safe verification); the
//! adapters then call `AuthSession::login` with the user it returned.

use kernel::db::DbPool;

use crate::domain::user::{User, UserId};
use crate::infrastructure::users::{self, UserRow};

/// The signed-in user as the session layer sees them.
#[derive(Clone)]
pub struct SessionUser {
    pub id: UserId,
    pub email: String,
    /// The user as loaded for this request (active users only): the doors read it from here, so
    /// a request reads its user once.
    user: User,
    /// The stored password hash: a session stays valid only while it matches, so a password
    /// change signs out every session that was not re-bound to the new hash.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser").field("id", &self.id).finish_non_exhaustive()
    }
}

impl SessionUser {
    /// The session view of a user row.
    #[must_use]
    pub fn from_row(row: &UserRow) -> Self {
        Self {
            id: UserId::from(row.id),
            email: row.email.clone(),
            user: row.to_user(),
            auth_hash: row.password_hash.as_bytes().to_vec(),
        }
    }

    /// The signed-in user, as loaded at the start of this request.
    #[must_use]
    pub fn user(&self) -> &User {
        &self.user
    }

    /// The same user bound to a new password hash.
    #[must_use]
    pub fn with_password_hash(&self, hash: &str) -> Self {
        Self { auth_hash: hash.as_bytes().to_vec(), ..self.clone() }
    }
}

impl axum_login::AuthUser for SessionUser {
    type Id = UserId;

    fn id(&self) -> Self::Id {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// Loading a session's user failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthBackendError {
    #[error("database unavailable: {0}")]
    Pool(#[from] kernel::db::PoolError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// The backend: users come from `iam.users`; deactivated users are signed out.
#[derive(Clone)]
pub struct AuthBackend {
    db: DbPool,
}

impl std::fmt::Debug for AuthBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthBackend")
    }
}

impl AuthBackend {
    /// A backend reading users from `db`.
    #[must_use]
    pub fn new(db: DbPool) -> Self {
        Self { db }
    }
}

impl axum_login::AuthnBackend for AuthBackend {
    type User = SessionUser;
    /// The user `sign_in` already authenticated.
    type Credentials = SessionUser;
    type Error = AuthBackendError;

    async fn authenticate(&self, user: Self::Credentials) -> Result<Option<Self::User>, Self::Error> {
        Ok(Some(user))
    }

    async fn get_user(&self, id: &UserId) -> Result<Option<Self::User>, Self::Error> {
        let found = async {
            let mut conn = self.db.get().await?;
            Ok(users::find(&mut conn, *id).await?)
        }
        .await
        .inspect_err(|_: &AuthBackendError| super::session_store::note_unreachable())?;
        Ok(found.filter(|row| row.active).map(|row| SessionUser::from_row(&row)))
    }
}
