//! Polar: checkout sessions of our products, customer portal sessions, and the `subscription.*`
//! webhooks (Standard Webhooks, keyed by Polar's secret text, see [`Key::raw`]).
//!
//! Checkout names the organization twice: as the customer's `external_customer_id` and in the
//! checkout's metadata, which Polar copies to the subscription, so every subscription event names
//! organization and plan.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use contracts::billing::{BillingInterval, Currency, PlanId};
use serde::{Deserialize, Serialize};

use super::{
    IdOrObject, Metadata, ORGANIZATION_KEY, PLAN_KEY, PriceIds, http_client, meta, parse_body,
    parse_organization, parse_plan, send, stripe_like_status, trim_base,
};
use crate::domain::provider::{
    CheckoutRequest, PaymentProvider, PortalRequest, ProviderError, ProviderEvent, ProviderEventKind,
    Redirect, SubscriptionState, WebhookError, WebhookRequest,
};
use crate::domain::signatures::standard::{self, Key};
use crate::domain::signatures::{header, verify_standard};
use crate::domain::subscription::ProviderKind;

/// Polar's production API (`https://sandbox-api.polar.sh` for the sandbox).
pub const DEFAULT_API_BASE: &str = "https://api.polar.sh";

/// What the Polar adapter needs.
#[derive(Clone)]
pub struct PolarConfig {
    /// `https://api.polar.sh` ([`DEFAULT_API_BASE`]); the sandbox or a local server in tests.
    pub api_base: String,
    /// An organization access token (`polar_oat_…`) with `checkouts:write` and
    /// `customer_sessions:write`.
    pub access_token: String,
    /// The webhook endpoint's secret, as Polar shows it.
    pub webhook_secret: String,
    /// The Polar product of each plan and interval (a product has one recurring interval).
    pub products: PriceIds,
}

impl std::fmt::Debug for PolarConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolarConfig")
            .field("api_base", &self.api_base)
            .field("products", &self.products)
            .finish_non_exhaustive()
    }
}

/// The Polar adapter.
#[derive(Debug, Clone)]
pub struct PolarProvider {
    config: PolarConfig,
    key: Key,
    http: reqwest::Client,
}

impl PolarProvider {
    /// An adapter for `config`.
    ///
    /// # Errors
    /// `Internal` when the HTTP client cannot be built (no TLS roots).
    pub fn new(mut config: PolarConfig) -> Result<Self, ProviderError> {
        config.api_base = trim_base(&config.api_base);
        let key = Key::raw(&config.webhook_secret);
        Ok(Self { config, key, http: http_client()? })
    }

    fn post(&self, path: &str, body: &impl Serialize) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.config.api_base))
            .bearer_auth(&self.config.access_token)
            .json(body)
    }
}

#[derive(Serialize)]
struct NewCheckout<'a> {
    products: [&'a str; 1],
    success_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_email: Option<&'a str>,
    metadata: serde_json::Value,
}

#[derive(Deserialize)]
struct CreatedCheckout {
    url: String,
}

#[derive(Serialize)]
struct NewCustomerSession<'a> {
    customer_id: &'a str,
    return_url: &'a str,
}

#[derive(Deserialize)]
struct CreatedCustomerSession {
    customer_portal_url: String,
}

#[async_trait]
impl PaymentProvider for PolarProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Polar
    }

    fn offers(&self, plan: PlanId, currency: Currency, interval: BillingInterval) -> bool {
        self.config.products.get(plan, interval, currency).is_some()
    }

    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<Redirect, ProviderError> {
        let product =
            self.config.products.get(request.plan, request.interval, request.currency).ok_or_else(|| {
                ProviderError::NotConfigured(format!(
                    "no Polar product for {} every {} in {}",
                    request.plan, request.interval, request.currency
                ))
            })?;
        let org = request.organization_id.to_string();
        let body = NewCheckout {
            products: [product],
            success_url: &request.success_url,
            // A known customer is named by Polar's id; a new one is created under our id.
            customer_id: request.provider_customer_id.as_deref(),
            external_customer_id: request.provider_customer_id.is_none().then(|| org.clone()),
            customer_email: request.customer_email.as_deref(),
            metadata: serde_json::json!({ ORGANIZATION_KEY: org, PLAN_KEY: request.plan.key() }),
        };
        let created: CreatedCheckout = send("polar", self.post("/v1/checkouts/", &body)).await?;
        Ok(Redirect { url: created.url })
    }

    async fn create_portal_session(&self, request: &PortalRequest) -> Result<Redirect, ProviderError> {
        let body = NewCustomerSession {
            customer_id: &request.provider_customer_id,
            return_url: &request.return_url,
        };
        let session: CreatedCustomerSession =
            send("polar", self.post("/v1/customer-sessions/", &body)).await?;
        Ok(Redirect { url: session.customer_portal_url })
    }

    async fn verify_and_parse_webhook(
        &self,
        request: WebhookRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookError> {
        let signed_at = verify_standard(request.headers, request.body, &self.key, now)?;
        let event_id = header(request.headers, standard::ID_HEADER)?.to_owned();
        parse_event(request.body, event_id, signed_at, &self.config.products)
    }
}

