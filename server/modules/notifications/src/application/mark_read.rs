//! Marking notifications read.

use kernel::UserId;

use crate::application::{NotificationId, NotificationsCtx, NotificationsError};
use crate::infrastructure::inbox;

/// Marks `user`'s notification `id` read; marking a read one again changes nothing.
///
/// # Errors
/// `NotFound` when `user` has no notification `id` (another user's included); `Unavailable`,
/// `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn mark_read(
    ctx: &NotificationsCtx,
    user: UserId,
    id: NotificationId,
) -> Result<(), NotificationsError> {
    let mut conn = ctx.db.get().await?;
    if inbox::mark_read(&mut conn, user.into_uuid(), id.into_uuid(), ctx.clock.now()).await? {
        Ok(())
    } else {
        Err(NotificationsError::NotFound)
    }
}

/// Marks every unread notification of `user` read; returns how many there were.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn mark_all_read(ctx: &NotificationsCtx, user: UserId) -> Result<usize, NotificationsError> {
    let mut conn = ctx.db.get().await?;
    Ok(inbox::mark_all_read(&mut conn, user.into_uuid(), ctx.clock.now()).await?)
}
