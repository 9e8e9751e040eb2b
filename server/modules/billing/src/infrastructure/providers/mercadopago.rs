//! Mercado Pago: subscriptions without a plan (`preapproval`), priced from our plans in code in
//! the account's currency, and the `subscription_preapproval` notifications.
//!
//! A notification only names the preapproval (`data.id`); its state is read back with
//! `GET /preapproval/{id}`. The signature covers `data.id`, `x-request-id` and the time, not the
//! body: everything billing applies comes from that lookup, never from the notification's body
//! (whose `id` only dedupes). The organization and plan travel in `external_reference` as
//! `"{organization}:{plan}"`.
//!
//! Mercado Pago has no hosted billing portal: the subscriber manages (pauses, cancels, changes the
//! card of) their subscriptions in their own Mercado Pago account. The portal therefore answers
//! that page ([`DEFAULT_PORTAL_URL`], configurable per country), rather than a 503
//! `billing_not_configured` that would tell the screen billing is not set up when it is.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use kernel::OrganizationId;
use serde::{Deserialize, Serialize};

use super::{http_client, parse_body, parse_organization, parse_plan, send, trim_base};
use crate::domain::plan::Plan;
use crate::domain::provider::{
    CheckoutRequest, PaymentProvider, PortalRequest, ProviderError, ProviderEvent, ProviderEventKind,
    Redirect, SubscriptionState, WebhookError, WebhookRequest,
};
use crate::domain::signatures::{mercadopago as signature, verify_mercadopago};
use crate::domain::subscription::ProviderKind;

/// Mercado Pago's API.
pub const DEFAULT_API_BASE: &str = "https://api.mercadopago.com";
/// Where a subscriber manages their Mercado Pago subscriptions (country sites have their own:
/// `https://www.mercadopago.com.mx/subscriptions`, …).
pub const DEFAULT_PORTAL_URL: &str = "https://www.mercadopago.com/subscriptions";
/// The notification type of a subscription's changes.
const PREAPPROVAL_TOPIC: &str = "subscription_preapproval";

/// What the Mercado Pago adapter needs.
#[derive(Clone)]
pub struct MercadoPagoConfig {
    /// `https://api.mercadopago.com` ([`DEFAULT_API_BASE`]); a local server in tests.
    pub api_base: String,
    /// The application's access token (`APP_USR-…`, `TEST-…`).
    pub access_token: String,
    /// The webhooks' secret signature key (Your integrations → Webhooks).
    pub webhook_secret: String,
    /// The currencies the account charges in (one per country account: `MXN` in Mexico, `BRL`
    /// in Brazil, `ARS` in Argentina). Checkout in another currency is refused as invalid.
    pub currencies: Vec<Currency>,
    /// Where "manage billing" sends a subscriber ([`DEFAULT_PORTAL_URL`]).
    pub portal_url: String,
}

impl std::fmt::Debug for MercadoPagoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MercadoPagoConfig")
            .field("api_base", &self.api_base)
            .field("currencies", &self.currencies)
            .field("portal_url", &self.portal_url)
            .finish_non_exhaustive()
    }
}

/// The Mercado Pago adapter.
#[derive(Debug, Clone)]
pub struct MercadoPagoProvider {
    config: MercadoPagoConfig,
    http: reqwest::Client,
}

impl MercadoPagoProvider {
    /// An adapter for `config`.
    ///
    /// # Errors
    /// `Internal` when the HTTP client cannot be built (no TLS roots).
    pub fn new(mut config: MercadoPagoConfig) -> Result<Self, ProviderError> {
        config.api_base = trim_base(&config.api_base);
        Ok(Self { config, http: http_client()? })
    }

    /// The preapproval, as Mercado Pago has it now.
    async fn preapproval(&self, id: &str) -> Result<Preapproval, ProviderError> {
        let url = format!("{}/preapproval/{}", self.config.api_base, urlencode(id));
        send("mercadopago", self.http.get(url).bearer_auth(&self.config.access_token)).await
    }
}

fn urlencode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes()).collect()
}

#[derive(Serialize)]
struct NewPreapproval<'a> {
    reason: String,
    external_reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    payer_email: Option<&'a str>,
    auto_recurring: AutoRecurring,
    back_url: &'a str,
    status: &'static str,
}

#[derive(Serialize)]
struct AutoRecurring {
    frequency: u8,
    frequency_type: &'static str,
    /// In major units (pesos, reais), as Mercado Pago takes it.
    transaction_amount: f64,
    currency_id: &'static str,
}

#[derive(Deserialize)]
struct CreatedPreapproval {
    init_point: String,
}

/// A preapproval as `GET /preapproval/{id}` answers it (the fields billing reads).
#[derive(Deserialize)]
struct Preapproval {
    id: String,
    status: String,
    external_reference: Option<String>,
    payer_id: Option<serde_json::Value>,
    next_payment_date: Option<String>,
    last_modified: Option<String>,
}

/// The body of a notification.
#[derive(Deserialize)]
struct Notification {
    id: Option<serde_json::Value>,
    #[serde(rename = "type")]
    kind: Option<String>,
    date_created: Option<String>,
}

/// The reference we give a preapproval: organization and plan.
fn external_reference(org: OrganizationId, plan: PlanId) -> String {
    format!("{org}:{plan}")
}

/// The amount in major units: every currency we price in has 100 minor units to the major.
#[expect(clippy::cast_precision_loss, reason = "prices are far below 2^52 minor units")]
fn major_units(amount_minor: i64) -> f64 {
    amount_minor as f64 / 100.0
}

