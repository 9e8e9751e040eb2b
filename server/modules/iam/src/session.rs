//! Session establishment: what both doors (REST and server functions) do once a sign-in
//! succeeded, in one place.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use crate::AuthSession;
use crate::infrastructure::auth_backend::SessionUser;

/// The session store failed (it lives in Postgres); answer `503`.
#[derive(Debug, thiserror::Error)]
#[error("the session store failed: {0}")]
pub struct SessionUnavailable(String);

/// Starts a session for `user` on `session`: the old session's data is dropped and its id
/// replaced before the user is logged in — a new id at every sign-in, even over an existing
/// session (session fixation; a shared browser must not hand the previous user's session to the
/// next).
///
/// # Errors
/// [`SessionUnavailable`] when the session store cannot be written.
pub async fn establish(session: &mut AuthSession, user: &SessionUser) -> Result<(), SessionUnavailable> {
    let failed = |err: &dyn std::fmt::Display| {
        tracing::error!(%err, "session store failed");
        SessionUnavailable(err.to_string())
    };
    session.session.flush().await.map_err(|e| failed(&e))?;
    session.session.cycle_id().await.map_err(|e| failed(&e))?;
    session.login(user).await.map_err(|e| failed(&e))
}

/// Deletes the sessions that expired before `now` (the nightly cleanup); answers how many.
///
/// # Errors
/// The database's.
pub async fn delete_expired(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> diesel::QueryResult<usize> {
    crate::infrastructure::session_store::delete_expired(conn, now).await
}

/// The key a sign-in counts against in the per-account rate limit: the address as typed, trimmed
/// and lower-cased, whether or not an account has it (so the limit reveals nothing).
#[must_use]
pub fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_account_key_ignores_case_and_spaces() {
        assert_eq!(super::account_key("  Ana@Example.COM "), "ana@example.com");
    }
}
