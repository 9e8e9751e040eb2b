//! The languages mibio speaks, and how one is chosen from a browser's `Accept-Language`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A supported interface language. Spanish is the default: most of our coaches write in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Es,
    En,
}

impl Locale {
    /// Every supported locale, default first.
    pub const ALL: [Self; 2] = [Self::Es, Self::En];

    /// The BCP 47 tag (`es`, `en`), as used in `<html lang>` and `hreflang`.
    #[must_use]
    pub const fn tag(self) -> &'static str {
        match self {
            Self::Es => "es",
            Self::En => "en",
        }
    }

    /// The language's own name, for a language switch.
    #[must_use]
    pub const fn native_name(self) -> &'static str {
        match self {
            Self::Es => "Español",
            Self::En => "English",
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header value, honouring
    /// q-values and region subtags (`es-MX` counts as `es`). `None` when nothing matches.
    #[must_use]
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut best: Option<(Self, f32, usize)> = None;
        for (index, item) in accept_language.split(',').enumerate().take(32) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .filter(|q| (0.0..=1.0).contains(q));
            let (Some(quality), Ok(locale)) = (quality, tag.parse::<Self>()) else { continue };
            if quality <= 0.0 {
                continue;
            }
            // Higher quality wins; among equals, the earlier entry wins.
            if best.is_none_or(|(_, q, i)| quality > q || (quality == q && index < i)) {
                best = Some((locale, quality, index));
            }
        }
        best.map(|(locale, _, _)| locale)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// The tag named no supported language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedLocale;

impl fmt::Display for UnsupportedLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unsupported language (use es or en)")
    }
}

impl FromStr for Locale {
    type Err = UnsupportedLocale;

    /// Accepts a language tag with an optional region (`en`, `en-GB`, `es_AR`), any case.
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("es") {
            Ok(Self::Es)
        } else if primary.eq_ignore_ascii_case("en") {
            Ok(Self::En)
        } else {
            Err(UnsupportedLocale)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality_then_order() {
        assert_eq!(Locale::negotiate("en-US,en;q=0.9,es;q=0.8"), Some(Locale::En));
        assert_eq!(Locale::negotiate("fr-FR, es-MX;q=0.7, en;q=0.5"), Some(Locale::Es));
        assert_eq!(Locale::negotiate("en;q=0.4, es;q=0.9"), Some(Locale::Es));
        assert_eq!(Locale::negotiate("es, en"), Some(Locale::Es));
        assert_eq!(Locale::negotiate("EN-gb"), Some(Locale::En));
    }

    #[test]
    fn ignores_what_it_cannot_use() {
        assert_eq!(Locale::negotiate(""), None);
        assert_eq!(Locale::negotiate("fr, de;q=0.5"), None);
        assert_eq!(Locale::negotiate("en;q=0, es;q=nonsense"), None);
        assert_eq!(Locale::negotiate("*"), None);
        assert_eq!(Locale::negotiate("en;q=7"), None);
    }

    #[test]
    fn parses_tags() {
        assert_eq!("es_AR".parse(), Ok(Locale::Es));
        assert_eq!("EN".parse(), Ok(Locale::En));
        assert_eq!("pt-BR".parse::<Locale>(), Err(UnsupportedLocale));
    }
}
