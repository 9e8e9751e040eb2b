//! The events the notifications subscriber consumes, read from the envelope's payload JSON with
//! our own types (this crate depends on no producer): only the fields used are named, and extra
//! fields are ignored, so producers may add fields freely.

use kernel::{OrganizationId, UserId};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// `user.created` (iam): `{userId, locale}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserCreated {
    pub user_id: UserId,
}

/// `lead.captured` (links): `{leadId, pageId, blockId, organizationId, overQuota}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LeadCaptured {
    pub lead_id: Uuid,
    pub page_id: Uuid,
    pub organization_id: OrganizationId,
    #[serde(default)]
    pub over_quota: bool,
}

/// `payment.failed` (billing): `{organizationId, provider, providerSubscriptionId,
/// providerEventId}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PaymentFailed {
    pub organization_id: OrganizationId,
}

/// `usage.quota_exceeded` (usage): `{organizationId, meter, limit, periodStart, periodEnd}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QuotaExceeded {
    pub organization_id: OrganizationId,
    pub meter: String,
    pub limit: u64,
    #[serde(default)]
    pub period_end: Option<String>,
}

/// `membership.removed` (tenancy): `{organizationId, userId, actorId}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MembershipRemoved {
    pub organization_id: OrganizationId,
    pub user_id: UserId,
}

/// A consumed event, parsed.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    UserCreated(UserCreated),
    LeadCaptured(LeadCaptured),
    PaymentFailed(PaymentFailed),
    QuotaExceeded(QuotaExceeded),
    MembershipRemoved(MembershipRemoved),
}

/// The event types the subscriber wants.
pub(crate) const CONSUMED: [&str; 5] =
    ["user.created", "lead.captured", "payment.failed", "usage.quota_exceeded", "membership.removed"];

impl Event {
    /// Parses `payload` as an event of `event_type`; `None` for a type not consumed here.
    ///
    /// # Errors
    /// A payload that does not have the fields named above (a producer changed its schema).
    pub(crate) fn parse(event_type: &str, payload: &serde_json::Value) -> anyhow::Result<Option<Self>> {
        fn read<T: DeserializeOwned>(event_type: &str, payload: &serde_json::Value) -> anyhow::Result<T> {
            T::deserialize(payload).map_err(|e| anyhow::anyhow!("unreadable {event_type} payload: {e}"))
        }
        Ok(Some(match event_type {
            "user.created" => Self::UserCreated(read(event_type, payload)?),
            "lead.captured" => Self::LeadCaptured(read(event_type, payload)?),
            "payment.failed" => Self::PaymentFailed(read(event_type, payload)?),
            "usage.quota_exceeded" => Self::QuotaExceeded(read(event_type, payload)?),
            "membership.removed" => Self::MembershipRemoved(read(event_type, payload)?),
            _ => return Ok(None),
        }))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_producers_payloads_parse() {
        let (user, org, page) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let parsed = Event::parse("user.created", &json!({"userId": user, "locale": "en"})).unwrap();
        assert!(matches!(parsed, Some(Event::UserCreated(u)) if u.user_id.into_uuid() == user));
        let lead = json!({"leadId": Uuid::now_v7(), "pageId": page, "blockId": Uuid::now_v7(),
            "organizationId": org, "overQuota": true});
        assert!(
            matches!(Event::parse("lead.captured", &lead).unwrap(), Some(Event::LeadCaptured(l)) if l.over_quota)
        );
        let failed = json!({"organizationId": org, "provider": "stripe", "providerSubscriptionId": null,
            "providerEventId": "evt_1"});
        assert!(matches!(Event::parse("payment.failed", &failed).unwrap(), Some(Event::PaymentFailed(_))));
        let quota = json!({"organizationId": org, "meter": "leads_captured", "limit": 100,
            "periodStart": "2026-12-01T00:00:00Z", "periodEnd": null});
        assert!(
            matches!(Event::parse("usage.quota_exceeded", &quota).unwrap(), Some(Event::QuotaExceeded(q)) if q.limit == 100)
        );
        assert!(Event::parse("page.created", &json!({})).unwrap().is_none());
        let error = Event::parse("lead.captured", &json!({"pageId": "nope"})).unwrap_err();
        assert!(error.to_string().starts_with("unreadable lead.captured payload"), "{error}");
    }
}
