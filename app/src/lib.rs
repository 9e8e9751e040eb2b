//! The mibio Leptos application. The same code renders on the server (`ssr`) and hydrates in the
//! browser (`hydrate`): `shell` is the HTML document the host serves, `App` the routed body.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod public;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::impersonation_banner::ImpersonationBanner;
use crate::components::toast::{ToastRegion, Toasts};
use crate::i18n::use_locale;
use crate::pages::admin::{
    AdminShell, audit as admin_audit, flags as admin_flags, jobs as admin_jobs, organizations as admin_orgs,
    overview as admin_overview, setup::SetupPage, users as admin_users,
};
use crate::pages::auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage, VerifyEmailPage};
use crate::pages::dashboard::{
    DashboardShell, analytics, editor, leads, members, overview::Overview, pages as page_list, roles,
    settings,
};
use crate::pages::invitation::InvitationPage;
use crate::pages::{landing::Landing, not_found::NotFound};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = i18n::provide_locale();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
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
                <Route path=path!("/invitations/:token") view=move || view! { <InvitationPage locale /> } ssr=SsrMode::Async />
                <ParentRoute path=path!("/dashboard") view=move || view! { <DashboardShell locale /> } ssr=SsrMode::Async>
                    <Route path=path!("") view=Overview />
                    <Route path=path!("pages") view=page_list::Page />
                    <Route path=path!("pages/:id") view=editor::Page />
                    <Route path=path!("pages/:id/leads") view=leads::Page />
                    <Route path=path!("pages/:id/analytics") view=analytics::Page />
                    <Route path=path!("members") view=members::Page />
                    <Route path=path!("roles") view=roles::Page />
                    <Route path=path!("settings") view=settings::Page />
                </ParentRoute>
                <Route path=path!("/admin/setup") view=move || view! { <SetupPage locale /> } ssr=SsrMode::Async />
                <ParentRoute path=path!("/admin") view=move || view! { <AdminShell locale /> } ssr=SsrMode::Async>
                    <Route path=path!("") view=admin_overview::Page />
                    <Route path=path!("users") view=admin_users::Page />
                    <Route path=path!("users/:id") view=admin_users::detail::Page />
                    <Route path=path!("organizations") view=admin_orgs::Page />
                    <Route path=path!("organizations/:id") view=admin_orgs::Detail />
                    <Route path=path!("audit") view=admin_audit::Page />
                    <Route path=path!("flags") view=admin_flags::Page />
                    <Route path=path!("jobs") view=admin_jobs::Page />
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
