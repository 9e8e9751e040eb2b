//! Smart blocks: the types a page is built from and the strict rules for each type's `config`.
//!
//! Defined once, here, so that the editor validates exactly like the server: both call
//! [`BlockConfig::parse`]. Every config rejects unknown fields, every URL must parse as `http:` or
//! `https:` (see [`check_url`]), and every text is bounded.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Problem, Problems};

/// Longest accepted URL, in bytes.
pub const URL_MAX_LEN: usize = 2048;
/// Longest button/link title.
pub const TITLE_MAX: usize = 100;
/// Longest section header.
pub const HEADER_MAX: usize = 80;
/// Longest short label (price, button label).
pub const LABEL_MAX: usize = 40;
/// Longest longer text (WhatsApp message, consent text, success message, image alt).
pub const TEXT_MAX: usize = 500;
/// Most links in one social row.
pub const SOCIAL_LINKS_MAX: usize = 12;

/// The kind of a block. `EMBED` and `TESTIMONIAL` are reserved names: they parse, but no block of
/// those types can be created yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BlockType {
    Link,
    Header,
    PaymentLink,
    BookingLink,
    Whatsapp,
    LeadCapture,
    Image,
    SocialRow,
    Embed,
    Testimonial,
}

impl BlockType {
    /// The types a block can be created with, in the order the editor's gallery shows them.
    pub const CREATABLE: [Self; 8] = [
        Self::Link,
        Self::Header,
        Self::PaymentLink,
        Self::BookingLink,
        Self::Whatsapp,
        Self::LeadCapture,
        Self::Image,
        Self::SocialRow,
    ];

    /// The wire name (`PAYMENT_LINK`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Link => "LINK",
            Self::Header => "HEADER",
            Self::PaymentLink => "PAYMENT_LINK",
            Self::BookingLink => "BOOKING_LINK",
            Self::Whatsapp => "WHATSAPP",
            Self::LeadCapture => "LEAD_CAPTURE",
            Self::Image => "IMAGE",
            Self::SocialRow => "SOCIAL_ROW",
            Self::Embed => "EMBED",
            Self::Testimonial => "TESTIMONIAL",
        }
    }

    /// Whether the name is reserved for a future release.
    #[must_use]
    pub const fn is_reserved(self) -> bool {
        matches!(self, Self::Embed | Self::Testimonial)
    }

    /// Whether visitors can click the block (it gets a click beacon).
    #[must_use]
    pub const fn is_clickable(self) -> bool {
        matches!(self, Self::Link | Self::PaymentLink | Self::BookingLink | Self::Whatsapp | Self::Image)
    }
}

impl fmt::Display for BlockType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no [`BlockType`]'s wire name (names are upper case: `LINK`, `PAYMENT_LINK`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownBlockType(pub String);

impl fmt::Display for UnknownBlockType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a block type", self.0)
    }
}

impl std::error::Error for UnknownBlockType {}

impl std::str::FromStr for BlockType {
    type Err = UnknownBlockType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::CREATABLE
            .into_iter()
            .chain([Self::Embed, Self::Testimonial])
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownBlockType(s.to_owned()))
    }
}

/// `LINK`: a full-width button to any web page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LinkConfig {
    pub url: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
}

/// `HEADER`: a section label between blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HeaderConfig {
    pub text: String,
}

/// `PAYMENT_LINK`: a button to a checkout page, with an optional price line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaymentLinkConfig {
    pub url: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_label: Option<String>,
}

/// `BOOKING_LINK`: a button to a scheduling page, with an optional duration line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BookingLinkConfig {
    pub url: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u16>,
}

/// `WHATSAPP`: opens a chat with `phone` (E.164), optionally pre-filled with `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WhatsappConfig {
    pub phone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl WhatsappConfig {
    /// The `https://wa.me/<digits>?text=…` link that opens the chat.
    #[must_use]
    pub fn chat_url(&self) -> String {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        match self.message.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(message) => format!("https://wa.me/{digits}?text={}", percent_encode(message)),
            None => format!("https://wa.me/{digits}"),
        }
    }
}

/// `LEAD_CAPTURE`: an email form; `consentText`, when set, must be accepted by the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LeadCaptureConfig {
    pub title: String,
    pub button_label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_text: Option<String>,
}

/// `IMAGE`: a picture (with required alt text), optionally linking somewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ImageConfig {
    pub url: String,
    pub alt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_url: Option<String>,
}

