//! Every block config parser (`BlockConfig::parse`), from configs built field by field: each
//! type's own fields (sometimes of the wrong JSON type, sometimes missing, sometimes with an
//! unknown field next to them), URLs assembled from hostile and friendly parts (schemes such as
//! `javascript:`/`data:`/`JaVaScRiPt:`, `:\\`, credentials, IDN and IP hosts), texts at and over
//! their bounds, and E.164-ish phones. Far more of these get past serde than raw JSON does; see
//! `mibio_fuzz::check_block` for the properties an accepted block must have.
#![no_main]

use arbitrary::Arbitrary;
use contracts::blocks::BlockType;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

#[derive(Arbitrary, Debug)]
enum Kind {
    /// One of [`TYPES`], by index.
    Known(u8),
    /// Any other name.
    Other(String),
}

/// Every block type, the reserved names included (`fields` below matches them exhaustively, so a
/// new type does not go unnoticed).
const TYPES: [BlockType; 10] = [
    BlockType::Link,
    BlockType::Header,
    BlockType::PaymentLink,
    BlockType::BookingLink,
    BlockType::Whatsapp,
    BlockType::LeadCapture,
    BlockType::Image,
    BlockType::SocialRow,
    BlockType::Embed,
    BlockType::Testimonial,
];

impl Kind {
    fn block_type(&self) -> Option<BlockType> {
        match self {
            Self::Known(n) => Some(TYPES[usize::from(*n) % TYPES.len()]),
            Self::Other(_) => None,
        }
    }

    /// The name sent as the block's `type`: a type's own wire name (`contracts`), or any other.
    fn wire(&self) -> &str {
        match self {
            Self::Other(s) => s,
            Self::Known(_) => self.block_type().map_or("", BlockType::as_str),
        }
    }

    /// The type's fields and what each holds.
    fn fields(&self) -> &'static [(&'static str, Expect)] {
        use Expect::{Links, Minutes, Phone, Text, Url};
        match self.block_type() {
            Some(BlockType::Link) => &[("url", Url), ("title", Text), ("thumbnailUrl", Url)],
            Some(BlockType::Header) => &[("text", Text)],
            Some(BlockType::PaymentLink) => &[("url", Url), ("title", Text), ("priceLabel", Text)],
            Some(BlockType::BookingLink) => &[("url", Url), ("title", Text), ("durationMinutes", Minutes)],
            Some(BlockType::Whatsapp) => &[("phone", Phone), ("message", Text), ("title", Text)],
            Some(BlockType::LeadCapture) => {
                &[("title", Text), ("buttonLabel", Text), ("successMessage", Text), ("consentText", Text)]
            }
            Some(BlockType::Image) => &[("url", Url), ("alt", Text), ("linkUrl", Url)],
            Some(BlockType::SocialRow) => &[("links", Links)],
            Some(BlockType::Embed | BlockType::Testimonial) | None => &[("url", Url), ("title", Text)],
        }
    }
}

#[derive(Clone, Copy)]
enum Expect {
    Text,
    Url,
    Phone,
    Minutes,
    Links,
}

#[derive(Arbitrary, Debug)]
enum Text {
    Any(String),
    /// A character repeated: texts at and around their bounds (40, 80, 100, 500).
    Repeat(char, u16),
    /// Padded with spaces (blank once trimmed when `inner` is empty).
    Padded(String),
    WithControl(String, u8, String),
}

