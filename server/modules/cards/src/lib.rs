//! mibio's OpenGraph cards: the 1200×630 PNG a social network shows when a page's link is shared.
//!
//! A [`Card`] (title, bio, theme, address, optional avatar) is laid out with the real metrics of
//! the fonts we ship ([`layout`]), written as an SVG document ([`svg`]) and rasterised with resvg
//! ([`CardRenderer`]). [`Cards`] is what the host holds: a byte-bounded cache in front of renders
//! that run on the blocking pool, one per core at a time.

pub mod avatar;
pub mod cache;
pub mod fonts;
pub mod layout;
pub mod paint;
pub mod render;
pub mod service;
pub mod svg;
pub mod text;

use bytes::Bytes;
use contracts::theme::ResolvedTheme;

pub use render::CardRenderer;
pub use service::{CardKey, Cards, Served};

/// The card's width, px.
pub const WIDTH: f32 = 1200.0;
/// The card's height, px.
pub const HEIGHT: f32 = 630.0;

/// Whose card it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CardKind {
    /// A coach's page: the avatar, or the title's initials.
    #[default]
    Profile,
    /// mibio's own (the landing page): the mibio mark.
    Site,
}

/// What a card shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Large, at most two lines.
    pub title: String,
    /// At most three lines, cut with an ellipsis.
    pub bio: String,
    pub theme: ResolvedTheme,
    /// The address shown, without scheme: `mibio.example/ana-coach`.
    pub host_and_path: String,
    /// The avatar's bytes (PNG, JPEG or WebP); the initials when absent or unreadable.
    pub avatar: Option<Bytes>,
    pub kind: CardKind,
}

/// `host[:port]` of a public URL (`https://mibio.example/` → `mibio.example`), for the address
/// printed on cards.
#[must_use]
pub fn host_of(public_url: &str) -> String {
    let rest = public_url.split_once("://").map_or(public_url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest).to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hosts() {
        assert_eq!(super::host_of("https://mibio.example/"), "mibio.example");
        assert_eq!(super::host_of("http://127.0.0.1:3000"), "127.0.0.1:3000");
        assert_eq!(super::host_of("mibio.example"), "mibio.example");
    }
}