/// The networks a social row can show (each has its own icon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SocialNetwork {
    Instagram,
    Tiktok,
    Youtube,
    Linkedin,
    X,
    Facebook,
    Threads,
    Spotify,
    Website,
}

impl SocialNetwork {
    /// Every network, in the editor's order.
    pub const ALL: [Self; 9] = [
        Self::Instagram,
        Self::Tiktok,
        Self::Youtube,
        Self::Linkedin,
        Self::X,
        Self::Facebook,
        Self::Threads,
        Self::Spotify,
        Self::Website,
    ];

    /// The network's name as people write it (the icon's accessible name).
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Instagram => "Instagram",
            Self::Tiktok => "TikTok",
            Self::Youtube => "YouTube",
            Self::Linkedin => "LinkedIn",
            Self::X => "X",
            Self::Facebook => "Facebook",
            Self::Threads => "Threads",
            Self::Spotify => "Spotify",
            Self::Website => "Website",
        }
    }

    /// The wire name (`instagram`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Instagram => "instagram",
            Self::Tiktok => "tiktok",
            Self::Youtube => "youtube",
            Self::Linkedin => "linkedin",
            Self::X => "x",
            Self::Facebook => "facebook",
            Self::Threads => "threads",
            Self::Spotify => "spotify",
            Self::Website => "website",
        }
    }
}

/// One icon of a social row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SocialLink {
    pub network: SocialNetwork,
    pub url: String,
}

/// `SOCIAL_ROW`: a row of network icons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SocialRowConfig {
    pub links: Vec<SocialLink>,
}

/// A block's type and its typed config. On the wire it is the pair
/// `{"type": "LINK", "config": {...}}` (serde's adjacent tagging).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "config", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BlockConfig {
    Link(LinkConfig),
    Header(HeaderConfig),
    PaymentLink(PaymentLinkConfig),
    BookingLink(BookingLinkConfig),
    Whatsapp(WhatsappConfig),
    LeadCapture(LeadCaptureConfig),
    Image(ImageConfig),
    SocialRow(SocialRowConfig),
}

impl BlockConfig {
    /// Parses and validates a block from its wire parts. Errors are keyed by JSON path: `type`,
    /// `config`, `config.url`, `config.links[0].url`…
    ///
    /// # Errors
    /// Every rule the input breaks (unknown or reserved type, unknown or missing fields, bad URLs,
    /// over-long or empty texts, a phone number that is not E.164).
    pub fn parse(kind: &str, config: serde_json::Value) -> Result<Self, Problems> {
        let Ok(kind) = kind.parse::<BlockType>() else {
            return Err(Problem::NotABlockType.at("type"));
        };
        if kind.is_reserved() {
            return Err(Problem::ReservedBlockType { block_type: kind }.at("type"));
        }
        if !config.is_object() {
            return Err(Problem::NotAnObject.at("config"));
        }
        let parsed = match kind {
            BlockType::Link => typed(config).map(Self::Link),
            BlockType::Header => typed(config).map(Self::Header),
            BlockType::PaymentLink => typed(config).map(Self::PaymentLink),
            BlockType::BookingLink => typed(config).map(Self::BookingLink),
            BlockType::Whatsapp => typed(config).map(Self::Whatsapp),
            BlockType::LeadCapture => typed(config).map(Self::LeadCapture),
            BlockType::Image => typed(config).map(Self::Image),
            BlockType::SocialRow => typed(config).map(Self::SocialRow),
            BlockType::Embed | BlockType::Testimonial => unreachable!("reserved types return above"),
        }?;
        parsed.validate()?;
        Ok(parsed)
    }

    /// The block's type.
    #[must_use]
    pub const fn kind(&self) -> BlockType {
        match self {
            Self::Link(_) => BlockType::Link,
            Self::Header(_) => BlockType::Header,
            Self::PaymentLink(_) => BlockType::PaymentLink,
            Self::BookingLink(_) => BlockType::BookingLink,
            Self::Whatsapp(_) => BlockType::Whatsapp,
            Self::LeadCapture(_) => BlockType::LeadCapture,
            Self::Image(_) => BlockType::Image,
            Self::SocialRow(_) => BlockType::SocialRow,
        }
    }

