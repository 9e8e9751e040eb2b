//! Changing the password of a signed-in user.

use contracts::Problem;
use diesel_async::AsyncConnection as _;

use crate::application::{IamCtx, IamError};
use crate::domain::password::{Password, PasswordAttempt};
use crate::domain::user::UserId;
use crate::infrastructure::tokens::{self, Purpose};
use crate::infrastructure::{session_store, users};

/// Replaces the password after checking the current one, and revokes every other session of the
/// user (`keep_session` is the caller's own). Returns the new hash (the caller's session must be
/// re-bound to it).
///
/// # Errors
/// `Validation` on `currentPassword` (wrong) or `newPassword` (breaks the rules); `NotFound`.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn change_password(
    ctx: &IamCtx,
    user: UserId,
    current: &str,
    new: &str,
    keep_session: Option<&str>,
) -> Result<String, IamError> {
    let new = Password::parse(new).map_err(|e| IamError::field("newPassword", e))?;
    let row = {
        let mut conn = ctx.db.get().await?;
        users::find(&mut conn, user).await?.ok_or(IamError::NotFound)?
    };
    let wrong = || IamError::field("currentPassword", Problem::WrongPassword);
    let attempt = PasswordAttempt::parse(current).map_err(|_| wrong())?;
    let ok = ctx
        .hasher
        .verify(&attempt, &row.password_hash)
        .await
        .map_err(|e| IamError::Internal(anyhow::anyhow!(e)))?;
    if !ok {
        return Err(wrong());
    }
    let hash = ctx.hasher.hash(&new).await.map_err(|e| IamError::Internal(anyhow::anyhow!(e)))?;
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, IamError, _>(async |tx| {
        users::set_password_hash(tx, user, &hash, now).await?;
        tokens::revoke_all(tx, user, Purpose::ResetPassword, now).await?;
        session_store::delete_user_sessions(tx, user, keep_session).await?;
        Ok(())
    })
    .await?;
    Ok(hash)
}
