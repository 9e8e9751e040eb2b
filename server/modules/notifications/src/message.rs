//! What callers build: a checked recipient mailbox and a message with text and HTML bodies.

use std::fmt;
use std::str::FromStr;

use lettre::Address;
use serde::{Deserialize, Serialize};

use crate::EmailError;

/// An email address, with an optional display name. It can only hold a well-formed address:
/// it is checked when built (or deserialized), never again after.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MailboxParts", into = "MailboxParts")]
pub struct Mailbox {
    name: Option<String>,
    address: Address,
}

impl Mailbox {
    /// A mailbox for a bare address such as `ana@example.com`.
    ///
    /// # Errors
    ///
    /// [`EmailError::InvalidAddress`] if `address` is not a valid email address.
    pub fn new(address: &str) -> Result<Self, EmailError> {
        let address = address.parse::<Address>().map_err(invalid)?;
        Ok(Self { name: None, address })
    }

    /// The same mailbox with a display name (`Ana Pérez <ana@example.com>`). Control characters
    /// in `name` become spaces; an empty name means none.
    #[must_use]
    pub fn with_name(self, name: &str) -> Self {
        let name: String = name.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let name = name.trim();
        Self { name: (!name.is_empty()).then(|| name.to_owned()), ..self }
    }

    /// The address, e.g. `ana@example.com`.
    pub fn address(&self) -> &str {
        self.address.as_ref()
    }

    /// The display name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub(crate) fn to_lettre(&self) -> lettre::message::Mailbox {
        lettre::message::Mailbox::new(self.name.clone(), self.address.clone())
    }
}

/// Parses `ana@example.com` or `Ana Pérez <ana@example.com>` (as a `MAIL_FROM` setting would).
impl FromStr for Mailbox {
    type Err = EmailError;

    fn from_str(text: &str) -> Result<Self, EmailError> {
        let parsed = text.trim().parse::<lettre::message::Mailbox>().map_err(invalid)?;
        let mailbox = Self { name: None, address: parsed.email };
        Ok(match parsed.name {
            Some(name) => mailbox.with_name(&name),
            None => mailbox,
        })
    }
}

fn invalid(error: lettre::address::AddressError) -> EmailError {
    EmailError::InvalidAddress { reason: error.to_string() }
}

/// The serialized form of a [`Mailbox`]: `{"name": …, "address": …}`.
#[derive(Serialize, Deserialize)]
struct MailboxParts {
    name: Option<String>,
    address: String,
}

impl TryFrom<MailboxParts> for Mailbox {
    type Error = EmailError;

    fn try_from(parts: MailboxParts) -> Result<Self, EmailError> {
        let mailbox = Self::new(&parts.address)?;
        Ok(match parts.name {
            Some(name) => mailbox.with_name(&name),
            None => mailbox,
        })
    }
}

impl From<Mailbox> for MailboxParts {
    fn from(mailbox: Mailbox) -> Self {
        Self { address: mailbox.address.to_string(), name: mailbox.name }
    }
}

/// One email, composed by the caller in the recipient's locale. It is sent as
/// `multipart/alternative`: mail clients show the HTML body and fall back to the text body.
///
/// Serializable, so an email job can carry it. `Debug` leaves the bodies out: they usually hold
/// one-time links.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMessage {
    /// The recipient.
    pub to: Mailbox,
    /// The subject line; any Unicode (it is encoded for the wire).
    pub subject: String,
    /// The plain-text body, with absolute links.
    pub text: String,
    /// The HTML body, with the same content and links.
    pub html: String,
}

impl fmt::Debug for EmailMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailMessage")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("html", &format_args!("<{} bytes>", self.html.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked_when_built() {
        let mailbox = Mailbox::new("ana@example.com").unwrap();
        assert_eq!((mailbox.address(), mailbox.name()), ("ana@example.com", None));
        for bad in ["", "ana", "ana@", "@example.com", "ana @example.com", "ana@exa mple.com"] {
            assert!(matches!(Mailbox::new(bad), Err(EmailError::InvalidAddress { .. })), "{bad:?}");
        }
    }

    #[test]
    fn names_are_cleaned_and_parsed() {
        let mailbox = Mailbox::new("ana@example.com").unwrap().with_name("Ana\r\nBcc: x@evil.test");
        assert_eq!(mailbox.name(), Some("Ana  Bcc: x@evil.test"));
        assert_eq!(Mailbox::new("a@example.com").unwrap().with_name("  ").name(), None);
        let parsed: Mailbox = "mibio <no-reply@mibio.app>".parse().unwrap();
        assert_eq!((parsed.address(), parsed.name()), ("no-reply@mibio.app", Some("mibio")));
        assert!("mibio <no-reply>".parse::<Mailbox>().is_err());
    }

    #[test]
    fn serde_round_trips_and_rechecks_the_address() {
        let mailbox = Mailbox::new("ana@example.com").unwrap().with_name("Ana");
        let json = serde_json::to_string(&mailbox).unwrap();
        assert_eq!(json, r#"{"name":"Ana","address":"ana@example.com"}"#);
        assert_eq!(serde_json::from_str::<Mailbox>(&json).unwrap(), mailbox);
        assert!(serde_json::from_str::<Mailbox>(r#"{"name":null,"address":"nope"}"#).is_err());
    }

    #[test]
    fn debug_leaves_the_bodies_out() {
        let message = EmailMessage {
            to: Mailbox::new("ana@example.com").unwrap(),
            subject: "Hola".into(),
            text: "https://mibio.test/verify?token=secret".into(),
            html: "<a href=\"https://mibio.test/verify?token=secret\">".into(),
        };
        let debug = format!("{message:?}");
        assert!(debug.contains("Hola") && !debug.contains("secret"), "{debug}");
    }
}
