//! `/admin/flags`: every feature flag the code knows — on or off, for what share of people, in
//! which environments, and the users or organizations forced one way — each saved as a whole
//! (the audit log records every change).

use crate::components::head::PageTitle;
use contracts::Locale;
use contracts::flags::{FlagList, FlagOverride, FlagView, PutFlagInput, SubjectKind};
use leptos::either::Either;
use leptos::prelude::*;

use crate::api::admin::{AdminPutFlag, admin_flags};
use crate::components::form::FormErrors;
use crate::components::moment::Moment;
use crate::i18n::tr;
use crate::pages::admin::{AdminCtx, Loading, loaded};

/// The flags screen.
#[component]
pub fn Page() -> impl IntoView {
    let locale = expect_context::<AdminCtx>().locale;
    let list = Resource::new(|| (), |()| admin_flags());
    view! {
        <PageTitle text=tr(locale, "Feature flags — admin — mibio", "Feature flags — admin — mibio") />
        <h1>{tr(locale, "Feature flags", "Feature flags")}</h1>
        <Suspense fallback=move || view! { <Loading locale /> }>
            {move || loaded(list.get(), locale, move |list| view! { <Flags list locale /> })}
        </Suspense>
    }
}

#[component]
fn Flags(list: FlagList, locale: Locale) -> impl IntoView {
    let intro = match locale {
        Locale::Es => format!(
            "Encienden o apagan partes de mibio sin desplegar. Este servidor corre en el entorno «{}».",
            list.environment
        ),
        Locale::En => {
            format!(
                "They turn parts of mibio on or off without a deploy. This server runs in “{}”.",
                list.environment
            )
        }
    };
    view! {
        <p class="lede-sm">{intro}</p>
        <ul class="adm-flags">
            {list.items.into_iter().map(|flag| view! { <FlagCard flag locale /> }).collect_view()}
        </ul>
    }
}

/// A flag's description in the console's language (the code's text otherwise).
fn description(flag: &FlagView, locale: Locale) -> String {
    let es = match flag.key.key() {
        "in-app-browser-hint" => Some(
            "Las páginas públicas abiertas en el navegador de una app (Instagram, TikTok…) sugieren abrirlas en el navegador.",
        ),
        "lead-csv-export" => Some("Los coaches pueden descargar los contactos de una página en CSV."),
        _ => None,
    };
    match (locale, es) {
        (Locale::Es, Some(text)) => text.to_owned(),
        _ => flag.description.clone(),
    }
}

/// One override row being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    key: u32,
    kind: SubjectKind,
    id: String,
    enabled: bool,
}

/// The edited flag, as the server wants it.
#[derive(Clone, Copy)]
struct Draft {
    enabled: RwSignal<bool>,
    rollout: RwSignal<String>,
    environments: RwSignal<String>,
    rows: RwSignal<Vec<Row>>,
    next_key: StoredValue<u32>,
}

impl Draft {
    fn of(flag: &FlagView) -> Self {
        let rows: Vec<Row> = flag
            .overrides
            .iter()
            .zip(0..)
            .map(|(o, key)| Row { key, kind: o.subject_kind, id: o.subject_id.clone(), enabled: o.enabled })
            .collect();
        Self {
            enabled: RwSignal::new(flag.enabled),
            rollout: RwSignal::new(flag.rollout_percentage.to_string()),
            environments: RwSignal::new(flag.environments.join(", ")),
            next_key: StoredValue::new(u32::try_from(rows.len()).unwrap_or(u32::MAX)),
            rows: RwSignal::new(rows),
        }
    }

    fn input(self) -> PutFlagInput {
        PutFlagInput {
            enabled: self.enabled.get_untracked(),
            // Not a number: out of range, so the server names the field.
            rollout_percentage: self.rollout.get_untracked().trim().parse().unwrap_or(-1),
            environments: self
                .environments
                .get_untracked()
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            overrides: self
                .rows
                .get_untracked()
                .into_iter()
                .map(|r| FlagOverride {
                    subject_kind: r.kind,
                    subject_id: r.id.trim().to_owned(),
                    enabled: r.enabled,
                })
                .collect(),
        }
    }

