//! `/admin`: the platform admin console — its shell (navigation, the admin at the keyboard, the
//! way back to the dashboard) and its screens.
//!
//! Who may see it is decided on the server before anything renders: the host leaves
//! [`ConsoleAccess`](crate::server::admin::ConsoleAccess) in the request, the shell reads it and
//! renders either the console or the 404 page (with status 404), and the browser hydrates from
//! the same answer. The shell never waits inside a `Suspense` closure, so each screen's
//! resources are created exactly once on the server (see `load_in_browser` in the dashboard for
//! what happens otherwise). Reached by a client-side navigation instead, the shell asks the
//! server first.

pub mod audit;
pub mod flags;
pub mod jobs;
pub mod organizations;
pub mod overview;
pub mod search;
pub mod setup;
pub mod users;

use contracts::platform::ConsoleAdmin;
use contracts::{ApiError, ErrorCode, Locale};
use leptos::either::{EitherOf3, EitherOf4};
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

use crate::api::admin::admin_console;
use crate::api::auth::SignOut;
use crate::components::form::{describe, go};
use crate::components::user_menu::{Elsewhere, UserMenu};
use crate::i18n::tr;

use crate::pages::not_found::NotFound;

/// What every console screen knows: the admin and the language.
#[derive(Debug, Clone)]
pub struct AdminCtx {
    pub admin: ConsoleAdmin,
    pub locale: Locale,
}

/// The shell's answer to "may this caller see the console?".
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Gate {
    Admin(ConsoleAdmin),
    Hidden,
    Failed(ApiError),
    /// Rendered in the browser without the server's answer (a client-side navigation).
    Ask,
}

/// The server's answer, from the request (see the module docs).
#[cfg(feature = "ssr")]
fn gate_of_request() -> Gate {
    let access = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::server::admin::ConsoleAccess>().cloned());
    match access.map(|a| a.0) {
        Some(Ok(Some(admin))) => Gate::Admin(admin),
        Some(Err(err)) => Gate::Failed(err),
        Some(Ok(None)) | None => Gate::Hidden,
    }
}

#[cfg(not(feature = "ssr"))]
fn gate_of_request() -> Gate {
    Gate::Ask
}

/// The shell around every `/admin` screen.
#[component]
pub fn AdminShell(locale: Locale) -> impl IntoView {
    match SharedValue::new(gate_of_request).into_inner() {
        Gate::Admin(admin) => EitherOf4::A(view! { <Frame admin locale /> }),
        Gate::Hidden => EitherOf4::B(view! { <NotFound locale /> }),
        Gate::Failed(err) => EitherOf4::C(view! { <Failed err locale /> }),
        Gate::Ask => EitherOf4::D(view! { <AskFirst locale /> }),
    }
}

/// The shell reached without the server's answer: ask, then render.
#[component]
fn AskFirst(locale: Locale) -> impl IntoView {
    let answer = LocalResource::new(admin_console);
    view! {
        <Suspense fallback=move || view! { <p class="loading" role="status">{tr(locale, "Cargando…", "Loading…")}</p> }>
            {move || answer.get().map(|answer| match answer {
                Ok(admin) => EitherOf3::A(view! { <Frame admin locale /> }),
                Err(err) if err.code == ErrorCode::NotFound => EitherOf3::B(view! { <NotFound locale /> }),
                Err(err) => EitherOf3::C(view! { <Failed err locale /> }),
            })}
        </Suspense>
    }
}

#[component]
fn Failed(err: ApiError, locale: Locale) -> impl IntoView {
    view! {
        <main id="main" class="auth-page">
            <p class="notice notice-error" role="alert">{describe(&err, locale)}</p>
        </main>
    }
}

/// Navigation entries: (path, Spanish, English, short Spanish, short English, icon path).
const NAV: [(&str, &str, &str, &str, &str, &str); 6] = [
    (
        "/admin",
        "Resumen",
        "Overview",
        "Inicio",
        "Overview",
        "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
    ),
    (
        "/admin/users",
        "Usuarios",
        "Users",
        "Usuarios",
        "Users",
        "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20c0-3 3-5 6-5s6 2 6 5M16 5a3 3 0 0 1 0 6M18 15c2 .5 3 2.5 3 5",
    ),
    (
        "/admin/organizations",
        "Organizaciones",
        "Organizations",
        "Orgs",
        "Orgs",
        "M4 21V6l8-3 8 3v15M3 21h18M9 21v-4h6v4M8 8h2M14 8h2M8 12h2M14 12h2",
    ),
    (
        "/admin/audit",
        "Auditoría",
        "Audit log",
        "Auditoría",
        "Audit",
        "M9 3h6v3H9zM7 4H5v17h14V4h-2M8 11h8M8 15h8M8 19h5",
    ),
    ("/admin/flags", "Feature flags", "Feature flags", "Flags", "Flags", "M5 21V4M5 4h12l-2.5 4L17 12H5"),
    ("/admin/jobs", "Fallos", "Dead letters", "Fallos", "Failed", "M12 3l9 16H3zM12 10v4M12 17h.01"),
];

