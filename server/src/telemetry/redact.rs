//! Personal data out of the logs, in one place: every formatted line passes through
//! [`Redact`] on its way to stdout, whoever logged it and however.
//!
//! Two rules, applied to the finished line (so they hold for `pretty` and `json` alike, for our
//! events and for those of the crates we use):
//!
//! - **E-mail addresses anywhere** — in messages, in error texts, in `Debug` dumps — become
//!   [`EMAIL`]. An address is `local@domain` with a dotted domain whose last label is at least two
//!   letters (so `postgres://user@127.0.0.1` is left alone: it names no person).
//! - **The value of a personal field** — one whose key is in [`PERSONAL_FIELDS`] (`to`, `name`,
//!   `phone`, `body`…) — becomes [`REDACTED`], whatever it holds: a name can't be recognised in
//!   free text, but a field that carries one can.
//!
//! The rules run on the log writer's own thread (see `telemetry::init`), never on a request's.
//! A line without `@` and without any personal key is passed on as it is.

use std::borrow::Cow;
use std::io::{self, Write};

use memchr::memmem;

use crate::config::LogFormat;

/// What an e-mail address becomes.
pub const EMAIL: &str = "[email]";
/// What the value of a personal field becomes.
pub const REDACTED: &str = "[redacted]";

/// Field keys whose values are personal data, whatever they hold.
pub const PERSONAL_FIELDS: &[&str] = &[
    "to",
    "from",
    "cc",
    "reply_to",
    "recipient",
    "email",
    "name",
    "display_name",
    "full_name",
    "first_name",
    "last_name",
    "phone",
    "whatsapp",
    "subject",
    "body",
];

/// A writer that redacts each line written through it, then hands it on. It expects whole lines
/// per `write` (the log writer thread writes one line per call).
#[derive(Debug)]
pub struct Redact<W> {
    inner: W,
    style: Style,
}

/// How the lines are laid out: where a field's key and value are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `{"key":value,…}`.
    Json,
    /// `key=value key="debug string"`.
    Pretty,
    /// [`Style::Pretty`] with terminal colours: an italic key and a dimmed `=`.
    PrettyAnsi,
}

impl Style {
    /// The style of `format`, coloured or not.
    #[must_use]
    pub const fn of(format: LogFormat, ansi: bool) -> Self {
        match (format, ansi) {
            (LogFormat::Json, _) => Self::Json,
            (LogFormat::Pretty, false) => Self::Pretty,
            (LogFormat::Pretty, true) => Self::PrettyAnsi,
        }
    }
}

/// What `tracing-subscriber` writes around a key in colour: italic on, and after the key the
/// reset, dimmed `=`, reset.
const ANSI_KEY_START: &[u8] = b"\x1b[3m";
const ANSI_KEY_END: &str = "\x1b[0m\x1b[2m=\x1b[0m";

impl<W: Write> Redact<W> {
    /// Redacts lines laid out in `style` before writing them to `inner`.
    pub const fn new(style: Style, inner: W) -> Self {
        Self { inner, style }
    }
}

impl<W: Write> Write for Redact<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write_all(&redact(buf, self.style))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `line` with its e-mail addresses and personal field values replaced.
#[must_use]
pub fn redact(line: &[u8], style: Style) -> Cow<'_, [u8]> {
    let mut line = Cow::Borrowed(line);
    for key in PERSONAL_FIELDS {
        if let Some(redacted) = redact_field(&line, key, style) {
            line = Cow::Owned(redacted);
        }
    }
    if memchr::memchr(b'@', &line).is_some()
        && let Some(redacted) = redact_emails(&line)
    {
        line = Cow::Owned(redacted);
    }
    line
}

/// Replaces every value of field `key`; `None` when the line has none.
fn redact_field(line: &[u8], key: &str, style: Style) -> Option<Vec<u8>> {
    let needle = match style {
        Style::Json => format!("\"{key}\":"),
        Style::Pretty => format!("{key}="),
        Style::PrettyAnsi => format!("{key}{ANSI_KEY_END}"),
    };
    let finder = memmem::Finder::new(needle.as_bytes());
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = finder.find(&line[from..]).map(|at| at + from) {
        let value = found + needle.len();
        from = value;
        // `subject=` inside `email_subject=` is another field.
        let whole_key = match style {
            Style::Json => true,
            Style::Pretty => found == 0 || matches!(line[found - 1], b' ' | b'{' | b','),
            Style::PrettyAnsi => line[..found].ends_with(ANSI_KEY_START),
        };
        if !whole_key {
            continue;
        }
        let end = match style {
            Style::Json => json_value_end(line, value),
            Style::Pretty | Style::PrettyAnsi => pretty_value_end(line, value),
        };
        if style == Style::Json && key == "name" && is_span_name(line, found, end) {
            continue;
        }
        let out = out.get_or_insert_with(|| Vec::with_capacity(line.len()));
        out.extend_from_slice(&line[copied..value]);
        match style {
            Style::Json => out.extend_from_slice(format!("\"{REDACTED}\"").as_bytes()),
            Style::Pretty | Style::PrettyAnsi => out.extend_from_slice(REDACTED.as_bytes()),
        }
        copied = end;
        from = end;
    }
    let mut out = out?;
    out.extend_from_slice(&line[copied..]);
    Some(out)
}

