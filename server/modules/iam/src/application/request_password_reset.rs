//! "Forgot your password?"

use contracts::Locale;
use kernel::token::SecretToken;

use crate::application::ctx::RESET_PASSWORD_TTL;
use crate::application::{IamCtx, IamError, emails};
use crate::infrastructure::tokens::{self, Purpose};
use crate::infrastructure::users;

/// Emails a reset link when the address belongs to an active account; does nothing otherwise.
/// The caller answers the same in both cases. The mail goes out on a background task so the
/// answer's timing does not reveal whether an account exists.
///
/// # Errors
/// Only infrastructure failures.
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(ctx: &IamCtx, email: &str) -> Result<(), IamError> {
    let normalized = email.trim().to_lowercase();
    let mut conn = ctx.db.get().await?;
    let Some(row) = users::find_by_email(&mut conn, &normalized).await?.filter(|r| r.active) else {
        return Ok(());
    };
    let now = ctx.clock.now();
    let token = SecretToken::generate();
    let user = row.to_user();
    tokens::insert(&mut conn, &token.digest, user.id, Purpose::ResetPassword, now + RESET_PASSWORD_TTL, now)
        .await?;
    let locale: Locale = row.locale.parse().unwrap_or_default();
    let mail = emails::reset_password(
        locale,
        &row.name,
        &ctx.link(&format!("/reset-password?token={}", token.plain)),
    );
    let ctx = ctx.clone();
    tokio::spawn(async move { ctx.deliver(&row.email, &row.name, mail).await });
    Ok(())
}