/// A Polar webhook body.
#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    timestamp: Option<DateTime<Utc>>,
    data: serde_json::Value,
}

/// A subscription, as its events carry it (the fields billing reads).
#[derive(Deserialize)]
struct Subscription {
    id: String,
    status: String,
    current_period_end: Option<DateTime<Utc>>,
    #[serde(default)]
    cancel_at_period_end: bool,
    customer_id: Option<String>,
    customer: Option<Customer>,
    product_id: Option<String>,
    product: Option<IdOrObject>,
    metadata: Option<Metadata>,
    modified_at: Option<DateTime<Utc>>,
    /// Set when access ended (revoked now, or canceled at the period's end).
    ended_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct Customer {
    external_id: Option<String>,
}

/// Translates a verified delivery. Its time is the subscription's `modified_at` (a retried
/// delivery is signed anew, so its signature's time would make an old change look new), else the
/// body's `timestamp`, else the signature's.
fn parse_event(
    body: &[u8],
    event_id: String,
    signed_at: DateTime<Utc>,
    products: &PriceIds,
) -> Result<ProviderEvent, WebhookError> {
    let event: Event = parse_body(body)?;
    let revoked = event.kind == "subscription.revoked";
    let wrap: fn(SubscriptionState) -> ProviderEventKind = match event.kind.as_str() {
        "subscription.created" | "subscription.active" => ProviderEventKind::SubscriptionActivated,
        "subscription.updated" | "subscription.uncanceled" | "subscription.past_due" => {
            ProviderEventKind::SubscriptionUpdated
        }
        "subscription.canceled" | "subscription.revoked" => ProviderEventKind::SubscriptionCanceled,
        other => return Err(WebhookError::Ignored(other.to_owned())),
    };
    let sub: Subscription =
        serde_json::from_value(event.data).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    let occurred_at = sub.modified_at.or(event.timestamp).unwrap_or(signed_at);
    let ended_at = sub.ended_at;
    let mut state = subscription_state(sub, products)?;
    if revoked {
        // Access ends now, not at the end of the period paid for.
        state.current_period_end = Some(ended_at.unwrap_or(occurred_at));
    }
    let kind = wrap(state);
    Ok(ProviderEvent { provider: ProviderKind::Polar, event_id, occurred_at, kind })
}

/// The subscription's state: organization from its metadata (else the customer's external id),
/// plan from its metadata (else its product).
fn subscription_state(sub: Subscription, products: &PriceIds) -> Result<SubscriptionState, WebhookError> {
    let metadata = sub.metadata.as_ref();
    let org = meta(metadata, ORGANIZATION_KEY)
        .or_else(|| sub.customer.as_ref().and_then(|c| c.external_id.as_deref()))
        .ok_or_else(|| WebhookError::Ignored(format!("subscription without {ORGANIZATION_KEY}")))?;
    let plan = match meta(metadata, PLAN_KEY) {
        Some(plan) => parse_plan(plan)?,
        None => sub
            .product_id
            .as_deref()
            .or_else(|| sub.product.as_ref().map(IdOrObject::id))
            .and_then(|id| products.plan_of(id))
            .ok_or_else(|| WebhookError::Malformed(format!("subscription without {PLAN_KEY}")))?,
    };
    let status = stripe_like_status(&sub.status)
        .ok_or_else(|| WebhookError::Ignored(format!("subscription status {}", sub.status)))?;
    Ok(SubscriptionState {
        organization_id: parse_organization(org)?,
        plan,
        status,
        current_period_end: sub.current_period_end,
        cancel_at_period_end: sub.cancel_at_period_end,
        provider_customer_id: sub.customer_id,
        provider_subscription_id: Some(sub.id),
    })
}
