//! The bell in the dashboard's header: a link to `/dashboard/notifications` with the number of
//! unread notifications ("9+" past nine). The count is asked for again on every navigation, and
//! when a screen says it changed ([`BellRefresh`]: the notifications screen after marking read).

use contracts::Locale;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::notifications::unread_notifications;
use crate::i18n::tr;
use crate::pages::dashboard::in_section;
use crate::pages::dashboard::members::load_in_browser;

/// The notifications screen.
pub const NOTIFICATIONS_PATH: &str = "/dashboard/notifications";

/// Asks the bell to count again (provided by the shell).
#[derive(Debug, Clone, Copy)]
pub struct BellRefresh(RwSignal<u64>);

impl BellRefresh {
    /// The shell's bell (`None` outside the dashboard).
    #[must_use]
    pub fn get() -> Option<Self> {
        use_context::<Self>()
    }

    /// Counts again.
    pub fn now(self) {
        self.0.update(|n| *n += 1);
    }
}

/// The badge for `unread` notifications: nothing when there are none, the number up to nine,
/// then `9+` (the accessible name says the exact count).
#[must_use]
pub fn badge_text(unread: i64) -> Option<String> {
    match unread {
        ..=0 => None,
        1..=9 => Some(unread.to_string()),
        _ => Some("9+".to_owned()),
    }
}

/// The bell's accessible name: "3 notificaciones sin leer" / "3 unread notifications", or just
/// "Notificaciones" / "Notifications" with none unread (or before the count arrives).
#[must_use]
pub fn bell_label(locale: Locale, unread: Option<i64>) -> String {
    match (locale, unread.unwrap_or(0)) {
        (_, ..=0) => tr(locale, "Notificaciones", "Notifications").to_owned(),
        (Locale::Es, 1) => "1 notificación sin leer".to_owned(),
        (Locale::En, 1) => "1 unread notification".to_owned(),
        (Locale::Es, n) => format!("{n} notificaciones sin leer"),
        (Locale::En, n) => format!("{n} unread notifications"),
    }
}

/// The bell (the count is fetched in the browser; the server renders the bell without it).
#[component]
pub fn Bell(locale: Locale) -> impl IntoView {
    let refresh = RwSignal::new(0_u64);
    provide_context(BellRefresh(refresh));
    let path = use_location().pathname;
    let count = load_in_browser(
        move || {
            path.track();
            refresh.track();
        },
        unread_notifications,
    );
    // A failed count keeps the last one shown rather than flashing the badge away.
    let unread = Memo::new(move |last: Option<&Option<i64>>| match count.get() {
        Some(Ok(n)) => Some(n),
        _ => last.copied().flatten(),
    });
    let current = move || in_section(&path.get(), NOTIFICATIONS_PATH).then_some("page");
    view! {
        <a
            class="bell"
            href=NOTIFICATIONS_PATH
            data-testid="bell"
            aria-current=current
            aria-label=move || bell_label(locale, unread.get())
            title=move || bell_label(locale, unread.get())
        >
            <svg class="bell-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor"
                stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
                <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15zM10 20a2 2 0 0 0 4 0" />
            </svg>
            {move || unread.get().and_then(badge_text).map(|text| view! {
                <span class="bell-badge" data-testid="bell-badge" aria-hidden="true">{text}</span>
            })}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_badge_counts_to_nine_then_says_nine_plus() {
        assert_eq!(badge_text(0), None);
        assert_eq!(badge_text(-1), None);
        assert_eq!(badge_text(1).as_deref(), Some("1"));
        assert_eq!(badge_text(9).as_deref(), Some("9"));
        assert_eq!(badge_text(10).as_deref(), Some("9+"));
        assert_eq!(badge_text(1_000).as_deref(), Some("9+"));
    }

    #[test]
    fn the_bell_says_the_exact_count_in_both_languages() {
        assert_eq!(bell_label(Locale::Es, Some(3)), "3 notificaciones sin leer");
        assert_eq!(bell_label(Locale::En, Some(3)), "3 unread notifications");
        assert_eq!(bell_label(Locale::En, Some(1)), "1 unread notification");
        assert_eq!(bell_label(Locale::Es, Some(1)), "1 notificación sin leer");
        assert_eq!(bell_label(Locale::En, Some(42)), "42 unread notifications");
        assert_eq!(bell_label(Locale::Es, Some(0)), "Notificaciones");
        assert_eq!(bell_label(Locale::En, None), "Notifications");
    }
}
