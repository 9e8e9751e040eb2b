//! The mibio Leptos application. The same code renders on the server (`ssr`) and hydrates in the
//! browser (`hydrate`): `shell` is the HTML document the host serves, `App` the routed body.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod public;
mod routes;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, SsrMode, path};

use crate::components::impersonation_banner::ImpersonationBanner;
use crate::components::toast::{ToastRegion, Toasts};
use crate::i18n::use_locale;
use crate::pages::auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage, VerifyEmailPage};
use crate::pages::dashboard::DashboardShell;
use crate::pages::dashboard::overview::Overview;
use crate::pages::{landing::Landing, not_found::NotFound};
use crate::routes::{
    AdmAudit, AdmFlags, AdmJobs, AdmOrg, AdmOrgs, AdmOverview, AdmSetup, AdmShell, AdmUser, AdmUsers,
    DashAnalytics, DashBilling, DashEditor, DashLeads, DashMembers, DashNotifications, DashPages, DashRoles,
    DashSettings, Invitation,
};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = i18n::provide_locale();
    let scheme = components::user_menu::current_scheme().attr();
    let session = components::session_hint::attr();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag() data-theme=scheme data-session=session>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The routed application.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = use_locale();
    let toasts = Toasts::provide();
    mark_hydrated();
    // Before the router exists, so the unsaved-changes guard hears back/forward first.
    pages::dashboard::editor::guard::listen();
    view! {
        <ImpersonationBanner locale />
        <Router>
            <Routes fallback=move || view! { <NotFound locale /> }>
                <Route path=path!("") view=move || view! { <Landing locale /> } />
                <Route path=path!("/signin") view=move || view! { <SignInPage locale /> } />
                <Route path=path!("/signup") view=move || view! { <SignUpPage locale /> } />
                <Route path=path!("/forgot-password") view=move || view! { <ForgotPasswordPage locale /> } />
                <Route path=path!("/reset-password") view=move || view! { <ResetPasswordPage locale /> } />
                <Route path=path!("/verify-email") view=move || view! { <VerifyEmailPage locale /> } ssr=SsrMode::Async />
                <Route path=path!("/invitations/:token") view={Lazy::<Invitation>::new()} ssr=SsrMode::Async />
                <ParentRoute path=path!("/dashboard") view=move || view! { <DashboardShell locale /> } ssr=SsrMode::Async>
                    <Route path=path!("") view=Overview />
                    <Route path=path!("pages") view={Lazy::<DashPages>::new()} />
                    <Route path=path!("pages/:id") view={Lazy::<DashEditor>::new()} />
                    <Route path=path!("pages/:id/leads") view={Lazy::<DashLeads>::new()} />
                    <Route path=path!("pages/:id/analytics") view={Lazy::<DashAnalytics>::new()} />
                    <Route path=path!("members") view={Lazy::<DashMembers>::new()} />
                    <Route path=path!("roles") view={Lazy::<DashRoles>::new()} />
                    <Route path=path!("billing") view={Lazy::<DashBilling>::new()} />
                    <Route path=path!("settings") view={Lazy::<DashSettings>::new()} />
                    <Route path=path!("notifications") view={Lazy::<DashNotifications>::new()} />
                </ParentRoute>
                <Route path=path!("/admin/setup") view={Lazy::<AdmSetup>::new()} ssr=SsrMode::Async />
                <ParentRoute path=path!("/admin") view={Lazy::<AdmShell>::new()} ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<AdmOverview>::new()} />
                    <Route path=path!("users") view={Lazy::<AdmUsers>::new()} />
                    <Route path=path!("users/:id") view={Lazy::<AdmUser>::new()} />
                    <Route path=path!("organizations") view={Lazy::<AdmOrgs>::new()} />
                    <Route path=path!("organizations/:id") view={Lazy::<AdmOrg>::new()} />
                    <Route path=path!("audit") view={Lazy::<AdmAudit>::new()} />
                    <Route path=path!("flags") view={Lazy::<AdmFlags>::new()} />
                    <Route path=path!("jobs") view={Lazy::<AdmJobs>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
        <ToastRegion toasts locale />
    }
}

/// Sets `data-hydrated="true"` on `<html>` once the WASM app has taken over the page, so tests
/// (and curious people) can tell a hydrated page from server-rendered HTML.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            // Only fails on a detached document; nothing useful to do then.
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

/// Gives this response a fresh nonce and a CSP that allows exactly the inline scripts carrying it
/// (Leptos adds the nonce to its hydration script).
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use leptos::nonce::{provide_nonce, use_nonce};
    provide_nonce();
    let nonce = use_nonce().map(|n| n.to_string());
    let policy = security::content_security_policy(nonce.as_deref());
    if let (Some(response), Ok(value)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&policy))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
