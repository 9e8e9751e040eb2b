//! The SMTP adapter: lettre over tokio, STARTTLS with rustls when the relay offers it.

use std::net::IpAddr;
use std::time::Duration;

use async_trait::async_trait;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{SmtpCredentials, mime};
use crate::{EmailError, EmailMessage, EmailSender, Mailbox};

/// Sends through one SMTP relay, one connection per message.
pub(crate) struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
    timeout: Duration,
}

impl SmtpSender {
    /// `timeout` bounds the whole exchange, connection included.
    pub(crate) fn new(
        host: &str,
        port: u16,
        credentials: Option<SmtpCredentials>,
        from: Mailbox,
        timeout: Duration,
    ) -> Result<Self, EmailError> {
        let tls = TlsParameters::new(host.to_owned()).map_err(|e| EmailError::transport(e, "set up TLS"))?;
        // Opportunistic STARTTLS works with real relays and with plain local capture servers;
        // with a password on the line, a stripped STARTTLS offer must not downgrade us to clear.
        let tls = if credentials.is_some() && !is_loopback(host) {
            Tls::Required(tls)
        } else {
            Tls::Opportunistic(tls)
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(timeout));
        if let Some(SmtpCredentials { username, password }) = credentials {
            builder = builder.credentials(Credentials::new(username, password));
        }
        Ok(Self { transport: builder.build(), from: from.to_lettre(), timeout })
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[async_trait]
impl EmailSender for SmtpSender {
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError> {
        let email = mime::build(&self.from, message)?;
        // lettre's own timeout only covers connecting; a relay that then goes silent must not
        // hold the caller forever.
        match tokio::time::timeout(self.timeout, self.transport.send(email)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(EmailError::Rejected(e.to_string())),
            Ok(Err(e)) => Err(EmailError::transport(e, "send over SMTP")),
            Err(elapsed) => Err(EmailError::transport(elapsed, "wait for the SMTP relay")),
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::net::TcpListener;

    use super::*;

    fn message() -> EmailMessage {
        let to = Mailbox::new("ana@example.com").unwrap();
        EmailMessage { to, subject: "s".into(), text: "t".into(), html: "h".into() }
    }

    #[tokio::test]
    async fn a_relay_that_never_speaks_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let from = Mailbox::new("no-reply@mibio.test").unwrap();
        let sender = SmtpSender::new("127.0.0.1", port, None, from, Duration::from_millis(200)).unwrap();
        let error = sender.send(message()).await.unwrap_err();
        assert!(matches!(error, EmailError::Transport(_)), "{error}");
        assert!(error.to_string().contains("wait for the SMTP relay"), "{error}");
        drop(listener);
    }

    #[test]
    fn only_loopback_hosts_may_log_in_without_tls() {
        assert!(is_loopback("localhost") && is_loopback("127.0.0.1") && is_loopback("::1"));
        assert!(!is_loopback("smtp.example.com") && !is_loopback("10.0.0.2"));
    }
}
