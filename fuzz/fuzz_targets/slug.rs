//! The slug rules (`contracts::slug`): `Slug::parse` against an independent statement of the
//! rules, its serde form, and `suggest`'s output.
#![no_main]

use contracts::slug::{self, SLUG_MAX_LEN, SLUG_MIN_LEN, Slug};
use libfuzzer_sys::fuzz_target;

/// The rules as the docs state them: 3–40 characters of `a-z`, `0-9` and single hyphens, starting
/// and ending with a letter or digit, and not reserved.
fn is_valid(s: &str) -> bool {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    (SLUG_MIN_LEN..=SLUG_MAX_LEN).contains(&s.chars().count())
        && s.chars().all(allowed)
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && !slug::RESERVED_SLUGS.contains(&s)
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };

    let parsed = Slug::parse(raw);
    assert_eq!(parsed.is_ok(), is_valid(raw), "{raw:?}: {parsed:?}");
    let json = serde_json::to_string(raw).expect("a string serializes");
    let from_json = serde_json::from_str::<Slug>(&json);
    assert_eq!(from_json.is_ok(), parsed.is_ok(), "{raw:?}: serde disagrees with parse");
    if let Ok(slug) = parsed {
        assert_eq!(slug.as_str(), raw);
        assert_eq!(slug.to_string(), raw);
        assert!(!slug::is_reserved(slug.as_str()));
        assert_eq!(Slug::parse(slug.as_str()).as_ref(), Ok(&slug), "re-parse");
        assert_eq!(serde_json::to_string(&slug).expect("serializes"), json);
        assert_eq!(from_json.ok().as_ref(), Some(&slug));
    }
    // Case-insensitive reservation: `ADMIN` is reserved too (it is also refused as upper case).
    if slug::is_reserved(raw) {
        assert!(Slug::parse(&raw.to_ascii_lowercase()).is_err());
    }

    // `suggest` only ever proposes slug syntax (it may be short or reserved), and is stable.
    let suggested = slug::suggest(raw);
    assert!(suggested.len() <= SLUG_MAX_LEN, "{raw:?} → {suggested:?}: too long");
    assert!(
        suggested.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{raw:?} → {suggested:?}: characters"
    );
    assert!(!suggested.starts_with('-') && !suggested.ends_with('-'), "{raw:?} → {suggested:?}: edge hyphen");
    assert!(!suggested.contains("--"), "{raw:?} → {suggested:?}: double hyphen");
    assert_eq!(slug::suggest(&suggested), suggested, "{raw:?}: suggest is not idempotent");
    if suggested.len() >= SLUG_MIN_LEN && !slug::is_reserved(&suggested) {
        assert!(Slug::parse(&suggested).is_ok(), "{raw:?} → {suggested:?} does not parse");
    }
});
