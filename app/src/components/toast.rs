//! Toasts: a brief, dismissible notice in the corner when an action fails. The same message is
//! also written next to the form that failed (with `role="alert"`), which is what screen readers
//! announce; the toast is the visual cue for someone whose eyes are elsewhere on the page.

use contracts::Locale;
use leptos::prelude::*;

use crate::i18n::tr;

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub message: String,
}

/// The toasts on screen (provided once by the app).
#[derive(Debug, Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next: RwSignal<u64>,
}

/// How long a toast stays, in milliseconds.
#[cfg(feature = "hydrate")]
const TOAST_MS: u64 = 6000;

impl Toasts {
    /// Provides the toast list to the app.
    pub fn provide() -> Self {
        let toasts = Self { list: RwSignal::new(Vec::new()), next: RwSignal::new(0) };
        provide_context(toasts);
        toasts
    }

    /// Shows `message` for a few seconds (browser only; the server renders none).
    pub fn error(self, message: String) {
        let id = self.next.get_untracked();
        self.next.set(id + 1);
        self.list.update(|list| {
            list.retain(|t| t.message != message);
            list.push(Toast { id, message });
        });
        #[cfg(feature = "hydrate")]
        set_timeout(move || self.dismiss(id), std::time::Duration::from_millis(TOAST_MS));
    }

    /// Removes a toast.
    pub fn dismiss(self, id: u64) {
        self.list.update(|list| list.retain(|t| t.id != id));
    }
}

/// Shows an error toast, if the app provides toasts.
pub fn toast_error(message: String) {
    if let Some(toasts) = use_context::<Toasts>() {
        toasts.error(message);
    }
}

/// The corner where toasts appear.
#[component]
pub fn ToastRegion(toasts: Toasts, locale: Locale) -> impl IntoView {
    view! {
        <div class="toasts" aria-hidden="true">
            <For each=move || toasts.list.get() key=|t| t.id let:toast>
                <div class="toast toast-error" data-testid="toast">
                    <span>{toast.message.clone()}</span>
                    <button type="button" class="toast-close" tabindex="-1" title=tr(locale, "Cerrar", "Close")
                        on:click=move |_| toasts.dismiss(toast.id)>"×"</button>
                </div>
            </For>
        </div>
    }
}
