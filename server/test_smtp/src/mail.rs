//! A captured message and the helpers tests read it with.

use crate::encoded_word::decode_header;
use crate::mime::Entity;

/// One message the capture server accepted: its envelope and its text as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedMail {
    /// The envelope sender (`MAIL FROM`); empty for the null sender `<>`.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), in order.
    pub to: Vec<String>,
    /// The message (headers and body) with dot-stuffing undone and CRLF line ends.
    pub raw: String,
}

impl CapturedMail {
    /// The first header called `name` (case-insensitive), unfolded, with RFC 2047
    /// encoded-words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        Entity::parse(&self.raw).header(name).map(decode_header)
    }

    /// The decoded `Subject` header.
    pub fn subject(&self) -> Option<String> {
        self.header("Subject")
    }

    /// The first `text/plain` part (outside attachments), transfer-decoded, with `\n` line ends.
    pub fn text_body(&self) -> Option<String> {
        Entity::parse(&self.raw).find_text("text/plain")
    }

    /// The first `text/html` part (outside attachments), transfer-decoded, with `\n` line ends.
    pub fn html_body(&self) -> Option<String> {
        Entity::parse(&self.raw).find_text("text/html")
    }

    /// Every `http://` and `https://` URL in the text body, in order. A URL ends at whitespace,
    /// a quote or an angle bracket; trailing sentence punctuation is not part of it.
    pub fn links(&self) -> Vec<String> {
        self.text_body().map(|text| links(&text)).unwrap_or_default()
    }
}

fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = [rest.find("http://"), rest.find("https://")].into_iter().flatten().min() {
        let candidate = &rest[start..];
        let end =
            candidate.find(|c: char| c.is_whitespace() || "<>\"'".contains(c)).unwrap_or(candidate.len());
        let mut url = &candidate[..end];
        while let Some(last) = url.chars().last() {
            let trailing = match last {
                '.' | ',' | ';' | ':' | '!' | '?' => true,
                ')' => url.matches('(').count() < url.matches(')').count(),
                ']' => url.matches('[').count() < url.matches(']').count(),
                _ => false,
            };
            if !trailing {
                break;
            }
            url = &url[..url.len() - 1];
        }
        if url.len() > "https://".len() {
            found.push(url.to_owned());
        }
        rest = &candidate[end.max(1)..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_stop_at_whitespace_and_drop_sentence_punctuation() {
        let text = "Abrí https://mibio.test/verify?token=abc. Or (see http://x.test/a_(b)).\n\
                    <https://mibio.test/x> and https:// alone, https://mibio.test/end";
        assert_eq!(
            links(text),
            [
                "https://mibio.test/verify?token=abc",
                "http://x.test/a_(b)",
                "https://mibio.test/x",
                "https://mibio.test/end",
            ]
        );
    }

    #[test]
    fn helpers_read_a_single_part_message() {
        let mail = CapturedMail {
            from: "no-reply@mibio.test".into(),
            to: vec!["ana@example.com".into()],
            raw: "Subject: =?utf-8?b?SG9sYSDCoQ==?=\r\n\r\nVisit https://mibio.test/a\r\n".into(),
        };
        assert_eq!(mail.subject().as_deref(), Some("Hola ¡"));
        assert_eq!(mail.header("X-Missing"), None);
        assert_eq!(mail.text_body().as_deref(), Some("Visit https://mibio.test/a\n"));
        assert_eq!(mail.html_body(), None);
        assert_eq!(mail.links(), ["https://mibio.test/a"]);
    }
}
