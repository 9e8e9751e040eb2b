//! The adapters: the `EmailSender` adapters and the choice between them; the tables of in-app
//! notifications, preferences, unsubscribe tokens, lead digests and handled events; the outbox
//! subscriber and the jobs.

pub(crate) mod digests;
mod file;
pub(crate) mod handled;
pub(crate) mod inbox;
pub(crate) mod jobs;
mod log;
mod mime;
pub(crate) mod preferences;
mod recording;
pub(crate) mod schema;
mod smtp;
pub(crate) mod subscriber;
pub(crate) mod tokens;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use recording::RecordingSender;

use crate::{EmailError, EmailSender, Mailbox};

/// The longest an SMTP send may take, from connecting to the final reply.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// Where outgoing email goes; the host maps its `MAIL_TRANSPORT` setting to this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// An SMTP relay. STARTTLS is used when the server offers it, and required when credentials
    /// are set and the host is not loopback, so a password never crosses the network in clear.
    Smtp {
        /// Host name or IP address of the relay.
        host: String,
        /// Its port (25, 587, or a local capture server's).
        port: u16,
        /// Log in with these, if the relay wants it.
        credentials: Option<SmtpCredentials>,
    },
    /// One `.eml` file per message in this directory, created if missing.
    File(PathBuf),
    /// Log recipient, subject and text body at INFO instead of sending: for development.
    Log,
}

/// An SMTP login. `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpCredentials {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

impl fmt::Debug for SmtpCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpCredentials").field("username", &self.username).finish_non_exhaustive()
    }
}

/// Builds the sender for `transport`; every message it sends comes `from` this mailbox.
///
/// # Errors
///
/// [`EmailError::Transport`] if a `File` directory cannot be created, or the TLS settings of an
/// `Smtp` relay cannot be built. No connection is opened here: an unreachable relay shows up on
/// the first `send`.
pub fn sender_from(transport: Transport, from: Mailbox) -> Result<Arc<dyn EmailSender>, EmailError> {
    Ok(match transport {
        Transport::Smtp { host, port, credentials } => {
            Arc::new(smtp::SmtpSender::new(&host, port, credentials, from, SMTP_TIMEOUT)?)
        }
        Transport::File(dir) => Arc::new(file::FileSender::new(dir, from)?),
        Transport::Log => Arc::new(log::LogSender),
    })
}
