//! The organization's subscription, as the billing screen shows it.

use contracts::billing::SubscriptionView;
use contracts::permissions::Permission;
use kernel::Actor;

use crate::application::{BillingCtx, BillingError, require};
use crate::domain::subscription::Subscription;
use crate::infrastructure::subscriptions;

/// The actor's organization's subscription; the free plan when it never subscribed. Needs
/// `billing:read`.
///
/// # Errors
/// `Forbidden`, `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx, actor), fields(org = %actor.organization_id))]
pub async fn current_subscription(ctx: &BillingCtx, actor: &Actor) -> Result<SubscriptionView, BillingError> {
    require(actor, &Permission::BILLING_READ)?;
    let mut conn = ctx.db.get().await?;
    let found = subscriptions::find_by_org(&mut conn, actor.organization_id).await?;
    Ok(found.map_or_else(Subscription::free_view, |s| s.view()))
}
