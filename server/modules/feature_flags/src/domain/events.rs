//! The feature_flags context's domain events (recorded in the outbox).

use runtime::outbox::DomainEvent;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::config::FlagConfig;

/// An admin wrote a flag's setting (audited).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeatureFlagChanged {
    pub flag_key: String,
    /// `null` when the flag had never been written (its code default applied).
    pub before: Option<FlagConfig>,
    pub after: FlagConfig,
    pub actor_id: Uuid,
}

impl DomainEvent for FeatureFlagChanged {
    const TYPE: &'static str = "feature_flag.changed";
    const PRODUCER: &'static str = "feature_flags";
}
