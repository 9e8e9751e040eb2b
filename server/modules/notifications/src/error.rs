//! The context's error: why an address was refused or a message was not sent.

/// What went wrong with an email. [`EmailError::is_permanent`] tells a retrying caller (the
/// email job) whether trying again can help.
///
/// No variant carries the bodies; `InvalidAddress` does not repeat the address either.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// Text that is not a valid email address (or `Name <address>` mailbox). Permanent.
    #[error("invalid email address: {reason}")]
    InvalidAddress {
        /// What is wrong with it, e.g. "Invalid email domain".
        reason: String,
    },
    /// The mail server refused the message for good (an SMTP `5xx` reply, e.g. an unknown
    /// recipient or an unauthorized sender). Permanent: the same message fails again.
    #[error("the mail server rejected the message: {0}")]
    Rejected(String),
    /// The message could not be handed over now: connection refused or dropped, timeout, TLS
    /// failure, an SMTP `4xx` reply, a file that could not be written. Retrying may succeed.
    #[error("mail transport failed: {0:#}")]
    Transport(anyhow::Error),
}

impl EmailError {
    /// Whether sending the same message again is bound to fail the same way.
    pub fn is_permanent(&self) -> bool {
        !matches!(self, Self::Transport(_))
    }

    pub(crate) fn transport(error: impl Into<anyhow::Error>, doing: &'static str) -> Self {
        Self::Transport(error.into().context(doing))
    }
}
