//! The platform audit log on the wire (`GET /api/v1/platform/audit`): append-only entries written
//! from domain events, newest first, in `contracts::links::Page`s.

use serde::{Deserialize, Serialize};

/// A person named by an entry: their id always, their email and name when the directory still
/// knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditUser {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    pub id: String,
    /// The domain event the entry was written from.
    pub event_id: String,
    /// The event type (`membership.role_changed`, `feature_flag.changed`, …).
    pub action: String,
    /// RFC 3339 UTC: when it happened.
    pub occurred_at: String,
    /// RFC 3339 UTC: when the audit log wrote it down.
    pub recorded_at: String,
    /// Who did it (during an impersonation: the impersonated user).
    pub actor: Option<AuditUser>,
    /// The platform admin who was impersonating the actor, if any.
    pub impersonator: Option<AuditUser>,
    pub organization_id: Option<String>,
    /// What it was done to: `user`, `role`, `page`, `organization`, `feature_flag`, …
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// The event's payload, as recorded.
    pub metadata: serde_json::Value,
}
