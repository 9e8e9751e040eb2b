//! The page settings form: title, bio, address, and the design (theme preset, custom accent
//! colour, button style, corners, font) checked with [`PageTheme::validate`] before saving. The
//! preview follows every keystroke; "Save" writes it all at once.

use contracts::links::{PAGE_BIO_MAX, PAGE_TITLE_MAX, PageView, UpdatePageInput};
use contracts::theme::{ButtonStyle, Corners, FontChoice, PageTheme, ThemePreset};
use contracts::{ErrorCode, Problem, Problems};
use leptos::prelude::*;

use super::Ed;
use crate::api::links::{remove_page_avatar, update_page};
use crate::components::form::FormErrors;
use crate::components::upload::ImageUpload;
use crate::i18n::{self, tr};
use crate::pages::dashboard::page_kit::{SlugField, SlugState};

/// What the form saves, to tell whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Saved {
    title: String,
    bio: String,
    slug: String,
    theme: PageTheme,
    hide_branding: bool,
}

#[component]
pub fn Settings(page: PageView) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let saved = RwSignal::new(Saved {
        title: page.title.clone(),
        bio: page.bio.clone(),
        slug: page.slug.clone(),
        theme: page.theme.clone(),
        hide_branding: page.hide_branding,
    });
    let slug = RwSignal::new(page.slug.clone());
    let slug_state = RwSignal::new(SlugState::Idle);
    let slug_error = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FormErrors::default());
    let pending = RwSignal::new(false);
    let just_saved = RwSignal::new(false);
    let current = move || Saved {
        title: ed.title.get(),
        bio: ed.bio.get(),
        slug: slug.get(),
        theme: ed.theme.get(),
        hide_branding: ed.hide_branding.get(),
    };
    let dirty = Memo::new(move |_| saved.with(|s| *s != current()));
    Effect::new(move |_| {
        let d = dirty.get();
        ed.settings_dirty.set(d);
        if d {
            just_saved.set(false);
        }
    });
    let theme_errors = Memo::new(move |_| ed.theme.with(PageTheme::validate).err().unwrap_or_default());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || !dirty.get_untracked() {
            return;
        }
        let mut local = FormErrors::default();
        if ed.title.with_untracked(|t| t.trim().is_empty()) {
            local.fields.insert("title".into(), i18n::problem(locale, &Problem::Required));
        }
        match slug_state.get_untracked() {
            // The field already says why.
            SlugState::Invalid(_) | SlugState::Taken => {
                local.fields.insert("slug".into(), String::new());
            }
            _ => {}
        }
        if !theme_errors.with_untracked(Problems::is_empty) || !local.fields.is_empty() {
            errors.set(local);
            return;
        }
        errors.set(FormErrors::default());
        let before = saved.get_untracked();
        let now = current();
        let changes = UpdatePageInput {
            title: (now.title != before.title).then(|| now.title.trim().to_owned()),
            bio: (now.bio != before.bio).then(|| now.bio.clone()),
            theme: (now.theme != before.theme).then(|| now.theme.clone()),
            slug: (now.slug != before.slug).then(|| now.slug.clone()),
            published: None,
            hide_branding: (now.hide_branding != before.hide_branding).then_some(now.hide_branding),
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            match update_page(ed.id(), changes).await {
                Ok(page) => {
                    saved.try_set(Saved {
                        title: page.title.clone(),
                        bio: page.bio.clone(),
                        slug: page.slug.clone(),
                        theme: page.theme.clone(),
                        hide_branding: page.hide_branding,
                    });
                    ed.title.try_set(page.title.clone());
                    ed.saved_title.try_set(page.title);
                    ed.slug.try_set(page.slug.clone());
                    slug.try_set(page.slug);
                    slug_state.try_set(SlugState::Idle);
                    just_saved.try_set(true);
                    ed.announce.try_set(tr(locale, "Cambios guardados.", "Changes saved.").to_owned());
                }
                Err(err) => {
                    let form = FormErrors::from_api(&err, locale);
                    if err.code == ErrorCode::SlugUnavailable || form.fields.contains_key("slug") {
                        slug_error.try_set(Some(form.fields.get("slug").cloned().unwrap_or_default()));
                    }
                    if form.general.is_some() {
                        ed.fail(&err);
                    }
                    errors.try_set(form);
                }
            }
            pending.try_set(false);
        });
    };
    let discard = move |_| {
        let s = saved.get_untracked();
        ed.title.set(s.title);
        ed.bio.set(s.bio);
        ed.theme.set(s.theme);
        ed.hide_branding.set(s.hide_branding);
        slug.set(s.slug);
        errors.set(FormErrors::default());
    };
    let field_error =
        move |key: &'static str| move || errors.with(|e| e.field(key)).filter(|p| !p.is_empty());
    let title_error = field_error("title");
    let bio_error = field_error("bio");
    let counter =
        |value: RwSignal<String>, max: usize| move || format!("{}/{max}", value.with(|v| v.chars().count()));
    view! {
        <section class="card ed-card" aria-labelledby="settings-heading">
            <div class="ed-card-head">
                <h2 id="settings-heading">{tr(locale, "Perfil y diseño", "Profile and design")}</h2>
                <span class="quiet-status" data-testid="settings-status">
                    {move || if dirty.get() { tr(locale, "Cambios sin guardar", "Unsaved changes") }
                        else if just_saved.get() { tr(locale, "✓ Guardado", "✓ Saved") } else { "" }}
                </span>
            </div>
            <form class="ed-settings" on:submit=submit novalidate>
                <fieldset class="ed-fieldset" disabled=!ed.can_write>
                    <PageAvatar />
                    <div class="field">
                        <label for="page-title">{tr(locale, "Título", "Title")}</label>
                        <input id="page-title" type="text" maxlength=PAGE_TITLE_MAX.to_string() autocomplete="off"
                            aria-invalid=move || title_error().is_some().to_string() aria-describedby="page-title-note"
                            prop:value=move || ed.title.get() on:input=move |ev| ed.title.set(event_target_value(&ev)) />
                        <p id="page-title-note" class=move || if title_error().is_some() { "hint field-error" } else { "hint" }>
                            {move || title_error().unwrap_or_else(|| counter(ed.title, PAGE_TITLE_MAX)())}
                        </p>
                    </div>
                    <div class="field">
                        <label for="page-bio">{tr(locale, "Presentación", "Bio")}</label>
                        <textarea id="page-bio" rows="3" maxlength=PAGE_BIO_MAX.to_string()
                            aria-invalid=move || bio_error().is_some().to_string() aria-describedby="page-bio-note"
                            prop:value=move || ed.bio.get() on:input=move |ev| ed.bio.set(event_target_value(&ev))></textarea>
                        <p id="page-bio-note" class=move || if bio_error().is_some() { "hint field-error" } else { "hint" }>
                            {move || bio_error().unwrap_or_else(|| counter(ed.bio, PAGE_BIO_MAX)())}
                        </p>
                    </div>
                    <SlugField id="page-slug" value=slug except=ed.id() current=page.slug.clone() server_error=slug_error state=slug_state locale />
                    <ThemeFields theme_errors />
                    <div class="field field-check">
                        <label class="check">
                            <input type="checkbox" data-testid="hide-branding" prop:checked=move || ed.hide_branding.get()
                                on:change=move |ev| ed.hide_branding.set(event_target_checked(&ev)) />
                            <span>
                                {tr(locale, "Ocultar «Hecho con mibio» al pie", "Hide “Made with mibio” at the bottom")}
                                " "<span class="badge badge-soft">"Pro"</span>
                            </span>
                        </label>
                        <p class="hint">{tr(
                            locale,
                            "Disponible en los planes de pago; si el plan termina, el pie vuelve a mostrarse.",
                            "On paid plans; if the plan ends, the footer shows again.",
                        )}</p>
                    </div>
                </fieldset>
                {ed.can_write.then(|| view! {
                    <div class="form-actions ed-save" class:ed-save-sticky=move || dirty.get()>
                        <button type="submit" class="button button-primary" disabled=move || pending.get() || !dirty.get()
                            aria-busy=move || pending.get().to_string()>
                            {move || if pending.get() { tr(locale, "Guardando…", "Saving…") } else { tr(locale, "Guardar cambios", "Save changes") }}
                        </button>
                        <Show when=move || dirty.get() && !pending.get()>
                            <button type="button" class="button button-quiet" on:click=discard>{tr(locale, "Descartar", "Discard")}</button>
                        </Show>
                    </div>
                })}
            </form>
        </section>
    }
}