/// Whether the nav entry `href` is the current section (a user's page belongs to "Users").
fn in_section(path: &str, href: &str) -> bool {
    path == href || (href != "/admin" && path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
}

#[component]
fn Frame(admin: ConsoleAdmin, locale: Locale) -> impl IntoView {
    provide_context(AdminCtx { admin: admin.clone(), locale });
    let location = use_location();
    let nav = NAV
        .iter()
        .map(|&(href, es, en, short_es, short_en, icon)| {
            let current = move || in_section(&location.pathname.get(), href).then_some("page");
            view! {
                <a href=href aria-current=current>
                    <svg class="nav-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor"
                        stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d=icon /></svg>
                    <span class="nav-long">{tr(locale, es, en)}</span>
                    <span class="nav-short" aria-hidden="true">{tr(locale, short_es, short_en)}</span>
                </a>
            }
        })
        .collect_view();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if matches!(sign_out.value().get(), Some(Ok(()))) {
            go("/signin");
        }
    });
    let who = if admin.name.trim().is_empty() { admin.email.clone() } else { admin.name.clone() };
    view! {
        <a class="skip-link" href="#main">{tr(locale, "Saltar al contenido", "Skip to content")}</a>
        <div class="dash adm">
            <header class="dash-top">
                <a class="brand" href="/admin" aria-label=tr(locale, "mibio, consola de administración", "mibio admin console")>
                    <span class="brand-mark" aria-hidden="true">"m"</span><span class="adm-brand-word">"mibio"</span>
                    <span class="adm-tag" aria-hidden="true">"admin"</span>
                </a>
                <div class="adm-top-fill"></div>
                <UserMenu name=who locale sign_out=move || { sign_out.dispatch(SignOut {}); } elsewhere=Some(Elsewhere::Dashboard) />
            </header>
            <nav class="dash-nav adm-nav" aria-label=tr(locale, "Consola de administración", "Admin console")>{nav}</nav>
            <main id="main" class="dash-main">
                <Outlet />
            </main>
        </div>
    }
}

/// The loading line of a console screen.
#[component]
pub fn Loading(locale: Locale) -> impl IntoView {
    view! { <p class="loading" role="status">{tr(locale, "Cargando…", "Loading…")}</p> }
}

/// A failed load, in words.
#[component]
pub fn LoadError(err: ApiError, locale: Locale) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{describe(&err, locale)}</p> }
}

/// A count for people: `1.234` / `1,234`.
#[must_use]
pub fn count(n: i64, locale: Locale) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match locale {
        Locale::Es => '.',
        Locale::En => ',',
    };
    // Spanish leaves four-digit numbers whole (RAE); English groups from 1,000.
    let group = digits.len() > 4 || (locale == Locale::En && digits.len() > 3);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if group && i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Someone's name for people, their email when they have none.
#[must_use]
pub fn display_name(name: &str, email: &str) -> String {
    if name.trim().is_empty() { email.to_owned() } else { name.to_owned() }
}

/// The badges of a user: admin, deactivated, unverified (words, not just colours).
#[component]
pub fn UserBadges(admin: bool, active: bool, verified: bool, locale: Locale) -> impl IntoView {
    view! {
        {admin.then(|| view! { <span class="badge badge-admin">{tr(locale, "Admin", "Admin")}</span> })}
        {(!active).then(|| view! { <span class="badge badge-off">{tr(locale, "Desactivado", "Deactivated")}</span> })}
        {(!verified).then(|| view! { <span class="badge badge-warn">{tr(locale, "Sin verificar", "Unverified")}</span> })}
    }
}

/// A section of a screen whose content is either loading, failed, or ready.
pub fn loaded<T, V, F>(
    value: Option<Result<T, ApiError>>,
    locale: Locale,
    ready: F,
) -> impl IntoView + use<T, V, F>
where
    V: IntoView,
    F: FnOnce(T) -> V,
{
    match value {
        None => EitherOf4::A(view! { <Loading locale /> }),
        Some(Err(err)) if err.code == ErrorCode::NotFound => EitherOf4::B(view! {
            <p class="notice notice-info" role="status">{tr(locale, "No existe (o ya no existe).", "It does not exist (or no longer does).")}</p>
        }),
        Some(Err(err)) => EitherOf4::C(view! { <LoadError err locale /> }),
        Some(Ok(value)) => EitherOf4::D(ready(value)),
    }
}

/// A "Load more" button for cursor-paginated lists.
#[component]
pub fn LoadMore(
    /// Whether another page exists.
    more: Signal<bool>,
    loading: Signal<bool>,
    on_more: Callback<()>,
    locale: Locale,
) -> impl IntoView {
    view! {
        <Show when=move || more.get()>
            <div class="load-more">
                <button type="button" class="button button-quiet" disabled=move || loading.get()
                    aria-busy=move || loading.get().to_string() on:click=move |_| on_more.run(())>
                    {move || if loading.get() { tr(locale, "Cargando…", "Loading…") } else { tr(locale, "Cargar más", "Load more") }}
                </button>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count(0, Locale::En), "0");
        assert_eq!(count(999, Locale::Es), "999");
        assert_eq!(count(1234, Locale::En), "1,234");
        assert_eq!(count(1234, Locale::Es), "1234");
        assert_eq!(count(12_345, Locale::Es), "12.345");
        assert_eq!(count(1_234_567, Locale::En), "1,234,567");
        assert_eq!(count(-1_500, Locale::En), "-1,500");
    }

    #[test]
    fn a_users_page_belongs_to_users() {
        assert!(in_section("/admin/users/1", "/admin/users"));
        assert!(in_section("/admin", "/admin"));
        assert!(!in_section("/admin/users", "/admin"));
        assert!(!in_section("/admin/usersx", "/admin/users"));
    }
}