    /// The config alone, as JSON (what the database stores next to the type).
    #[must_use]
    pub fn config_json(&self) -> serde_json::Value {
        let value = match self {
            Self::Link(c) => serde_json::to_value(c),
            Self::Header(c) => serde_json::to_value(c),
            Self::PaymentLink(c) => serde_json::to_value(c),
            Self::BookingLink(c) => serde_json::to_value(c),
            Self::Whatsapp(c) => serde_json::to_value(c),
            Self::LeadCapture(c) => serde_json::to_value(c),
            Self::Image(c) => serde_json::to_value(c),
            Self::SocialRow(c) => serde_json::to_value(c),
        };
        value.unwrap_or_default()
    }

    /// A short human label for lists (the title, the header text, the phone…).
    #[must_use]
    pub fn label(&self) -> &str {
        match self {
            Self::Link(c) => &c.title,
            Self::Header(c) => &c.text,
            Self::PaymentLink(c) => &c.title,
            Self::BookingLink(c) => &c.title,
            Self::Whatsapp(c) => c.title.as_deref().unwrap_or(&c.phone),
            Self::LeadCapture(c) => &c.title,
            Self::Image(c) => &c.alt,
            Self::SocialRow(_) => "",
        }
    }

    /// Checks every rule of the config's type.
    ///
    /// # Errors
    /// Each broken rule, keyed by JSON path.
    pub fn validate(&self) -> Result<(), Problems> {
        let mut v = Validator::default();
        match self {
            Self::Link(c) => {
                v.url("config.url", &c.url);
                v.text("config.title", &c.title, TITLE_MAX);
                v.optional_url("config.thumbnailUrl", c.thumbnail_url.as_deref());
            }
            Self::Header(c) => v.text("config.text", &c.text, HEADER_MAX),
            Self::PaymentLink(c) => {
                v.url("config.url", &c.url);
                v.text("config.title", &c.title, TITLE_MAX);
                v.optional_text("config.priceLabel", c.price_label.as_deref(), LABEL_MAX);
            }
            Self::BookingLink(c) => {
                v.url("config.url", &c.url);
                v.text("config.title", &c.title, TITLE_MAX);
                if c.duration_minutes.is_some_and(|m| !(1..=1440).contains(&m)) {
                    v.fail("config.durationMinutes", Problem::MinutesOutOfRange { min: 1, max: 1440 });
                }
            }
            Self::Whatsapp(c) => {
                if let Err(problem) = check_e164(&c.phone) {
                    v.fail("config.phone", problem);
                }
                v.optional_multiline("config.message", c.message.as_deref(), TEXT_MAX);
                v.optional_text("config.title", c.title.as_deref(), TITLE_MAX);
            }
            Self::LeadCapture(c) => {
                v.text("config.title", &c.title, TITLE_MAX);
                v.text("config.buttonLabel", &c.button_label, LABEL_MAX);
                v.optional_text("config.successMessage", c.success_message.as_deref(), TEXT_MAX);
                v.optional_text("config.consentText", c.consent_text.as_deref(), TEXT_MAX);
            }
            Self::Image(c) => {
                v.url("config.url", &c.url);
                v.text("config.alt", &c.alt, TEXT_MAX);
                v.optional_url("config.linkUrl", c.link_url.as_deref());
            }
            Self::SocialRow(c) => {
                if c.links.is_empty() {
                    v.fail("config.links", Problem::AtLeastOneLink);
                } else if c.links.len() > SOCIAL_LINKS_MAX {
                    v.fail("config.links", Problem::TooManyLinks { max: SOCIAL_LINKS_MAX });
                }
                for (i, link) in c.links.iter().enumerate() {
                    v.url(&format!("config.links[{i}].url"), &link.url);
                }
            }
        }
        v.finish()
    }
}

/// Deserializes a config struct, naming the offending field when serde can tell which it is.
fn typed<T: serde::de::DeserializeOwned>(config: serde_json::Value) -> Result<T, Problems> {
    serde_json::from_value(config).map_err(|e| {
        let message = e.to_string();
        // serde's messages quote the field: "unknown field `x`, expected …", "missing field `x`".
        let field = message
            .split('`')
            .nth(1)
            .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"));
        match field {
            Some(name) if message.starts_with("unknown field") => {
                Problem::NotABlockField.at(format!("config.{name}"))
            }
            Some(name) => Problem::Required.at(format!("config.{name}")),
            None => Problem::Malformed { detail: message }.at("config"),
        }
    })
}

#[derive(Default)]
struct Validator {
    errors: Problems,
}

impl Validator {
    fn fail(&mut self, field: &str, problem: impl Into<Problem>) {
        self.errors.entry(field.to_owned()).or_insert_with(|| problem.into());
    }

    fn url(&mut self, field: &str, url: &str) {
        if let Err(problem) = check_url(url) {
            self.fail(field, problem);
        }
    }

