//! In-app notifications and email preferences on the wire (serde only, camelCase): the REST API
//! under `/api/v1/notifications`, the dashboard's server functions and its bell, list and settings
//! all read these types. The notifications context (`server/modules/notifications`) writes them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What an in-app notification is about. Stored and sent as its key (`lead_captured`, …); email
/// preferences are kept per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A visitor left their email on one of the organization's pages.
    LeadCaptured,
    /// A renewal payment of the organization's subscription failed.
    PaymentFailed,
    /// The organization reached one of its plan's caps.
    QuotaExceeded,
}

impl NotificationKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::LeadCaptured, Self::PaymentFailed, Self::QuotaExceeded];

    /// The stable key (storage, the wire, unsubscribe links).
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::LeadCaptured => "lead_captured",
            Self::PaymentFailed => "payment_failed",
            Self::QuotaExceeded => "quota_exceeded",
        }
    }

    /// Whether a member may turn this kind's emails off. Lead emails may be; the payment email
    /// is essential (the account is at stake), and a reached quota is told in-app only.
    #[must_use]
    pub const fn email_optional(self) -> bool {
        matches!(self, Self::LeadCaptured)
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A key that names no [`NotificationKind`]. (`Display` by hand: `contracts` has no thiserror.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no notification kind is called {:?}", self.0)
    }
}

impl std::error::Error for UnknownKind {}

impl FromStr for NotificationKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.key() == s).ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// One notification in a user's list, its texts in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotificationView {
    pub id: String,
    pub kind: NotificationKind,
    /// One line (`New lead on “Coaching”`).
    pub title: String,
    /// A sentence or two, plain text.
    pub body: String,
    /// Where the notification leads in the dashboard (a path such as
    /// `/dashboard/pages/{id}/leads`), if anywhere.
    pub link: Option<String>,
    /// The organization it is about: the link only works with that organization active, so the
    /// UI switches to it first when it is not.
    pub organization_id: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub read: bool,
}

/// A page of notifications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotificationsPage {
    pub items: Vec<NotificationView>,
    /// Pass it back as `cursor` for the next page; `None` on the last one.
    pub next_cursor: Option<String>,
}

/// How many notifications the user has not read (the bell's badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnreadCountView {
    pub unread: i64,
}

/// Whether the user gets the emails of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreferenceView {
    pub kind: NotificationKind,
    pub email: bool,
}

/// `PUT /api/v1/notifications/preferences/{kind}`: turn the kind's emails on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreferenceInput {
    pub email: bool,
}

/// `POST /api/v1/notifications/read-all`: how many notifications were unread and are read now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MarkedReadView {
    pub marked: u64,
}

/// The answer to a used unsubscribe link: which emails stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsubscribedView {
    pub kind: NotificationKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_their_keys_everywhere() {
        for kind in NotificationKind::ALL {
            assert_eq!(kind.key().parse::<NotificationKind>(), Ok(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key());
        }
        assert!("welcome".parse::<NotificationKind>().is_err());
    }

    #[test]
    fn views_are_camel_case() {
        let view = NotificationView {
            id: "n".into(),
            kind: NotificationKind::QuotaExceeded,
            title: "t".into(),
            body: "b".into(),
            link: None,
            organization_id: Some("o".into()),
            created_at: "2026-12-06T12:00:00Z".into(),
            read: false,
        };
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["kind"], "quota_exceeded");
        assert_eq!(json["createdAt"], "2026-12-06T12:00:00Z");
        assert_eq!(json["organizationId"], "o");
        let page = NotificationsPage { items: vec![view], next_cursor: None };
        assert!(serde_json::to_value(page).unwrap().get("nextCursor").is_some());
        let input: PreferenceView =
            serde_json::from_str(r#"{"kind":"lead_captured","email":false}"#).unwrap();
        assert_eq!(input, PreferenceView { kind: NotificationKind::LeadCaptured, email: false });
        assert!(serde_json::from_str::<PreferenceView>(r#"{"kind":"x","email":false}"#).is_err());
        assert!(serde_json::from_str::<PreferenceInput>(r#"{"email":true,"kind":"x"}"#).is_err());
        assert_eq!(
            serde_json::to_value(MarkedReadView { marked: 3 }).unwrap(),
            serde_json::json!({"marked": 3})
        );
    }
}
