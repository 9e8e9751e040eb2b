//! The provider's self-service billing page (card, invoices, plan changes, cancellation).

use contracts::billing::RedirectView;
use contracts::permissions::Permission;
use kernel::Actor;

use crate::application::{BillingCtx, BillingError, require};
use crate::domain::provider::PortalRequest;
use crate::infrastructure::subscriptions;

/// Opens the configured provider's billing portal for the actor's organization, coming back to
/// `return_url`. Needs `billing:manage`.
///
/// # Errors
/// `Forbidden`; `NotConfigured` without a provider; `NoBillingAccount` when the organization has
/// no customer at this provider (it never subscribed through it); `Provider(Unavailable |
/// Rejected)`; `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx, actor, return_url), fields(org = %actor.organization_id))]
pub async fn open_portal(
    ctx: &BillingCtx,
    actor: &Actor,
    return_url: String,
) -> Result<RedirectView, BillingError> {
    require(actor, &Permission::BILLING_MANAGE)?;
    let provider = ctx.provider.as_deref().ok_or(BillingError::NotConfigured)?;
    let mut conn = ctx.db.get().await?;
    let known = subscriptions::find_by_org(&mut conn, actor.organization_id).await?;
    drop(conn);
    let customer = known
        .filter(|s| s.provider == provider.kind())
        .and_then(|s| s.provider_customer_id)
        .ok_or(BillingError::NoBillingAccount)?;
    let request =
        PortalRequest { organization_id: actor.organization_id, provider_customer_id: customer, return_url };
    let redirect = provider.create_portal_session(&request).await?;
    Ok(RedirectView { url: redirect.url })
}
