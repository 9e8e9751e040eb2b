//! The platform console's count of subscriptions.

use std::collections::BTreeMap;

use contracts::billing::SubscriptionStatus;

use crate::application::{BillingCtx, BillingError};
use crate::infrastructure::subscriptions;

/// How many organizations' subscriptions are in each status, keyed by the status's key, every
/// status listed (zero when none). No actor: the platform context checks the admin's rights
/// before calling.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn subscriptions_by_status(ctx: &BillingCtx) -> Result<BTreeMap<String, i64>, BillingError> {
    let mut conn = ctx.db.get().await?;
    let mut counts: BTreeMap<String, i64> =
        SubscriptionStatus::ALL.iter().map(|s| (s.key().to_owned(), 0)).collect();
    for (status, n) in subscriptions::count_by_status(&mut conn).await? {
        *counts.entry(status).or_default() += n;
    }
    Ok(counts)
}
