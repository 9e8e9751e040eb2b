//! What the fuzz targets share: the properties every accepted block config and URL must have, and
//! an HMAC-SHA256 computed here (not with the verifiers' own helper) to sign what they verify.

use chrono::{DateTime, Utc};
use contracts::blocks::{self, BlockConfig, BlockType};
use hmac::{KeyInit as _, Mac as _};

/// HMAC-SHA256 of the concatenation of `parts` under `key`.
#[must_use]
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// `now` for the verifiers: a fixed window of years around the present, whatever the input.
#[must_use]
pub fn instant(secs: u32) -> DateTime<Utc> {
    // 2001-09-09 .. 2137: far from i64's edges, like real clocks.
    DateTime::from_timestamp(1_000_000_000 + i64::from(secs), 0).expect("in range")
}

/// The properties of a URL that [`blocks::check_url`] accepted: it is what a browser would open
/// as an `http:`/`https:` page on a real host, and nothing it could reinterpret.
///
/// # Panics
/// When one does not hold: that is the finding.
pub fn assert_safe_url(raw: &str) {
    assert!(
        !raw.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{raw:?}: whitespace or control characters"
    );
    assert!(
        !raw.chars().any(|c| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')),
        "{raw:?}: invisible characters"
    );
    let lower = raw.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("{raw:?}: not written as http(s)://"));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    assert!(!authority.is_empty(), "{raw:?}: empty authority");
    assert!(!authority.contains('@'), "{raw:?}: credentials in the authority");
    assert!(!authority.contains('\\'), "{raw:?}: backslash in the authority");
    let parsed = url::Url::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: accepted but {e}"));
    assert!(matches!(parsed.scheme(), "http" | "https"), "{raw:?}: parses as {}", parsed.scheme());
    assert!(parsed.host_str().is_some_and(|h| !h.is_empty()), "{raw:?}: no host");
    assert!(parsed.username().is_empty() && parsed.password().is_none(), "{raw:?}: credentials");
}

/// Every URL a block links to or loads, as typed (the WhatsApp chat link is built, not typed).
#[must_use]
pub fn urls_of(block: &BlockConfig) -> Vec<String> {
    match block {
        BlockConfig::Link(c) => {
            [Some(c.url.clone()), c.thumbnail_url.clone()].into_iter().flatten().collect()
        }
        BlockConfig::PaymentLink(c) => vec![c.url.clone()],
        BlockConfig::BookingLink(c) => vec![c.url.clone()],
        BlockConfig::Image(c) => [Some(c.url.clone()), c.link_url.clone()].into_iter().flatten().collect(),
        BlockConfig::SocialRow(c) => c.links.iter().map(|l| l.url.clone()).collect(),
        BlockConfig::Header(_) | BlockConfig::LeadCapture(_) | BlockConfig::Whatsapp(_) => Vec::new(),
    }
}

/// Every text a block shows, with its bound and whether it may span lines.
fn texts_of(block: &BlockConfig) -> Vec<(&str, usize, bool)> {
    use blocks::{HEADER_MAX, LABEL_MAX, TEXT_MAX, TITLE_MAX};
    let mut out: Vec<(&str, usize, bool)> = Vec::new();
    match block {
        BlockConfig::Link(c) => out.push((&c.title, TITLE_MAX, false)),
        BlockConfig::Header(c) => out.push((&c.text, HEADER_MAX, false)),
        BlockConfig::PaymentLink(c) => {
            out.push((&c.title, TITLE_MAX, false));
            out.extend(c.price_label.as_deref().map(|t| (t, LABEL_MAX, false)));
        }
        BlockConfig::BookingLink(c) => out.push((&c.title, TITLE_MAX, false)),
        BlockConfig::Whatsapp(c) => {
            out.extend(c.message.as_deref().map(|t| (t, TEXT_MAX, true)));
            out.extend(c.title.as_deref().map(|t| (t, TITLE_MAX, false)));
        }
        BlockConfig::LeadCapture(c) => {
            out.push((&c.title, TITLE_MAX, false));
            out.push((&c.button_label, LABEL_MAX, false));
            out.extend(c.success_message.as_deref().map(|t| (t, TEXT_MAX, false)));
            out.extend(c.consent_text.as_deref().map(|t| (t, TEXT_MAX, false)));
        }
        BlockConfig::Image(c) => out.push((&c.alt, TEXT_MAX, false)),
        BlockConfig::SocialRow(_) => {}
    }
    out
}

/// Parses a block as the server does and, when it is accepted, checks what every accepted block
/// must be: of the type asked for and creatable, valid, stable through storage (`config_json`
/// parses back to the same block) and through the wire (`{"type", "config"}`), with only
/// `http(s)` URLs and bounded texts without control characters. Refusals name `type` or
/// `config…` fields.
///
/// # Panics
/// When a property does not hold: that is the finding.
pub fn check_block(kind: &str, config: serde_json::Value) {
    let block = match BlockConfig::parse(kind, config) {
        Ok(block) => block,
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without a reason");
            for field in problems.keys() {
                assert!(field == "type" || field.starts_with("config"), "refusal keyed {field:?}");
            }
            return;
        }
    };
    assert_eq!(block.kind().as_str(), kind);
    assert!(BlockType::CREATABLE.contains(&block.kind()), "{kind} is not creatable");
    assert_eq!(block.validate(), Ok(()));

    let stored = block.config_json();
    assert!(stored.is_object());
    assert_eq!(BlockConfig::parse(kind, stored.clone()).as_ref(), Ok(&block), "stored form {stored}");

    let wire = serde_json::to_string(&block).expect("serializes");
    let back: BlockConfig = serde_json::from_str(&wire).expect("wire form parses");
    assert_eq!(back, block, "wire form {wire}");

    for url in urls_of(&block) {
        assert_eq!(blocks::check_url(&url), Ok(()), "{url:?}");
        assert_safe_url(&url);
    }
    for (text, max, multiline) in texts_of(&block) {
        assert!(!text.trim().is_empty(), "blank text {text:?}");
        assert!(text.chars().count() <= max, "{text:?} is over {max}");
        assert!(
            !text.chars().any(|c| c.is_control() && !(multiline && c == '\n')),
            "{text:?} has control characters"
        );
    }
    assert!(!block.label().chars().any(char::is_control), "label {:?}", block.label());
    if let BlockConfig::Whatsapp(c) = &block {
        let digits = c.phone.strip_prefix('+').expect("E.164 starts with +");
        assert!((8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()));
        // Built from checked parts: as safe as a typed URL, though longer than one may be typed
        // (a 500-character message percent-encodes to up to 6 000 bytes).
        let chat = c.chat_url();
        assert!(chat.starts_with(&format!("https://wa.me/{digits}")), "{chat}");
        assert!(matches!(blocks::check_url(&chat), Ok(()) | Err(blocks::UrlProblem::TooLong)), "{chat}");
        assert_safe_url(&chat);
    }
    if let BlockConfig::SocialRow(c) = &block {
        assert!((1..=blocks::SOCIAL_LINKS_MAX).contains(&c.links.len()));
    }
    if let BlockConfig::BookingLink(c) = &block {
        assert!(c.duration_minutes.is_none_or(|m| (1..=1440).contains(&m)));
    }
}
