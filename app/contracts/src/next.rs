//! `next`: where a visitor goes once signed in. `/signin?next=…`, `/signup?next=…` and the
//! verification link carry it; the host's redirect of signed-out visitors writes it. One rule for
//! every door (the sign-in screen, the server functions, the REST API and the host): only a path
//! on this site is followed, everything else leads to the dashboard. An open redirect would let a
//! phishing link borrow mibio's address.
//!
//! Refused: anything that does not start with `/`, a second `/` or a `\` right after it (`//host`
//! and `/\host` are other hosts to a browser), any `\`, control characters (browsers drop tabs and
//! newlines, so `/\t/host` is `//host`), `.` and `..` segments, and the same in every
//! percent-decoded form of the value (`%2F%2Fhost`, `/%5Chost`, `/%252F/host`), in case some layer
//! decodes it once more.

use std::fmt;

/// Where a missing or refused `next` leads.
pub const DEFAULT_NEXT: &str = "/dashboard";

/// Longest `next` accepted, in bytes.
pub const NEXT_MAX_LEN: usize = 2048;

/// Percent-decoding rounds examined; a value still encoded after them is refused.
const DECODE_ROUNDS: usize = 4;

/// Why a `next` is not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextError {
    /// Empty, or longer than [`NEXT_MAX_LEN`].
    Length,
    /// Not a path: an absolute URL, a scheme (`javascript:`), a relative path.
    NotAPath,
    /// `//host` or `/\host`: a path the browser reads as another host.
    OtherHost,
    /// A backslash anywhere (browsers read it as `/`).
    Backslash,
    /// A `.` or `..` segment: browsers never send one, and `/a/..//host` resolves to `//host`.
    DotSegment,
    /// A control character (tab, newline, NUL, …).
    Control,
    /// Encoded more times than anyone legitimately does, or not UTF-8 once decoded.
    Encoding,
}

impl fmt::Display for NextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Length => "is empty or too long",
            Self::NotAPath => "is not a path on this site",
            Self::OtherHost => "names another host",
            Self::Backslash => "contains a backslash",
            Self::DotSegment => "contains a dot segment",
            Self::Control => "contains a control character",
            Self::Encoding => "is encoded too many times",
        })
    }
}

/// A path on this site to continue to: parsed by [`NextPath::parse`], so it can only hold a safe
/// value. Characters a URL may not carry as they are (spaces, non-ASCII) are percent-encoded, so
/// the value is also a valid `Location` header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NextPath(String);

impl NextPath {
    /// Judges `raw` (a query parameter's value, already decoded once by the query parser).
    ///
    /// # Errors
    /// [`NextError`] naming the first problem found in `raw` or in one of its decoded forms.
    pub fn parse(raw: &str) -> Result<Self, NextError> {
        if raw.is_empty() || raw.len() > NEXT_MAX_LEN {
            return Err(NextError::Length);
        }
        if !raw.starts_with('/') {
            return Err(NextError::NotAPath);
        }
        let mut layer = raw.to_owned();
        for _ in 0..DECODE_ROUNDS {
            check(&layer)?;
            match percent_decode(&layer)? {
                Some(decoded) => layer = decoded,
                None => return Ok(Self(encode_unsafe(raw))),
            }
        }
        Err(NextError::Encoding)
    }

    /// `raw` when it is a safe path, else the dashboard.
    #[must_use]
    pub fn or_default(raw: Option<&str>) -> Self {
        raw.and_then(|r| Self::parse(r).ok()).unwrap_or_default()
    }

    /// The path.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the default destination (then links need not carry it).
    #[must_use]
    pub fn is_default(&self) -> bool {
        self.0 == DEFAULT_NEXT
    }

    /// `{base}?next=…` (`base` alone for the default), e.g. `/signin?next=%2Fdashboard%2Fpages`.
    #[must_use]
    pub fn on(&self, base: &str) -> String {
        if self.is_default() { base.to_owned() } else { format!("{base}?next={}", self.query_value()) }
    }

    /// The path encoded as a query parameter's value.
    #[must_use]
    pub fn query_value(&self) -> String {
        encode_query_value(&self.0)
    }
}

impl Default for NextPath {
    fn default() -> Self {
        Self(DEFAULT_NEXT.to_owned())
    }
}

impl fmt::Display for NextPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The rules every form of the value must pass.
fn check(layer: &str) -> Result<(), NextError> {
    if !layer.starts_with('/') {
        return Err(NextError::NotAPath);
    }
    if layer[1..].starts_with(['/', '\\']) {
        return Err(NextError::OtherHost);
    }
    if layer.contains('\\') {
        return Err(NextError::Backslash);
    }
    if layer.chars().any(char::is_control) {
        return Err(NextError::Control);
    }
    let path = layer.split(['?', '#']).next().unwrap_or_default();
    if path.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(NextError::DotSegment);
    }
    Ok(())
}

