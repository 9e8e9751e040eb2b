//! Usage metering's wire types: the meters the product counts, how often each starts again, and
//! the organization's usage (`GET /api/v1/usage`, the billing screen's usage panel).
//!
//! A meter's cap is never stated here or in the usage context: it is the plan's cap
//! (`billing::domain::plan::PLANS`, [`crate::billing::Meter`]), so the pricing screen and the
//! enforcer cannot disagree.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::billing::{PlanId, UnknownKey};

/// Something the product counts per organization and a plan may cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UsageMeter {
    /// Pages created (lifetime), capped by the plan's `pages`.
    PagesCreated,
    /// Leads captured in the calendar month (UTC), capped by the plan's `leads_per_month`.
    LeadsCaptured,
}

impl UsageMeter {
    /// Every meter, in display order.
    pub const ALL: &'static [Self] = &[Self::PagesCreated, Self::LeadsCaptured];

    /// The stable key (storage, the wire).
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::PagesCreated => "pages_created",
            Self::LeadsCaptured => "leads_captured",
        }
    }
}

impl fmt::Display for UsageMeter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for UsageMeter {
    type Err = UnknownKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.iter().copied().find(|m| m.key() == s).ok_or_else(|| UnknownKey(s.to_owned()))
    }
}

/// When a meter's count starts again from zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Never: the count is for the organization's whole life.
    Lifetime,
    /// On the first of every month, 00:00 UTC.
    Monthly,
    /// On the first of January, 00:00 UTC.
    Yearly,
}

impl Cadence {
    /// Every cadence.
    pub const ALL: &'static [Self] = &[Self::Lifetime, Self::Monthly, Self::Yearly];

    /// The stable key (storage, the wire).
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Lifetime => "lifetime",
            Self::Monthly => "monthly",
            Self::Yearly => "yearly",
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Cadence {
    type Err = UnknownKey;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.iter().copied().find(|c| c.key() == s).ok_or_else(|| UnknownKey(s.to_owned()))
    }
}

/// One meter of the organization's usage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MeterUsageView {
    pub meter: UsageMeter,
    pub cadence: Cadence,
    /// Counted in the current period.
    pub used: u64,
    /// The plan's cap; `None` is unlimited.
    pub limit: Option<u64>,
    /// RFC 3339; `None` for a lifetime meter.
    pub period_start: Option<String>,
    /// RFC 3339, exclusive (the next period's start); `None` for a lifetime meter.
    pub period_end: Option<String>,
}

/// `GET /api/v1/usage`: the active organization's usage of each meter under its current plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsageView {
    pub plan_id: PlanId,
    /// Whether caps are enforced (`USAGE_METERING_ENABLED`); when not, usage is still counted.
    pub enforced: bool,
    pub meters: Vec<MeterUsageView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_match_serde() {
        for m in UsageMeter::ALL {
            assert_eq!(m.key().parse::<UsageMeter>(), Ok(*m));
            assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!(m.key()));
        }
        for c in Cadence::ALL {
            assert_eq!(c.key().parse::<Cadence>(), Ok(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(c.key()));
        }
        assert!("pages".parse::<UsageMeter>().is_err());
    }

    #[test]
    fn the_view_is_camel_case() {
        let view = UsageView {
            plan_id: PlanId::Free,
            enforced: true,
            meters: vec![MeterUsageView {
                meter: UsageMeter::LeadsCaptured,
                cadence: Cadence::Monthly,
                used: 3,
                limit: Some(50),
                period_start: Some("2026-12-01T00:00:00+00:00".to_owned()),
                period_end: Some("2027-01-01T00:00:00+00:00".to_owned()),
            }],
        };
        assert_eq!(
            serde_json::to_value(&view).unwrap(),
            serde_json::json!({"planId": "free", "enforced": true, "meters": [{
                "meter": "leads_captured", "cadence": "monthly", "used": 3, "limit": 50,
                "periodStart": "2026-12-01T00:00:00+00:00", "periodEnd": "2027-01-01T00:00:00+00:00",
            }]})
        );
    }
}
