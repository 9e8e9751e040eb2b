//! Turns an `EmailMessage` into a lettre `Message`: `multipart/alternative`, text then HTML.

use lettre::Message;
use lettre::message::MultiPart;

use crate::{EmailError, EmailMessage};

/// The MIME message for `message`, from `from`, with a `Message-ID` (`<random@hostname>`: some
/// receivers distrust mail without one). lettre encodes the subject and names (RFC 2047) and
/// picks each part's transfer encoding, so any Unicode is safe.
pub(crate) fn build(from: &lettre::message::Mailbox, message: EmailMessage) -> Result<Message, EmailError> {
    let EmailMessage { to, subject, text, html } = message;
    Message::builder()
        .from(from.clone())
        .to(to.to_lettre())
        .subject(subject)
        .message_id(None)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| EmailError::transport(e, "build the MIME message"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Mailbox;

    #[test]
    fn the_subject_cannot_inject_headers() {
        let from = Mailbox::new("no-reply@mibio.test").unwrap().to_lettre();
        let message = EmailMessage {
            to: Mailbox::new("ana@example.com").unwrap(),
            subject: "Hola\r\nBcc: spy@evil.test".into(),
            text: "text".into(),
            html: "<p>html</p>".into(),
        };
        let raw = String::from_utf8(build(&from, message).unwrap().formatted()).unwrap();
        assert!(!raw.lines().any(|line| line.starts_with("Bcc:")), "{raw}");
        assert!(raw.contains("Content-Type: multipart/alternative"), "{raw}");
        assert!(raw.contains("\r\nMIME-Version: 1.0\r\n") && raw.contains("\r\nMessage-ID: <"), "{raw}");
    }
}
