//! Stripe: Checkout Sessions in subscription mode, the Billing Portal, and the webhook events of a
//! subscription's life.
//!
//! Over `reqwest`, not `async-stripe`: we call two endpoints and read four event types, while
//! async-stripe's cold build was measured at ~3.5 min on the project's 2-core machine (its
//! generated API surface is large even with only the features used). Its webhook verifier also
//! checks only the last `v1` signature; ours ([`verify_stripe`]) accepts any, as Stripe documents
//! for secret rotations. The price of owning the wire format is small: form fields below and a few
//! `serde` structs that accept both the pre- and post-2025-03-31 ("basil") API shapes.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use serde::Deserialize;

use super::{
    IdOrObject, Metadata, ORGANIZATION_KEY, PLAN_KEY, PriceIds, http_client, meta, parse_body,
    parse_organization, parse_plan, send, stripe_like_status, trim_base,
};
use crate::domain::provider::{
    CheckoutRequest, PaymentProvider, PortalRequest, ProviderError, ProviderEvent, ProviderEventKind,
    Redirect, SubscriptionState, WebhookError, WebhookRequest,
};
use crate::domain::signatures::verify_stripe;
use crate::domain::subscription::ProviderKind;

/// Stripe's production API.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";

/// What the Stripe adapter needs.
#[derive(Clone)]
pub struct StripeConfig {
    /// `https://api.stripe.com` ([`DEFAULT_API_BASE`]); a local server in tests.
    pub api_base: String,
    /// The secret API key (`sk_live_…`, `sk_test_…`, or a restricted `rk_…` allowed to write
    /// Checkout Sessions and Billing Portal sessions).
    pub secret_key: String,
    /// The webhook endpoint's signing secret (`whsec_…`).
    pub webhook_secret: String,
    /// The Stripe price (`price_…`) of each plan and interval; a price without a currency is
    /// used for every currency (a multi-currency price: Checkout is told the currency).
    pub prices: PriceIds,
}

impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .field("prices", &self.prices)
            .finish_non_exhaustive()
    }
}

/// The Stripe adapter.
#[derive(Debug, Clone)]
pub struct StripeProvider {
    config: StripeConfig,
    http: reqwest::Client,
}

impl StripeProvider {
    /// An adapter for `config`.
    ///
    /// # Errors
    /// `Internal` when the HTTP client cannot be built (no TLS roots).
    pub fn new(mut config: StripeConfig) -> Result<Self, ProviderError> {
        config.api_base = trim_base(&config.api_base);
        Ok(Self { config, http: http_client()? })
    }

    fn post(&self, path: &str, form: &[(String, String)]) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.config.api_base))
            .bearer_auth(&self.config.secret_key)
            .form(form)
    }
}

/// A Checkout Session or Billing Portal session: where to send the browser.
#[derive(Deserialize)]
struct SessionUrl {
    url: String,
}

fn field(key: &str, value: impl Into<String>) -> (String, String) {
    (key.to_owned(), value.into())
}

/// The form of `POST /v1/checkout/sessions`.
fn checkout_form(request: &CheckoutRequest, price: &str, multi_currency: bool) -> Vec<(String, String)> {
    let org = request.organization_id.to_string();
    let plan = request.plan.key();
    let mut form = vec![
        field("mode", "subscription"),
        field("line_items[0][price]", price),
        field("line_items[0][quantity]", "1"),
        field("success_url", &request.success_url),
        field("cancel_url", &request.cancel_url),
        field("client_reference_id", &org),
        field(&format!("subscription_data[metadata][{ORGANIZATION_KEY}]"), &org),
        field(&format!("subscription_data[metadata][{PLAN_KEY}]"), plan),
        field(&format!("metadata[{ORGANIZATION_KEY}]"), &org),
        field(&format!("metadata[{PLAN_KEY}]"), plan),
    ];
    if multi_currency {
        form.push(field("currency", request.currency.key().to_ascii_lowercase()));
    }
    match (&request.provider_customer_id, &request.customer_email) {
        (Some(customer), _) => form.push(field("customer", customer)),
        (None, Some(email)) => form.push(field("customer_email", email)),
        (None, None) => {}
    }
    form
}