impl Text {
    fn render(&self) -> String {
        match self {
            Self::Any(s) => s.clone(),
            Self::Repeat(c, n) => c.to_string().repeat(usize::from(*n % 600)),
            Self::Padded(s) => format!("  {s}\t "),
            Self::WithControl(a, c, b) => format!("{a}{}{b}", char::from(*c % 0x20)),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Scheme {
    Http,
    Https,
    HttpsUpper,
    Javascript,
    JavascriptMixed,
    Data,
    Vbscript,
    File,
    Ftp,
    Blob,
    /// `java\tscript`, `ja\u{200b}vascript`…
    Split(u8),
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Sep {
    SlashSlash,
    Colon,
    OneSlash,
    ThreeSlashes,
    Backslashes,
    SlashBackslash,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Host {
    Known(u8),
    Name(String),
    V4([u8; 4]),
    V6([u16; 8]),
    Decimal(u32),
    Idn(String),
    Empty,
}

#[derive(Arbitrary, Debug)]
struct UrlParts {
    leading: Option<char>,
    scheme: Scheme,
    sep: Sep,
    user: Option<(String, Option<String>)>,
    host: Host,
    port: Option<u32>,
    path: String,
    query: Option<String>,
    fragment: Option<String>,
    trailing: Option<char>,
}

impl UrlParts {
    fn render(&self) -> String {
        let mut out = String::new();
        out.extend(self.leading);
        out.push_str(match &self.scheme {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::HttpsUpper => "HTTPS",
            Scheme::Javascript => "javascript",
            Scheme::JavascriptMixed => "JaVaScRiPt",
            Scheme::Data => "data",
            Scheme::Vbscript => "vbscript",
            Scheme::File => "file",
            Scheme::Ftp => "ftp",
            Scheme::Blob => "blob:https",
            Scheme::Split(0) => "java\tscript",
            Scheme::Split(1) => "java\nscript",
            Scheme::Split(2) => "ja\u{200b}vascript",
            Scheme::Split(3) => "ht\ttps",
            Scheme::Split(4) => "https\u{0}",
            Scheme::Split(_) => "%6Aavascript",
            Scheme::Other(s) => s,
        });
        out.push_str(match &self.sep {
            Sep::SlashSlash => "://",
            Sep::Colon => ":",
            Sep::OneSlash => ":/",
            Sep::ThreeSlashes => ":///",
            Sep::Backslashes => ":\\\\",
            Sep::SlashBackslash => ":/\\",
            Sep::Other(s) => s,
        });
        if let Some((user, password)) = &self.user {
            out.push_str(user);
            if let Some(p) = password {
                out.push(':');
                out.push_str(p);
            }
            out.push('@');
        }
        match &self.host {
            Host::Known(i) => out.push_str(
                ["ana.coach", "buy.stripe.com", "cal.com", "wa.me", "localhost", "xn--n3h.com", "a.co"]
                    [usize::from(*i) % 7],
            ),
            Host::Name(s) | Host::Idn(s) => out.push_str(s),
            Host::V4([a, b, c, d]) => out.push_str(&format!("{a}.{b}.{c}.{d}")),
            Host::V6(parts) => {
                let hex: Vec<String> = parts.iter().map(|p| format!("{p:x}")).collect();
                out.push_str(&format!("[{}]", hex.join(":")));
            }
            Host::Decimal(n) => out.push_str(&n.to_string()),
            Host::Empty => {}
        }
        if let Host::Idn(_) = self.host {
            out.push_str(".ñandú.example");
        }
        if let Some(port) = self.port {
            out.push_str(&format!(":{port}"));
        }
        if !self.path.is_empty() {
            out.push('/');
            out.push_str(&self.path);
        }
        if let Some(q) = &self.query {
            out.push('?');
            out.push_str(q);
        }
        if let Some(f) = &self.fragment {
            out.push('#');
            out.push_str(f);
        }
        out.extend(self.trailing);
        out
    }
}

#[derive(Arbitrary, Debug)]
enum Phone {
    /// `+` and digits (the first may be 0), cut to `len`.
    E164 {
        digits: u64,
        more: u32,
        len: u8,
    },
    Raw(String),
}

impl Phone {
    fn render(&self) -> String {
        match self {
            Self::E164 { digits, more, len } => {
                let all = format!("{digits}{more}");
                format!("+{}", &all[..all.len().min(usize::from(*len % 20))])
            }
            Self::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct SocialSeed {
    network: u8,
    url: UrlParts,
    extra: Option<(String, bool)>,
}

impl SocialSeed {
    fn to_json(&self) -> Value {
        let networks = [
            "instagram",
            "tiktok",
            "youtube",
            "linkedin",
            "x",
            "facebook",
            "threads",
            "spotify",
            "website",
            "myspace",
            "Instagram",
        ];
        let mut link = json!({
            "network": networks[usize::from(self.network) % networks.len()],
            "url": self.url.render(),
        });
        if let Some((key, value)) = &self.extra {
            link[key.as_str()] = Value::Bool(*value);
        }
        link
    }
}

#[derive(Arbitrary, Debug)]
enum Val {
    Text(Text),
    Url(UrlParts),
    Phone(Phone),
    Minutes(u16),
    Number(i64),
    Float(f64),
    Bool(bool),
    Null,
    Links(Vec<SocialSeed>),
}

impl Val {
    /// The value as its own JSON type.
    fn natural(&self) -> Value {
        match self {
            Self::Text(t) => Value::String(t.render()),
            Self::Url(u) => Value::String(u.render()),
            Self::Phone(p) => Value::String(p.render()),
            Self::Minutes(m) => json!(m),
            Self::Number(n) => json!(n),
            Self::Float(f) => json!(f),
            Self::Bool(b) => json!(b),
            Self::Null => Value::Null,
            Self::Links(links) => Value::Array(links.iter().map(SocialSeed::to_json).collect()),
        }
    }

    /// The value coerced to what the field holds (mostly well-typed configs).
    fn as_expected(&self, expect: Expect) -> Value {
        match (expect, self) {
            (Expect::Minutes, Self::Minutes(m)) => json!(m),
            (Expect::Minutes, Self::Number(n)) => json!(n),
            (Expect::Minutes, _) => json!(30),
            (Expect::Links, Self::Links(_)) => self.natural(),
            (Expect::Links, Self::Url(u)) => json!([{"network": "website", "url": u.render()}]),
            (Expect::Links, _) => json!([]),
            (_, Self::Text(_) | Self::Url(_) | Self::Phone(_) | Self::Null) => self.natural(),
            (_, other) => Value::String(other.natural().to_string()),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Slot {
    Right(Val),
    Wrong(Val),
}

#[derive(Arbitrary, Debug)]
struct Input {
    kind: Kind,
    slots: [Option<Slot>; 4],
    unknown: Option<(String, Val)>,
    not_an_object: bool,
}

fuzz_target!(|input: Input| {
    let mut config = serde_json::Map::new();
    for ((name, expect), slot) in input.kind.fields().iter().zip(&input.slots) {
        match slot {
            Some(Slot::Right(v)) => config.insert((*name).to_owned(), v.as_expected(*expect)),
            Some(Slot::Wrong(v)) => config.insert((*name).to_owned(), v.natural()),
            None => None,
        };
    }
    if let Some((name, value)) = &input.unknown {
        config.insert(name.clone(), value.natural());
    }
    let config =
        if input.not_an_object { Value::Array(vec![Value::Object(config)]) } else { Value::Object(config) };
    mibio_fuzz::check_block(input.kind.wire(), config);
});
