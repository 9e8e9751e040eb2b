//! Email verification through the link sent at sign-up.

use diesel_async::AsyncConnection as _;

use crate::application::sign_up::browser_proof;
use crate::application::{IamCtx, IamError};
use crate::domain::events::UserEmailVerified;
use crate::domain::user::UserId;
use crate::infrastructure::auth_backend::SessionUser;
use crate::infrastructure::tokens::{self, Purpose};
use crate::infrastructure::users;

/// A confirmed address.
#[derive(Debug, Clone)]
pub struct Verified {
    pub user: UserId,
    /// The user to sign in, when the link was opened in the browser that signed up (it showed
    /// the proof sign-up handed out) and the account is active; `None` otherwise.
    pub sign_in: Option<SessionUser>,
}

/// Marks the token's user verified. The token works once, for 24 hours. `proof` is what the
/// browser kept from sign-up ([`crate::application::sign_up::SignedUp::browser_proof`]); when it
/// matches the token, the use case also records a sign-in and hands back the user to start a
/// session for. A link opened anywhere else only verifies: a link alone never signs anyone in
/// (mail scanners open links; someone else's link must not sign you into their account).
///
/// # Errors
/// `InvalidToken` for an unknown, used or expired token.
#[tracing::instrument(skip_all)]
pub async fn verify_email(ctx: &IamCtx, token: &str, proof: Option<&str>) -> Result<Verified, IamError> {
    let digest = kernel::token::digest(token);
    let same_browser = proof.is_some_and(|p| p == browser_proof(token));
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, IamError, _>(async |tx| {
        let user =
            tokens::consume(tx, &digest, Purpose::VerifyEmail, now).await?.ok_or(IamError::InvalidToken)?;
        if users::mark_verified(tx, user, now).await? {
            runtime::outbox::record(tx, &UserEmailVerified { user_id: user }, now).await?;
        }
        let sign_in = if same_browser { users::find(tx, user).await?.filter(|row| row.active) } else { None };
        if sign_in.is_some() {
            users::touch_last_login(tx, user, now).await?;
        }
        Ok(Verified { user, sign_in: sign_in.as_ref().map(SessionUser::from_row) })
    })
    .await
}
