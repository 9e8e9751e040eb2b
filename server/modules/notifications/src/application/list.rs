//! A user's notifications, newest first.

use contracts::Locale;
use kernel::UserId;
use kernel::pagination::{PageRequest, Paged};

use crate::application::render::view;
use crate::application::{NotificationsCtx, NotificationsError};
use crate::infrastructure::inbox::{self, NotificationRow};
use crate::views::NotificationsPage;

/// A page of `user`'s notifications (only the unread ones when `unread_only`), newest first, their
/// texts in `locale` (the reader's: the host passes the signed-in user's language). Notifications
/// belong to the user across organizations; each names its organization.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn list(
    ctx: &NotificationsCtx,
    user: UserId,
    locale: Locale,
    unread_only: bool,
    page: &PageRequest,
) -> Result<NotificationsPage, NotificationsError> {
    let mut conn = ctx.db.get().await?;
    let rows = inbox::page(&mut conn, user.into_uuid(), unread_only, page.cursor, page.fetch_limit()).await?;
    let Paged { items, next_cursor } = Paged::from_rows(rows, page, NotificationRow::cursor);
    Ok(NotificationsPage { items: items.iter().filter_map(|row| view(row, locale)).collect(), next_cursor })
}

/// How many of `user`'s notifications are unread.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn unread_count(ctx: &NotificationsCtx, user: UserId) -> Result<i64, NotificationsError> {
    let mut conn = ctx.db.get().await?;
    Ok(inbox::unread_count(&mut conn, user.into_uuid()).await?)
}
