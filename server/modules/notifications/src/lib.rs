//! The notifications context: email.
//!
//! Other contexts compose an [`EmailMessage`] (in the recipient's locale, with a plain-text and
//! an HTML body) and hand it to an [`EmailSender`]; this crate only transports it. The host picks
//! the adapter from `MAIL_TRANSPORT` and builds it with [`sender_from`]:
//!
//! | [`Transport`] | what `send` does |
//! |---|---|
//! | `Smtp` | hands the message to an SMTP relay (lettre, STARTTLS when offered, 10 s timeout) |
//! | `File` | writes one `.eml` file per message into a directory |
//! | `Log` | logs recipient, subject and text body at INFO: for development |
//!
//! [`RecordingSender`] keeps messages in memory, for use-case tests where SMTP is not the point.

mod error;
mod infrastructure;
mod message;
mod sender;
pub mod template;

pub use error::EmailError;
pub use infrastructure::{RecordingSender, SmtpCredentials, Transport, sender_from};
pub use message::{EmailMessage, Mailbox};
pub use sender::EmailSender;