/// Whether the JSON `"name":…` at `key`, whose value ends at `end`, is the current span's name:
/// `tracing-subscriber` writes it as the last member of the `"span":{…}` object (after the span's
/// own fields, a `name` field among them), so it is followed by that object's `}`. A span's name
/// is a static identifier (`request`, `job`), never personal.
fn is_span_name(line: &[u8], key: usize, end: usize) -> bool {
    line.get(end) == Some(&b'}') && memmem::rfind(&line[..key], b"\"span\":{").is_some()
}

/// Where a JSON value starting at `at` ends: after its closing quote for a string (escapes
/// honoured), else at the `,` or `}` that closes a scalar. Objects and arrays are not values
/// our events carry; one is redacted up to its first `,`, which still hides its first member.
fn json_value_end(line: &[u8], at: usize) -> usize {
    if line.get(at) == Some(&b'"') {
        return quoted_end(line, at);
    }
    line[at..].iter().position(|b| matches!(b, b',' | b'}' | b'\n')).map_or(line.len(), |n| at + n)
}

/// Where a `pretty` value starting at `at` ends: after its closing quote for a `Debug` string,
/// else before the next ` key=` (a `Display` value may hold spaces), a colour code or the end of
/// the line.
fn pretty_value_end(line: &[u8], at: usize) -> usize {
    if line.get(at) == Some(&b'"') {
        return quoted_end(line, at);
    }
    let mut i = at;
    while i < line.len() && !matches!(line[i], b'\n' | 0x1b) {
        if matches!(line[i], b' ' | b'}') && starts_field(&line[i + 1..]) {
            return i;
        }
        if line[i] == b'}' && line.get(i + 1) == Some(&b':') {
            return i; // the end of a span's fields: `request{…name=x}: …`
        }
        i += 1;
    }
    i
}

/// Whether `rest` starts with `identifier=` (a colour code around it is the caller's concern:
/// values end at one anyway).
fn starts_field(rest: &[u8]) -> bool {
    let key = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.')).count();
    key > 0 && rest.get(key) == Some(&b'=')
}

