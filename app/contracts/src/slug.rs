//! Page slugs: the `{slug}` in `/{slug}`. One set of rules for the editor (as the coach types),
//! the REST API and the public router.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Shortest accepted slug.
pub const SLUG_MIN_LEN: usize = 3;
/// Longest accepted slug.
pub const SLUG_MAX_LEN: usize = 40;

/// Slugs that can never be pages: every top-level route of the app and of the marketing site,
/// plus names that would confuse visitors. Sorted, so lookups are a binary search.
pub const RESERVED_SLUGS: &[&str] = &[
    "about",
    "account",
    "accounts",
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "billing",
    "blog",
    "careers",
    "checkout",
    "contact",
    "dashboard",
    "docs",
    "en",
    "es",
    "faq",
    "features",
    "forgot-password",
    "health",
    "help",
    "home",
    "invitations",
    "invite",
    "legal",
    "login",
    "logout",
    "media",
    "metrics",
    "mibio",
    "new",
    "notifications",
    "oauth",
    "opengraph-image",
    "org",
    "organizations",
    "pages",
    "pkg",
    "press",
    "pricing",
    "privacy",
    "public",
    "ready",
    "register",
    "reset-password",
    "security",
    "settings",
    "signin",
    "signout",
    "signup",
    "sitemap",
    "static",
    "status",
    "support",
    "terms",
    "verify-email",
    "webhooks",
    "www",
];

/// Whether `slug` is one of [`RESERVED_SLUGS`] (case-insensitive).
#[must_use]
pub fn is_reserved(slug: &str) -> bool {
    let lower = slug.to_ascii_lowercase();
    RESERVED_SLUGS.binary_search(&lower.as_str()).is_ok()
}

/// A syntactically valid, non-reserved slug: 3–40 characters of `a-z`, `0-9` and single hyphens,
/// starting and ending with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// Why a string is not a usable slug; as a [`Problem`](crate::Problem) for the person typing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    TooShort,
    TooLong,
    InvalidCharacters,
    EdgeHyphen,
    DoubleHyphen,
    Reserved,
}

impl From<SlugError> for crate::Problem {
    fn from(e: SlugError) -> Self {
        match e {
            SlugError::TooShort => Self::TooShort { min: SLUG_MIN_LEN },
            SlugError::TooLong => Self::TooLong { max: SLUG_MAX_LEN },
            SlugError::InvalidCharacters => Self::SlugCharacters,
            SlugError::EdgeHyphen => Self::EdgeCharacter,
            SlugError::DoubleHyphen => Self::DoubleHyphen,
            SlugError::Reserved => Self::Reserved,
        }
    }
}

crate::display_as_problem!(SlugError);

impl Slug {
    /// Validates `raw` as a slug (it is not normalised: `Ana` is rejected, not lowered).
    ///
    /// # Errors
    /// The first rule `raw` breaks, as a [`SlugError`].
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        let len = raw.chars().count();
        if len < SLUG_MIN_LEN {
            return Err(SlugError::TooShort);
        }
        if len > SLUG_MAX_LEN {
            return Err(SlugError::TooLong);
        }
        if !raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(SlugError::InvalidCharacters);
        }
        if raw.starts_with('-') || raw.ends_with('-') {
            return Err(SlugError::EdgeHyphen);
        }
        if raw.contains("--") {
            return Err(SlugError::DoubleHyphen);
        }
        if is_reserved(raw) {
            return Err(SlugError::Reserved);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The slug as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

/// Suggests a slug from a display name: `"Ana Pérez"` → `"ana-perez"`. Accents of Spanish and
/// Portuguese names fold to ASCII; anything else becomes a separator. The result may still be
/// too short or reserved: check it with [`Slug::parse`].
#[must_use]
pub fn suggest(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = fold_latin(c);
        if folded.is_ascii_alphanumeric() {
            if out.len() == SLUG_MAX_LEN {
                break;
            }
            out.push(folded);
        } else if !out.is_empty() && !out.ends_with('-') && out.len() < SLUG_MAX_LEN {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Folds the lowercase Latin letters used in Spanish and Portuguese to ASCII. A hand-written
/// table instead of a transliteration crate: those carry every script's tables into the WASM
/// bundle, and this is all a name in our two languages needs.
fn fold_latin(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted_and_valid() {
        let mut sorted = RESERVED_SLUGS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, RESERVED_SLUGS, "RESERVED_SLUGS must stay sorted and unique");
        for must in [
            "admin",
            "api",
            "dashboard",
            "login",
            "signup",
            "settings",
            "pricing",
            "webhooks",
            "health",
            "ready",
            "metrics",
            "pkg",
            "static",
            "media",
        ] {
            assert!(is_reserved(must), "{must} must be reserved");
        }
    }

    #[test]
    fn accepts_good_slugs() {
        for ok in ["ana", "ana-perez", "coach-2024", "a1b", &"x".repeat(40)] {
            assert_eq!(Slug::parse(ok).map(|s| s.to_string()).as_deref(), Ok(ok));
        }
    }

    #[test]
    fn rejects_bad_slugs_with_the_rule_they_break() {
        assert_eq!(Slug::parse("ab"), Err(SlugError::TooShort));
        assert_eq!(Slug::parse(&"x".repeat(41)), Err(SlugError::TooLong));
        assert_eq!(Slug::parse("Ana"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("ana pérez"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("<script>"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("-ana"), Err(SlugError::EdgeHyphen));
        assert_eq!(Slug::parse("ana--p"), Err(SlugError::DoubleHyphen));
        assert_eq!(Slug::parse("admin"), Err(SlugError::Reserved));
        assert!(serde_json::from_str::<Slug>("\"dashboard\"").is_err());
    }

    #[test]
    fn suggests_slugs_from_names() {
        assert_eq!(suggest("Ana Pérez"), "ana-perez");
        assert_eq!(suggest("  José   Núñez!! "), "jose-nunez");
        assert_eq!(suggest("Coach · Ejecutivo 360"), "coach-ejecutivo-360");
        assert_eq!(suggest("李小龍"), "");
        assert!(suggest(&"long name ".repeat(10)).len() <= SLUG_MAX_LEN);
        assert!(!suggest(&"ab ".repeat(30)).ends_with('-'));
    }
}
