//! Which language a page speaks, and its texts.
//!
//! On the server the locale comes from `?lang=`, then the `mibio_lang` cookie, then
//! `Accept-Language`; a `?lang=` choice is remembered in the cookie. In the browser it is read back
//! from `<html lang>`, so hydration renders exactly what the server sent.
//!
//! Texts are typed: one `Texts` struct per language, so a missing translation is a compile error.
//! Validation problems have their own table, [`problem`].

use contracts::Locale;
use leptos::prelude::*;

mod notification_kinds;
mod problems;

pub use notification_kinds::{email_kind_hint, email_kind_label, email_kind_phrase};
pub use problems::{conflict, meter_name, problem};

/// The cookie that remembers an explicit language choice.
pub const LOCALE_COOKIE: &str = "mibio_lang";

/// Decides the request's locale, remembers an explicit choice, and provides it as context.
/// Called once per render from `shell` (server only).
pub fn provide_locale() -> Locale {
    let locale = request_locale();
    provide_context(locale);
    locale
}

/// The page's locale: from context on the server, from `<html lang>` in the browser.
#[must_use]
pub fn use_locale() -> Locale {
    if let Some(locale) = use_context::<Locale>() {
        return locale;
    }
    #[cfg(feature = "hydrate")]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|tag| tag.parse().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Locale::default()
}

