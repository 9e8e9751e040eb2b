//! The inline form of one block: the fields of its type, a visibility window, and the errors of
//! [`BlockConfig::parse`] — the very rules the server applies — next to each field as the coach
//! types.

use std::collections::{BTreeMap, BTreeSet};

use contracts::blocks::{BlockConfig, BlockType, SocialNetwork};
use contracts::{Locale, Problem, Problems};
use leptos::either::Either;
use leptos::prelude::*;
use serde_json::{Map, Value};

use super::schedule;
use crate::components::upload::ImageUpload;
use crate::i18n::{self, tr};

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Url,
    Tel,
    Minutes,
    Multiline,
}

/// One field of a block type's config.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The config key (`buttonLabel`); errors come as `config.buttonLabel`.
    pub key: &'static str,
    pub label: (&'static str, &'static str),
    pub input: Input,
    pub optional: bool,
    pub hint: Option<(&'static str, &'static str)>,
}

const fn field(key: &'static str, es: &'static str, en: &'static str, input: Input) -> FieldSpec {
    FieldSpec { key, label: (es, en), input, optional: false, hint: None }
}

const fn optional(mut spec: FieldSpec) -> FieldSpec {
    spec.optional = true;
    spec
}

const fn hint(mut spec: FieldSpec, es: &'static str, en: &'static str) -> FieldSpec {
    spec.hint = Some((es, en));
    spec
}

const URL: FieldSpec = hint(
    field("url", "Dirección web", "Web address", Input::Url),
    "Empieza por https://",
    "Starts with https://",
);
const BUTTON_TITLE: FieldSpec = field("title", "Texto del botón", "Button text", Input::Text);

/// The fields of a block type (social rows have their own list editor).
#[must_use]
pub fn fields(kind: BlockType) -> &'static [FieldSpec] {
    const LINK: &[FieldSpec] = &[
        BUTTON_TITLE,
        URL,
        optional(field(
            "thumbnailUrl",
            "Miniatura (dirección de una imagen)",
            "Thumbnail (an image address)",
            Input::Url,
        )),
    ];
    const HEADER: &[FieldSpec] = &[field("text", "Texto del título", "Heading text", Input::Text)];
    const PAYMENT: &[FieldSpec] = &[
        BUTTON_TITLE,
        hint(
            URL,
            "Tu enlace de pago (Stripe, PayPal, Mercado Pago…)",
            "Your checkout link (Stripe, PayPal…)",
        ),
        optional(field("priceLabel", "Precio", "Price", Input::Text)),
    ];
    const BOOKING: &[FieldSpec] = &[
        BUTTON_TITLE,
        hint(URL, "Tu agenda (Calendly, Cal.com…)", "Your scheduling page (Calendly, Cal.com…)"),
        optional(field("durationMinutes", "Duración (minutos)", "Length (minutes)", Input::Minutes)),
    ];
    const WHATSAPP: &[FieldSpec] = &[
        hint(
            field("phone", "Número de WhatsApp", "WhatsApp number", Input::Tel),
            "Con + y código de país: +5215512345678",
            "With + and country code: +5215512345678",
        ),
        optional(field("title", "Texto del botón", "Button text", Input::Text)),
        optional(field("message", "Mensaje ya escrito", "Pre-filled message", Input::Multiline)),
    ];
    const LEAD: &[FieldSpec] = &[
        field("title", "Título del formulario", "Form title", Input::Text),
        field("buttonLabel", "Texto del botón", "Button text", Input::Text),
        optional(field("successMessage", "Mensaje de agradecimiento", "Thank-you message", Input::Text)),
        optional(hint(
            field("consentText", "Texto de consentimiento", "Consent text", Input::Multiline),
            "Si lo escribes, el visitante tendrá que aceptarlo.",
            "If you write one, visitors must accept it.",
        )),
    ];
    const IMAGE: &[FieldSpec] = &[
        field("url", "Dirección de la imagen", "Image address", Input::Url),
        hint(
            field("alt", "Descripción de la imagen", "Image description", Input::Text),
            "Para quien no puede verla: qué muestra.",
            "For people who can't see it: what it shows.",
        ),
        optional(field("linkUrl", "Enlace al tocarla", "Link when tapped", Input::Url)),
    ];
    match kind {
        BlockType::Link => LINK,
        BlockType::Header => HEADER,
        BlockType::PaymentLink => PAYMENT,
        BlockType::BookingLink => BOOKING,
        BlockType::Whatsapp => WHATSAPP,
        BlockType::LeadCapture => LEAD,
        BlockType::Image => IMAGE,
        BlockType::SocialRow | BlockType::Embed | BlockType::Testimonial => &[],
    }
}

