//! What an in-app notification stores in its `payload` column, per kind: the facts its texts are
//! written from when read (so they follow the reader's language).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `lead_captured`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LeadPayload {
    pub page_id: Uuid,
    pub page_slug: String,
    pub page_title: String,
    pub lead_id: Uuid,
    pub over_quota: bool,
}

/// `payment_failed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PaymentPayload {
    pub organization_name: String,
}

/// `quota_exceeded`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QuotaPayload {
    /// The meter's key (`leads_captured`, `pages_created`).
    pub meter: String,
    pub limit: u64,
    /// RFC 3339 end of the period; `None` for a lifetime meter.
    pub period_end: Option<String>,
}