/// The request's locale (`?lang=`, cookie, `Accept-Language`), outside any rendered page too.
#[cfg(feature = "ssr")]
pub(crate) fn request_locale() -> Locale {
    use http::header::{ACCEPT_LANGUAGE, SET_COOKIE};
    use http::request::Parts;

    let Some(parts) = use_context::<Parts>() else { return Locale::default() };
    let from_query = parts
        .uri
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(|v| v.parse().ok()));
    if let Some(locale) = from_query {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let cookie =
                format!("{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", Locale::tag(locale));
            if let Ok(value) = http::HeaderValue::from_str(&cookie) {
                response.append_header(SET_COOKIE, value);
            }
        }
        return locale;
    }
    let from_cookie =
        crate::server::cookies::read(&parts.headers, LOCALE_COOKIE).and_then(|v| v.parse().ok());
    from_cookie
        .or_else(|| {
            parts.headers.get(ACCEPT_LANGUAGE).and_then(|h| h.to_str().ok()).and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
pub(crate) fn request_locale() -> Locale {
    use_locale()
}

/// Picks the text of `locale` from a Spanish/English pair: `tr(locale, "Guardar", "Save")`. Used
/// by screens whose texts live next to their markup; both languages are always written together.
#[must_use]
pub const fn tr(locale: Locale, es: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

/// Every text of the landing page and the 404 page.
pub struct Texts {
    pub title: &'static str,
    pub description: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub language_label: &'static str,
    pub eyebrow: &'static str,
    pub headline: &'static str,
    pub lede: &'static str,
    pub cta_sign_up: &'static str,
    pub cta_sign_in: &'static str,
    pub cta_dashboard: &'static str,
    pub try_heading: &'static str,
    pub name_label: &'static str,
    pub name_placeholder: &'static str,
    pub name_hint: &'static str,
    pub slug_reserved: &'static str,
    pub slug_too_short: &'static str,
    pub style_label: &'static str,
    pub preview_label: &'static str,
    pub sample_bio: &'static str,
    pub sample_blocks: [&'static str; 4],
    pub sample_form_label: &'static str,
    pub sample_email: &'static str,
    pub sample_form_button: &'static str,
    pub features_heading: &'static str,
    pub features: [(&'static str, &'static str); 3],
    pub footer: &'static str,
    pub not_found_title: &'static str,
    pub not_found_heading: &'static str,
    pub not_found_body: &'static str,
    pub not_found_home: &'static str,
    pub not_found_sign_in: &'static str,
    pub not_found_dashboard: &'static str,
}

/// The texts in `locale`.
#[must_use]
pub const fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::Es => &ES,
        Locale::En => &EN,
    }
}

static ES: Texts = Texts {
    title: "mibio — tu página de enlaces para captar clientes",
    description: "La página de enlaces para coaches y consultores: reservas, pagos, WhatsApp y \
                  formularios de contacto en un solo enlace.",
    skip_to_content: "Saltar al contenido",
    nav_label: "Principal",
    language_label: "Idioma",
    eyebrow: "Para coaches y consultores",
    headline: "Un enlace en tu bio que convierte visitas en clientes",
    lede: "Reúne tus sesiones, pagos, WhatsApp y un formulario de contacto en una página rápida \
           y elegante. Tú la editas en minutos; tus visitantes la abren al instante, incluso \
           dentro de Instagram.",
    cta_sign_up: "Crea tu cuenta",
    cta_sign_in: "Iniciar sesión",
    cta_dashboard: "Ir a tu panel",
    try_heading: "Pruébalo: así se vería tu página",
    name_label: "Tu nombre",
    name_placeholder: "Ana Pérez",
    name_hint: "Tu dirección pública se crea a partir de tu nombre.",
    slug_reserved: "Esa dirección está reservada; prueba con tu nombre completo.",
    slug_too_short: "Usa al menos 3 letras o números.",
    style_label: "Estilo",
    preview_label: "Vista previa de tu página",
    sample_bio: "Coach de liderazgo. Te ayudo a dirigir equipos con calma y claridad.",
    sample_blocks: [
        "Agenda una sesión de 30 min",
        "Programa Liderazgo 360 · 8 semanas",
        "Escríbeme por WhatsApp",
        "Mi newsletter semanal",
    ],
    sample_form_label: "Recibe mi guía gratuita",
    sample_email: "tu@correo.com",
    sample_form_button: "Quiero la guía",
    features_heading: "Todo lo que tu bio necesita",
    features: [
        (
            "Bloques inteligentes",
            "Enlaces, reservas, pagos, WhatsApp, imágenes y redes: cada bloque sabe qué hacer.",
        ),
        (
            "Captura de contactos",
            "Un formulario dentro de tu página guarda cada correo, sin duplicados, listo para exportar.",
        ),
        ("Estadísticas claras", "Visitas, clics y visitantes únicos por día, y qué bloque funciona mejor."),
    ],
    footer: "mibio · hecho para coaches y consultores",
    not_found_title: "Página no encontrada — mibio",
    not_found_heading: "No encontramos esta página",
    not_found_body: "Puede que el enlace esté mal escrito o que la página ya no esté publicada.",
    not_found_home: "Volver al inicio",
    not_found_sign_in: "Iniciar sesión",
    not_found_dashboard: "Ir a tu panel",
};

static EN: Texts = Texts {
    title: "mibio — the link in bio that wins you clients",
    description: "The link-in-bio page for coaches and consultants: bookings, payments, WhatsApp \
                  and lead forms behind one link.",
    skip_to_content: "Skip to content",
    nav_label: "Main",
    language_label: "Language",
    eyebrow: "For coaches and consultants",
    headline: "One link in your bio that turns visitors into clients",
    lede: "Bring your sessions, payments, WhatsApp and a contact form together on one fast, \
           polished page. You edit it in minutes; your visitors open it instantly, even inside \
           Instagram.",
    cta_sign_up: "Create your account",
    cta_sign_in: "Sign in",
    cta_dashboard: "Go to your dashboard",
    try_heading: "Try it: this is how your page could look",
    name_label: "Your name",
    name_placeholder: "Ana Pérez",
    name_hint: "Your public address is made from your name.",
    slug_reserved: "That address is reserved; try your full name.",
    slug_too_short: "Use at least 3 letters or digits.",
    style_label: "Style",
    preview_label: "Preview of your page",
    sample_bio: "Leadership coach. I help you lead teams with calm and clarity.",
    sample_blocks: [
        "Book a 30-minute session",
        "Leadership 360 programme · 8 weeks",
        "Message me on WhatsApp",
        "My weekly newsletter",
    ],
    sample_form_label: "Get my free guide",
    sample_email: "you@example.com",
    sample_form_button: "Send me the guide",
    features_heading: "Everything your bio needs",
    features: [
        (
            "Smart blocks",
            "Links, bookings, payments, WhatsApp, images and socials: every block knows its job.",
        ),
        ("Lead capture", "A form right on your page keeps every email, without duplicates, ready to export."),
        ("Clear analytics", "Views, clicks and unique visitors per day, and which block works best."),
    ],
    footer: "mibio · made for coaches and consultants",
    not_found_title: "Page not found — mibio",
    not_found_heading: "We couldn't find this page",
    not_found_body: "The link may be mistyped, or the page is no longer published.",
    not_found_home: "Back to the home page",
    not_found_sign_in: "Sign in",
    not_found_dashboard: "Go to your dashboard",
};