/// A block type's name and its one sentence for the gallery.
#[must_use]
pub const fn describe_type(kind: BlockType, locale: Locale) -> (&'static str, &'static str) {
    let (es, en) = match kind {
        BlockType::Link => {
            (("Enlace", "Un botón a cualquier página web."), ("Link", "A button to any web page."))
        }
        BlockType::Header => (
            ("Título de sección", "Separa tu página en secciones."),
            ("Section header", "Splits your page into sections."),
        ),
        BlockType::PaymentLink => (
            ("Pago", "Cobra una sesión o un programa con tu enlace de pago."),
            ("Payment", "Get paid for a session or programme through your checkout link."),
        ),
        BlockType::BookingLink => (
            ("Reserva", "Lleva a tu agenda para reservar una sesión."),
            ("Booking", "Sends visitors to your calendar to book a session."),
        ),
        BlockType::Whatsapp => (
            ("WhatsApp", "Abre un chat contigo con un mensaje ya escrito."),
            ("WhatsApp", "Opens a chat with you, message already written."),
        ),
        BlockType::LeadCapture => (
            ("Formulario de contacto", "Recoge correos de interesados sin salir de tu página."),
            ("Lead form", "Collects the emails of interested visitors right on your page."),
        ),
        BlockType::Image => (
            ("Imagen", "Una foto o un banner, con enlace opcional."),
            ("Image", "A photo or banner, optionally linked."),
        ),
        BlockType::SocialRow => (
            ("Redes sociales", "Una fila de iconos a tus redes."),
            ("Social icons", "A row of icons to your social profiles."),
        ),
        BlockType::Embed | BlockType::Testimonial => (("", ""), ("", "")),
    };
    match locale {
        Locale::Es => es,
        Locale::En => en,
    }
}

/// What a new block of a type starts with.
#[must_use]
pub fn starter(kind: BlockType, locale: Locale) -> Value {
    let mut config = Map::new();
    let mut set = |k: &str, v: &str| {
        config.insert(k.to_owned(), Value::String(v.to_owned()));
    };
    match kind {
        BlockType::LeadCapture => {
            set("title", tr(locale, "Recibe novedades en tu correo", "Get news by email"));
            set("buttonLabel", tr(locale, "Suscribirme", "Subscribe"));
        }
        BlockType::SocialRow => {
            let link = serde_json::json!({"network": "instagram", "url": ""});
            config.insert("links".into(), Value::Array(vec![link]));
        }
        _ => {}
    }
    Value::Object(config)
}

/// The config JSON of a draft: texts as typed, empty optional fields left out, minutes as a
/// number. Returns the problems only the form can see (minutes that are not a number).
#[must_use]
pub fn draft_config(
    kind: BlockType,
    values: &BTreeMap<String, String>,
    links: &[(SocialNetwork, String)],
) -> (Value, Problems) {
    let mut config = Map::new();
    let mut problems = Problems::new();
    if kind == BlockType::SocialRow {
        let links = links
            .iter()
            .map(|(network, url)| serde_json::json!({"network": network.as_str(), "url": url}))
            .collect();
        config.insert("links".into(), Value::Array(links));
        return (Value::Object(config), problems);
    }
    for spec in fields(kind) {
        let value = values.get(spec.key).map(String::as_str).unwrap_or_default();
        if spec.optional && value.trim().is_empty() {
            continue;
        }
        if spec.input == Input::Minutes {
            match value.trim().parse::<u16>() {
                Ok(minutes) => {
                    config.insert(spec.key.to_owned(), Value::from(minutes));
                }
                Err(_) => {
                    let range = Problem::MinutesOutOfRange { min: 1, max: 1440 };
                    problems.insert(format!("config.{}", spec.key), range);
                }
            }
            continue;
        }
        config.insert(spec.key.to_owned(), Value::String(value.to_owned()));
    }
    (Value::Object(config), problems)
}

