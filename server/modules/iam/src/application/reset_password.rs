//! Choosing a new password through a reset link.

use diesel_async::AsyncConnection as _;

use crate::application::{IamCtx, IamError};
use crate::domain::password::Password;
use crate::domain::user::UserId;
use crate::infrastructure::tokens::{self, Purpose};
use crate::infrastructure::{session_store, users};

/// Sets the password of the token's user, signs them out everywhere and invalidates their other
/// reset links. The link also proves they own the email, so it counts as verification. The new
/// password is checked before the token is spent, so a rejected password leaves the link usable.
///
/// # Errors
/// `Validation` on `newPassword`; `InvalidToken` for an unknown, used or expired token.
#[tracing::instrument(skip_all)]
pub async fn reset_password(ctx: &IamCtx, token: &str, new: &str) -> Result<UserId, IamError> {
    let new = Password::parse(new).map_err(|e| IamError::field("newPassword", e))?;
    let hash = ctx.hasher.hash(&new).await.map_err(|e| IamError::Internal(anyhow::anyhow!(e)))?;
    let digest = kernel::token::digest(token);
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, IamError, _>(async |tx| {
        let user =
            tokens::consume(tx, &digest, Purpose::ResetPassword, now).await?.ok_or(IamError::InvalidToken)?;
        users::set_password_hash(tx, user, &hash, now).await?;
        users::mark_verified(tx, user, now).await?;
        tokens::revoke_all(tx, user, Purpose::ResetPassword, now).await?;
        session_store::delete_user_sessions(tx, user, None).await?;
        Ok(user)
    })
    .await
}
