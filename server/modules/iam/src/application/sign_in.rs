//! Sign-in with email and password.

use crate::application::{IamCtx, IamError};
use crate::domain::password::PasswordAttempt;
use crate::infrastructure::auth_backend::SessionUser;
use crate::infrastructure::users;

/// Checks the credentials and records the sign-in; answers whom to sign the session in as
/// (`iam::session::establish`). Unknown emails, inactive accounts and wrong
/// passwords all answer `InvalidCredentials` after a full password verification, so neither the
/// answer nor its timing tells which it was. Rate limiting happens before this, in the adapter.
///
/// # Errors
/// `InvalidCredentials`.
#[tracing::instrument(skip_all)]
pub async fn sign_in(ctx: &IamCtx, email: &str, password: &str) -> Result<SessionUser, IamError> {
    let Ok(attempt) = PasswordAttempt::parse(password) else {
        return Err(IamError::InvalidCredentials);
    };
    let normalized = email.trim().to_lowercase();
    let row = {
        let mut conn = ctx.db.get().await?;
        users::find_by_email(&mut conn, &normalized).await?
    };
    let Some(row) = row.filter(|r| r.active) else {
        ctx.hasher.verify_dummy(&attempt).await;
        return Err(IamError::InvalidCredentials);
    };
    let matches = ctx
        .hasher
        .verify(&attempt, &row.password_hash)
        .await
        .map_err(|e| IamError::Internal(anyhow::anyhow!(e)))?;
    if !matches {
        return Err(IamError::InvalidCredentials);
    }
    let mut conn = ctx.db.get().await?;
    users::touch_last_login(&mut conn, row.to_user().id, ctx.clock.now()).await?;
    Ok(SessionUser::from_row(&row))
}
