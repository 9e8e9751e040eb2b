//! The development adapter: logs the message instead of sending it.

use async_trait::async_trait;

use crate::{EmailError, EmailMessage, EmailSender};

/// Logs the message at INFO instead of sending it, so a developer can follow a verification or
/// invitation link from the server log. Never fails. Not for production: it logs one-time links.
///
/// The recipient, subject and body are logged as the fields `to`, `subject` and `body`, which
/// the host's log redaction hides (they hold addresses and names); the links in the body are
/// logged on their own, as `links`.
#[derive(Debug)]
pub(crate) struct LogSender;

#[async_trait]
impl EmailSender for LogSender {
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError> {
        tracing::info!(
            to = message.to.address(),
            subject = %message.subject,
            body = %message.text,
            links = ?links_in(&message.text),
            "email not sent (MAIL_TRANSPORT=log)"
        );
        Ok(())
    }
}

/// The `http(s)://…` links of a plain-text body, in order.
fn links_in(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')'))
        .filter(|word| {
            let rest = word.strip_prefix("https://").or_else(|| word.strip_prefix("http://"));
            rest.is_some_and(|host| !host.is_empty())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::links_in;

    #[test]
    fn links_are_picked_out_of_the_body() {
        let body = "Hola Ana,\n\nConfirma tu correo: https://mibio.example/verify?token=abc\n(<http://x.io/a>)\nhttps:// no";
        assert_eq!(links_in(body), ["https://mibio.example/verify?token=abc", "http://x.io/a"]);
    }
}
