//! The gate of premium features.

use kernel::OrganizationId;

use crate::application::{BillingCtx, BillingError};
use crate::infrastructure::subscriptions;

/// Succeeds when `organization` has a subscription that grants access now (trialing, active, or
/// canceled/past due with paid time left).
///
/// # Errors
/// `SubscriptionRequired` (402 `subscription_required`) otherwise; `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn require_active_subscription(
    ctx: &BillingCtx,
    organization: OrganizationId,
) -> Result<(), BillingError> {
    let mut conn = ctx.db.get().await?;
    let found = subscriptions::find_by_org(&mut conn, organization).await?;
    if found.is_some_and(|s| s.grants_access(ctx.clock.now())) {
        Ok(())
    } else {
        Err(BillingError::SubscriptionRequired)
    }
}
