//! Organizations' subscriptions, for the platform console.

use std::collections::HashMap;

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
    Ok(subscriptions_of(ctx, &[organization]).await?.remove(&organization))
}

/// The subscriptions of `organizations` (a page of the console's list) in one query; those that
/// never subscribed are absent. No actor, as [`subscription_of`].
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx, organizations), fields(n = organizations.len()))]
pub async fn subscriptions_of(
    ctx: &BillingCtx,
    organizations: &[OrganizationId],
) -> Result<HashMap<OrganizationId, SubscriptionView>, BillingError> {
    let mut conn = ctx.db.get().await?;
    let found = subscriptions::find_by_orgs(&mut conn, organizations).await?;
    Ok(found.into_iter().map(|s| (s.organization_id, s.view())).collect())
}
