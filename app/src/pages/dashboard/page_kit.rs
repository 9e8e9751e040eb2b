//! What the page screens (list, editor, leads, analytics) share: the page id from the route, the
//! site's origin, the tabs of one page, and the address field with its availability check.

use contracts::Locale;
use contracts::slug::{Slug, SlugError};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};

use crate::api::links::slug_available;
use crate::i18n::{self, tr};

/// The `:id` of the current `/dashboard/pages/:id…` route.
pub(crate) fn page_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").unwrap_or_default())
}

/// The site's origin in the browser (`https://mibio.example`); empty on the server, where no
/// screen that shows it renders (they wait for data loaded in the browser).
#[must_use]
pub(crate) fn site_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// `host/slug` as people read an address (no scheme).
#[must_use]
pub(crate) fn display_url(origin: &str, slug: &str) -> String {
    let host = origin.split("://").nth(1).unwrap_or(origin);
    format!("{host}/{slug}")
}

/// The tabs of one page: editor, leads, analytics.
#[component]
pub(crate) fn PageTabs(page_id: String, locale: Locale) -> impl IntoView {
    let location = use_location();
    let tabs = [
        ("", "Editor", "Editor"),
        ("/leads", "Contactos", "Leads"),
        ("/analytics", "Estadísticas", "Analytics"),
    ];
    let links = tabs
        .into_iter()
        .map(|(suffix, es, en)| {
            let href = format!("/dashboard/pages/{page_id}{suffix}");
            let here = href.clone();
            let current = move || (location.pathname.get() == here).then_some("page");
            view! { <a href=href aria-current=current>{tr(locale, es, en)}</a> }
        })
        .collect_view();
    view! { <nav class="pg-tabs" aria-label=tr(locale, "Secciones de la página", "Page sections")>{links}</nav> }
}

/// The "← Pages" link above a page's screens.
#[component]
pub(crate) fn BackToPages(locale: Locale) -> impl IntoView {
    view! {
        <a class="pg-back" href="/dashboard/pages">
            <span aria-hidden="true">"← "</span>
            {tr(locale, "Todas las páginas", "All pages")}
        </a>
    }
}

/// What the address field knows about the address typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlugState {
    /// Nothing typed yet, or the page's current address.
    Idle,
    /// Breaks a rule; the sentence says which.
    Invalid(String),
    Checking,
    Available,
    Taken,
    /// The check itself failed (offline…); saving will tell.
    Unknown,
}

/// How long typing must pause before the address is checked.
#[cfg(feature = "hydrate")]
const SLUG_DEBOUNCE_MS: u64 = 350;

/// An address field (`host/` prefix + slug) that checks the address as the coach types: the rules
/// at once, then (after a pause) whether it is free. `except` is the page being renamed, whose
/// `current` address counts as fine.
#[component]
pub(crate) fn SlugField(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] except: Option<String>,
    #[prop(optional)] current: Option<String>,
    /// A problem from the last save, shown until the address changes.
    server_error: RwSignal<Option<String>>,
    state: RwSignal<SlugState>,
    locale: Locale,
) -> impl IntoView {
    let ticket = StoredValue::new(0_u64);
    let except = StoredValue::new(except);
    let current = StoredValue::new(current);
    Effect::new(move |previous: Option<String>| {
        let slug = value.get();
        if previous.as_ref() == Some(&slug) {
            return slug;
        }
        if previous.is_some() {
            server_error.set(None);
        }
        let next = ticket.get_value() + 1;
        ticket.set_value(next);
        if slug.is_empty() || current.with_value(|c| c.as_deref() == Some(slug.as_str())) {
            state.set(SlugState::Idle);
            return slug;
        }
        if let Err(problem) = Slug::parse(&slug) {
            state.set(SlugState::Invalid(slug_problem(problem, locale)));
            return slug;
        }
        state.set(SlugState::Checking);
        #[cfg(feature = "hydrate")]
        {
            let wanted = slug.clone();
            set_timeout(
                move || {
                    if ticket.try_get_value() != Some(next) {
                        return;
                    }
                    let except = except.get_value();
                    leptos::task::spawn_local(async move {
                        let answer = slug_available(wanted, except).await;
                        if ticket.try_get_value() != Some(next) {
                            return;
                        }
                        state.try_set(match answer {
                            Ok(true) => SlugState::Available,
                            Ok(false) => SlugState::Taken,
                            Err(err) => match err.problems.get("slug") {
                                Some(problem) => SlugState::Invalid(i18n::problem(locale, problem)),
                                None => SlugState::Unknown,
                            },
                        });
                    });
                },
                std::time::Duration::from_millis(SLUG_DEBOUNCE_MS),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (except, slug_available);
        slug
    });
    let prefix = format!("{}/", display_url(&site_origin(), "").trim_end_matches('/'));
    let note_id = format!("{id}-note");
    let message = move || {
        if let Some(problem) = server_error.get() {
            return (problem, "hint field-error");
        }
        match state.get() {
            SlugState::Idle => (
                tr(locale, "Minúsculas, números y guiones.", "Lowercase letters, digits and hyphens.")
                    .to_owned(),
                "hint",
            ),
            SlugState::Invalid(problem) => (problem, "hint field-error"),
            SlugState::Checking => (tr(locale, "Comprobando…", "Checking…").to_owned(), "hint slug-checking"),
            SlugState::Available => (tr(locale, "✓ Disponible", "✓ Available").to_owned(), "hint slug-ok"),
            SlugState::Taken => (
                tr(locale, "Ya está en uso; prueba con otra.", "Already taken; try another.").to_owned(),
                "hint field-error",
            ),
            SlugState::Unknown => (
                tr(locale, "No pudimos comprobarla ahora.", "We couldn't check it right now.").to_owned(),
                "hint",
            ),
        }
    };
    let invalid = move || {
        (server_error.with(Option::is_some)
            || matches!(state.get(), SlugState::Invalid(_) | SlugState::Taken))
        .to_string()
    };
    view! {
        <div class="field">
            <label for=id>{tr(locale, "Dirección de la página", "Page address")}</label>
            <div class="slug-input">
                <span class="slug-prefix" aria-hidden="true">{prefix}</span>
                <input
                    id=id
                    name="slug"
                    type="text"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    maxlength="40"
                    aria-invalid=invalid
                    aria-describedby=note_id.clone()
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev).trim().to_lowercase())
                />
            </div>
            <p id=note_id class=move || message().1 aria-live="polite">{move || message().0}</p>
        </div>
    }
}

/// A slug rule as a sentence.
#[must_use]
pub(crate) fn slug_problem(problem: SlugError, locale: Locale) -> String {
    i18n::problem(locale, &problem.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_rules_read_as_sentences() {
        assert_eq!(
            slug_problem(SlugError::Reserved, Locale::En),
            "That address is reserved; choose another."
        );
        assert_eq!(slug_problem(SlugError::TooShort, Locale::Es), "Usa al menos 3 caracteres.");
    }

    #[test]
    fn addresses_drop_the_scheme() {
        assert_eq!(display_url("https://mibio.example", "ana"), "mibio.example/ana");
        assert_eq!(display_url("http://127.0.0.1:3000", "ana"), "127.0.0.1:3000/ana");
    }
}