#[async_trait]
impl PaymentProvider for StripeProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Stripe
    }

    fn offers(&self, plan: PlanId, currency: Currency, interval: BillingInterval) -> bool {
        self.config.prices.get(plan, interval, currency).is_some()
    }

    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<Redirect, ProviderError> {
        let entry =
            self.config.prices.entry(request.plan, request.interval, request.currency).ok_or_else(|| {
                ProviderError::NotConfigured(format!(
                    "no Stripe price for {} every {} in {}",
                    request.plan, request.interval, request.currency
                ))
            })?;
        let form = checkout_form(request, &entry.id, entry.currency.is_none());
        let session: SessionUrl = send("stripe", self.post("/v1/checkout/sessions", &form)).await?;
        Ok(Redirect { url: session.url })
    }

    async fn create_portal_session(&self, request: &PortalRequest) -> Result<Redirect, ProviderError> {
        let form =
            [field("customer", &request.provider_customer_id), field("return_url", &request.return_url)];
        let session: SessionUrl = send("stripe", self.post("/v1/billing_portal/sessions", &form)).await?;
        Ok(Redirect { url: session.url })
    }

    async fn verify_and_parse_webhook(
        &self,
        request: WebhookRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookError> {
        verify_stripe(request.headers, request.body, &self.config.webhook_secret, now)?;
        parse_event(request.body, &self.config.prices)
    }
}

/// A Stripe event, with its object left to read by type.
#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    created: i64,
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    object: serde_json::Value,
}

#[derive(Deserialize)]
struct CheckoutSession {
    mode: Option<String>,
    subscription: Option<IdOrObject>,
    customer: Option<IdOrObject>,
    client_reference_id: Option<String>,
    payment_status: Option<String>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Subscription {
    id: String,
    customer: Option<IdOrObject>,
    status: String,
    /// Before API version 2025-03-31; since then on each item.
    current_period_end: Option<i64>,
    #[serde(default)]
    cancel_at_period_end: bool,
    /// When it ended: now for an immediate cancellation, else the period's end.
    ended_at: Option<i64>,
    metadata: Option<Metadata>,
    items: Option<List<SubscriptionItem>>,
}

#[derive(Deserialize)]
struct List<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
}

#[derive(Deserialize)]
struct SubscriptionItem {
    current_period_end: Option<i64>,
    price: Option<IdOrObject>,
}

#[derive(Deserialize)]
struct Invoice {
    /// Before API version 2025-03-31.
    subscription: Option<IdOrObject>,
    /// Before API version 2025-03-31.
    subscription_details: Option<SubscriptionDetails>,
    /// Since API version 2025-03-31.
    parent: Option<InvoiceParent>,
    lines: Option<List<InvoiceLine>>,
}

#[derive(Deserialize)]
struct InvoiceParent {
    subscription_details: Option<SubscriptionDetails>,
}

