//! The `EmailSender` port.

use async_trait::async_trait;

use crate::{EmailError, EmailMessage};

/// Sends email. The host binds one adapter at start-up ([`crate::sender_from`]); use cases and
/// jobs hold it as `Arc<dyn EmailSender>`.
///
/// Contract for every implementation:
///
/// - `Ok(())` means the message was handed over — accepted by the SMTP relay, written to disk,
///   logged — not that it reached an inbox.
/// - It MUST return [`EmailError::Rejected`] when the receiving side refused the message for
///   good (an SMTP `5xx`), so the caller does not retry it.
/// - It MUST return [`EmailError::Transport`] for every failure that may pass on a retry
///   (connection refused or dropped, timeout, an SMTP `4xx`, an I/O error).
/// - It MUST NOT hang: a silent peer ends in `Transport` after a bounded time (10 s for SMTP).
/// - It does not return [`EmailError::InvalidAddress`]: a [`crate::Mailbox`] is checked when it
///   is built, so every recipient it is given is well formed.
/// - It MUST NOT log the bodies (they carry one-time links), except the `Log` adapter, whose
///   whole point that is.
#[async_trait]
pub trait EmailSender: Send + Sync + 'static {
    /// Sends `message` from the sender's configured `From` mailbox, as `multipart/alternative`
    /// with the text part first and the HTML part second.
    ///
    /// # Errors
    ///
    /// [`EmailError::Rejected`] if the server refused the message for good;
    /// [`EmailError::Transport`] if it could not be handed over now. See the trait's contract.
    async fn send(&self, message: EmailMessage) -> Result<(), EmailError>;
}
