//! `/invitations/:token`: the link from an invitation email. Signed out, it explains how to join;
//! signed in, it accepts the invitation for the current account and opens the dashboard.

use crate::components::head::PageTitle;
use contracts::next::NextPath;
use contracts::{ErrorCode, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::auth::{SignOut, get_session};
use crate::api::orgs::AcceptInvitation;
use crate::components::form::{describe, go};
use crate::components::site_header::SiteHeader;
use crate::i18n::tr;

/// The invitation page.
#[component]
pub fn InvitationPage(locale: Locale) -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let here = format!("/invitations/{token}");
    let session = Resource::new_blocking(|| (), |()| get_session());
    let title = tr(locale, "Invitación a mibio", "Invitation to mibio");
    view! {
        <PageTitle text=format!("{title} — mibio") />
        <SiteHeader locale />
        <main id="main" class="auth-page">
            <section class="card auth-card" aria-labelledby="invitation-title">
                <h1 id="invitation-title">{title}</h1>
                <Suspense fallback=move || view! { <p>{tr(locale, "Cargando…", "Loading…")}</p> }>
                    {move || session.get().map(|result| match result {
                        Ok(Some(session)) => view! {
                            <Accept locale token=token.clone() here=here.clone() email=session.user.email />
                        }
                        .into_any(),
                        Ok(None) => view! { <SignedOut locale here=here.clone() /> }.into_any(),
                        Err(err) => view! {
                            <p class="notice notice-error" role="alert">{describe(&err, locale)}</p>
                        }
                        .into_any(),
                    })}
                </Suspense>
            </section>
        </main>
    }
}

/// Signed out: how to join, with links that come back here.
#[component]
fn SignedOut(locale: Locale, here: String) -> impl IntoView {
    let next = NextPath::or_default(Some(&here));
    view! {
        <p>
            {tr(
                locale,
                "Te invitaron a una organización en mibio. Inicia sesión o crea una cuenta con el correo invitado para unirte.",
                "You were invited to an organization on mibio. Sign in or create an account with the invited email to join.",
            )}
        </p>
        <div class="stack-actions">
            <a class="button button-primary button-block" href=next.on("/signin") data-testid="invitation-signin">
                {tr(locale, "Iniciar sesión", "Sign in")}
            </a>
            <a class="button button-quiet button-block" href=next.on("/signup") data-testid="invitation-signup">
                {tr(locale, "Crear una cuenta", "Create an account")}
            </a>
        </div>
    }
}

/// Signed in: accept for this account.
#[component]
fn Accept(locale: Locale, token: String, here: String, email: String) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let sign_out = ServerAction::<SignOut>::new();
    let failure = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        match accept.value().get() {
        Some(Ok(())) => go("/dashboard"),
        Some(Err(err)) => failure.set(Some(match err.code {
            ErrorCode::NotFound => tr(
                locale,
                "No pudimos usar esta invitación: es para otra cuenta, ya se usó o venció. Comprueba que entraste con el correo invitado o pide una invitación nueva.",
                "We couldn't use this invitation: it is for another account, was already used, or has expired. Check that you signed in with the invited email, or ask for a new invitation.",
            )
            .to_owned(),
            _ => describe(&err, locale),
        })),
        None => {}
    }
    });
    let signin_here = NextPath::or_default(Some(&here)).on("/signin");
    Effect::new(move |_| {
        if matches!(sign_out.value().get(), Some(Ok(()))) {
            go(&signin_here);
        }
    });
    let pending = accept.pending();
    view! {
        <p>
            {tr(locale, "Te invitaron a unirte a una organización. Entrarás como ", "You were invited to join an organization. You'll join as ")}
            <strong data-testid="invitation-account">{email}</strong>"."
        </p>
        <div role="alert">
            {move || failure.get().map(|text| view! { <p class="notice notice-error" data-testid="invitation-error">{text}</p> })}
        </div>
        <div class="stack-actions">
            <button
                type="button"
                class="button button-primary button-block"
                disabled=pending
                aria-busy=move || pending.get().to_string()
                on:click=move |_| {
                    failure.set(None);
                    accept.dispatch(AcceptInvitation { token: token.clone() });
                }
            >
                {move || if pending.get() { tr(locale, "Aceptando…", "Accepting…") } else { tr(locale, "Aceptar invitación", "Accept invitation") }}
            </button>
            <button
                type="button"
                class="button button-quiet button-block"
                disabled=sign_out.pending()
                on:click=move |_| {
                    sign_out.dispatch(SignOut {});
                }
            >
                {tr(locale, "Usar otra cuenta", "Use another account")}
            </button>
        </div>
    }
}
