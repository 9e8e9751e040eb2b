//! Notifications server functions: the bell's count, the list, marking read, email preferences.
//! They call the same use cases as `/api/v1/notifications` (the signed-in user's, across
//! organizations: a `Caller`, not a member).

use contracts::ApiError;
use contracts::notifications::{MarkedReadView, NotificationKind, NotificationsPage, PreferenceView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The services and the signed-in user.
#[cfg(feature = "ssr")]
async fn caller() -> Result<(crate::server::Services, iam::User), ApiError> {
    use crate::server::caller::{Caller, extract};
    let (services, caller) = extract::<Caller>().await?;
    Ok((services, caller.user))
}

/// How many of the user's notifications are unread (the bell's badge).
#[server(prefix = "/api/fn", endpoint = "unread_notifications", input = Json)]
pub async fn unread_notifications() -> Result<i64, ApiError> {
    let (services, user) = caller().await?;
    ::notifications::application::unread_count(&services.notifications, user.id)
        .await
        .map_err(crate::server::wire)
}

/// A page of the user's notifications, newest first, in their language (only unread ones with
/// `unread`); pass `cursor` from the previous page for the next.
#[server(prefix = "/api/fn", endpoint = "notifications", input = Json)]
pub async fn list_notifications(unread: bool, cursor: Option<String>) -> Result<NotificationsPage, ApiError> {
    let (services, user) = caller().await?;
    let page =
        kernel::pagination::PageRequest::parse(cursor.as_deref(), None).map_err(crate::server::wire)?;
    ::notifications::application::list(&services.notifications, user.id, user.locale, unread, &page)
        .await
        .map_err(crate::server::wire)
}

/// Marks one of the user's notifications read (another user's is not found).
#[server(prefix = "/api/fn", endpoint = "mark_notification_read", input = Json)]
pub async fn mark_notification_read(id: String) -> Result<(), ApiError> {
    let (services, user) = caller().await?;
    let id = id
        .parse::<::notifications::NotificationId>()
        .map_err(|_| crate::server::wire(::notifications::NotificationsError::NotFound))?;
    ::notifications::application::mark_read(&services.notifications, user.id, id)
        .await
        .map_err(crate::server::wire)
}

/// Marks every unread notification of the user read; how many there were.
#[server(prefix = "/api/fn", endpoint = "mark_all_notifications_read", input = Json)]
pub async fn mark_all_notifications_read() -> Result<MarkedReadView, ApiError> {
    let (services, user) = caller().await?;
    let marked = ::notifications::application::mark_all_read(&services.notifications, user.id)
        .await
        .map_err(crate::server::wire)?;
    Ok(MarkedReadView { marked: u64::try_from(marked).unwrap_or(u64::MAX) })
}

/// The user's email preferences: one per kind whose emails may be turned off.
#[server(prefix = "/api/fn", endpoint = "notification_preferences", input = Json)]
pub async fn notification_preferences() -> Result<Vec<PreferenceView>, ApiError> {
    let (services, user) = caller().await?;
    ::notifications::application::preferences(&services.notifications, user.id)
        .await
        .map_err(crate::server::wire)
}

/// Turns the user's emails of `kind` on or off (an essential kind is refused, naming `kind`).
#[server(prefix = "/api/fn", endpoint = "set_notification_preference", input = Json)]
pub async fn set_notification_preference(
    kind: NotificationKind,
    email: bool,
) -> Result<PreferenceView, ApiError> {
    let (services, user) = caller().await?;
    ::notifications::application::set_preference(&services.notifications, user.id, kind, email)
        .await
        .map_err(crate::server::wire)
}
