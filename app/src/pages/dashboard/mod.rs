//! `/dashboard`: the signed-in shell (navigation, organization switcher, user menu) and its pages.
//! The shell loads the session once and hands it to every page as [`DashboardCtx`].

pub mod analytics;
pub mod bell;
pub mod billing;
pub mod editor;
pub mod home_pages;
pub mod leads;
pub mod members;
pub mod notifications;
pub mod overview;
pub mod page_kit;
pub mod pages;
pub mod roles;
pub mod settings;
pub mod usage_panel;
pub mod verify_banner;

use contracts::Locale;
use contracts::auth::SessionView;
use contracts::organizations::MyOrganizationView;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::auth::{SignOut, get_session};
use crate::api::orgs::{SetActiveOrganization, my_organizations};
use crate::components::form::go;
use crate::components::user_menu::{Elsewhere, UserMenu};
use crate::i18n::tr;

/// What every dashboard page knows: the session and the language.
#[derive(Debug, Clone)]
pub struct DashboardCtx {
    pub session: SessionView,
    pub locale: Locale,
}

impl DashboardCtx {
    /// Whether the member holds `permission` (patterns with `*` wildcards, as granted).
    #[must_use]
    pub fn can(&self, permission: &str) -> bool {
        let Ok(wanted) = permission.parse::<contracts::permissions::Permission>() else { return false };
        self.session
            .permissions
            .iter()
            .filter_map(|p| p.parse::<contracts::permissions::PermissionPattern>().ok())
            .any(|p| p.matches(&wanted))
    }
}

/// Loads the session and the organization list again after something changed either (switching,
/// creating or leaving an organization, a new profile name): the shell re-renders around the
/// current page, with no page load. Provided by the shell.
#[derive(Clone, Copy)]
pub struct SessionReload {
    session: Resource<Result<Option<SessionView>, contracts::ApiError>>,
    orgs: OrgsResource,
    navigate: Callback<String>,
}

impl SessionReload {
    /// The shell's reloader (panics outside the dashboard).
    #[must_use]
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Reloads the session and organizations, then shows `path` (inside the dashboard).
    pub fn to(self, path: &str) {
        self.session.refetch();
        self.orgs.refetch();
        self.go(path);
    }

    /// Shows `path` through the router (no page load).
    pub fn go(self, path: &str) {
        self.navigate.run(path.to_owned());
    }
}

/// Sends a signed-out visitor to sign in, coming back here afterwards. (A page load without a
/// session never gets here: the host answers it with a redirect before rendering. This is for a
/// session that ended while the dashboard was open.)
fn to_sign_in(path: &str) {
    let target = contracts::next::NextPath::or_default(Some(path)).on("/signin");
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&target);
    go(&target);
}

/// The shell around every `/dashboard` page.
#[component]
pub fn DashboardShell(locale: Locale) -> impl IntoView {
    // Resources are created here, once, outside the Suspense closure: Leptos renders that closure
    // more than once on the server, and a resource created inside it would be fetched twice (the
    // browser could then hydrate from the wrong copy).
    let session = Resource::new_blocking(|| (), |()| get_session());
    let orgs = Resource::new(|| (), |()| my_organizations());
    let path = use_location().pathname;
    let router_navigate = use_navigate();
    let navigate = Callback::new(move |path: String| router_navigate(&path, NavigateOptions::default()));
    provide_context(SessionReload { session, orgs, navigate });
    view! {
        // A transition: reloading the session keeps the current screen until the new one is ready.
        <Transition fallback=move || view! { <p class="loading">{tr(locale, "Cargando…", "Loading…")}</p> }>
            {move || session.get().map(|result| match result {
                Ok(Some(session)) => {
                    provide_context(DashboardCtx { session: session.clone(), locale });
                    view! { <Frame session orgs locale /> }.into_any()
                }
                Ok(None) => {
                    to_sign_in(&path.get_untracked());
                    view! { <p class="loading">{tr(locale, "Redirigiendo a iniciar sesión…", "Redirecting to sign in…")}</p> }.into_any()
                }
                Err(err) => view! {
                    <main id="main" class="auth-page"><p class="notice notice-error" role="alert">{crate::components::form::describe(&err, locale)}</p></main>
                }.into_any(),
            })}
        </Transition>
    }
}

/// The member's organizations, loaded once by the shell.
type OrgsResource = Resource<Result<Vec<MyOrganizationView>, contracts::ApiError>>;

