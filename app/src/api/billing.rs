//! Billing server functions: the dashboard's billing screen. Each calls the same use case as its
//! `/api/v1/billing/*` twin.

use contracts::ApiError;
use contracts::billing::{BillingOverview, CheckoutBody, RedirectView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The plans, the organization's subscription, the configured provider and whether the caller
/// may manage billing.
#[server(prefix = "/api/fn", endpoint = "load_billing", input = Json)]
pub async fn load_billing() -> Result<BillingOverview, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    billing::application::billing_overview(&services.billing, &membership.actor)
        .await
        .map_err(crate::server::wire)
}

/// Starts the provider's hosted checkout for `body.plan_id`; the browser goes to the answer's
/// `url`.
#[server(prefix = "/api/fn", endpoint = "start_checkout", input = Json)]
pub async fn start_checkout(body: CheckoutBody) -> Result<RedirectView, ApiError> {
    let (services, user, membership) = crate::api::orgs::member().await?;
    let urls = crate::server::billing::return_urls(&services);
    billing::application::start_checkout(&services.billing, &membership.actor, &body, Some(user.email), urls)
        .await
        .map_err(crate::server::wire)
}

/// Opens the provider's customer portal; the browser goes to the answer's `url`.
#[server(prefix = "/api/fn", endpoint = "open_billing_portal", input = Json)]
pub async fn open_billing_portal() -> Result<RedirectView, ApiError> {
    let (services, _, membership) = crate::api::orgs::member().await?;
    let back = crate::server::billing::billing_url(&services);
    billing::application::open_portal(&services.billing, &membership.actor, back)
        .await
        .map_err(crate::server::wire)
}
