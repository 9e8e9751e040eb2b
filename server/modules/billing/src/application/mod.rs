//! Billing's use cases, one per file.

pub mod active_plan;
pub mod apply_event;
pub mod billing_overview;
pub mod ctx;
pub mod current_subscription;
pub mod error;
pub mod ingest_webhook;
pub mod list_plans;
pub mod open_portal;
pub mod require_active_subscription;
pub mod start_checkout;
pub mod subscription_of;
pub mod subscriptions_by_status;

use contracts::permissions::Permission;
use kernel::Actor;

pub use active_plan::active_plan;
pub use apply_event::{Applied, apply_event};
pub use billing_overview::billing_overview;
pub use ctx::BillingCtx;
pub use current_subscription::current_subscription;
pub use error::BillingError;
pub use ingest_webhook::{Ingested, ingest_webhook};
pub use list_plans::list_plans;
pub use open_portal::open_portal;
pub use require_active_subscription::require_active_subscription;
pub use start_checkout::{CheckoutUrls, start_checkout};
pub use subscription_of::{subscription_of, subscriptions_of};
pub use subscriptions_by_status::subscriptions_by_status;

/// The actor's permission check, as a billing error.
fn require(actor: &Actor, permission: &Permission) -> Result<(), BillingError> {
    actor.require(permission).map_err(|_| BillingError::Forbidden(permission.to_string()))
}
