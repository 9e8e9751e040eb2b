//! The undo bar: after a destructive action, a short notice with an "Undo" button at the bottom
//! of the screen (instead of a confirmation dialog). It is a polite live region, so screen readers
//! hear the notice, and its button is reachable by keyboard. It goes away by itself after a while.

use contracts::Locale;
use leptos::prelude::*;

use crate::i18n::tr;

/// How long the offer stays, in milliseconds.
#[cfg(feature = "hydrate")]
const UNDO_MS: u64 = 10_000;

/// The bar. `message` is `Some` while undo is offered.
#[component]
pub fn UndoBar(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    on_undo: Callback<()>,
    on_dismiss: Callback<()>,
    locale: Locale,
) -> impl IntoView {
    // Each new offer restarts the clock.
    let shown = StoredValue::new(0_u64);
    Effect::new(move |_| {
        if message.with(Option::is_none) {
            return;
        }
        let ticket = shown.get_value() + 1;
        shown.set_value(ticket);
        #[cfg(feature = "hydrate")]
        set_timeout(
            move || {
                if shown.try_get_value() == Some(ticket) && !pending.get_untracked() {
                    on_dismiss.run(());
                }
            },
            std::time::Duration::from_millis(UNDO_MS),
        );
    });
    view! {
        <div class="undo-region" role="status" aria-live="polite">
            {move || message.get().map(|text| view! {
                <div class="undo-toast" data-testid="undo">
                    <span>{text}</span>
                    <button type="button" class="undo-button" disabled=move || pending.get() aria-busy=move || pending.get().to_string()
                        on:click=move |_| on_undo.run(())>
                        {move || if pending.get() { tr(locale, "Deshaciendo…", "Undoing…") } else { tr(locale, "Deshacer", "Undo") }}
                    </button>
                    <button type="button" class="undo-close" aria-label=tr(locale, "Cerrar aviso", "Dismiss")
                        on:click=move |_| on_dismiss.run(())>"×"</button>
                </div>
            })}
        </div>
    }
}
