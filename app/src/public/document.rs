//! The public page as a complete HTML document, rendered on the server with Leptos and sent
//! without WASM or hydration: one inline `<style>`, one inline `<script>` ([`PROFILE_SCRIPT`],
//! allowed by its CSP hash), and a page that reads and works without it.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use contracts::Locale;
use contracts::links::{PublicBlock, PublicPage, PublicPageView};
use contracts::theme::{ButtonStyle, Corners, PageTheme, ResolvedTheme, ThemeColors, ThemePreset};
use leptos::prelude::*;
use sha2::{Digest as _, Sha256};

use super::blocks::ProfileBlock;
pub use super::in_app::is_in_app_browser;
use super::{LeadFormError, LeadFormState, PUBLIC_CSS, ROOT_CLASS, theme_attrs};
use crate::components::phone_preview::monogram;
use crate::i18n::{texts, tr};

/// The page's only script: a view beacon on load, a click beacon for `a[data-block-id]`, and
/// lead forms sent as JSON with inline errors. Embedded byte for byte, so that
/// [`profile_script_csp_hash`] allows it.
pub const PROFILE_SCRIPT: &str = include_str!("profile.js");

/// Bios longer than this get a "more" control (about three lines on a phone).
const BIO_CLAMP_CHARS: usize = 120;

/// How a profile is rendered for one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileRender {
    pub locale: Locale,
    /// The site's public origin (`https://mibio.example`), for absolute canonical and OpenGraph
    /// URLs. A trailing slash is ignored.
    pub public_url: String,
    /// The lead form that shows its thank-you (`?subscribed=1&block={id}`).
    pub subscribed_block: Option<String>,
    /// `?subscribed=1`: without `subscribed_block`, every lead form shows its thank-you.
    pub subscribed: bool,
    /// A refused no-JavaScript lead post, shown next to the field at fault.
    pub lead_error: Option<LeadFormError>,
    /// Whether to show the "open in your browser" hint (see [`is_in_app_browser`]).
    pub in_app_browser: bool,
}

impl ProfileRender {
    /// What the lead form of block `block_id` shows.
    #[must_use]
    pub fn lead_state(&self, block_id: &str) -> LeadFormState {
        if let Some(error) = self.lead_error.as_ref().filter(|e| e.block_id == block_id) {
            return LeadFormState::Failed { field: error.field.clone(), message: error.message.clone() };
        }
        let subscribed = match &self.subscribed_block {
            Some(block) => block == block_id,
            None => self.subscribed,
        };
        if subscribed { LeadFormState::Subscribed } else { LeadFormState::Blank }
    }
}

/// The complete HTML document of a published page (`<!DOCTYPE html>` included).
#[must_use]
pub fn render_profile(view: &PublicPageView, opts: &ProfileRender) -> String {
    let page = view.page.clone();
    let blocks = view.blocks.clone();
    let opts = opts.clone();
    render_document(move || profile_document(page, blocks, opts))
}

/// The styled, standalone 404 document for a slug that names no published page.
#[must_use]
pub fn render_not_found(locale: Locale, public_url: &str) -> String {
    let home = format!("{}/", public_url.trim_end_matches('/'));
    render_document(move || not_found_document(locale, home))
}

/// The `script-src` source that allows [`PROFILE_SCRIPT`]: `'sha256-…'`.
#[must_use]
pub fn profile_script_csp_hash() -> String {
    static HASH: LazyLock<String> =
        LazyLock::new(|| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(PROFILE_SCRIPT.as_bytes()))));
    HASH.clone()
}

pub(super) fn render_document<V: IntoView + 'static>(build: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    let html = owner.with(|| build().to_html());
    format!("<!DOCTYPE html>{html}")
}

fn profile_document(page: PublicPage, blocks: Vec<PublicBlock>, opts: ProfileRender) -> impl IntoView {
    let locale = opts.locale;
    let theme = page.theme.resolve();
    let (style, buttons) = theme_attrs(&theme);
    let blocks = blocks
        .into_iter()
        .map(|block| {
            let lead = opts.lead_state(&block.id);
            view! { <ProfileBlock block slug=page.slug.clone() locale lead /> }
        })
        .collect_view();
    view! {
        <html lang=locale.tag()>
            {profile_head(&page, &opts, &theme)}
            <body class=ROOT_CLASS data-buttons=buttons style=style data-slug=page.slug.clone()>
                {opts.in_app_browser.then(|| in_app_hint(locale))}
                <div class="sheet">
                    <main id="main">
                        <header class="head">
                            {avatar(&page)} <h1>{page.title.clone()}</h1> {bio(&page.bio, locale)}
                        </header>
                        <div class="blocks">{blocks}</div>
                    </main>
                    {page.branding.then(|| footer(locale))}
                </div>
                <script>{PROFILE_SCRIPT}</script>
            </body>
        </html>
    }
}

fn profile_head(page: &PublicPage, opts: &ProfileRender, theme: &ResolvedTheme) -> impl IntoView + use<> {
    let origin = opts.public_url.trim_end_matches('/');
    let url = format!("{origin}/{}", page.slug);
    let image = format!("{url}/opengraph-image");
    let title = page.title.clone();
    let description = description(page, opts.locale);
    let og_locale = tr(opts.locale, "es_ES", "en_US");
    let image_alt = format!("{title} — mibio");
    view! {
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
            <title>{title.clone()}</title>
            <meta name="description" content=description.clone() />
            <meta name="theme-color" content=theme.surface.clone() />
            <link rel="canonical" href=url.clone() />
            <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
            {og("og:type", "profile")}
            {og("og:site_name", "mibio")}
            {og("og:locale", og_locale)}
            {og("og:title", title.clone())}
            {og("og:description", description.clone())}
            {og("og:url", url)}
            {og("og:image", image.clone())}
            {og("og:image:width", "1200")}
            {og("og:image:height", "630")}
            {og("og:image:alt", image_alt)}
            <meta name="twitter:card" content="summary_large_image" />
            <meta name="twitter:title" content=title />
            <meta name="twitter:description" content=description />
            <meta name="twitter:image" content=image />
            <style>{PUBLIC_CSS}</style>
        </head>
    }
}

