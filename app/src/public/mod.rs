//! The public profile page (`/{slug}`): the block components visitors see, and (on the server) the
//! complete, script-light HTML document around them.
//!
//! [`blocks`] compiles for both `ssr` and `hydrate`: the editor's live preview draws the same
//! components inside an element with the [`ROOT_CLASS`] class, the theme's CSS variables and a
//! `data-buttons` attribute (see [`theme_attrs`]), with [`PUBLIC_CSS`] linked ([`public_css_href`]).
//! [`document`] renders the page on the server without WASM; its only script is
//! [`document::PROFILE_SCRIPT`].

pub mod blocks;
#[cfg(feature = "ssr")]
pub mod document;
mod icons;
mod in_app;
pub mod lead_form;
#[cfg(feature = "ssr")]
pub mod unsubscribe;

#[cfg(all(test, feature = "ssr"))]
mod tests;

use contracts::theme::{ButtonStyle, ResolvedTheme, contrast_ratio};

pub use in_app::is_in_app_browser;

/// The public page's stylesheet: small, hand-written, mobile first. Every rule hangs off
/// [`ROOT_CLASS`], and the theme reaches it only through CSS custom properties.
pub const PUBLIC_CSS: &str = include_str!("public.css");

/// A fingerprint of [`PUBLIC_CSS`] (64-bit FNV-1a), computed at compile time: it names the
/// stylesheet's URL, so the URL changes whenever the stylesheet does and may be cached for good.
pub const PUBLIC_CSS_VERSION: u64 = fnv1a(PUBLIC_CSS.as_bytes());

/// Where the host serves [`PUBLIC_CSS`] as a file: `/static/profile.<fingerprint>.css`. The editor's
/// preview links it rather than inlining it, which keeps the stylesheet's text out of the WASM
/// bundle (only the fingerprint goes in). The public page itself keeps it inline: no extra request.
#[must_use]
pub fn public_css_href() -> String {
    format!("/static/{}", public_css_file())
}

/// The file name part of [`public_css_href`].
#[must_use]
pub fn public_css_file() -> String {
    format!("profile.{PUBLIC_CSS_VERSION:016x}.css")
}

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

/// The class of the element that carries the theme (the `<body>` of the public page, the frame of
/// the editor's preview).
pub const ROOT_CLASS: &str = "profile";

/// A lead form submission the server refused, shown next to the field at fault when the page is
/// rendered again after a no-JavaScript post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFormError {
    /// The `LEAD_CAPTURE` block whose form was posted.
    pub block_id: String,
    /// `email`, `name` or `consent`; anything else is shown under the whole form.
    pub field: String,
    /// What went wrong, in the visitor's language.
    pub message: String,
}

/// What a lead form shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LeadFormState {
    /// An empty form.
    #[default]
    Blank,
    /// The thank-you message instead of the form.
    Subscribed,
    /// The form, with a message next to the field at fault (`email`, `name`, `consent`, or
    /// anything else for the whole form).
    Failed { field: String, message: String },
}

/// The `data-buttons` value for a button style.
#[must_use]
pub const fn button_style_id(style: ButtonStyle) -> &'static str {
    match style {
        ButtonStyle::Filled => "filled",
        ButtonStyle::Outline => "outline",
        ButtonStyle::Soft => "soft",
        ButtonStyle::Shadow => "shadow",
    }
}

/// The `style` and `data-buttons` values for the theme's root element: the theme's CSS variables
/// plus a `color-scheme` matching the surface, so native controls (checkboxes) suit dark themes.
#[must_use]
pub fn theme_attrs(theme: &ResolvedTheme) -> (String, &'static str) {
    let dark = contrast_ratio(&theme.surface, "#ffffff").is_some_and(|ratio| ratio > 4.5);
    let scheme = if dark { "dark" } else { "light" };
    (format!("{};color-scheme:{scheme}", theme.css_vars()), button_style_id(theme.buttons))
}
