//! The usage context's domain events (recorded in the outbox).

use runtime::outbox::DomainEvent;
use serde::Serialize;
use uuid::Uuid;

/// An organization reached a cap: the first use refused in a period. The owners are told (the
/// notifications context can turn it into mail); refused leads are still stored, flagged.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotaExceeded {
    pub organization_id: Uuid,
    /// The meter's key (`leads_captured`).
    pub meter: String,
    pub limit: u64,
    /// RFC 3339 start of the period the cap is reached in.
    pub period_start: String,
    /// RFC 3339 end of that period; `None` for a lifetime meter.
    pub period_end: Option<String>,
}

impl DomainEvent for QuotaExceeded {
    const TYPE: &'static str = "usage.quota_exceeded";
    const PRODUCER: &'static str = "usage";
}
