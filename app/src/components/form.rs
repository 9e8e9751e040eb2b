//! Form building blocks shared by every screen: labelled fields with their error next to them,
//! a submit button that shows progress, a form-level error banner, and how server errors are
//! split between fields and the banner.

use std::collections::BTreeMap;

use contracts::{ApiError, ErrorCode, Locale};
use leptos::prelude::*;

use crate::i18n::{self, tr};

/// Field errors and a general error from a failed server call, as sentences in the user's
/// language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    pub fields: BTreeMap<String, String>,
    pub general: Option<String>,
}

impl FormErrors {
    /// Splits an [`ApiError`]: validation problems go next to their fields (in `locale`'s words),
    /// the rest on top.
    #[must_use]
    pub fn from_api(err: &ApiError, locale: Locale) -> Self {
        if err.code == ErrorCode::Validation && !err.fields.is_empty() {
            return Self { fields: problem_texts(err, locale), general: None };
        }
        if err.code == ErrorCode::SlugUnavailable {
            let problem = tr(
                locale,
                "Esa dirección ya está en uso; elige otra.",
                "That address is taken; choose another.",
            );
            return Self { fields: BTreeMap::from([("slug".to_owned(), problem.to_owned())]), general: None };
        }
        Self { fields: BTreeMap::new(), general: Some(describe(err, locale)) }
    }

    /// The error of one field.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields.get(name).cloned()
    }
}

/// A person-readable sentence for an error, in the user's language where we know the case (a
/// validation error: its first problem; a conflict: its reason). Only codes are read, never the
/// English message, which is shown as it is when nothing typed applies.
#[must_use]
pub fn describe(err: &ApiError, locale: Locale) -> String {
    if let Some(problem) = err.problems.values().next() {
        return i18n::problem(locale, problem);
    }
    if let Some(reason) = err.reason {
        return i18n::conflict(locale, reason);
    }
    let known = match err.code {
        ErrorCode::InvalidCredentials => {
            Some(tr(locale, "Correo o contraseña incorrectos.", "Wrong email or password."))
        }
        ErrorCode::RateLimited => Some(tr(
            locale,
            "Demasiados intentos. Espera un momento y vuelve a probar.",
            "Too many attempts. Wait a moment and try again.",
        )),
        ErrorCode::Unavailable => Some(tr(
            locale,
            "El servicio no responde; inténtalo de nuevo en unos segundos.",
            "The service is not answering; try again in a few seconds.",
        )),
        ErrorCode::BillingNotConfigured => Some(tr(
            locale,
            "Los pagos aún no están habilitados en este sitio.",
            "Payments are not set up on this site yet.",
        )),
        ErrorCode::NoBillingAccount => Some(tr(
            locale,
            "Aún no tienes una cuenta de pagos: elige un plan primero.",
            "You have no billing account yet: choose a plan first.",
        )),
        ErrorCode::SubscriptionRequired => Some(tr(
            locale,
            "Esto necesita un plan de pago; mejora tu plan en Facturación.",
            "This needs a paid plan; upgrade in Billing.",
        )),
        ErrorCode::InvalidToken => Some(tr(
            locale,
            "Este enlace no es válido o ya venció. Pide uno nuevo.",
            "This link is invalid or has expired. Ask for a new one.",
        )),
        ErrorCode::Unauthenticated => Some(tr(
            locale,
            "Tu sesión terminó. Vuelve a iniciar sesión.",
            "Your session ended. Sign in again.",
        )),
        ErrorCode::Forbidden => {
            Some(tr(locale, "Tu rol no permite hacer esto.", "Your role does not allow this."))
        }
        ErrorCode::NotFound => Some(tr(locale, "No encontramos lo que buscas.", "We could not find that.")),
        ErrorCode::PayloadTooLarge => Some(tr(
            locale,
            "El archivo es demasiado grande: como máximo 5 MB y 8000 píxeles por lado.",
            "The file is too large: at most 5 MB and 8000 pixels a side.",
        )),
        ErrorCode::NoActiveOrganization => {
            Some(tr(locale, "Primero elige una organización.", "Choose an organization first."))
        }
        ErrorCode::EmailUnverified => Some(tr(
            locale,
            "Confirma tu correo primero: abre el enlace que te enviamos (puedes pedir otro arriba).",
            "Verify your email first: open the link we sent you (you can ask for another one above).",
        )),
        _ => None,
    };
    known.map_or_else(|| err.message.clone(), str::to_owned)
}

/// Each bad field of a validation error and its problem in `locale`'s words: from
/// `err.problems`, the English of `err.fields` only for a field without a problem (a server newer
/// than this page, with a code the page does not know yet).
#[must_use]
pub fn problem_texts(err: &ApiError, locale: Locale) -> BTreeMap<String, String> {
    let mut texts = err.fields.clone();
    for (field, problem) in &err.problems {
        texts.insert(field.clone(), i18n::problem(locale, problem));
    }
    texts
}

/// A labelled text input bound to `value`, with its error below it.
#[component]
pub fn Field(
    /// The input's id and name (also the error key: the server's field name).
    id: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "")] autocomplete: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    value: RwSignal<String>,
    errors: RwSignal<FormErrors>,
) -> impl IntoView {
    let error = move || errors.with(|e| e.field(id));
    let described = format!("{id}-note");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=described.clone()
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p id=described class=move || if error().is_some() { "hint field-error" } else { "hint" }>
                {move || error().or(hint.map(str::to_owned)).unwrap_or_default()}
            </p>
        </div>
    }
}

/// The form-level error, announced to screen readers.
#[component]
pub fn FormAlert(errors: RwSignal<FormErrors>) -> impl IntoView {
    // A failure the form cannot pin on a field also shows as a toast.
    Effect::new(move |_| {
        if let Some(message) = errors.with(|e| e.general.clone()) {
            crate::components::toast::toast_error(message);
        }
    });
    view! {
        <div class="form-alert" role="alert" hidden=move || errors.with(|e| e.general.is_none())>
            {move || errors.with(|e| e.general.clone()).unwrap_or_default()}
        </div>
    }
}

/// A submit button that shows progress while `pending`.
#[component]
pub fn Submit(label: &'static str, busy_label: &'static str, pending: Signal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary button-block" disabled=pending aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}

/// Navigates with a full page load (so the server renders with the new cookies).
pub fn go(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use contracts::Problem;

    use super::*;

    #[test]
    fn validation_problems_go_next_to_their_fields_in_the_users_words() {
        let err = ApiError::problems(contracts::Problems::from([
            ("title".to_owned(), Problem::Required),
            ("slug".to_owned(), Problem::TooShort { min: 3 }),
        ]));
        let form = FormErrors::from_api(&err, Locale::Es);
        assert_eq!(form.general, None);
        assert_eq!(form.field("title").as_deref(), Some("Este campo es obligatorio."));
        assert_eq!(form.field("slug").as_deref(), Some("Usa al menos 3 caracteres."));
        assert_eq!(describe(&err, Locale::En), "Use at least 3 characters.");

        // A field the server names without a problem keeps the server's English.
        let mut older = ApiError::problem("title", Problem::Required);
        older.fields.insert("bio".to_owned(), "is something new".to_owned());
        assert_eq!(
            FormErrors::from_api(&older, Locale::Es).field("bio").as_deref(),
            Some("is something new")
        );
    }
}