    fn optional_url(&mut self, field: &str, url: Option<&str>) {
        if let Some(url) = url {
            self.url(field, url);
        }
    }

    fn text(&mut self, field: &str, text: &str, max: usize) {
        if let Err(problem) = check_text(text, max, false) {
            self.fail(field, problem);
        }
    }

    fn optional_text(&mut self, field: &str, text: Option<&str>, max: usize) {
        if let Some(text) = text {
            self.text(field, text, max);
        }
    }

    fn optional_multiline(&mut self, field: &str, text: Option<&str>, max: usize) {
        if let Some(text) = text
            && let Err(problem) = check_text(text, max, true)
        {
            self.fail(field, problem);
        }
    }

    fn finish(self) -> Result<(), Problems> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}

/// Why a URL is refused; as a [`Problem`] for the person who typed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    TooLong,
    /// Whitespace or control characters anywhere (including a leading space or a tab inside
    /// `java\tscript:`, which browsers would strip).
    Whitespace,
    /// Not `http:` or `https:` once parsed (`javascript:`, `data:`, `JaVaScRiPt:`…).
    Scheme,
    /// Not an absolute URL with a host.
    Malformed,
}

impl From<UrlProblem> for Problem {
    fn from(p: UrlProblem) -> Self {
        match p {
            UrlProblem::Empty => Self::Required,
            UrlProblem::TooLong => Self::TooLong { max: URL_MAX_LEN },
            UrlProblem::Whitespace => Self::Whitespace,
            UrlProblem::Scheme => Self::NotHttpUrl,
            UrlProblem::Malformed => Self::NotAUrl,
        }
    }
}

crate::display_as_problem!(UrlProblem);
/// Accepts only absolute `http:`/`https:` URLs with a host, judged **after parsing** with the
/// WHATWG URL parser (the `url` crate on the server, the browser's own `URL` in the editor) and before any
/// normalisation: nothing that a browser would strip or reinterpret is let through.
///
/// # Errors
/// The [`UrlProblem`].
pub fn check_url(raw: &str) -> Result<(), UrlProblem> {
    if raw.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if raw.len() > URL_MAX_LEN {
        return Err(UrlProblem::TooLong);
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control() || is_invisible(c)) {
        return Err(UrlProblem::Whitespace);
    }
    let parsed = ParsedUrl::parse(raw).ok_or(UrlProblem::Malformed)?;
    if !matches!(parsed.scheme.as_str(), "http" | "https") {
        return Err(UrlProblem::Scheme);
    }
    // The parsed scheme must be what was written: parsers lowercase schemes, so compare
    // case-insensitively, but refuse anything that only became http(s) by normalisation.
    let written = raw.split(':').next().unwrap_or_default();
    if !written.eq_ignore_ascii_case(&parsed.scheme) {
        return Err(UrlProblem::Scheme);
    }
    // Written as `scheme://authority…` with a real authority: `http:///x`, `https:\\evil` and
    // `https:evil` are all "fixed up" by parsers, and a link should not depend on that.
    let rest = &raw[written.len() + 1..];
    let authority = rest.strip_prefix("//").map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    if authority.is_none_or(|a| a.is_empty() || a.contains('\\')) {
        return Err(UrlProblem::Malformed);
    }
    if parsed.host.is_empty() {
        return Err(UrlProblem::Malformed);
    }
    // `https://paypal.com@evil.example` is a classic phishing disguise. Refused as written too:
    // an empty user info (`https://@evil.example`, `https://:@evil.example`) parses to no
    // credentials, and parsers drop it (found by fuzzing, see docs/reliability.md).
    if parsed.credentials || authority.is_some_and(|a| a.contains('@')) {
        return Err(UrlProblem::Malformed);
    }
    Ok(())
}

/// What the URL rule needs of a parsed URL.
struct ParsedUrl {
    /// Lower-case, without the colon.
    scheme: String,
    host: String,
    /// A user name or password in the authority.
    credentials: bool,
}

impl ParsedUrl {
    /// The `url` crate's WHATWG parser (server side).
    #[cfg(not(target_arch = "wasm32"))]
    fn parse(raw: &str) -> Option<Self> {
        let url = url::Url::parse(raw).ok()?;
        Some(Self {
            scheme: url.scheme().to_owned(),
            host: url.host_str().unwrap_or_default().to_owned(),
            credentials: !url.username().is_empty() || url.password().is_some(),
        })
    }