    fn add_row(self) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.rows.update(|rows| {
            rows.push(Row { key, kind: SubjectKind::Organization, id: String::new(), enabled: true })
        });
    }
}

/// The problem of a field (or of any field under it: `environments[1]` for `environments`).
fn problem_of(errors: &FormErrors, prefix: &str) -> Option<String> {
    errors
        .fields
        .iter()
        .find(|(field, _)| {
            *field == prefix
                || field.starts_with(&format!("{prefix}["))
                || field.starts_with(&format!("{prefix}."))
        })
        .map(|(_, problem)| problem.clone())
}

#[component]
fn FlagCard(flag: FlagView, locale: Locale) -> impl IntoView {
    let key = flag.key.key();
    let draft = Draft::of(&flag);
    let saved = RwSignal::new(flag.clone());
    let errors = RwSignal::new(FormErrors::default());
    let status = RwSignal::new(String::new());
    let save = ServerAction::<AdminPutFlag>::new();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(view)) => {
            saved.set(view);
            status.set(tr(locale, "✓ Guardado", "✓ Saved").to_owned());
        }
        Some(Err(err)) => errors.set(FormErrors::from_api(&err, locale)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.set(FormErrors::default());
        status.set(String::new());
        save.dispatch(AdminPutFlag { key: key.to_owned(), input: draft.input() });
    };
    let pending = save.pending();
    let id = |what: &str| format!("flag-{key}-{what}");
    let rollout_error = move || errors.with(|e| problem_of(e, "rolloutPercentage"));
    let env_error = move || errors.with(|e| problem_of(e, "environments"));
    let general = move || errors.with(|e| e.general.clone().or_else(|| e.fields.get("overrides").cloned()));
    let default_line = if flag.default_enabled {
        tr(locale, "Sin ajustar, está encendido.", "Unset, it is on.")
    } else {
        tr(locale, "Sin ajustar, está apagado.", "Unset, it is off.")
    };
    view! {
        <li class="card adm-flag" data-testid="flag">
            <form on:submit=submit novalidate>
                <div class="adm-job-head">
                    <h2><code>{key}</code></h2>
                    <p class="quiet-status" role="status">{move || status.get()}</p>
                </div>
                <p class="adm-flag-desc">{description(&flag, locale)}</p>
                <p class="hint">
                    {move || saved.with(|s| match (s.updated_at.clone(), s.updated_by.clone()) {
                        (Some(at), by) => Either::Left(view! {
                            {tr(locale, "Cambiado ", "Changed ")}<Moment at locale />
                            {by.map(|by| view! { " " {tr(locale, "por ", "by ")} <a href=format!("/admin/users/{by}")>{tr(locale, "este admin", "this admin")}</a> })}
                        }),
                        (None, _) => Either::Right(default_line),
                    })}
                </p>
                <div class="adm-flag-grid">
                    <div class="check adm-flag-on">
                        <input id=id("enabled") type="checkbox" prop:checked=draft.enabled
                            on:change=move |ev| draft.enabled.set(event_target_checked(&ev)) />
                        <label for=id("enabled")>
                            <span class="check-title">{tr(locale, "Encendido", "On")}</span>
                            <span class="check-note">{tr(locale, "Apagado: solo para las excepciones que lo encienden.", "Off: only for the overrides that turn it on.")}</span>
                        </label>
                    </div>
                    <div class="field">
                        <label for=id("rollout")>{tr(locale, "Porcentaje de personas", "Share of people (%)")}</label>
                        <input id=id("rollout") type="number" min="0" max="100" step="1" inputmode="numeric"
                            aria-invalid=move || rollout_error().is_some().to_string() aria-describedby=id("rollout-note")
                            prop:value=draft.rollout on:input=move |ev| draft.rollout.set(event_target_value(&ev)) />
                        <p id=id("rollout-note") class=move || if rollout_error().is_some() { "hint field-error" } else { "hint" }>
                            {move || rollout_error().unwrap_or_else(|| tr(locale, "Siempre las mismas personas para el mismo porcentaje.", "Always the same people for the same share.").to_owned())}
                        </p>
                    </div>
                    <div class="field">
                        <label for=id("envs")>{tr(locale, "Entornos", "Environments")}</label>
                        <input id=id("envs") type="text" autocomplete="off" spellcheck="false"
                            aria-invalid=move || env_error().is_some().to_string() aria-describedby=id("envs-note")
                            prop:value=draft.environments on:input=move |ev| draft.environments.set(event_target_value(&ev)) />
                        <p id=id("envs-note") class=move || if env_error().is_some() { "hint field-error" } else { "hint" }>
                            {move || env_error().unwrap_or_else(|| tr(locale, "Separados por comas; vacío: todos.", "Comma-separated; empty: all of them.").to_owned())}
                        </p>
                    </div>
                </div>
                <Overrides flag_key=key draft errors locale />
                <p class="form-alert" role="alert" hidden=move || general().is_none()>{move || general().unwrap_or_default()}</p>
                <div class="form-actions">
                    <button type="submit" class="button button-primary button-sm" disabled=pending aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { tr(locale, "Guardando…", "Saving…") } else { tr(locale, "Guardar", "Save") }}
                    </button>
                </div>
            </form>
        </li>
    }
}

