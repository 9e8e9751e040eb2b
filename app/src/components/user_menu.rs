//! The signed-in person's menu in the dashboard and console header: their name, the colour scheme
//! (system, light, dark), the language, and sign-out.
//!
//! A plain `<details>` disclosure: it opens and closes without WASM, and its choices are ordinary
//! controls inside it. The scheme applies at once, without a reload: it is `data-theme` on
//! `<html>`, remembered in the `mibio_theme` cookie so the server renders the same attribute on
//! the next page (no flash of the other scheme). The language is part of every rendered text and
//! of `<html lang>`, so it switches by rendering the page again in the other language.

use contracts::Locale;
use leptos::prelude::*;

use crate::components::language_switch::LanguageSwitch;
use crate::i18n::tr;

/// The cookie that remembers an explicit colour scheme.
pub const THEME_COOKIE: &str = "mibio_theme";

/// The colour scheme a person chose; `System` follows the operating system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorScheme {
    #[default]
    System,
    Light,
    Dark,
}

impl ColorScheme {
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    /// The cookie value and `data-theme` attribute; `None` for `System` (no attribute at all).
    #[must_use]
    pub const fn attr(self) -> Option<&'static str> {
        match self {
            Self::System => None,
            Self::Light => Some("light"),
            Self::Dark => Some("dark"),
        }
    }

    /// Parses a cookie value; anything unknown is `System`.
    #[must_use]
    pub fn parse(value: &str) -> Self {
        match value {
            "light" => Self::Light,
            "dark" => Self::Dark,
            _ => Self::System,
        }
    }

    const fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::System => tr(locale, "Sistema", "System"),
            Self::Light => tr(locale, "Claro", "Light"),
            Self::Dark => tr(locale, "Oscuro", "Dark"),
        }
    }
}

/// The scheme of this request (server: the cookie) or of this document (browser: `<html>`).
#[must_use]
pub fn current_scheme() -> ColorScheme {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                crate::server::cookies::read(&parts.headers, THEME_COOKIE).map(ColorScheme::parse)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("data-theme"))
            .map_or(ColorScheme::System, |v| ColorScheme::parse(&v))
    }
}

/// Applies `scheme` to this document and remembers it for a year (browser only).
fn apply(scheme: ColorScheme) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast as _;
        let doc = document();
        if let Some(root) = doc.document_element() {
            // Attribute writes only fail on a detached document.
            let _ = match scheme.attr() {
                Some(value) => root.set_attribute("data-theme", value),
                None => root.remove_attribute("data-theme"),
            };
        }
        let cookie = match scheme.attr() {
            Some(value) => format!("{THEME_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax"),
            None => format!("{THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax"),
        };
        if let Ok(html) = doc.dyn_into::<web_sys::HtmlDocument>() {
            let _ = html.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = scheme;
}

/// What stands for a user without a photo: the first letter of their name, upper-cased.
#[must_use]
pub fn initial(name: &str) -> String {
    name.chars().next().map(|c| c.to_uppercase().collect()).unwrap_or_default()
}

/// Where the menu's "other place" link leads: the console for a platform admin in the dashboard,
/// the dashboard from the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elsewhere {
    Console,
    Dashboard,
}

/// The menu: `name` on its button, then scheme, language, a link `elsewhere` and `sign_out`.
#[component]
pub fn UserMenu(
    name: String,
    locale: Locale,
    #[prop(into)] sign_out: Callback<()>,
    #[prop(optional_no_strip)] elsewhere: Option<Elsewhere>,
    /// The user's uploaded avatar, shown instead of their initial.
    #[prop(optional_no_strip)]
    avatar_url: Option<String>,
) -> impl IntoView {
    let scheme = RwSignal::new(current_scheme());
    let open = RwSignal::new(false);
    let details = NodeRef::<leptos::html::Details>::new();
    // A menu closes when its job is done: on another screen, a click elsewhere, or Escape.
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    close_from_outside(open, details);
    let initial = initial(&name);
    let choices = ColorScheme::ALL
        .into_iter()
        .map(|choice| {
            view! {
                <button
                    type="button"
                    class="seg"
                    data-theme-choice=choice.attr().unwrap_or("system")
                    aria-pressed=move || (scheme.get() == choice).to_string()
                    on:click=move |_| {
                        scheme.set(choice);
                        apply(choice);
                    }
                >
                    {choice.label(locale)}
                </button>
            }
        })
        .collect_view();
    view! {
        <details
            class="user-menu"
            data-testid="user-menu"
            node_ref=details
            prop:open=open
            on:toggle=move |_| open.set(details.get_untracked().is_some_and(|d| d.open()))
        >
            <summary class="user-menu-button">
                {match avatar_url {
                    Some(src) => view! { <img class="user-avatar" src=src alt="" width="30" height="30" /> }.into_any(),
                    None => view! { <span class="user-avatar" aria-hidden="true">{initial}</span> }.into_any(),
                }}
                <span class="dash-user-name" data-testid="user-name">{name}</span>
                <span class="visually-hidden">{tr(locale, "Menú de la cuenta", "Account menu")}</span>
            </summary>
            <div class="user-menu-panel">
                <div class="user-menu-row">
                    <span class="user-menu-label" id="theme-label">{tr(locale, "Tema", "Theme")}</span>
                    <div class="segmented" role="group" aria-labelledby="theme-label">{choices}</div>
                </div>
                <div class="user-menu-row">
                    <span class="user-menu-label">{tr(locale, "Idioma", "Language")}</span>
                    <LanguageSwitch locale />
                </div>
                {elsewhere.map(|place| {
                    let (href, label) = match place {
                        Elsewhere::Console => ("/admin", tr(locale, "Consola de administración", "Admin console")),
                        Elsewhere::Dashboard => ("/dashboard", tr(locale, "Volver al panel", "Back to the dashboard")),
                    };
                    // A different shell with its own session check: let the server render it.
                    view! { <a class="user-menu-link" href=href rel="external">{label}</a> }
                })}
                <button type="button" class="button button-quiet button-block" on:click=move |_| sign_out.run(())>
                    {tr(locale, "Salir", "Sign out")}
                </button>
            </div>
        </details>
    }
}

/// Closes the menu on a click outside it, and on Escape (focus goes back to its button).
fn close_from_outside(open: RwSignal<bool>, details: NodeRef<leptos::html::Details>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast as _;
        let click = window_event_listener(leptos::ev::click, move |ev| {
            if !open.get_untracked() {
                return;
            }
            let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = details.get_untracked().is_some_and(|d| d.contains(target.as_ref()));
            if !inside {
                open.set(false);
            }
        });
        let key = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && open.get_untracked() {
                open.set(false);
                if let Some(summary) = details
                    .get_untracked()
                    .and_then(|d| d.query_selector("summary").ok().flatten())
                    .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = summary.focus();
                }
            }
        });
        on_cleanup(move || {
            click.remove();
            key.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (open, details);
}

#[cfg(test)]
mod tests {
    use super::ColorScheme;

    #[test]
    fn a_scheme_round_trips_through_its_cookie_value() {
        for scheme in ColorScheme::ALL {
            assert_eq!(ColorScheme::parse(scheme.attr().unwrap_or("")), scheme);
        }
        assert_eq!(ColorScheme::parse("<script>"), ColorScheme::System);
    }
}