/// A group of options drawn as chips (radio buttons).
fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    legend: &'static str,
    options: Vec<(T, &'static str)>,
    current: impl Fn() -> T + Copy + Send + Sync + 'static,
    set: impl Fn(T) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let chips = options
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="chip chip-radio">
                    <input type="radio" name=name class="visually-hidden" prop:checked=move || current() == value on:change=move |_| set(value) />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field ed-choice">
            <legend>{legend}</legend>
            <div class="chips">{chips}</div>
        </fieldset>
    }
}

#[component]
fn ThemeFields(theme_errors: Memo<Problems>) -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let presets = ThemePreset::ALL
        .into_iter()
        .map(|preset| {
            let t = preset.tokens();
            let swatch = format!("background:{};color:{}", t.background, t.text);
            let dot = format!("background:{}", t.accent);
            view! {
                <label class="preset">
                    <input type="radio" name="preset" class="visually-hidden" prop:checked=move || ed.theme.with(|th| th.preset == preset)
                        on:change=move |_| ed.theme.update(|th| th.preset = preset) />
                    <span class="preset-swatch" style=swatch aria-hidden="true">
                        <span class="preset-dot" style=dot></span>"Aa"
                    </span>
                    <span class="preset-name">{preset.name(locale)}</span>
                </label>
            }
        })
        .collect_view();
    let accent = move || ed.theme.with(|t| t.resolve().accent);
    let custom = move || ed.theme.with(|t| t.colors.accent.is_some());
    let colour_error = move || {
        theme_errors.with(|e| {
            e.iter().find(|(k, _)| k.starts_with("theme.colors")).map(|(_, v)| i18n::problem(locale, v))
        })
    };
    let buttons = choice(
        "buttons",
        tr(locale, "Botones", "Buttons"),
        vec![
            (ButtonStyle::Filled, tr(locale, "Relleno", "Filled")),
            (ButtonStyle::Outline, tr(locale, "Contorno", "Outline")),
            (ButtonStyle::Soft, tr(locale, "Suave", "Soft")),
            (ButtonStyle::Shadow, tr(locale, "Sombra", "Shadow")),
        ],
        move || ed.theme.with(|t| t.resolve().buttons),
        move |v| ed.theme.update(|t| t.button_style = Some(v)),
    );
    let corners = choice(
        "corners",
        tr(locale, "Esquinas", "Corners"),
        vec![
            (Corners::Square, tr(locale, "Rectas", "Square")),
            (Corners::Rounded, tr(locale, "Redondeadas", "Rounded")),
            (Corners::Pill, tr(locale, "Píldora", "Pill")),
        ],
        move || ed.theme.with(|t| t.resolve().corners),
        move |v| ed.theme.update(|t| t.corners = Some(v)),
    );
    let fonts = choice(
        "font",
        tr(locale, "Tipografía", "Font"),
        vec![
            (FontChoice::Sans, tr(locale, "Sin serifa", "Sans serif")),
            (FontChoice::Serif, tr(locale, "Con serifa", "Serif")),
            (FontChoice::Mono, tr(locale, "Monoespaciada", "Monospace")),
        ],
        move || ed.theme.with(|t| t.font.unwrap_or(FontChoice::Sans)),
        move |v| ed.theme.update(|t| t.font = Some(v)),
    );
    view! {
        <fieldset class="field ed-choice">
            <legend>{tr(locale, "Tema", "Theme")}</legend>
            <div class="presets">{presets}</div>
        </fieldset>
        <div class="field">
            <label for="accent">{tr(locale, "Color de acento", "Accent colour")}</label>
            <div class="accent-row">
                <input id="accent" type="color" aria-describedby="accent-note" aria-invalid=move || colour_error().is_some().to_string()
                    prop:value=accent on:input=move |ev| {
                        let value = event_target_value(&ev);
                        ed.theme.update(|t| t.colors.accent = Some(value));
                    } />
                <code class="accent-hex">{accent}</code>
                <Show when=custom>
                    <button type="button" class="button button-quiet button-sm" on:click=move |_| ed.theme.update(|t| { t.colors.accent = None; t.colors.on_accent = None; })>
                        {tr(locale, "Usar el del tema", "Use the theme's")}
                    </button>
                </Show>
            </div>
            <p id="accent-note" class=move || if colour_error().is_some() { "hint field-error" } else { "hint" } role=move || colour_error().map(|_| "alert")>
                {move || colour_error().unwrap_or_else(|| tr(locale, "El color de los botones; el texto sobre él se elige para que se lea bien.", "The colour of buttons; the text on it is picked to stay readable.").to_owned())}
            </p>
        </div>
        {buttons}
        {corners}
        {fonts}
    }
}

