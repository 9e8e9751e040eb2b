//! The billing screen's data in one call.

use contracts::billing::BillingOverview;
use contracts::permissions::Permission;
use kernel::Actor;

use crate::application::{BillingCtx, BillingError, current_subscription, list_plans};

/// The plans, the actor's organization's subscription, the configured provider and whether the
/// actor may change the plan. Needs `billing:read`.
///
/// # Errors
/// `Forbidden`, `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx, actor), fields(org = %actor.organization_id))]
pub async fn billing_overview(ctx: &BillingCtx, actor: &Actor) -> Result<BillingOverview, BillingError> {
    let subscription = current_subscription(ctx, actor).await?;
    Ok(BillingOverview {
        plans: list_plans().plans,
        subscription,
        provider: ctx.provider.as_ref().map(|p| p.kind().key().to_owned()),
        can_manage: actor.require(&Permission::BILLING_MANAGE).is_ok(),
    })
}