#[component]
fn Overrides(
    flag_key: &'static str,
    draft: Draft,
    errors: RwSignal<FormErrors>,
    locale: Locale,
) -> impl IntoView {
    let row_view = move |(index, row): (usize, Row)| {
        let base = format!("flag-{flag_key}-o{}", row.key);
        let problem = move || errors.with(|e| problem_of(e, &format!("overrides[{index}]")));
        let key = row.key;
        let set = move |f: &dyn Fn(&mut Row)| {
            draft.rows.update(|rows| rows.iter_mut().filter(|r| r.key == key).for_each(f))
        };
        view! {
            <li class="adm-override">
                <select aria-label=tr(locale, "Tipo", "Kind") class="inline-select"
                    on:change=move |ev| {
                        let kind = if event_target_value(&ev) == "user" { SubjectKind::User } else { SubjectKind::Organization };
                        set(&|r| r.kind = kind);
                    }>
                    <option value="organization" selected=row.kind == SubjectKind::Organization>{tr(locale, "Organización", "Organization")}</option>
                    <option value="user" selected=row.kind == SubjectKind::User>{tr(locale, "Usuario", "User")}</option>
                </select>
                <input type="text" class="adm-override-id" aria-label=tr(locale, "ID", "ID") placeholder="0190…" spellcheck="false"
                    aria-invalid=move || problem().is_some().to_string() aria-describedby=format!("{base}-note")
                    value=row.id.clone() on:input=move |ev| { let v = event_target_value(&ev); set(&|r| r.id = v.clone()); } />
                <select aria-label=tr(locale, "Valor", "Value") class="inline-select"
                    on:change=move |ev| { let on = event_target_value(&ev) == "on"; set(&|r| r.enabled = on); }>
                    <option value="on" selected=row.enabled>{tr(locale, "Encendido", "On")}</option>
                    <option value="off" selected=!row.enabled>{tr(locale, "Apagado", "Off")}</option>
                </select>
                <button type="button" class="button button-quiet button-sm" on:click=move |_| draft.rows.update(|rows| rows.retain(|r| r.key != key))>
                    {tr(locale, "Quitar", "Remove")}
                </button>
                <p id=format!("{base}-note") class="field-error row-note" hidden=move || problem().is_none()>{move || problem().unwrap_or_default()}</p>
            </li>
        }
    };
    view! {
        <fieldset class="adm-overrides">
            <legend>{tr(locale, "Excepciones", "Overrides")}</legend>
            <p class="hint">{tr(locale, "Fuerzan el flag para una organización o un usuario, digan lo que digan el resto de ajustes.", "Force the flag for one organization or user, whatever the rest says.")}</p>
            <ul class="plain-list">
                <For each=move || draft.rows.get().into_iter().enumerate() key=|(i, r)| (*i, r.key) children=row_view />
            </ul>
            <button type="button" class="button button-quiet button-sm" on:click=move |_| draft.add_row()>
                <span aria-hidden="true">"+ "</span>{tr(locale, "Añadir excepción", "Add override")}
            </button>
        </fieldset>
    }
}
