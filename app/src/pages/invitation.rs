//! (being written)

use contracts::Locale;
use leptos::prelude::*;

/// (being written)
#[component]
pub fn InvitationPage(locale: Locale) -> impl IntoView {
    let _ = locale;
    view! { <p>"…"</p> }
}
