//! The plan an organization has now, for other contexts (usage's quotas) through the host.

use contracts::billing::PlanId;
use kernel::OrganizationId;

use crate::application::{BillingCtx, BillingError};
use crate::infrastructure::subscriptions;

/// The plan whose access `organization` has now (system-level, no actor): its subscription's plan
/// while the subscription grants access — a canceled or past-due one keeps it until the period
/// end — and the free plan otherwise, or when it never subscribed.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn active_plan(ctx: &BillingCtx, org: OrganizationId) -> Result<PlanId, BillingError> {
    let mut conn = ctx.db.get().await?;
    let found = subscriptions::find_by_org(&mut conn, org).await?;
    Ok(found.filter(|s| s.grants_access(ctx.clock.now())).map_or(PlanId::Free, |s| s.plan))
}