/// Navigation entries: (path, Spanish, English, permission needed, icon path).
const NAV: [(&str, &str, &str, Option<&str>, &str); 6] = [
    ("/dashboard", "Inicio", "Home", None, "M4 11l8-7 8 7v9h-5v-6H9v6H4z"),
    ("/dashboard/pages", "Páginas", "Pages", Some("links:read"), "M7 3h7l4 4v14H7zM14 3v4h4M10 12h5M10 16h5"),
    (
        "/dashboard/members",
        "Miembros",
        "Members",
        Some("members:read"),
        "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20c0-3 3-5 6-5s6 2 6 5M16 5a3 3 0 0 1 0 6M18 15c2 .5 3 2.5 3 5",
    ),
    (
        "/dashboard/roles",
        "Roles",
        "Roles",
        Some("roles:read"),
        "M12 3l7 3v5c0 5-3 8-7 10-4-2-7-5-7-10V6zM9 12l2 2 4-4",
    ),
    ("/dashboard/billing", "Facturación", "Billing", Some("billing:read"), "M3 6h18v12H3zM3 10h18M7 15h4"),
    (
        "/dashboard/settings",
        "Ajustes",
        "Settings",
        None,
        "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .5-1.5-1.5.5-2-3-1-1 2h-2l-1-2-3 1 .5 2L6 8.5 4 8l-1 3 2 1v2l-2 1 1 3 2-.5 1.5 1.5-.5 2 3 1 1-2h2l1 2 3-1-.5-2 1.5-1.5 2 .5 1-3-2-1z",
    ),
];

/// Whether the nav entry `href` is the current section (a page's editor belongs to "Pages").
fn in_section(path: &str, href: &str) -> bool {
    path == href
        || (href != "/dashboard" && path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::in_section;

    #[test]
    fn a_page_editor_belongs_to_pages() {
        assert!(in_section("/dashboard/pages/1/leads", "/dashboard/pages"));
        assert!(in_section("/dashboard", "/dashboard"));
        assert!(!in_section("/dashboard/pages", "/dashboard"));
        assert!(!in_section("/dashboard/pagesx", "/dashboard/pages"));
    }
}

#[component]
fn Frame(session: SessionView, orgs: OrgsResource, locale: Locale) -> impl IntoView {
    let ctx = DashboardCtx { session: session.clone(), locale };
    let location = use_location();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if matches!(sign_out.value().get(), Some(Ok(()))) {
            go("/signin");
        }
    });
    let has_org = session.organization.is_some();
    let nav = NAV
        .iter()
        .filter(|(_, _, _, permission, _)| permission.is_none_or(|p| has_org && ctx.can(p)))
        .map(|(href, es, en, _, icon)| {
            let href = *href;
            let current = move || in_section(&location.pathname.get(), href).then_some("page");
            view! {
                <a href=href aria-current=current>
                    <svg class="nav-icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" fill="none" stroke="currentColor"
                        stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d=*icon /></svg>
                    <span>{tr(locale, es, en)}</span>
                </a>
            }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#main">{tr(locale, "Saltar al contenido", "Skip to content")}</a>
        <div class="dash">
            <header class="dash-top">
                <a class="brand" href="/dashboard" aria-label="mibio"><span class="brand-mark" aria-hidden="true">"m"</span>"mibio"</a>
                <OrgSwitcher current=session.organization.as_ref().map(|o| o.id.clone()) orgs locale />
                <bell::Bell locale />
                <UserMenu
                    name=session.user.name.clone()
                    locale
                    sign_out=move || { sign_out.dispatch(SignOut {}); }
                    elsewhere=session.platform_admin.then_some(Elsewhere::Console)
                    avatar_url=session.user.avatar_url.clone()
                />
            </header>
            <nav class="dash-nav" aria-label=tr(locale, "Panel", "Dashboard")>{nav}</nav>
            <main id="main" class="dash-main">
                <verify_banner::VerifyBanner
                    email=session.user.email.clone()
                    verified=session.user.email_verified
                    locale
                />
                <Outlet />
            </main>
        </div>
    }
}

/// The organization switcher: the member's organizations; choosing one makes it active.
#[component]
fn OrgSwitcher(current: Option<String>, orgs: OrgsResource, locale: Locale) -> impl IntoView {
    let choose = ServerAction::<SetActiveOrganization>::new();
    let reload = SessionReload::get();
    Effect::new(move |_| {
        if matches!(choose.value().get(), Some(Ok(()))) {
            reload.to("/dashboard");
        }
    });
    view! {
        <div class="org-switcher">
            <label for="org-switcher" class="visually-hidden">{tr(locale, "Organización", "Organization")}</label>
            <Suspense fallback=|| ()>
                {move || orgs.get().map(|list| {
                    let list: Vec<MyOrganizationView> = list.unwrap_or_default();
                    let current = current.clone();
                    view! {
                        <select
                            id="org-switcher"
                            data-testid="org-switcher"
                            on:change=move |ev| {
                                let id = event_target_value(&ev);
                                if id == "__new" {
                                    reload.go("/dashboard?new=1");
                                } else if !id.is_empty() {
                                    choose.dispatch(SetActiveOrganization { organization_id: id });
                                }
                            }
                        >
                            {current.is_none().then(|| view! { <option value="" selected>{tr(locale, "Elige una organización", "Choose an organization")}</option> })}
                            {list.into_iter().map(|o| {
                                let selected = current.as_deref() == Some(o.id.as_str());
                                view! { <option value=o.id.clone() selected=selected>{o.name.clone()}</option> }
                            }).collect_view()}
                            <option value="__new">{tr(locale, "+ Nueva organización", "+ New organization")}</option>
                        </select>
                    }
                })}
            </Suspense>
        </div>
    }
}
