//! Billing's use cases, one per file.

pub mod active_plan;
pub mod apply_event;
pub mod ctx;
pub mod current_subscription;
pub mod error;
pub mod list_plans;
pub mod require_active_subscription;

use contracts::permissions::Permission;
use kernel::Actor;

pub use active_plan::active_plan;
pub use apply_event::{Applied, apply_event};
pub use ctx::BillingCtx;
pub use current_subscription::current_subscription;
pub use error::BillingError;
pub use list_plans::list_plans;
pub use require_active_subscription::require_active_subscription;

/// The actor's permission check, as a billing error.
fn require(actor: &Actor, permission: &Permission) -> Result<(), BillingError> {
    actor.require(permission).map_err(|_| BillingError::Forbidden(permission.to_string()))
}