/// One round of percent-decoding; `None` when there was nothing to decode.
fn percent_decode(s: &str) -> Result<Option<String>, NextError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                changed = true;
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    if !changed {
        return Ok(None);
    }
    String::from_utf8(out).map(Some).map_err(|_| NextError::Encoding)
}

/// Percent-encodes what a URL cannot carry as it is (ASCII controls are refused before this).
fn encode_unsafe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '`' | '{' | '}' | '|' | '^') {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Percent-encodes `raw` for a query parameter's value (`/` stays readable).
#[must_use]
pub fn encode_query_value(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    /// Values that must never be followed, each as a browser would send it after one decoding.
    const HOSTILE: &[&str] = &[
        "//evil.example",
        "///evil.example",
        "//evil.example/dashboard",
        "https://evil.example",
        "http://evil.example/dashboard",
        "HTTPS://evil.example",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "/dashboard\\..\\evil",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "%2F%2Fevil.example",
        "%2f%2fevil.example",
        "/%2Fevil.example",
        "/%2fevil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "%5C%5Cevil.example",
        "/%252Fevil.example",
        "/%25252Fevil.example",
        "/%2525252525252Fevil.example",
        "javascript%3Aalert(1)",
        "/%09/evil.example",
        "/%0A/evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "/\t/evil.example",
        "/\n/evil.example",
        "/dash\0board",
        "/dash\u{7f}board",
        "/%FF",
        "/dashboard/..//evil.example",
        "/dashboard/%2E%2E//evil.example",
        "/./",
        "evil.example",
        "dashboard",
        " /dashboard",
        "",
    ];

    #[test]
    fn hostile_values_land_on_the_dashboard() {
        for raw in HOSTILE {
            assert!(NextPath::parse(raw).is_err(), "{raw:?} was accepted");
            assert_eq!(NextPath::or_default(Some(raw)).as_str(), "/dashboard", "{raw:?}");
        }
        assert_eq!(NextPath::or_default(None).as_str(), "/dashboard");
        assert_eq!(NextPath::parse(&format!("/{}", "a".repeat(NEXT_MAX_LEN))), Err(NextError::Length));
    }

    #[test]
    fn each_refusal_names_its_reason() {
        assert_eq!(NextPath::parse("//evil.example"), Err(NextError::OtherHost));
        assert_eq!(NextPath::parse("/\\evil.example"), Err(NextError::OtherHost));
        assert_eq!(NextPath::parse("/a\\b"), Err(NextError::Backslash));
        assert_eq!(NextPath::parse("https://evil.example"), Err(NextError::NotAPath));
        assert_eq!(NextPath::parse("/%2F%2Fevil.example"), Err(NextError::OtherHost));
        assert_eq!(NextPath::parse("/a%0Ab"), Err(NextError::Control));
        assert_eq!(NextPath::parse("/%2525252525252Fx"), Err(NextError::Encoding));
    }

    #[test]
    fn paths_on_this_site_are_followed() {
        for raw in [
            "/dashboard",
            "/dashboard/pages/0193a7c2-7f7e-7cc1-9a3e-5c2d1f0e4b6a/leads",
            "/dashboard/pages?new=1",
            "/invitations/abc_DEF-123",
            "/admin/users?q=ana%20perez&limit=5",
            "/admin/audit?to=2026-11-25#top",
            "/x?q=100%25",
            "/",
        ] {
            assert_eq!(NextPath::parse(raw).map(|n| n.as_str().to_owned()), Ok(raw.to_owned()));
        }
    }

    #[test]
    fn characters_a_url_cannot_carry_are_encoded() {
        assert_eq!(
            NextPath::parse("/admin/users?q=ana pérez").unwrap().as_str(),
            "/admin/users?q=ana%20p%C3%A9rez"
        );
        assert_eq!(NextPath::parse("/a\"<b>").unwrap().as_str(), "/a%22%3Cb%3E");
    }

    #[test]
    fn links_carry_the_path_encoded() {
        let next = NextPath::parse("/dashboard/pages?new=1&x=a b").unwrap();
        assert_eq!(next.on("/signin"), "/signin?next=/dashboard/pages%3Fnew%3D1%26x%3Da%2520b");
        assert_eq!(NextPath::default().on("/signin"), "/signin");
        assert_eq!(encode_query_value("/invitations/a b?x=1"), "/invitations/a%20b%3Fx%3D1");
    }
}
