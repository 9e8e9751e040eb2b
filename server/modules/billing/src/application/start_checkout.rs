//! Starting to pay for a plan: the provider's hosted checkout.

use contracts::billing::{BillingInterval, CheckoutBody, Currency, PlanId, RedirectView, SubscriptionStatus};
use contracts::permissions::Permission;
use contracts::{Problem, Problems};
use kernel::Actor;

use crate::application::{BillingCtx, BillingError, require};
use crate::domain::plan::{PLANS, Plan};
use crate::domain::provider::{CheckoutRequest, PaymentProvider};
use crate::infrastructure::subscriptions;

/// Where the provider sends the browser back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutUrls {
    /// After paying.
    pub success_url: String,
    /// After giving up.
    pub cancel_url: String,
}

/// Opens a checkout of `body.plan_id` for the actor's organization, in `body.currency` (USD by
/// default) every `body.interval` (monthly by default); the provider attaches organization and
/// plan to the subscription. An organization that paid this provider before checks out as that
/// customer. Needs `billing:manage`.
///
/// # Errors
/// `Forbidden`; `AlreadySubscribed` while a subscription at this provider runs; `Invalid` naming `planId` (the free plan), `currency` or `interval` (no price of
/// the plan there, here or at the provider); `NotConfigured` without a provider;
/// `Provider(Unavailable | Rejected)`; `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx, actor, customer_email, urls), fields(org = %actor.organization_id))]
pub async fn start_checkout(
    ctx: &BillingCtx,
    actor: &Actor,
    body: &CheckoutBody,
    customer_email: Option<String>,
    urls: CheckoutUrls,
) -> Result<RedirectView, BillingError> {
    require(actor, &Permission::BILLING_MANAGE)?;
    let plan = Plan::get(body.plan_id);
    if !plan.is_paid() {
        let paid = PLANS.iter().filter(|p| p.is_paid()).map(|p| p.id.key().to_owned()).collect();
        return Err(BillingError::Invalid(Problem::OneOf { choices: paid }.at("planId")));
    }
    let provider = ctx.provider.as_deref().ok_or(BillingError::NotConfigured)?;
    let currency = body.currency.unwrap_or(Currency::Usd);
    let interval = body.interval.unwrap_or(BillingInterval::Month);
    check_offered(provider, plan.id, currency, interval)?;

    let mut conn = ctx.db.get().await?;
    let known = subscriptions::find_by_org(&mut conn, actor.organization_id).await?;
    drop(conn);
    let known = known.filter(|s| s.provider == provider.kind());
    // A running subscription (even one set to end, or past due) is changed in the portal: a
    // second checkout would make the provider charge the organization twice.
    if known.as_ref().is_some_and(|s| {
        s.provider_subscription_id.is_some()
            && matches!(
                s.status,
                SubscriptionStatus::Trialing | SubscriptionStatus::Active | SubscriptionStatus::PastDue
            )
    }) {
        return Err(BillingError::AlreadySubscribed);
    }
    let request = CheckoutRequest {
        organization_id: actor.organization_id,
        plan: plan.id,
        currency,
        interval,
        customer_email,
        provider_customer_id: known.and_then(|s| s.provider_customer_id),
        success_url: urls.success_url,
        cancel_url: urls.cancel_url,
    };
    let redirect = provider.create_checkout(&request).await?;
    Ok(RedirectView { url: redirect.url })
}

/// Refuses a currency or interval that `plan` has no price in, in code or at the provider,
/// listing the ones it has.
fn check_offered(
    provider: &dyn PaymentProvider,
    plan: PlanId,
    currency: Currency,
    interval: BillingInterval,
) -> Result<(), BillingError> {
    let sold = |c: Currency, i: BillingInterval| {
        Plan::get(plan).price(c, i).is_some() && provider.offers(plan, c, i)
    };
    if sold(currency, interval) {
        return Ok(());
    }
    let keys = |v: Vec<&'static str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    let currencies: Vec<_> = Currency::ALL.iter().filter(|c| sold(**c, interval)).map(|c| c.key()).collect();
    let intervals: Vec<_> =
        BillingInterval::ALL.iter().filter(|i| sold(currency, **i)).map(|i| i.key()).collect();
    let problems: Problems = if currencies.is_empty() && intervals.is_empty() {
        // Not sold at all here: name the plans that are.
        let offered = |p: &Plan| {
            p.is_paid()
                && Currency::ALL.iter().any(|c| {
                    BillingInterval::ALL
                        .iter()
                        .any(|i| p.price(*c, *i).is_some() && provider.offers(p.id, *c, *i))
                })
        };
        let plans = PLANS.iter().filter(|p| offered(p)).map(|p| p.id.key()).collect();
        Problem::OneOf { choices: keys(plans) }.at("planId")
    } else if currencies.is_empty() {
        Problem::OneOf { choices: keys(intervals) }.at("interval")
    } else {
        Problem::OneOf { choices: keys(currencies) }.at("currency")
    };
    Err(BillingError::Invalid(problems))
}