#[async_trait]
impl PaymentProvider for MercadoPagoProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::MercadoPago
    }

    fn offers(&self, plan: PlanId, currency: Currency, interval: BillingInterval) -> bool {
        self.config.currencies.contains(&currency) && Plan::get(plan).price(currency, interval).is_some()
    }

    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<Redirect, ProviderError> {
        let plan = Plan::get(request.plan);
        let price = plan
            .price(request.currency, request.interval)
            .filter(|_| self.config.currencies.contains(&request.currency))
            .ok_or_else(|| {
                ProviderError::NotConfigured(format!(
                    "mercadopago does not charge {} every {} in {}",
                    request.plan, request.interval, request.currency
                ))
            })?;
        let (frequency, every) = match request.interval {
            BillingInterval::Month => (1, "monthly"),
            BillingInterval::Year => (12, "yearly"),
        };
        let body = NewPreapproval {
            reason: format!("{} plan, {every}", plan.name),
            external_reference: external_reference(request.organization_id, request.plan),
            payer_email: request.customer_email.as_deref(),
            auto_recurring: AutoRecurring {
                frequency,
                frequency_type: "months",
                transaction_amount: major_units(price.amount_minor),
                currency_id: request.currency.key(),
            },
            back_url: &request.success_url,
            status: "pending",
        };
        let url = format!("{}/preapproval", self.config.api_base);
        let created: CreatedPreapproval =
            send("mercadopago", self.http.post(url).bearer_auth(&self.config.access_token).json(&body))
                .await?;
        Ok(Redirect { url: created.init_point })
    }

    /// Mercado Pago's own subscriptions page (see the module's docs): it has no portal session.
    async fn create_portal_session(&self, _request: &PortalRequest) -> Result<Redirect, ProviderError> {
        Ok(Redirect { url: self.config.portal_url.clone() })
    }

    async fn verify_and_parse_webhook(
        &self,
        request: WebhookRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookError> {
        let signed_at = verify_mercadopago(
            request.headers,
            request.query,
            request.body,
            &self.config.webhook_secret,
            now,
        )?;
        let notification: Notification = parse_body(request.body)?;
        let topic = notification.kind.clone().or_else(|| query_value(request.query, "type"));
        if topic.as_deref() != Some(PREAPPROVAL_TOPIC) {
            return Err(WebhookError::Ignored(topic.unwrap_or_else(|| "notification without type".into())));
        }
        let preapproval_id = raw_data_id(request.query, request.body)
            .ok_or_else(|| WebhookError::Malformed("notification without data.id".to_owned()))?;
        let event_id = notification_id(&notification, request.headers)?;
        let preapproval = self.preapproval(&preapproval_id).await?;
        let occurred_at = preapproval
            .last_modified
            .as_deref()
            .or(notification.date_created.as_deref())
            .and_then(parse_time)
            .unwrap_or(signed_at);
        let kind = preapproval_event(preapproval)?;
        Ok(ProviderEvent { provider: ProviderKind::MercadoPago, event_id, occurred_at, kind })
    }
}

/// A query parameter's value.
fn query_value(query: Option<&str>, key: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// The preapproval id as sent (the signature's `data.id` is lower-cased; the API wants it as is).
fn raw_data_id(query: Option<&str>, body: &[u8]) -> Option<String> {
    query_value(query, "data.id").or_else(|| {
        let json: serde_json::Value = serde_json::from_slice(body).ok()?;
        match json.pointer("/data/id")? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    })
}

/// The notification's own id (a retry keeps it), else the delivery's `x-request-id`.
fn notification_id(notification: &Notification, headers: &http::HeaderMap) -> Result<String, WebhookError> {
    let from_body = notification.id.as_ref().and_then(|id| match id {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    from_body
        .or_else(|| {
            crate::domain::signatures::header(headers, signature::REQUEST_ID_HEADER).ok().map(str::to_owned)
        })
        .ok_or_else(|| WebhookError::Malformed("notification without id".to_owned()))
}

/// Mercado Pago's times: RFC 3339 with milliseconds and an offset.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// The event a preapproval's state makes: `authorized` (re)starts it, `cancelled` ends it, and
/// anything else updates it.
fn preapproval_event(p: Preapproval) -> Result<ProviderEventKind, WebhookError> {
    let status = match p.status.as_str() {
        "authorized" => SubscriptionStatus::Active,
        "paused" => SubscriptionStatus::PastDue,
        "cancelled" | "finished" => SubscriptionStatus::Canceled,
        "pending" => SubscriptionStatus::Incomplete,
        other => return Err(WebhookError::Ignored(format!("preapproval status {other}"))),
    };
    let reference = p.external_reference.as_deref().unwrap_or_default();
    let Some((org, plan)) = reference.split_once(':') else {
        // Another integration's subscription on the same account.
        return Err(WebhookError::Ignored("preapproval without our external_reference".to_owned()));
    };
    let state = SubscriptionState {
        organization_id: parse_organization(org)?,
        plan: parse_plan(plan)?,
        status,
        current_period_end: p.next_payment_date.as_deref().and_then(parse_time),
        cancel_at_period_end: false,
        provider_customer_id: p.payer_id.as_ref().and_then(|id| match id {
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        }),
        provider_subscription_id: Some(p.id),
    };
    Ok(match status {
        SubscriptionStatus::Active => ProviderEventKind::SubscriptionActivated(state),
        SubscriptionStatus::Canceled => ProviderEventKind::SubscriptionCanceled(state),
        _ => ProviderEventKind::SubscriptionUpdated(state),
    })
}
