//! A new email-verification link for a signed-in user who lost or never got the first one.

use crate::application::ctx::VERIFY_EMAIL_TTL;
use crate::application::{IamCtx, IamError, emails};
use crate::domain::user::User;
use crate::infrastructure::tokens::{self, Purpose};

/// Mails `user` a fresh verification link (valid for 24 hours). Links sent before keep working
/// until they expire, so a mail that arrives late is not wasted. The door rate-limits it.
///
/// # Errors
/// `AlreadyVerified` when there is nothing to verify.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn resend_verification(ctx: &IamCtx, user: &User) -> Result<(), IamError> {
    if user.email_verified_at.is_some() {
        return Err(IamError::AlreadyVerified);
    }
    let token = kernel::token::SecretToken::generate();
    let now = ctx.clock.now();
    {
        let mut conn = ctx.db.get().await?;
        tokens::insert(&mut conn, &token.digest, user.id, Purpose::VerifyEmail, now + VERIFY_EMAIL_TTL, now)
            .await?;
    }
    let link = ctx.link(&format!("/verify-email?token={}", token.plain));
    ctx.deliver(&user.email, &user.name, emails::verify_email(user.locale, &user.name, &link)).await;
    Ok(())
}
