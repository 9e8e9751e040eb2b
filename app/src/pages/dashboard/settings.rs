//! (being written)

use leptos::prelude::*;

/// (being written)
#[component]
pub fn Page() -> impl IntoView {
    view! { <p>"…"</p> }
}