    /// The browser's own WHATWG parser (`new URL(raw)`), in the editor.
    #[cfg(target_arch = "wasm32")]
    fn parse(raw: &str) -> Option<Self> {
        let url = web_sys::Url::new(raw).ok()?;
        Some(Self {
            scheme: url.protocol().trim_end_matches(':').to_ascii_lowercase(),
            host: url.hostname(),
            credentials: !url.username().is_empty() || !url.password().is_empty(),
        })
    }
}

/// Zero-width and bidirectional-override characters: invisible, and used to disguise addresses.
const fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Accepts a single-line (or, with `multiline`, multi-line) text of 1..=`max` characters once
/// trimmed, without control characters.
///
/// # Errors
/// [`Problem::Required`], [`Problem::TooLong`] or [`Problem::ControlCharacters`].
pub fn check_text(text: &str, max: usize, multiline: bool) -> Result<(), Problem> {
    if text.trim().is_empty() {
        return Err(Problem::Required);
    }
    if text.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    if text.chars().any(|c| c.is_control() && !(multiline && c == '\n')) {
        return Err(Problem::ControlCharacters);
    }
    Ok(())
}

/// Accepts an E.164 phone number: `+`, a country code not starting with 0, 8 to 15 digits in all.
///
/// # Errors
/// [`Problem::NotPhone`].
pub fn check_e164(phone: &str) -> Result<(), Problem> {
    let digits = phone.strip_prefix('+').unwrap_or_default();
    let ok = digits.len() >= 8
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok { Ok(()) } else { Err(Problem::NotPhone) }
}

