//! The support-session banner: while a platform admin acts as a user, every page of the app says
//! so at the top — whom they act as, until when — with a button that ends it and goes back to
//! that user in the admin console. Mounted once, at the root of the app.

use contracts::Locale;
use contracts::platform::ImpersonationView;
use leptos::prelude::*;

use crate::api::admin::{AdminStopImpersonation, current_impersonation};
use crate::components::form::{describe, go};
use crate::components::moment::{Moment, Shown};
use crate::i18n::tr;

/// The banner, when this session is impersonating someone (nothing otherwise).
#[component]
pub fn ImpersonationBanner(locale: Locale) -> impl IntoView {
    // Blocking: the banner is in the first HTML the server sends, never popped in later.
    let current = Resource::new_blocking(|| (), |()| current_impersonation());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                current
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|imp| view! { <Banner imp locale /> })
            }}
        </Suspense>
    }
}

#[component]
fn Banner(imp: ImpersonationView, locale: Locale) -> impl IntoView {
    let stop = ServerAction::<AdminStopImpersonation>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match stop.value().get() {
        Some(Ok(user_id)) => go(&format!("/admin/users/{user_id}")),
        Some(Err(err)) => error.set(Some(describe(&err, locale))),
        None => {}
    });
    let pending = stop.pending();
    let who = if imp.user_name.trim().is_empty() { imp.user_email.clone() } else { imp.user_name.clone() };
    view! {
        <aside class="imp-banner" aria-label=tr(locale, "Sesión de soporte", "Support session") data-testid="impersonation-banner">
            <p class="imp-text">
                <strong>{tr(locale, "Sesión de soporte: ", "Support session: ")}</strong>
                {tr(locale, "estás actuando como ", "you are acting as ")}
                <strong>{who}</strong>
                " (" <span class="imp-email">{imp.user_email.clone()}</span> ") — "
                {tr(locale, "termina a las ", "ends at ")}
                <Moment at=imp.expires_at.clone() locale shown=Shown::Time />
            </p>
            <button
                type="button"
                class="button imp-stop"
                disabled=pending
                aria-busy=move || pending.get().to_string()
                on:click=move |_| {
                    error.set(None);
                    stop.dispatch(AdminStopImpersonation {});
                }
            >
                {move || if pending.get() { tr(locale, "Terminando…", "Stopping…") } else { tr(locale, "Terminar", "Stop") }}
            </button>
            <p class="imp-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </aside>
    }
}
