//! The `LEAD_CAPTURE` block: an inline card whose form posts without JavaScript to
//! `/{slug}/leads`, and which the profile script upgrades to a JSON request when it can.

use contracts::Locale;
use contracts::blocks::LeadCaptureConfig;
use contracts::links::LEAD_NAME_MAX;
use leptos::prelude::*;

use super::LeadFormState;
use super::icons;
use crate::i18n::tr;

/// The thank-you shown when the block has no success message of its own.
#[must_use]
pub const fn default_thanks(locale: Locale) -> &'static str {
    tr(locale, "¡Gracias! Te escribiré muy pronto.", "Thank you! I'll be in touch very soon.")
}

/// The card. `id` is the block's; the card's element id is `block-{id}`, so a no-JavaScript post
/// can be answered with a redirect to `/{slug}?subscribed=1&block={id}#block-{id}`.
#[component]
pub fn LeadCapture(
    id: String,
    config: LeadCaptureConfig,
    slug: String,
    locale: Locale,
    state: LeadFormState,
) -> impl IntoView {
    let thanks = config
        .success_message
        .clone()
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| default_thanks(locale).to_owned());
    let title_id = format!("lead-{id}-title");
    let done = state == LeadFormState::Subscribed;
    let form = (!done).then(|| lead_form(&id, &config, &slug, locale, &state));
    view! {
        <section class="block lead" id=format!("block-{id}") aria-labelledby=title_id.clone()>
            <h2 class="lead-title" id=title_id.clone()>{config.title}</h2>
            {form}
            <div class="lead-done" role="status" tabindex="-1" hidden=!done>
                {icons::check()}
                <p>{thanks}</p>
            </div>
        </section>
    }
}

/// The message for `field` when the last post failed there; fields the form does not show are
/// reported under the whole form (`form`).
fn error_for(state: &LeadFormState, field: &str) -> Option<String> {
    let LeadFormState::Failed { field: failed, message } = state else { return None };
    let shown = matches!(failed.as_str(), "email" | "name" | "consent");
    let at = if shown { failed.as_str() } else { "form" };
    (at == field).then(|| message.clone())
}

/// The error line of one field (`data-for` is how the script finds it).
fn error_line(id: String, field: &'static str, message: Option<String>) -> impl IntoView {
    let hidden = message.is_none();
    view! {
        <p class="lead-err" id=id data-for=field aria-live="polite" hidden=hidden>
            {message}
        </p>
    }
}

fn lead_form(
    id: &str,
    config: &LeadCaptureConfig,
    slug: &str,
    locale: Locale,
    state: &LeadFormState,
) -> impl IntoView + use<> {
    let field_id = |field: &str| format!("lead-{id}-{field}");
    let email_error = error_for(state, "email");
    let name_error = error_for(state, "name");
    let invalid = |error: &Option<String>| error.is_some().then_some("true");
    let consent = config.consent_text.clone().filter(|t| !t.trim().is_empty()).map(|text| {
        let error = error_for(state, "consent");
        view! {
            <div class="lead-field">
                <label class="consent">
                    <input
                        type="checkbox"
                        name="consent"
                        value="true"
                        required=true
                        aria-invalid=invalid(&error)
                        aria-describedby=field_id("consent-err")
                    />
                    <span>{text}</span>
                </label>
                {error_line(field_id("consent-err"), "consent", error)}
            </div>
        }
    });
    let email_label = tr(locale, "Tu correo electrónico", "Your email address");
    let name_label = tr(locale, "Tu nombre (opcional)", "Your name (optional)");
    view! {
        <form
            class="lead-form"
            method="post"
            action=format!("/{slug}/leads")
            data-lead=""
            data-busy=tr(locale, "Enviando…", "Sending…")
            data-fail=tr(
                locale,
                "No pudimos enviarlo. Inténtalo de nuevo en un momento.",
                "We couldn't send it. Please try again in a moment.",
            )
        >
            <input type="hidden" name="blockId" value=id.to_owned() />
            <div class="lead-field">
                <label class="lead-label" for=field_id("email")>{email_label}</label>
                <input
                    id=field_id("email")
                    name="email"
                    type="email"
                    inputmode="email"
                    autocomplete="email"
                    maxlength="254"
                    required=true
                    placeholder=tr(locale, "tu@correo.com", "you@example.com")
                    aria-invalid=invalid(&email_error)
                    aria-describedby=field_id("email-err")
                />
                {error_line(field_id("email-err"), "email", email_error)}
            </div>
            <div class="lead-field">
                <label class="lead-label" for=field_id("name")>{name_label}</label>
                <input
                    id=field_id("name")
                    name="name"
                    type="text"
                    autocomplete="name"
                    maxlength=LEAD_NAME_MAX.to_string()
                    aria-invalid=invalid(&name_error)
                    aria-describedby=field_id("name-err")
                />
                {error_line(field_id("name-err"), "name", name_error)}
            </div>
            {consent}
            <div class="hp" aria-hidden="true">
                <label for=field_id("website")>
                    {tr(locale, "Deja este campo vacío", "Leave this field empty")}
                </label>
                <input
                    id=field_id("website")
                    name="website"
                    type="text"
                    tabindex="-1"
                    autocomplete="off"
                    aria-hidden="true"
                />
            </div>
            <button type="submit" class="btn lead-submit">
                {config.button_label.clone()}
            </button>
            {error_line(field_id("form-err"), "form", error_for(state, "form"))}
        </form>
    }
}
