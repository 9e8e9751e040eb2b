//! What the links context meters, and under which of the plan's caps. The host registers these
//! with the usage context at start-up; the use cases count through `kernel::quota::QuotaGate`
//! (`LinksCtx::quotas`) inside their own transactions.

use contracts::billing::Meter;
use contracts::usage::{Cadence, UsageMeter};

/// A meter links owns: when it starts again, and which plan cap bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metered {
    pub meter: UsageMeter,
    pub cadence: Cadence,
    /// The plan's cap (`billing::domain::plan`) that applies.
    pub plan_cap: Meter,
}

/// Pages (for the organization's whole life; a deleted page gives its place back) and leads per
/// calendar month.
pub const METERED: [Metered; 2] = [
    Metered { meter: UsageMeter::PagesCreated, cadence: Cadence::Lifetime, plan_cap: Meter::Pages },
    Metered { meter: UsageMeter::LeadsCaptured, cadence: Cadence::Monthly, plan_cap: Meter::LeadsPerMonth },
];