/// The index after the closing quote of the string opening at `at`.
fn quoted_end(line: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    while i < line.len() {
        match line[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    line.len()
}

/// Replaces every e-mail address; `None` when there is none.
fn redact_emails(line: &[u8]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for at in memchr::memchr_iter(b'@', line) {
        if at < copied {
            continue;
        }
        let Some((start, end)) = email_around(line, at) else { continue };
        if start < copied {
            continue;
        }
        let out = out.get_or_insert_with(|| Vec::with_capacity(line.len()));
        out.extend_from_slice(&line[copied..start]);
        out.extend_from_slice(EMAIL.as_bytes());
        copied = end;
    }
    let mut out = out?;
    out.extend_from_slice(&line[copied..]);
    Some(out)
}

/// The bounds of the e-mail address whose `@` is at `at`, if it is one.
fn email_around(line: &[u8], at: usize) -> Option<(usize, usize)> {
    let local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut start = at;
    while start > 0 && local(line[start - 1]) {
        start -= 1;
    }
    start = after_escape(line, start, at);
    let domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let mut end = at + 1;
    while end < line.len() && domain(line[end]) {
        end += 1;
    }
    // A sentence's full stop is not part of the domain.
    while end > at + 1 && line[end - 1] == b'.' {
        end -= 1;
    }
    let host = &line[at + 1..end];
    let tld = host.rsplit(|b| *b == b'.').next().unwrap_or_default();
    let dotted = host.contains(&b'.') && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic);
    (start < at && dotted).then_some((start, end))
}

/// Moves `start` past an escape sequence that ends just before it or inside the local part: in
/// `\nana@x.io` or `\u00e1ana@x.io` the `n` and `u00e1` belong to the escape, not the address.
fn after_escape(line: &[u8], start: usize, at: usize) -> usize {
    let Some(slash) = line[start.saturating_sub(1)..at].iter().rposition(|b| *b == b'\\') else {
        return start;
    };
    let slash = start.saturating_sub(1) + slash;
    let escape_len = if line.get(slash + 1) == Some(&b'u') { 6 } else { 2 };
    (slash + escape_len).clamp(start, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(line: &str) -> String {
        String::from_utf8(redact(line.as_bytes(), Style::Json).into_owned()).unwrap()
    }

    fn pretty(line: &str) -> String {
        String::from_utf8(redact(line.as_bytes(), Style::Pretty).into_owned()).unwrap()
    }

    #[test]
    fn addresses_are_redacted_wherever_they_are() {
        assert_eq!(
            pretty("INFO could not mail ana.lopez+x@coach.example.com."),
            "INFO could not mail [email]."
        );
        assert_eq!(
            json(r#"{"message":"bounce from Ana <ana@x.io>, b@y.co","error":"b@y.co"}"#),
            r#"{"message":"bounce from Ana <[email]>, [email]","error":"[email]"}"#
        );
        // Escapes stay whole, so the JSON stays valid.
        assert_eq!(
            json(r#"{"message":"a\nana@x.io\u00e1bo@x.io"}"#),
            r#"{"message":"a\n[email]\u00e1[email]"}"#
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&json(r#"{"message":"x\"ana@x.io\""}"#)).unwrap()["message"],
            "x\"[email]\""
        );
    }

    #[test]
    fn what_is_not_an_address_is_left_alone() {
        for line in [
            "connecting to postgres://postgres@127.0.0.1:5432/mibio",
            "@handle and a@b and x@localhost and a@b.c and v@1.2.3.4",
            "request{request_id=0193 trace_id=4bf9}: GET /ana-coach 200",
        ] {
            assert_eq!(pretty(line), line);
            assert!(matches!(redact(line.as_bytes(), Style::Pretty), Cow::Borrowed(_)), "{line}");
        }
    }

    #[test]
    fn personal_fields_lose_their_values_in_json() {
        let line = r#"{"level":"INFO","to":"ana@x.io","subject":"Hola \"Ana\"","job":"send_email","n":3,"name":"Ana López"}"#;
        let out = json(line);
        assert_eq!(
            out,
            r#"{"level":"INFO","to":"[redacted]","subject":"[redacted]","job":"send_email","n":3,"name":"[redacted]"}"#
        );
        assert_eq!(json(r#"{"span":{"phone":5491155,"x":1}}"#), r#"{"span":{"phone":"[redacted]","x":1}}"#);
        // A span field `name` is redacted; the span's own name, last in its object, is kept.
        assert_eq!(
            json(r#"{"name":"Ana","target":"t","span":{"name":"Bo","name":"job"}}"#),
            r#"{"name":"[redacted]","target":"t","span":{"name":"[redacted]","name":"job"}}"#
        );
    }

    #[test]
    fn personal_fields_lose_their_values_in_pretty_lines() {
        assert_eq!(
            pretty(
                r#"INFO email not sent to="Ana López <ana@x.io>" subject=Hola Ana, bienvenida links=["https://x.io/v?t=1"]"#
            ),
            r#"INFO email not sent to=[redacted] subject=[redacted] links=["https://x.io/v?t=1"]"#
        );
        assert_eq!(pretty("job{name=Ana López attempt=1}: done"), "job{name=[redacted] attempt=1}: done");
        // A longer key that ends like a personal one is another field.
        assert_eq!(pretty("INFO page_name=Coaching ok"), "INFO page_name=Coaching ok");
    }

    #[test]
    fn the_writer_redacts_what_passes_through_it() {
        let mut out = Vec::new();
        let mut writer = Redact::new(Style::Pretty, &mut out);
        writer.write_all(b"INFO mail for ana@x.io\n").unwrap();
        writer.flush().unwrap();
        assert_eq!(out, b"INFO mail for [email]\n");
    }

    /// What `tracing-subscriber` really writes, in each style, through the redacting writer.
    #[test]
    fn events_logged_through_a_subscriber_come_out_redacted() {
        use std::sync::{Arc, Mutex};
        use tracing_subscriber::layer::SubscriberExt as _;

        #[derive(Clone, Default)]
        struct Sink(Arc<Mutex<Vec<u8>>>);
        impl Write for Sink {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }

        for (format, ansi) in
            [(LogFormat::Pretty, false), (LogFormat::Pretty, true), (LogFormat::Json, false)]
        {
            let sink = Sink::default();
            let style = Style::of(format, ansi);
            let writer = {
                let sink = sink.clone();
                move || Redact::new(style, sink.clone())
            };
            let layer = tracing_subscriber::fmt::layer().with_writer(writer).with_ansi(ansi);
            let subscriber: Box<dyn tracing::Subscriber + Send + Sync> = match format {
                LogFormat::Pretty => Box::new(tracing_subscriber::registry().with(layer)),
                LogFormat::Json => Box::new(
                    tracing_subscriber::registry()
                        .with(layer.json().flatten_event(true).with_current_span(true).with_span_list(false)),
                ),
            };
            tracing::subscriber::with_default(subscriber, || {
                let span = tracing::info_span!("lead", name = %"Ana López", page = "ana-coach");
                let _entered = span.enter();
                tracing::info!(to = "ana@x.io", phone = %"+54 9 11 5555 0000", job = "send_email", "mail for bo@y.co failed");
            });
            let out = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
            for personal in ["Ana", "López", "ana@x.io", "bo@y.co", "5555"] {
                assert!(!out.contains(personal), "{style:?} kept {personal:?}: {out}");
            }
            // The span's own name (`"span":{…,"name":"lead"}` in JSON) is not a person's.
            for kept in ["lead", "ana-coach", "send_email", "mail for [email] failed", REDACTED] {
                assert!(out.contains(kept), "{style:?} lost {kept:?}: {out}");
            }
        }
    }
}
