//! Which emails a user gets.

use kernel::UserId;

use crate::application::{NotificationsCtx, NotificationsError};
use crate::infrastructure::preferences;
use crate::views::{NotificationKind, PreferenceView};

/// `user`'s email preferences: one per kind whose emails may be turned off
/// ([`NotificationKind::email_optional`]), on unless they turned it off.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn preferences(
    ctx: &NotificationsCtx,
    user: UserId,
) -> Result<Vec<PreferenceView>, NotificationsError> {
    let mut conn = ctx.db.get().await?;
    let stored = preferences::of_user(&mut conn, user.into_uuid()).await?;
    Ok(NotificationKind::ALL
        .into_iter()
        .filter(|kind| kind.email_optional())
        .map(|kind| {
            let email = stored.iter().find(|(k, _)| k == kind.key()).is_none_or(|(_, email)| *email);
            PreferenceView { kind, email }
        })
        .collect())
}

/// Turns `user`'s emails of `kind` on or off.
///
/// # Errors
/// `NotOptional` for a kind whose emails are essential or that has none; `Unavailable`,
/// `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn set_preference(
    ctx: &NotificationsCtx,
    user: UserId,
    kind: NotificationKind,
    email: bool,
) -> Result<PreferenceView, NotificationsError> {
    if !kind.email_optional() {
        return Err(NotificationsError::NotOptional(kind));
    }
    let mut conn = ctx.db.get().await?;
    preferences::set(&mut conn, user.into_uuid(), kind.key(), email, ctx.clock.now()).await?;
    Ok(PreferenceView { kind, email })
}
