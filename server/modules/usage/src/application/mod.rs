//! Usage's use cases: the quota enforcer metered use cases call, the organization's usage
//! overview, and the upkeep of meter definitions and periods.

pub mod ctx;
pub mod enforcer;
pub mod error;
pub mod overview;
pub mod periods;

pub use ctx::UsageCtx;
pub use enforcer::QuotaEnforcer;
pub use error::UsageError;
pub use overview::usage_overview;
pub use periods::{roll_over, store_definitions};