/// A config's fields as the form's texts.
#[must_use]
pub fn draft_values(config: &Value) -> BTreeMap<String, String> {
    let Some(object) = config.as_object() else { return BTreeMap::new() };
    object
        .iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k.clone(), s.clone())),
            Value::Number(n) => Some((k.clone(), n.to_string())),
            _ => None,
        })
        .collect()
}

/// A social row's links as the form's rows.
#[must_use]
pub fn draft_links(config: &Value) -> Vec<(SocialNetwork, String)> {
    config
        .get("links")
        .and_then(Value::as_array)
        .map(|links| {
            links
                .iter()
                .filter_map(|l| {
                    let network = serde_json::from_value(l.get("network")?.clone()).ok()?;
                    Some((network, l.get("url")?.as_str()?.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The editing state of one block form.
#[derive(Debug, Clone, Copy)]
pub struct Draft {
    pub kind: BlockType,
    pub values: RwSignal<BTreeMap<String, String>>,
    pub links: RwSignal<Vec<(u32, SocialNetwork, String)>>,
    next_link: StoredValue<u32>,
    /// `datetime-local` values (the browser's zone); empty = no bound.
    pub from: RwSignal<String>,
    pub until: RwSignal<String>,
    /// Fields the coach has left (their errors show); `submitted` shows them all.
    touched: RwSignal<BTreeSet<String>>,
    pub submitted: RwSignal<bool>,
    /// Problems from the last save, until the field changes.
    pub server: RwSignal<Problems>,
}

impl Draft {
    /// A draft of a block of `kind` with `config`, visible from/until the given UTC instants.
    #[must_use]
    pub fn new(kind: BlockType, config: &Value, from: Option<&str>, until: Option<&str>) -> Self {
        let links: Vec<_> = draft_links(config)
            .into_iter()
            .zip(0..)
            .map(|((network, url), key)| (key, network, url))
            .collect();
        let local = |t: Option<&str>| t.and_then(schedule::to_local).unwrap_or_default();
        Self {
            kind,
            values: RwSignal::new(draft_values(config)),
            next_link: StoredValue::new(u32::try_from(links.len()).unwrap_or_default()),
            links: RwSignal::new(links),
            from: RwSignal::new(local(from)),
            until: RwSignal::new(local(until)),
            touched: RwSignal::new(BTreeSet::new()),
            submitted: RwSignal::new(false),
            server: RwSignal::new(Problems::new()),
        }
    }

    /// The config as typed and every problem with it (the rules of [`BlockConfig::parse`], plus
    /// the form's own), keyed `config.url`, `visibleUntil`…
    pub fn check(&self) -> (Value, Result<BlockConfig, Problems>) {
        let links: Vec<_> = self.links.with(|l| l.iter().map(|(_, n, u)| (*n, u.clone())).collect());
        let (json, mut problems) = self.values.with(|v| draft_config(self.kind, v, &links));
        let parsed = BlockConfig::parse(self.kind.as_str(), json.clone());
        if let Err(errors) = &parsed {
            for (k, v) in errors {
                problems.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        if let Some(problem) = self.window_problem() {
            problems.insert("visibleUntil".into(), problem);
        }
        match parsed {
            Ok(config) if problems.is_empty() => (json, Ok(config)),
            _ => (json, Err(problems)),
        }
    }

    fn window_problem(&self) -> Option<Problem> {
        let (from, until) = (self.from.get(), self.until.get());
        let ends_first = !from.is_empty() && !until.is_empty() && until <= from;
        ends_first.then(|| Problem::MustBeAfter { field: "visibleFrom".into() })
    }

    /// The visibility window as UTC (`None` = no bound).
    #[must_use]
    pub fn window(&self) -> (Option<String>, Option<String>) {
        let utc = |v: String| (!v.is_empty()).then(|| schedule::to_utc(&v)).flatten();
        (utc(self.from.get_untracked()), utc(self.until.get_untracked()))
    }

    /// The problem to show next to `key`, in words.
    fn shown(&self, key: &str, locale: Locale) -> Option<String> {
        if let Some(problem) = self.server.with(|s| s.get(key).map(|p| i18n::problem(locale, p))) {
            return Some(problem);
        }
        let short =
            key.strip_prefix("config.").unwrap_or(key).split('[').next().unwrap_or_default().to_owned();
        if !self.submitted.get() && !self.touched.with(|t| t.contains(&short)) {
            return None;
        }
        self.check().1.err()?.get(key).map(|problem| i18n::problem(locale, problem))
    }

    fn touch(&self, key: &str) {
        self.touched.update(|t| {
            t.insert(key.to_owned());
        });
    }

    fn set(&self, key: &'static str, value: String) {
        self.values.update(|v| {
            v.insert(key.to_owned(), value);
        });
        self.server.update(|s| {
            s.remove(&format!("config.{key}"));
        });
    }
}

/// The form of a draft. `prefix` makes the ids unique on the page.
#[component]
pub fn DraftFields(draft: Draft, prefix: String, locale: Locale) -> impl IntoView {
    let inputs =
        fields(draft.kind).iter().map(|spec| field_view(draft, *spec, &prefix, locale)).collect_view();
    let social = (draft.kind == BlockType::SocialRow).then(|| social_links(draft, prefix.clone(), locale));
    view! {
        {inputs}
        {social}
        <Window draft prefix=prefix.clone() locale />
    }
}

fn note(draft: Draft, key: String, hint: Option<String>, locale: Locale, id: String) -> impl IntoView {
    let error = {
        let key = key.clone();
        move || draft.shown(&key, locale)
    };
    let class = {
        let error = error.clone();
        move || if error().is_some() { "hint field-error" } else { "hint" }
    };
    view! { <p id=id class=class>{move || error().or_else(|| hint.clone()).unwrap_or_default()}</p> }
}

fn field_view(draft: Draft, spec: FieldSpec, prefix: &str, locale: Locale) -> impl IntoView + use<> {
    let id = format!("{prefix}-{}", spec.key);
    let note_id = format!("{id}-note");
    let key = spec.key;
    let error_key = format!("config.{key}");
    let invalid = {
        let error_key = error_key.clone();
        move || draft.shown(&error_key, locale).is_some().to_string()
    };
    let value = move || draft.values.with(|v| v.get(key).cloned().unwrap_or_default());
    let label = tr(locale, spec.label.0, spec.label.1);
    let optional_mark = spec
        .optional
        .then(|| view! { <span class="muted">{tr(locale, " (opcional)", " (optional)")}</span> });
    let (kind, inputmode) = match spec.input {
        Input::Url => ("url", "url"),
        Input::Tel => ("tel", "tel"),
        Input::Minutes => ("text", "numeric"),
        Input::Text | Input::Multiline => ("text", "text"),
    };
    let control = if spec.input == Input::Multiline {
        Either::Left(view! {
            <textarea id=id.clone() rows="3" aria-invalid=invalid aria-describedby=note_id.clone()
                prop:value=value on:input=move |ev| draft.set(key, event_target_value(&ev))
                on:blur=move |_| draft.touch(key)></textarea>
        })
    } else {
        Either::Right(view! {
            <input id=id.clone() type=kind inputmode=inputmode autocomplete="off" aria-invalid=invalid
                aria-describedby=note_id.clone() prop:value=value
                on:input=move |ev| draft.set(key, event_target_value(&ev))
                on:blur=move |_| draft.touch(key) />
        })
    };
    let hint = spec.hint.map(|(es, en)| tr(locale, es, en).to_owned());
    // An IMAGE block's picture can be an address or a file of the coach's own: uploading it
    // fills the address in.
    let upload = (draft.kind == BlockType::Image && key == "url")
        .then(use_context::<super::Ed>)
        .flatten()
        .filter(|ed| ed.can_write)
        .map(|ed| {
            let endpoint = Signal::derive(move || format!("/api/v1/links/pages/{}/images", ed.id()));
            let done = move |answer: Value| {
                if let Some(url) = answer["url"].as_str() {
                    draft.set(key, url.to_owned());
                    draft.touch(key);
                }
            };
            let upload_id = format!("{prefix}-upload");
            view! {
                <ImageUpload endpoint id=upload_id label=tr(locale, "O sube una imagen", "Or upload a picture") locale on_done=done />
            }
        });
    view! {
        <div class="field">
            <label for=id>{label}{optional_mark}</label>
            {control}
            {note(draft, error_key, hint, locale, note_id)}
            {upload}
        </div>
    }
}

fn social_links(draft: Draft, prefix: String, locale: Locale) -> impl IntoView {
    let add = move |_| {
        let key = draft.next_link.get_value();
        draft.next_link.set_value(key + 1);
        draft.links.update(|l| l.push((key, SocialNetwork::Instagram, String::new())));
    };
    let list_note = format!("{prefix}-links-note");
    let rows = move || {
        let prefix = prefix.clone();
        let row = move |(index, (key, network, url))| {
            social_row(draft, prefix.clone(), index, key, network, url, locale)
        };
        draft.links.get().into_iter().enumerate().map(row).collect_view()
    };
    view! {
        <fieldset class="field social-links">
            <legend>{tr(locale, "Tus redes", "Your networks")}</legend>
            <ul class="social-list">{rows}</ul>
            {note(draft, "config.links".into(), None, locale, list_note)}
            <div>
                <button type="button" class="button button-quiet button-sm" on:click=add>
                    {tr(locale, "+ Añadir red", "+ Add network")}
                </button>
            </div>
        </fieldset>
    }
}

fn social_row(
    draft: Draft,
    prefix: String,
    index: usize,
    key: u32,
    network: SocialNetwork,
    url: String,
    locale: Locale,
) -> impl IntoView {
    let select_id = format!("{prefix}-net-{key}");
    let url_id = format!("{prefix}-url-{key}");
    let note_id = format!("{url_id}-note");
    let error_key = format!("config.links[{index}].url");
    let invalid = {
        let error_key = error_key.clone();
        move || draft.shown(&error_key, locale).is_some().to_string()
    };
    let update = move |f: &dyn Fn(&mut (u32, SocialNetwork, String))| {
        draft.links.update(|l| {
            if let Some(row) = l.iter_mut().find(|r| r.0 == key) {
                f(row);
            }
        });
        draft.server.update(|s| s.retain(|k, _| !k.starts_with("config.links")));
    };
    let options = SocialNetwork::ALL
        .into_iter()
        .map(|n| {
            let name =
                if n == SocialNetwork::Website { tr(locale, "Sitio web", "Website") } else { n.label() };
            view! { <option value=n.as_str() selected=n == network>{name}</option> }
        })
        .collect_view();
    view! {
        <li class="social-item">
            <label class="visually-hidden" for=select_id.clone()>{tr(locale, "Red", "Network")}</label>
            <select id=select_id class="inline-select" on:change=move |ev| {
                let chosen = serde_json::from_value(Value::String(event_target_value(&ev)));
                if let Ok(chosen) = chosen { update(&|row| row.1 = chosen); }
            }>{options}</select>
            <div class="social-url">
                <label class="visually-hidden" for=url_id.clone()>{format!("{} {}", tr(locale, "Dirección de", "Address of"), network.label())}</label>
                <input id=url_id type="url" inputmode="url" autocomplete="off" placeholder="https://" value=url
                    aria-invalid=invalid aria-describedby=note_id.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); update(&|row| row.2 = v.clone()); }
                    on:blur=move |_| draft.touch("links") />
                {note(draft, error_key, None, locale, note_id)}
            </div>
            <button type="button" class="icon-button" aria-label=tr(locale, "Quitar esta red", "Remove this network")
                on:click=move |_| draft.links.update(|l| l.retain(|r| r.0 != key))>"×"</button>
        </li>
    }
}

/// The visibility window: two local date-times.
#[component]
fn Window(draft: Draft, prefix: String, locale: Locale) -> impl IntoView {
    let from_id = format!("{prefix}-from");
    let until_id = format!("{prefix}-until");
    let until_note = format!("{until_id}-note");
    let zone = schedule::zone_name();
    let hint = match (locale, zone) {
        (Locale::Es, Some(zone)) => format!("Hora local ({zone}). Vacío: siempre visible."),
        (Locale::En, Some(zone)) => format!("Local time ({zone}). Empty: always visible."),
        (Locale::Es, None) => "Hora local. Vacío: siempre visible.".to_owned(),
        (Locale::En, None) => "Local time. Empty: always visible.".to_owned(),
    };
    let has_window = move || !draft.from.get().is_empty() || !draft.until.get().is_empty();
    let invalid = move || draft.shown("visibleUntil", locale).is_some().to_string();
    view! {
        <fieldset class="field blk-window">
            <legend>{tr(locale, "Visibilidad programada", "Scheduled visibility")}</legend>
            <div class="blk-window-fields">
                <div class="field">
                    <label for=from_id.clone()>{tr(locale, "Mostrar desde", "Show from")}</label>
                    <input id=from_id type="datetime-local" prop:value=move || draft.from.get()
                        on:input=move |ev| draft.from.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for=until_id.clone()>{tr(locale, "Ocultar desde", "Hide from")}</label>
                    <input id=until_id type="datetime-local" aria-invalid=invalid aria-describedby=until_note.clone()
                        prop:value=move || draft.until.get()
                        on:input=move |ev| { draft.until.set(event_target_value(&ev)); draft.touch("visibleUntil"); } />
                </div>
            </div>
            {note(draft, "visibleUntil".into(), Some(hint), locale, until_note)}
            <Show when=has_window>
                <button type="button" class="button button-quiet button-sm" on:click=move |_| { draft.from.set(String::new()); draft.until.set(String::new()); }>
                    {tr(locale, "Quitar fechas", "Clear dates")}
                </button>
            </Show>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn drafts_build_the_config_the_server_expects() {
        let values = BTreeMap::from([
            ("url".to_owned(), "https://cal.com/ana".to_owned()),
            ("title".to_owned(), "Agenda".to_owned()),
            ("durationMinutes".to_owned(), " 45 ".to_owned()),
        ]);
        let (config, problems) = draft_config(BlockType::BookingLink, &values, &[]);
        assert!(problems.is_empty());
        assert_eq!(config, json!({"url": "https://cal.com/ana", "title": "Agenda", "durationMinutes": 45}));
        assert!(BlockConfig::parse("BOOKING_LINK", config).is_ok());

        // Empty optional fields are left out; a required one stays, for parse to name.
        let values =
            BTreeMap::from([("title".to_owned(), String::new()), ("priceLabel".to_owned(), "  ".to_owned())]);
        let (config, _) = draft_config(BlockType::PaymentLink, &values, &[]);
        assert_eq!(config, json!({"title": "", "url": ""}));
        let errors = BlockConfig::parse("PAYMENT_LINK", config).unwrap_err();
        assert_eq!(errors.get("config.title"), Some(&Problem::Required));
        assert!(errors.contains_key("config.url"));

        let values = BTreeMap::from([("durationMinutes".to_owned(), "media hora".to_owned())]);
        let (_, problems) = draft_config(BlockType::BookingLink, &values, &[]);
        assert_eq!(problems["config.durationMinutes"], Problem::MinutesOutOfRange { min: 1, max: 1440 });
        assert_eq!(i18n::problem(Locale::Es, &problems["config.durationMinutes"]), "Entre 1 y 1440 minutos.");
    }

    #[test]
    fn social_rows_round_trip() {
        let config = json!({"links": [{"network": "tiktok", "url": "https://tiktok.com/@ana"}]});
        let links = draft_links(&config);
        assert_eq!(links, vec![(SocialNetwork::Tiktok, "https://tiktok.com/@ana".to_owned())]);
        let (rebuilt, _) = draft_config(BlockType::SocialRow, &BTreeMap::new(), &links);
        assert_eq!(rebuilt, config);
        assert_eq!(draft_values(&json!({"a": "x", "n": 30, "o": {}})).len(), 2);
    }

    #[test]
    fn every_creatable_type_has_a_name_and_a_form() {
        for kind in BlockType::CREATABLE {
            let (name, sentence) = describe_type(kind, Locale::Es);
            assert!(!name.is_empty() && sentence.ends_with('.'), "{kind}");
            assert!(kind == BlockType::SocialRow || !fields(kind).is_empty(), "{kind}");
            let starter = starter(kind, Locale::En);
            assert!(starter.is_object());
        }
        let lead = starter(BlockType::LeadCapture, Locale::Es);
        assert!(BlockConfig::parse("LEAD_CAPTURE", lead).is_ok());
    }
}
