//! The emails this context sends through its job, `emails.send`: the job's payload (who, in which
//! language, which email and its data — never rendered HTML) and each email's texts, written
//! when the job runs, in the recipient's language.

mod lead_digest;
mod payment_failed;
mod welcome;

use contracts::Locale;
use kernel::UserId;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Mailbox;

pub(crate) use lead_digest::{DigestFacts, DigestLinks, lead_digest};
pub(crate) use payment_failed::payment_failed;
pub(crate) use welcome::welcome;

/// The name of the email job.
pub const EMAIL_JOB: &str = "emails.send";

/// The payload of an `emails.send` job: `{userId, to: {name, address}, locale, kind, data}`.
/// The address travels in the payload (so the job can run although the directory is down); the
/// texts are written when the job runs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendEmail {
    /// The recipient's user: their preferences and unsubscribe links are theirs.
    pub user_id: UserId,
    pub to: Mailbox,
    pub locale: Locale,
    #[serde(flatten)]
    pub email: Email,
}

/// `Debug` leaves the address out (logs carry no PII).
impl std::fmt::Debug for SendEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendEmail")
            .field("user_id", &self.user_id)
            .field("locale", &self.locale)
            .field("kind", &self.email.kind())
            .finish_non_exhaustive()
    }
}

/// Which email, with the data its texts need (`{"kind": "lead_digest", "data": {…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Email {
    /// After sign-up. Essential: it has no unsubscribe link.
    Welcome,
    /// The leads of one page gathered in a digest (their count is read when the job runs, so
    /// the leads that joined after the job was enqueued are counted). Unsubscribable.
    LeadDigest { digest_id: Uuid, page_id: Uuid, page_slug: String, page_title: String },
    /// A renewal payment failed. Essential.
    PaymentFailed { organization_name: String },
}

impl Email {
    /// The key of the email (`welcome`, `lead_digest`, `payment_failed`), for logs.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Welcome => "welcome",
            Self::LeadDigest { .. } => "lead_digest",
            Self::PaymentFailed { .. } => "payment_failed",
        }
    }
}

/// An email's texts, before addressing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MailContent {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// "Hola, Ana:" / "Hi Ana," (or without a name when there is none).
pub(crate) fn greeting(locale: Locale, name: Option<&str>) -> String {
    match (locale, name.map(str::trim).filter(|n| !n.is_empty())) {
        (Locale::Es, Some(name)) => format!("Hola, {name}:"),
        (Locale::Es, None) => "Hola:".to_owned(),
        (Locale::En, Some(name)) => format!("Hi {name},"),
        (Locale::En, None) => "Hi,".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_payload_is_flat_and_round_trips() {
        let user = UserId::new();
        let job = SendEmail {
            user_id: user,
            to: Mailbox::new("ana@example.com").unwrap().with_name("Ana"),
            locale: Locale::En,
            email: Email::PaymentFailed { organization_name: "Ana Coaching".into() },
        };
        let wire = serde_json::to_value(&job).unwrap();
        assert_eq!(
            wire,
            json!({"userId": user, "to": {"name": "Ana", "address": "ana@example.com"}, "locale": "en",
                "kind": "payment_failed", "data": {"organizationName": "Ana Coaching"}})
        );
        assert_eq!(serde_json::from_value::<SendEmail>(wire).unwrap(), job);
        let welcome = SendEmail { email: Email::Welcome, ..job };
        let wire = serde_json::to_value(&welcome).unwrap();
        assert_eq!(wire["kind"], "welcome");
        assert_eq!(serde_json::from_value::<SendEmail>(wire).unwrap(), welcome);
        assert!(!format!("{welcome:?}").contains("ana@"), "{welcome:?}");
    }

    #[test]
    fn greetings_do_without_a_name() {
        assert_eq!(greeting(Locale::Es, Some("Ana")), "Hola, Ana:");
        assert_eq!(greeting(Locale::En, Some(" ")), "Hi,");
    }
}
