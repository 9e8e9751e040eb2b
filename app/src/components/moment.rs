//! A moment in time for people, in the reader's time zone. The server does not know the zone, so
//! it renders UTC (saying so); once the page is interactive the browser rewrites it in local time.
//! Both render the same text first, so hydration matches.

use contracts::Locale;
use leptos::prelude::*;

use crate::pages::dashboard::editor::schedule::{human, to_local, utc_to_local};

/// How much of the moment to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shown {
    /// `5 mar 2025, 10:00` / `Mar 5, 2025, 10:00`.
    #[default]
    DateTime,
    /// `10:00`.
    Time,
}

fn render(local: Option<String>, rfc3339: &str, shown: Shown, locale: Locale) -> String {
    let Some(local) = local else { return rfc3339.to_owned() };
    match shown {
        Shown::DateTime => human(&local, locale),
        Shown::Time => local.get(11..16).unwrap_or(&local).to_owned(),
    }
}

/// `<time>` showing the RFC 3339 instant `at`.
#[component]
pub fn Moment(at: String, locale: Locale, #[prop(optional)] shown: Shown) -> impl IntoView {
    let utc = format!("{} UTC", render(utc_to_local(&at, 0), &at, shown, locale));
    let text = RwSignal::new(utc);
    let local_at = at.clone();
    Effect::new(move |_| {
        if cfg!(feature = "hydrate") {
            text.set(render(to_local(&local_at), &local_at, shown, locale));
        }
    });
    view! { <time datetime=at>{text}</time> }
}
