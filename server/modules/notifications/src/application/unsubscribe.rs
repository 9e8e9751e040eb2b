//! The link under an email: "stop these emails", without signing in.

use diesel_async::AsyncConnection as _;

use crate::application::{NotificationsCtx, NotificationsError};
use crate::infrastructure::{preferences, tokens};
use crate::views::{NotificationKind, UnsubscribedView};

/// Which emails `token` would turn off, without using it (for the confirmation page).
///
/// # Errors
/// `InvalidToken` for an unknown, used or forged token; `Unavailable`, `Internal`.
#[tracing::instrument(skip_all)]
pub async fn unsubscribe_preview(
    ctx: &NotificationsCtx,
    token: &str,
) -> Result<UnsubscribedView, NotificationsError> {
    let mut conn = ctx.db.get().await?;
    let kind = tokens::peek(&mut conn, &kernel::token::digest(token)).await?;
    Ok(UnsubscribedView { kind: known(kind)? })
}

/// Turns off the emails `token` was made for (one kind, one user). A token works once.
///
/// # Errors
/// `InvalidToken` for an unknown, used or forged token; `Unavailable`, `Internal`.
#[tracing::instrument(skip_all)]
pub async fn unsubscribe(
    ctx: &NotificationsCtx,
    token: &str,
) -> Result<UnsubscribedView, NotificationsError> {
    let digest = kernel::token::digest(token);
    let now = ctx.clock.now();
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, NotificationsError, _>(async |tx| {
        let (user, kind) =
            tokens::consume(tx, &digest, now).await?.ok_or(NotificationsError::InvalidToken)?;
        let kind = known(Some(kind))?;
        preferences::set(tx, user, kind.key(), false, now).await?;
        tracing::info!(user_id = %user, kind = kind.key(), "unsubscribed by link");
        Ok(UnsubscribedView { kind })
    })
    .await
}

fn known(kind: Option<String>) -> Result<NotificationKind, NotificationsError> {
    kind.and_then(|k| k.parse().ok()).ok_or(NotificationsError::InvalidToken)
}