#[derive(Deserialize)]
struct SubscriptionDetails {
    subscription: Option<IdOrObject>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct InvoiceLine {
    metadata: Option<Metadata>,
}

/// Translates a verified Stripe event.
fn parse_event(body: &[u8], prices: &PriceIds) -> Result<ProviderEvent, WebhookError> {
    let event: Event = parse_body(body)?;
    let occurred_at = DateTime::from_timestamp(event.created, 0)
        .ok_or_else(|| WebhookError::Malformed("created is not a time".to_owned()))?;
    let object = event.data.object;
    let kind = match event.kind.as_str() {
        "checkout.session.completed" => checkout_completed(from_object(object)?)?,
        "customer.subscription.created" => {
            ProviderEventKind::SubscriptionActivated(subscription_state(from_object(object)?, prices)?)
        }
        "customer.subscription.updated" => {
            ProviderEventKind::SubscriptionUpdated(subscription_state(from_object(object)?, prices)?)
        }
        "customer.subscription.deleted" => {
            let sub: Subscription = from_object(object)?;
            let ended_at = sub.ended_at.and_then(|t| DateTime::from_timestamp(t, 0));
            let mut state = subscription_state(sub, prices)?;
            state.status = SubscriptionStatus::Canceled;
            // Access ends when the subscription did: an immediate cancellation ends it now.
            state.current_period_end = ended_at.or(state.current_period_end);
            ProviderEventKind::SubscriptionCanceled(state)
        }
        "invoice.payment_failed" => payment_failed(from_object(object)?)?,
        other => return Err(WebhookError::Ignored(other.to_owned())),
    };
    Ok(ProviderEvent { provider: ProviderKind::Stripe, event_id: event.id, occurred_at, kind })
}

fn from_object<T: serde::de::DeserializeOwned>(object: serde_json::Value) -> Result<T, WebhookError> {
    serde_json::from_value(object).map_err(|e| WebhookError::Malformed(e.to_string()))
}

fn no_organization(what: &str) -> WebhookError {
    WebhookError::Ignored(format!("{what} without {ORGANIZATION_KEY}"))
}

/// A completed subscription checkout: the subscription starts (its period comes with the
/// subscription's own events).
fn checkout_completed(session: CheckoutSession) -> Result<ProviderEventKind, WebhookError> {
    if session.mode.as_deref() != Some("subscription") {
        return Err(WebhookError::Ignored("checkout.session.completed outside subscription mode".into()));
    }
    let metadata = session.metadata.as_ref();
    let org = meta(metadata, ORGANIZATION_KEY)
        .or(session.client_reference_id.as_deref())
        .ok_or_else(|| no_organization("checkout session"))?;
    let plan = meta(metadata, PLAN_KEY)
        .ok_or_else(|| WebhookError::Malformed(format!("checkout session without {PLAN_KEY}")))?;
    let paid = matches!(session.payment_status.as_deref(), Some("paid" | "no_payment_required"));
    Ok(ProviderEventKind::SubscriptionActivated(SubscriptionState {
        organization_id: parse_organization(org)?,
        plan: parse_plan(plan)?,
        status: if paid { SubscriptionStatus::Active } else { SubscriptionStatus::Incomplete },
        current_period_end: None,
        cancel_at_period_end: false,
        provider_customer_id: session.customer.map(|c| c.id().to_owned()),
        provider_subscription_id: session.subscription.map(|s| s.id().to_owned()),
    }))
}

/// A subscription's state; the plan from its metadata, else from its price.
fn subscription_state(sub: Subscription, prices: &PriceIds) -> Result<SubscriptionState, WebhookError> {
    let metadata = sub.metadata.as_ref();
    let org = meta(metadata, ORGANIZATION_KEY).ok_or_else(|| no_organization("subscription"))?;
    let first_item = sub.items.as_ref().and_then(|items| items.data.first());
    let plan = match meta(metadata, PLAN_KEY) {
        Some(plan) => parse_plan(plan)?,
        None => first_item
            .and_then(|item| item.price.as_ref())
            .and_then(|price| prices.plan_of(price.id()))
            .ok_or_else(|| WebhookError::Malformed(format!("subscription without {PLAN_KEY}")))?,
    };
    let status = stripe_like_status(&sub.status)
        .ok_or_else(|| WebhookError::Ignored(format!("subscription status {}", sub.status)))?;
    let period_end = sub.current_period_end.or_else(|| first_item.and_then(|i| i.current_period_end));
    Ok(SubscriptionState {
        organization_id: parse_organization(org)?,
        plan,
        status,
        current_period_end: period_end.and_then(|t| DateTime::from_timestamp(t, 0)),
        cancel_at_period_end: sub.cancel_at_period_end,
        provider_customer_id: sub.customer.map(|c| c.id().to_owned()),
        provider_subscription_id: Some(sub.id),
    })
}

/// A failed invoice payment; the organization from the subscription's metadata as the invoice
/// carries it (wherever this API version puts it) or its lines'.
fn payment_failed(invoice: Invoice) -> Result<ProviderEventKind, WebhookError> {
    let parent_details = invoice.parent.as_ref().and_then(|p| p.subscription_details.as_ref());
    let details = [parent_details, invoice.subscription_details.as_ref()];
    let lines = invoice.lines.as_ref().map(|l| l.data.as_slice()).unwrap_or_default();
    let org = details
        .iter()
        .flatten()
        .find_map(|d| meta(d.metadata.as_ref(), ORGANIZATION_KEY))
        .or_else(|| lines.iter().find_map(|l| meta(l.metadata.as_ref(), ORGANIZATION_KEY)))
        .ok_or_else(|| no_organization("invoice"))?;
    let subscription = details
        .iter()
        .flatten()
        .find_map(|d| d.subscription.as_ref())
        .or(invoice.subscription.as_ref())
        .map(|s| s.id().to_owned());
    Ok(ProviderEventKind::PaymentFailed {
        organization_id: parse_organization(org)?,
        provider_subscription_id: subscription,
    })
}
