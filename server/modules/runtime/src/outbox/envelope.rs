//! The envelope every event travels in (the event contract of `docs/architecture.md`).

use chrono::{DateTime, Utc};
use diesel::sql_types::{Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One recorded event as subscribers receive it. On the wire (JSON) it is
/// `{eventId, occurredAt, producer, schemaVersion, traceId, payload}`, plus `impersonatorId` for
/// an event recorded during an impersonation; the event type is not part of the wire envelope —
/// the outbox row carries it and the dispatcher routes on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, diesel::QueryableByName)]
#[serde(rename_all = "camelCase")]
pub struct EventEnvelope {
    /// Unique per event: the key subscribers dedupe on.
    #[diesel(sql_type = SqlUuid)]
    pub event_id: Uuid,
    /// `entity.verb` in the past tense (`page.created`).
    #[serde(skip)]
    #[diesel(sql_type = Text)]
    pub event_type: String,
    #[diesel(sql_type = Timestamptz)]
    pub occurred_at: DateTime<Utc>,
    /// The context that emitted it (`links`, `iam`, …).
    #[diesel(sql_type = Text)]
    pub producer: String,
    /// The version of this event type's payload.
    #[diesel(sql_type = Integer)]
    pub schema_version: i32,
    /// The trace (request id or `job-<id>`) of the work that caused it.
    #[diesel(sql_type = Nullable<Text>)]
    pub trace_id: Option<String>,
    /// The platform admin who was impersonating the acting user when the event was recorded
    /// (see [`super::IMPERSONATOR`]); the payload's actor is the impersonated user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub impersonator_id: Option<Uuid>,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    #[test]
    fn the_wire_envelope_is_camel_case_without_the_type() {
        let envelope = EventEnvelope {
            event_id: Uuid::nil(),
            event_type: "page.created".into(),
            occurred_at: Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap(),
            producer: "links".into(),
            schema_version: 1,
            trace_id: Some("req-1".into()),
            impersonator_id: None,
            payload: serde_json::json!({"pageId": "p"}),
        };
        assert_eq!(
            serde_json::to_value(&envelope).unwrap(),
            serde_json::json!({
                "eventId": "00000000-0000-0000-0000-000000000000",
                "occurredAt": "2026-11-25T10:00:00Z",
                "producer": "links",
                "schemaVersion": 1,
                "traceId": "req-1",
                "payload": {"pageId": "p"},
            })
        );
        let impersonated = EventEnvelope { impersonator_id: Some(Uuid::max()), ..envelope };
        let wire = serde_json::to_value(&impersonated).unwrap();
        assert_eq!(wire["impersonatorId"], "ffffffff-ffff-ffff-ffff-ffffffffffff");
        assert_eq!(serde_json::from_value::<EventEnvelope>(wire).unwrap().impersonator_id, Some(Uuid::max()));
    }
}
