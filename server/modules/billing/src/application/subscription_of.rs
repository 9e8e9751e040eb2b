//! One organization's subscription, for the platform console.

use contracts::billing::SubscriptionView;
use kernel::OrganizationId;

use crate::application::{BillingCtx, BillingError};
use crate::infrastructure::subscriptions;

/// `organization`'s subscription; `None` when it never subscribed (it is on the free plan). No
/// actor: the platform context checks the admin's rights before calling.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn subscription_of(
    ctx: &BillingCtx,
    organization: OrganizationId,
) -> Result<Option<SubscriptionView>, BillingError> {
    let mut conn = ctx.db.get().await?;
    Ok(subscriptions::find_by_org(&mut conn, organization).await?.map(|s| s.view()))
}