/// An OpenGraph `<meta property=… content=…>` (the `view!` macro knows no `property` attribute).
fn og(property: &'static str, content: impl Into<String>) -> impl IntoView {
    leptos::html::meta().attr("property", property).attr("content", content.into())
}

/// The meta description: the bio on one line, or a sentence naming the coach.
fn description(page: &PublicPage, locale: Locale) -> String {
    let bio = page.bio.split_whitespace().collect::<Vec<_>>().join(" ");
    if bio.is_empty() {
        let tail = tr(
            locale,
            "reservas, pagos y contacto en un solo enlace.",
            "bookings, payments and contact in one link.",
        );
        format!("{} — {tail}", page.title)
    } else {
        bio
    }
}

fn avatar(page: &PublicPage) -> impl IntoView + use<> {
    match page.avatar_url.clone() {
        Some(src) => view! {
            <img class="avatar" src=src alt="" width="96" height="96" decoding="async" fetchpriority="high" />
        }
        .into_any(),
        None => {
            let initials = monogram(&page.title);
            let initials = if initials.is_empty() { "·".to_owned() } else { initials };
            view! { <div class="avatar" aria-hidden="true">{initials}</div> }.into_any()
        }
    }
}

/// The bio, clamped to about three lines behind a checkbox "more" control that needs no script.
fn bio(bio: &str, locale: Locale) -> Option<impl IntoView + use<>> {
    let bio = bio.trim().to_owned();
    if bio.is_empty() {
        return None;
    }
    let long = bio.chars().count() > BIO_CLAMP_CHARS || bio.lines().count() > 3;
    let more = long.then(|| {
        view! {
            <input type="checkbox" id="bio-more" class="more-toggle sr-only" />
            <p class="bio">{bio.clone()}</p>
            <label for="bio-more" class="more">
                <span class="more-more">{tr(locale, "Ver más", "Show more")}</span>
                <span class="more-less">{tr(locale, "Ver menos", "Show less")}</span>
            </label>
        }
    });
    let short = (!long).then(|| view! { <p class="bio">{bio.clone()}</p> });
    Some(view! { <div class=if long { "bio-wrap bio-long" } else { "bio-wrap" }>{more} {short}</div> })
}

pub(super) fn footer(locale: Locale) -> impl IntoView {
    view! {
        <footer class="foot">
            <a href="/">{tr(locale, "Hecho con", "Made with")} " " <b>"mibio"</b></a>
        </footer>
    }
}

/// The slim "open in your browser" bar; its checkbox hides it without JavaScript.
fn in_app_hint(locale: Locale) -> impl IntoView {
    view! {
        <aside class="hint" aria-label=tr(locale, "Aviso", "Notice")>
            <input type="checkbox" id="hint-off" class="hint-off sr-only" />
            <div class="hint-bar">
                <p>
                    <strong>{tr(locale, "Abrir en el navegador", "Open in your browser")}</strong>
                    " "
                    {tr(
                        locale,
                        "Toca ⋯ o ⋮ y elige «Abrir en el navegador»: los pagos y las reservas funcionan mejor allí.",
                        "Tap ⋯ or ⋮ and choose “Open in browser”: checkout and booking pages work better there.",
                    )}
                </p>
                <label for="hint-off" class="hint-x">
                    <span aria-hidden="true">"×"</span>
                    <span class="sr-only">{tr(locale, "Cerrar aviso", "Dismiss")}</span>
                </label>
            </div>
        </aside>
    }
}

/// mibio's own colours (the landing page's), for pages that belong to no coach.
pub(super) fn house_theme() -> ResolvedTheme {
    let colors = ThemeColors {
        background: Some("#f7f6f2".into()),
        surface: Some("#ffffff".into()),
        text: Some("#17181c".into()),
        muted: Some("#565a63".into()),
        accent: Some("#1e3a5f".into()),
        on_accent: Some("#ffffff".into()),
    };
    PageTheme {
        colors,
        button_style: Some(ButtonStyle::Filled),
        corners: Some(Corners::Rounded),
        ..PageTheme::preset(ThemePreset::Consultor)
    }
    .resolve()
}

fn not_found_document(locale: Locale, home: String) -> impl IntoView {
    let t = texts(locale);
    let theme = house_theme();
    let (style, buttons) = theme_attrs(&theme);
    view! {
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{t.not_found_title}</title>
                <meta name="robots" content="noindex" />
                <meta name="theme-color" content=theme.surface.clone() />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <style>{PUBLIC_CSS}</style>
            </head>
            <body class=ROOT_CLASS data-buttons=buttons style=style>
                <div class="sheet">
                    <main id="main" class="lost">
                        <p class="lost-code" aria-hidden="true">"404"</p>
                        <h1>{t.not_found_heading}</h1>
                        <p>{t.not_found_body}</p>
                        <a class="btn" href=home.clone()>{t.not_found_home}</a>
                        <a class="lost-alt" href=format!("{home}signin")>{t.not_found_sign_in}</a>
                    </main>
                    {footer(locale)}
                </div>
            </body>
        </html>
    }
}
