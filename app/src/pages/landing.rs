//! `/`: the marketing landing page, with a live, hydrated demo of a coach's page, and the way in
//! (create an account, sign in, or the dashboard for a visitor who is signed in).

use crate::components::head::{PageMeta, PageTitle};
use contracts::Locale;
use contracts::slug::{self, Slug, SlugError};
use contracts::theme::ThemePreset;
use leptos::either::Either;
use leptos::prelude::*;

use crate::components::phone_preview::PhonePreview;
use crate::components::session_hint::signed_in;
use crate::components::site_header::SiteHeader;
use crate::i18n::{Texts, texts};

/// The landing page.
#[component]
pub fn Landing(locale: Locale) -> impl IntoView {
    let t = texts(locale);
    let (typed_name, set_typed_name) = signal(String::new());
    let (theme, set_theme) = signal(ThemePreset::Ejecutivo);

    // What the preview shows: the typed name, or the placeholder until something is typed.
    let name = Signal::derive(move || {
        let typed = typed_name.get();
        if typed.trim().is_empty() { t.name_placeholder.to_owned() } else { typed.trim().to_owned() }
    });
    let suggested = Signal::derive(move || slug::suggest(&name.get()));
    let path = Signal::derive(move || format!("/{}", suggested.get()));
    let slug_problem = move || slug_hint(t, &suggested.get());

    view! {
        <PageTitle text=t.title />
        <PageMeta name="description" content=t.description />
        <SocialTags locale />
        <SiteHeader locale />
        <main id="main">
            <section class="hero" aria-labelledby="hero-heading">
                <div class="hero-copy">
                    <p class="eyebrow">{t.eyebrow}</p>
                    <h1 id="hero-heading">{t.headline}</h1>
                    <p class="lede">{t.lede}</p>
                    <HeroActions locale />
                </div>
                <div class="try card" aria-labelledby="try-heading">
                    <h2 id="try-heading">{t.try_heading}</h2>
                    <div class="field">
                        <label for="claim-name">{t.name_label}</label>
                        <input
                            id="claim-name"
                            name="name"
                            type="text"
                            autocomplete="name"
                            maxlength="60"
                            placeholder=t.name_placeholder
                            aria-describedby="claim-hint"
                            prop:value=typed_name
                            on:input=move |ev| set_typed_name.set(event_target_value(&ev))
                        />
                        <p id="claim-hint" class="hint" aria-live="polite">
                            {move || slug_problem().unwrap_or(t.name_hint)}
                        </p>
                    </div>
                    <fieldset class="field theme-picker">
                        <legend>{t.style_label}</legend>
                        <div class="chips">
                            {ThemePreset::ALL
                                .into_iter()
                                .map(|preset| {
                                    view! {
                                        <button
                                            type="button"
                                            class="chip"
                                            data-theme-choice=preset.id()
                                            aria-pressed=move || (theme.get() == preset).to_string()
                                            on:click=move |_| set_theme.set(preset)
                                        >
                                            <span
                                                class="chip-swatch"
                                                aria-hidden="true"
                                                style=format!("background:{}", preset.tokens().accent)
                                            ></span>
                                            {preset.name(locale)}
                                        </button>
                                    }
                                })
                                .collect_view()}
                        </div>
                    </fieldset>
                </div>
                <PhonePreview texts=t name path theme />
            </section>
            <section class="features" aria-labelledby="features-heading">
                <h2 id="features-heading">{t.features_heading}</h2>
                <ul class="feature-list">
                    {t
                        .features
                        .iter()
                        .map(|(title, body)| {
                            view! {
                                <li class="card feature">
                                    <h3>{*title}</h3>
                                    <p>{*body}</p>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </main>
        <footer class="site-footer">
            <p>{t.footer}</p>
        </footer>
    }
}

/// The way in, right under the pitch: create an account (primary) or sign in; a visitor who is
/// signed in gets their dashboard instead.
#[component]
fn HeroActions(locale: Locale) -> impl IntoView {
    let t = texts(locale);
    let actions = if signed_in() {
        Either::Left(view! {
            <a class="button button-primary" href="/dashboard" rel="external">{t.cta_dashboard}</a>
        })
    } else {
        Either::Right(view! {
            <a class="button button-primary" href="/signup">{t.cta_sign_up}</a>
            <a class="button button-quiet" href="/signin">{t.cta_sign_in}</a>
        })
    };
    view! { <div class="hero-actions">{actions}</div> }
}

/// The OpenGraph and Twitter tags: mibio's own card, `/opengraph-image` in this language, by
/// absolute URL (crawlers need one).
#[component]
fn SocialTags(locale: Locale) -> impl IntoView {
    let t = texts(locale);
    let origin = public_origin();
    let image = format!("{origin}/opengraph-image?lang={}", locale.tag());
    let alt = format!("mibio — {}", t.headline);
    let og_locale = if locale == Locale::En { "en_US" } else { "es_ES" };
    view! {
        <PageMeta property="og:type" content="website" />
        <PageMeta property="og:site_name" content="mibio" />
        <PageMeta property="og:locale" content=og_locale />
        <PageMeta property="og:title" content=t.title />
        <PageMeta property="og:description" content=t.description />
        <PageMeta property="og:url" content=format!("{origin}/") />
        <PageMeta property="og:image" content=image.clone() />
        <PageMeta property="og:image:type" content="image/png" />
        <PageMeta property="og:image:width" content="1200" />
        <PageMeta property="og:image:height" content="630" />
        <PageMeta property="og:image:alt" content=alt />
        <PageMeta name="twitter:card" content="summary_large_image" />
        <PageMeta name="twitter:image" content=image />
    }
}

/// The site's public origin (`PUBLIC_URL` on the server; where the page was loaded from in the
/// browser, which is the same place).
fn public_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::Services>()
            .map(|s| s.iam.public_url.trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// A problem with the address made from the typed name, in the visitor's words.
fn slug_hint(t: &'static Texts, suggested: &str) -> Option<&'static str> {
    match Slug::parse(suggested) {
        Ok(_) => None,
        Err(SlugError::Reserved) => Some(t.slug_reserved),
        Err(_) => Some(t.slug_too_short),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_explain_unusable_addresses() {
        let t = texts(Locale::En);
        assert_eq!(slug_hint(t, "ana-perez"), None);
        assert_eq!(slug_hint(t, "admin"), Some(t.slug_reserved));
        assert_eq!(slug_hint(t, "al"), Some(t.slug_too_short));
        assert_eq!(slug_hint(t, ""), Some(t.slug_too_short));
    }
}
