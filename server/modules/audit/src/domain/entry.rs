//! How an event becomes an audit entry: who acted (the payload's `actorId`, else `createdBy`,
//! else `adminId`), for whom (the envelope's impersonator), in which organization
//! (`organizationId`), on what (the payload's main id), and the payload itself as metadata.

use chrono::{DateTime, Utc};
use runtime::outbox::EventEnvelope;
use serde_json::Value;
use uuid::Uuid;

/// Payload fields naming who acted, in order of preference.
pub const ACTOR_KEYS: [&str; 3] = ["actorId", "createdBy", "adminId"];

/// Payload fields naming what was acted on, the most specific first, with the target type each
/// stands for. (A membership change names the member's `userId`; a lead export, the `pageId`.)
pub const TARGET_KEYS: [(&str, &str); 9] = [
    ("roleId", "role"),
    ("flagKey", "feature_flag"),
    ("leadId", "lead"),
    ("blockId", "block"),
    ("pageId", "page"),
    ("userId", "user"),
    ("subscriptionId", "subscription"),
    ("invoiceId", "invoice"),
    ("organizationId", "organization"),
];

/// An entry to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub id: Uuid,
    pub event_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub impersonator_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub trace_id: Option<String>,
    pub metadata: Value,
}

impl NewEntry {
    /// The entry for `event`, written down at `recorded_at`.
    #[must_use]
    pub fn from_event(event: &EventEnvelope, recorded_at: DateTime<Utc>) -> Self {
        let payload = &event.payload;
        let (target_type, target_id) = TARGET_KEYS
            .iter()
            .find_map(|(key, kind)| text(payload, key).map(|id| ((*kind).to_owned(), id)))
            .unzip();
        Self {
            id: Uuid::now_v7(),
            event_id: event.event_id,
            occurred_at: event.occurred_at,
            recorded_at,
            action: event.event_type.clone(),
            actor_id: ACTOR_KEYS.iter().find_map(|key| uuid(payload, key)),
            impersonator_id: event.impersonator_id.or_else(|| uuid(payload, "impersonatorId")),
            organization_id: uuid(payload, "organizationId"),
            target_type,
            target_id,
            trace_id: event.trace_id.clone(),
            metadata: payload.clone(),
        }
    }
}

/// A payload field as text (strings as they are, numbers written out); `null` and absent are
/// `None`.
fn text(payload: &Value, key: &str) -> Option<String> {
    match payload.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn uuid(payload: &Value, key: &str) -> Option<Uuid> {
    payload.get(key)?.as_str()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(event_type: &str, payload: Value, impersonator: Option<Uuid>) -> EventEnvelope {
        EventEnvelope {
            event_id: Uuid::now_v7(),
            event_type: event_type.to_owned(),
            occurred_at: Utc::now(),
            producer: "tests".to_owned(),
            schema_version: 1,
            trace_id: Some("req-1".to_owned()),
            impersonator_id: impersonator,
            payload,
        }
    }

    #[test]
    fn the_actor_is_the_first_of_actor_created_by_admin() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let entry = |p| NewEntry::from_event(&event("x.y", p, None), Utc::now()).actor_id;
        assert_eq!(entry(json!({"actorId": a, "createdBy": b, "adminId": c})), Some(a));
        assert_eq!(entry(json!({"actorId": null, "createdBy": b, "adminId": c})), Some(b));
        assert_eq!(entry(json!({"adminId": c})), Some(c));
        assert_eq!(entry(json!({"actorId": "not-a-uuid"})), None);
        assert_eq!(entry(json!({})), None);
    }

    #[test]
    fn the_target_is_the_most_specific_id() {
        let org = Uuid::now_v7();
        let target = |p| {
            let e = NewEntry::from_event(&event("x.y", p, None), Utc::now());
            (e.target_type, e.target_id)
        };
        assert_eq!(
            target(json!({"roleId": "r", "organizationId": org})),
            (Some("role".into()), Some("r".into()))
        );
        assert_eq!(target(json!({"pageId": "p", "userId": "u"})), (Some("page".into()), Some("p".into())));
        assert_eq!(
            target(json!({"organizationId": org})),
            (Some("organization".into()), Some(org.to_string()))
        );
        assert_eq!(target(json!({"other": 1})), (None, None));
    }

    #[test]
    fn the_impersonator_comes_from_the_envelope() {
        let (admin, coach) = (Uuid::now_v7(), Uuid::now_v7());
        let e = event("page.updated", json!({"actorId": coach, "pageId": "p"}), Some(admin));
        let entry = NewEntry::from_event(&e, Utc::now());
        assert_eq!((entry.actor_id, entry.impersonator_id), (Some(coach), Some(admin)));
        assert_eq!(entry.action, "page.updated");
        assert_eq!(entry.trace_id.as_deref(), Some("req-1"));
        assert_eq!(entry.metadata, e.payload);
    }
}
