//! The platform console's count of subscriptions.

use std::collections::BTreeMap;

use crate::application::{BillingCtx, BillingError};
use crate::infrastructure::subscriptions;

/// How many organizations' subscriptions are in each status, keyed by the status's key
/// (`active`, `past_due`, …); a status no subscription is in is absent, so the map is empty while
/// no organization ever subscribed. No actor: the platform context checks the admin's rights
/// before calling.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn subscriptions_by_status(ctx: &BillingCtx) -> Result<BTreeMap<String, i64>, BillingError> {
    let mut conn = ctx.db.get().await?;
    Ok(subscriptions::count_by_status(&mut conn).await?.into_iter().collect())
}