/// Percent-encodes text for a query-string value (RFC 3986 unreserved characters pass).
#[must_use]
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use pretty_assertions::assert_eq;
    use serde_json::json;

    use super::*;

    /// The English sentences of `problems` (what `ApiError.fields` carries).
    fn text(problems: &Problems) -> BTreeMap<String, String> {
        problems.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
    }

    fn one(field: &str, problem: &str) -> BTreeMap<String, String> {
        BTreeMap::from([(field.to_owned(), problem.to_owned())])
    }

    #[test]
    fn parses_every_creatable_type() {
        let cases = [
            ("LINK", json!({"url": "https://ana.coach", "title": "Web"})),
            ("HEADER", json!({"text": "Servicios"})),
            (
                "PAYMENT_LINK",
                json!({"url": "https://buy.stripe.com/x", "title": "Pagar", "priceLabel": "$50"}),
            ),
            ("BOOKING_LINK", json!({"url": "https://cal.com/ana", "title": "Agenda", "durationMinutes": 30})),
            ("WHATSAPP", json!({"phone": "+5215512345678", "message": "Hola"})),
            (
                "LEAD_CAPTURE",
                json!({"title": "Newsletter", "buttonLabel": "Suscribirme", "consentText": "Acepto"}),
            ),
            ("IMAGE", json!({"url": "https://ana.coach/a.jpg", "alt": "Ana"})),
            ("SOCIAL_ROW", json!({"links": [{"network": "instagram", "url": "https://instagram.com/ana"}]})),
        ];
        for (kind, config) in cases {
            let block = BlockConfig::parse(kind, config.clone()).unwrap_or_else(|e| panic!("{kind}: {e:?}"));
            assert_eq!(block.kind().as_str(), kind);
            assert_eq!(block.config_json(), config);
            let wire = serde_json::to_value(&block).unwrap();
            assert_eq!(wire, json!({"type": kind, "config": config}));
            assert_eq!(serde_json::from_value::<BlockConfig>(wire).unwrap(), block);
        }
    }

    #[test]
    fn refuses_reserved_and_unknown_types() {
        assert_eq!("PAYMENT_LINK".parse::<BlockType>(), Ok(BlockType::PaymentLink));
        assert_eq!("TESTIMONIAL".parse::<BlockType>(), Ok(BlockType::Testimonial));
        let unknown = "link".parse::<BlockType>().unwrap_err();
        assert_eq!(unknown, UnknownBlockType("link".to_owned()));
        assert_eq!(unknown.to_string(), "\"link\" is not a block type");
        for (kind, problem) in [
            ("EMBED", "EMBED is reserved and cannot be created yet"),
            ("TESTIMONIAL", "TESTIMONIAL is reserved and cannot be created yet"),
            ("link", "is not a block type"),
            ("SCRIPT", "is not a block type"),
        ] {
            let err = BlockConfig::parse(kind, json!({})).unwrap_err();
            assert_eq!(text(&err), one("type", problem));
        }
    }

    #[test]
    fn names_unknown_and_missing_fields() {
        let err = BlockConfig::parse("LINK", json!({"url": "https://a.co", "title": "x", "onclick": "1"}));
        assert_eq!(text(&err.unwrap_err()), one("config.onclick", "is not a field of this block type"));
        let err = BlockConfig::parse("LINK", json!({"url": "https://a.co"}));
        assert_eq!(text(&err.unwrap_err()), one("config.title", "is required"));
        let err = BlockConfig::parse("HEADER", json!("text"));
        assert_eq!(text(&err.unwrap_err()), one("config", "must be an object"));
        let err = BlockConfig::parse(
            "BOOKING_LINK",
            json!({"url": "https://a.co", "title": "x", "durationMinutes": "30"}),
        );
        assert!(err.unwrap_err().contains_key("config"));
    }

    #[test]
    fn refuses_hostile_urls() {
        for hostile in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            " https://ana.coach",
            "https://ana.coach\n",
            "javascript%3Aalert(1)",
            "%6Aavascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example",
            "/relative",
            "https://",
            "http:///x",
            "https:\\\\evil.example",
            "https:evil.example",
            "https://paypal.com@evil.example",
            // An empty user info: no credentials once parsed, but not what was written.
            "https://@ana.coach",
            "https://:@evil.example",
            "HTTP://@evil.example/a@b",
            "ftp://files.example",
            "\u{0}https://a.co",
            "https://a.co/\u{202e}",
        ] {
            assert!(check_url(hostile).is_err(), "{hostile:?} must be refused");
            let config = json!({"url": hostile, "title": "x"});
            assert!(BlockConfig::parse("LINK", config).unwrap_err().contains_key("config.url"));
        }
        assert_eq!(check_url(&format!("https://a.co/{}", "x".repeat(2048))), Err(UrlProblem::TooLong));
        for fine in [
            "https://ana.coach",
            "HTTPS://Ana.Coach/x?y=1#z",
            "http://127.0.0.1:8080/a",
            "https://ana.coach/@ana?to=a@b.co#@",
        ] {
            assert_eq!(check_url(fine), Ok(()), "{fine}");
        }
    }

    #[test]
    fn bounds_texts() {
        let long = "x".repeat(TITLE_MAX + 1);
        let err = BlockConfig::parse("LINK", json!({"url": "https://a.co", "title": long})).unwrap_err();
        assert_eq!(text(&err), one("config.title", "must be at most 100 characters"));
        let err = BlockConfig::parse("HEADER", json!({"text": "   "})).unwrap_err();
        assert_eq!(text(&err), one("config.text", "is required"));
        let err = BlockConfig::parse("HEADER", json!({"text": "a\u{7}b"})).unwrap_err();
        assert_eq!(text(&err), one("config.text", "may not contain control characters"));
        // The accent counts as one character.
        assert!(check_text(&"é".repeat(TITLE_MAX), TITLE_MAX, false).is_ok());
        assert!(check_text("line\nline", 20, true).is_ok());
        assert!(check_text("line\nline", 20, false).is_err());
    }

    #[test]
    fn checks_whatsapp_and_social_rows() {
        for bad in ["5512345678", "+0123456789", "+52 55 1234 5678", "+12", "+1234567890123456"] {
            let err = BlockConfig::parse("WHATSAPP", json!({"phone": bad})).unwrap_err();
            assert!(err.contains_key("config.phone"), "{bad}");
        }
        let wa = WhatsappConfig {
            phone: "+5215512345678".into(),
            message: Some("Hola, ¿cita?".into()),
            title: None,
        };
        assert_eq!(wa.chat_url(), "https://wa.me/5215512345678?text=Hola%2C%20%C2%BFcita%3F");
        let err = BlockConfig::parse("SOCIAL_ROW", json!({"links": []})).unwrap_err();
        assert_eq!(text(&err), one("config.links", "must have at least one link"));
        let err = BlockConfig::parse(
            "SOCIAL_ROW",
            json!({"links": [{"network": "x", "url": "https://x.com/a"}, {"network": "x", "url": "javascript:1"}]}),
        )
        .unwrap_err();
        assert!(err.contains_key("config.links[1].url"));
        let err = BlockConfig::parse(
            "SOCIAL_ROW",
            json!({"links": [{"network": "myspace", "url": "https://a.co"}]}),
        );
        assert!(err.unwrap_err().contains_key("config"));
    }
}
