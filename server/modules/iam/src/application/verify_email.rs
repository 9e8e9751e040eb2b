//! Email verification through the link sent at sign-up.

use diesel_async::AsyncConnection as _;

use crate::application::{IamCtx, IamError};
use crate::domain::events::UserEmailVerified;
use crate::domain::user::UserId;
use crate::infrastructure::tokens::{self, Purpose};
use crate::infrastructure::users;

/// Marks the token's user verified. The token works once, for 24 hours.
///
/// # Errors
/// `InvalidToken` for an unknown, used or expired token.
#[tracing::instrument(skip_all)]
pub async fn verify_email(ctx: &IamCtx, token: &str) -> Result<UserId, IamError> {
    let digest = kernel::token::digest(token);
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, IamError, _>(async |tx| {
        let user =
            tokens::consume(tx, &digest, Purpose::VerifyEmail, now).await?.ok_or(IamError::InvalidToken)?;
        if users::mark_verified(tx, user, now).await? {
            runtime::outbox::record(tx, &UserEmailVerified { user_id: user }, now).await?;
        }
        Ok(user)
    })
    .await
}
