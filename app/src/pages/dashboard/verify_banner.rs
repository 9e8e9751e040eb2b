//! The banner an unverified account sees on every dashboard screen: why it matters (publishing
//! and invitations wait for it) and a button that mails a new link.

use contracts::Locale;
use leptos::prelude::*;

use crate::api::auth::ResendVerification;
use crate::components::form::describe;
use crate::i18n::tr;

/// "Verify your email" with a resend button; renders nothing once the address is verified.
#[component]
pub fn VerifyBanner(email: String, verified: bool, locale: Locale) -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let outcome = move || {
        match resend.value().get() {
        Some(Ok(())) => Some(view! {
            <p class="verify-outcome" role="status">
                {tr(locale, "Listo: te enviamos un nuevo enlace. Revisa tu bandeja (y el correo no deseado).", "Done: we sent you a new link. Check your inbox (and spam).")}
            </p>
        }.into_any()),
        Some(Err(err)) => Some(view! {
            <p class="verify-outcome verify-outcome-error" role="alert">{describe(&err, locale)}</p>
        }.into_any()),
        None => None,
    }
    };
    (!verified).then(|| view! {
        <section class="notice notice-info verify-banner" data-testid="verify-banner" aria-label=tr(locale, "Confirma tu correo", "Verify your email")>
            <p>
                <strong>{tr(locale, "Confirma tu correo.", "Verify your email.")}</strong>
                " "
                {tr(locale, "Abre el enlace que enviamos a ", "Open the link we sent to ")}
                <b>{email}</b>
                {tr(locale, " para publicar tus páginas e invitar a tu equipo.", " to publish your pages and invite your team.")}
            </p>
            <button
                type="button"
                class="button button-quiet"
                data-testid="resend-verification"
                disabled=move || resend.pending().get()
                on:click=move |_| { resend.dispatch(ResendVerification {}); }
            >
                {move || if resend.pending().get() { tr(locale, "Enviando…", "Sending…") } else { tr(locale, "Reenviar el correo", "Resend the email") }}
            </button>
            {outcome}
        </section>
    })
}
