//! Just enough MIME (RFC 2045/2046) to find a message's text and HTML bodies: headers,
//! `Content-Type` parameters, multipart splitting and charsets.

use crate::transfer;

/// An entity: a whole message or one part of a multipart body.
#[derive(Debug)]
pub(crate) struct Entity<'a> {
    headers: Vec<(&'a str, String)>,
    body: &'a str,
}

impl<'a> Entity<'a> {
    /// Splits `raw` at the first empty line into unfolded headers and the body.
    pub(crate) fn parse(raw: &'a str) -> Self {
        let (head, body) = split_head(raw);
        let mut headers: Vec<(&str, String)> = Vec::new();
        for line in head.lines() {
            match headers.last_mut() {
                Some((_, value)) if line.starts_with([' ', '\t']) => value.push_str(line),
                _ => {
                    if let Some((name, value)) = line.split_once(':') {
                        headers.push((name.trim(), value.to_owned()));
                    }
                }
            }
        }
        let headers = headers.into_iter().map(|(name, value)| (name, value.trim().to_owned())).collect();
        Self { headers, body }
    }

    /// The unfolded value of the first header called `name` (case-insensitive), still encoded.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The first part of type `mime` (`text/plain`, `text/html`), searching nested multiparts
    /// depth-first and skipping attachments; decoded to text with `\n` line ends.
    pub(crate) fn find_text(&self, mime: &str) -> Option<String> {
        let content_type = self.header("Content-Type").unwrap_or("text/plain");
        let kind = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let disposition = self.header("Content-Disposition").unwrap_or_default();
        if disposition.trim_start().to_ascii_lowercase().starts_with("attachment") {
            return None;
        }
        if kind.starts_with("multipart/") {
            let boundary = param(content_type, "boundary")?;
            return parts(self.body, &boundary).into_iter().find_map(|p| Entity::parse(p).find_text(mime));
        }
        if kind != mime {
            return None;
        }
        let bytes = transfer::decode(self.body, self.header("Content-Transfer-Encoding"));
        let charset = param(content_type, "charset").unwrap_or_else(|| "utf-8".to_owned());
        Some(decode_charset(&bytes, &charset).replace("\r\n", "\n"))
    }
}

/// Bytes to text: ISO-8859-1 maps byte for byte, anything else is read as UTF-8 (lossily).
pub(crate) fn decode_charset(bytes: &[u8], charset: &str) -> String {
    match charset.to_ascii_lowercase().as_str() {
        "iso-8859-1" | "latin1" | "latin-1" => bytes.iter().copied().map(char::from).collect(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn split_head(raw: &str) -> (&str, &str) {
    if let Some(body) = raw.strip_prefix("\r\n").or_else(|| raw.strip_prefix('\n')) {
        return ("", body);
    }
    let crlf = raw.find("\r\n\r\n").map(|i| (i, 4));
    let lf = raw.find("\n\n").map(|i| (i, 2));
    match crlf.into_iter().chain(lf).min() {
        Some((at, len)) => (&raw[..at], &raw[at + len..]),
        None => (raw, ""),
    }
}

/// The value of parameter `name` in a header like `multipart/alternative; boundary="b1"`.
fn param(header: &str, name: &str) -> Option<String> {
    let mut pieces = Vec::new();
    let (mut piece, mut quoted) = (String::new(), false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => pieces.push(std::mem::take(&mut piece)),
            _ => piece.push(c),
        }
    }
    pieces.push(piece);
    pieces.iter().skip(1).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
    })
}

/// The bodies of a multipart: what lies between the `--boundary` delimiter lines, up to
/// `--boundary--`. The line break before each delimiter belongs to the delimiter.
fn parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut found = Vec::new();
    let (mut start, mut offset) = (None, 0);
    for line in body.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let Some(rest) = line.trim_end().strip_prefix(delimiter.as_str()) else { continue };
        if rest.is_empty() || rest == "--" {
            if let Some(start) = start {
                let part = &body[start..line_start];
                found.push(part.strip_suffix("\r\n").or_else(|| part.strip_suffix('\n')).unwrap_or(part));
            }
            if rest == "--" {
                break;
            }
            start = Some(offset);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const NESTED: &str = "From: a@x.test\r\nContent-Type: multipart/mixed;\r\n boundary=\"outer\"\r\n\r\n\
        preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n\
        --inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
        Hola Mar=C3=ADa\r\n--inner\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\nPHA+SG9sYTwvcD4=\r\n--inner--\r\n\
        --outer\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a;b.txt\"\r\n\r\n\
        attached\r\n--outer--\r\nepilogue\r\n";

    #[test]
    fn headers_unfold_and_match_case_insensitively() {
        let entity = Entity::parse(NESTED);
        assert_eq!(entity.header("content-type"), Some("multipart/mixed; boundary=\"outer\""));
        assert_eq!(entity.header("from"), Some("a@x.test"));
        assert_eq!(entity.header("Subject"), None);
    }

    #[test]
    fn nested_multiparts_yield_the_decoded_text_and_html() {
        let entity = Entity::parse(NESTED);
        assert_eq!(entity.find_text("text/plain").as_deref(), Some("Hola María"));
        assert_eq!(entity.find_text("text/html").as_deref(), Some("<p>Hola</p>"));
    }

    #[test]
    fn a_single_part_message_defaults_to_plain_text() {
        let entity = Entity::parse("Subject: x\n\nline one\r\nline two\r\n");
        assert_eq!(entity.find_text("text/plain").as_deref(), Some("line one\nline two\n"));
        assert_eq!(entity.find_text("text/html"), None);
    }

    #[test]
    fn params_respect_quotes() {
        let header = "attachment; filename=\"a;b.txt\"; size=3";
        assert_eq!(param(header, "filename").as_deref(), Some("a;b.txt"));
        assert_eq!(param(header, "SIZE").as_deref(), Some("3"));
        assert_eq!(param(header, "boundary"), None);
    }
}
