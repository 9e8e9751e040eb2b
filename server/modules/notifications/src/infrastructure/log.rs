//! The development adapter: logs the message instead of sending it.

use async_trait::async_trait;

use crate::{EmailError, EmailMessage, EmailSender};

/// Logs recipient, subject and text body at INFO, so a developer can copy a verification link
/// from the server log. Never fails. Not for production: it logs an address and one-time links.
#[derive(Debug)]
pub(crate) struct LogSender;

#[async_trait]
impl EmailSender for LogSender {
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError> {
        tracing::info!(
            to = message.to.address(),
            subject = %message.subject,
            "email not sent (MAIL_TRANSPORT=log); its text body:\n{}",
            message.text
        );
        Ok(())
    }
}