#[cfg(test)]
mod tests {
    use contracts::Locale;

    use super::*;

    #[test]
    fn a_custom_accent_is_checked_like_the_server_does() {
        let mut theme = PageTheme::preset(ThemePreset::Wellness);
        theme.colors.accent = Some("#ffe066".into());
        assert!(theme.validate().is_ok());
        theme.colors.accent = Some("yellow".into());
        let errors = theme.validate().unwrap_err();
        assert_eq!(errors["theme.colors.accent"], Problem::NotAColour);
        assert_eq!(i18n::problem(Locale::Es, &errors["theme.colors.accent"]), "Elige un color como #1e3a5f.");
    }
}

/// The page's avatar: a new picture shows in the preview (and on the public page and its card)
/// as soon as it is uploaded; no "Save" needed.
#[component]
fn PageAvatar() -> impl IntoView {
    let ed = expect_context::<Ed>();
    let locale = ed.locale;
    let endpoint = Signal::derive(move || format!("/api/v1/links/pages/{}/avatar", ed.id()));
    let removing = RwSignal::new(false);
    let uploaded = move |answer: serde_json::Value| {
        ed.avatar_url.set(answer["avatarUrl"].as_str().map(str::to_owned));
        ed.announce.set(tr(locale, "Foto actualizada.", "Photo updated.").to_owned());
    };
    let remove = move |_| {
        removing.set(true);
        leptos::task::spawn_local(async move {
            match remove_page_avatar(ed.id()).await {
                Ok(()) => {
                    ed.avatar_url.try_set(None);
                    ed.announce.try_set(tr(locale, "Foto quitada.", "Photo removed.").to_owned());
                }
                Err(err) => ed.fail(&err),
            }
            removing.try_set(false);
        });
    };
    view! {
        <div class="field">
            <span class="label" id="page-avatar-label">{tr(locale, "Foto", "Photo")}</span>
            <div class="avatar-edit" role="group" aria-labelledby="page-avatar-label">
                {move || match ed.avatar_url.get() {
                    Some(src) => view! { <img class="avatar-large" src=src alt="" width="72" height="72" data-testid="page-avatar" /> }.into_any(),
                    None => view! { <span class="avatar-large" aria-hidden="true">{crate::components::phone_preview::monogram(&ed.title.get())}</span> }.into_any(),
                }}
                {ed.can_write.then(|| view! {
                    <div class="avatar-actions">
                        <ImageUpload endpoint id="page-avatar-file" label=tr(locale, "Subir foto", "Upload photo") locale on_done=uploaded />
                        {move || ed.avatar_url.get().is_some().then(|| view! {
                            <button type="button" class="button button-quiet" disabled=move || removing.get() on:click=remove>
                                {tr(locale, "Quitar foto", "Remove photo")}
                            </button>
                        })}
                    </div>
                })}
            </div>
        </div>
    }
}
