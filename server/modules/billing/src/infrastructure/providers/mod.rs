//! The `PaymentProvider` adapters: Stripe, Mercado Pago and Polar over their HTTP APIs (reqwest,
//! rustls on ring). Each takes a config with its `api_base` (tests point it at a local server),
//! its API key, its webhook secret and, where the provider bills by its own ids, a [`PriceIds`]
//! catalog. What they share lives here: the catalog, one way to call a provider and read its
//! refusal, and the webhook helpers (metadata keys, ids, statuses).

pub mod mercadopago;
pub mod polar;
pub mod stripe;

use std::collections::HashMap;
use std::time::Duration;

use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use kernel::OrganizationId;
use serde::de::DeserializeOwned;

use crate::domain::provider::{ProviderError, WebhookError};

pub use mercadopago::{MercadoPagoConfig, MercadoPagoProvider};
pub use polar::{PolarConfig, PolarProvider};
pub use stripe::{StripeConfig, StripeProvider};

/// The metadata key naming the organization, on every checkout and subscription we create.
pub(crate) const ORGANIZATION_KEY: &str = "organizationId";
/// The metadata key naming the plan.
pub(crate) const PLAN_KEY: &str = "planId";

/// How long a call to a provider may take, in all.
const TIMEOUT: Duration = Duration::from_secs(15);
/// How long connecting to a provider may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How much of a provider's refusal is kept for the logs.
const REFUSAL_MAX_CHARS: usize = 300;

/// One provider id (a Stripe price, a Polar product) for a plan billed every `interval`, in
/// `currency` or, when `None`, in whatever currency is asked (a multi-currency price).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PriceIdEntry {
    plan: PlanId,
    interval: BillingInterval,
    currency: Option<Currency>,
    id: String,
}

/// The provider's ids of our plans' prices, by plan and interval, optionally by currency.
///
/// ```
/// use billing::providers::PriceIds;
/// use contracts::billing::{BillingInterval, Currency, PlanId};
///
/// let prices = PriceIds::new()
///     .with(PlanId::Pro, BillingInterval::Month, None, "price_pro_month")
///     .with(PlanId::Pro, BillingInterval::Month, Some(Currency::Mxn), "price_pro_month_mxn");
/// assert_eq!(prices.get(PlanId::Pro, BillingInterval::Month, Currency::Mxn), Some("price_pro_month_mxn"));
/// assert_eq!(prices.get(PlanId::Pro, BillingInterval::Month, Currency::Usd), Some("price_pro_month"));
/// assert_eq!(prices.get(PlanId::Pro, BillingInterval::Year, Currency::Usd), None);
/// assert_eq!(prices.plan_of("price_pro_month_mxn"), Some(PlanId::Pro));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceIds {
    entries: Vec<PriceIdEntry>,
}

impl PriceIds {
    /// No ids: the provider offers nothing until some are added.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the id of `plan` every `interval` in `currency` (`None`: any currency).
    #[must_use]
    pub fn with(
        mut self,
        plan: PlanId,
        interval: BillingInterval,
        currency: Option<Currency>,
        id: impl Into<String>,
    ) -> Self {
        self.insert(plan, interval, currency, id);
        self
    }

    /// Adds (or replaces) the id of `plan` every `interval` in `currency` (`None`: any currency).
    pub fn insert(
        &mut self,
        plan: PlanId,
        interval: BillingInterval,
        currency: Option<Currency>,
        id: impl Into<String>,
    ) {
        self.entries.retain(|e| !(e.plan == plan && e.interval == interval && e.currency == currency));
        self.entries.push(PriceIdEntry { plan, interval, currency, id: id.into() });
    }

    /// The entry for `currency`, else the currency-less one.
    fn entry(&self, plan: PlanId, interval: BillingInterval, currency: Currency) -> Option<&PriceIdEntry> {
        let matching = |c: Option<Currency>| {
            self.entries.iter().find(move |e| e.plan == plan && e.interval == interval && e.currency == c)
        };
        matching(Some(currency)).or_else(|| matching(None))
    }

    /// The id to charge `plan` every `interval` in `currency`.
    #[must_use]
    pub fn get(&self, plan: PlanId, interval: BillingInterval, currency: Currency) -> Option<&str> {
        self.entry(plan, interval, currency).map(|e| e.id.as_str())
    }

    /// The plan an id belongs to (for events whose metadata lacks the plan).
    #[must_use]
    pub fn plan_of(&self, id: &str) -> Option<PlanId> {
        self.entries.iter().find(|e| e.id == id).map(|e| e.plan)
    }

    /// Whether no id was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The HTTP client of an adapter: bounded in time, rustls.
pub(crate) fn http_client() -> Result<reqwest::Client, ProviderError> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|e| ProviderError::Internal(anyhow::Error::new(e).context("building the HTTP client")))
}

/// `api_base` without a trailing slash, so paths join with one.
pub(crate) fn trim_base(api_base: &str) -> String {
    api_base.trim_end_matches('/').to_owned()
}

/// Sends `request` and reads the provider's JSON answer.
///
/// # Errors
/// `Unavailable` when the provider cannot be reached, times out, answers 5xx or 429 (try again
/// later); `Rejected` with the provider's own message on another 4xx; `Internal` when a success
/// does not parse as `T`.
pub(crate) async fn send<T: DeserializeOwned>(
    provider: &'static str,
    request: reqwest::RequestBuilder,
) -> Result<T, ProviderError> {
    let response = request.send().await.map_err(|e| {
        tracing::warn!(provider, error = %e, "payment provider unreachable");
        ProviderError::Unavailable
    })?;
    let status = response.status();
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        tracing::warn!(provider, status = status.as_u16(), "payment provider failed");
        return Err(ProviderError::Unavailable);
    }
    let body = response.bytes().await.map_err(|e| {
        tracing::warn!(provider, error = %e, "payment provider's answer cut short");
        ProviderError::Unavailable
    })?;
    if !status.is_success() {
        let refusal = refusal(&body);
        tracing::warn!(provider, status = status.as_u16(), refusal = %refusal, "payment provider refused");
        return Err(ProviderError::Rejected(format!("{}: {refusal}", status.as_u16())));
    }
    serde_json::from_slice(&body).map_err(|e| {
        ProviderError::Internal(
            anyhow::Error::new(e).context(format!("{provider} answered an unexpected body")),
        )
    })
}

/// The provider's words from a refusal: Stripe's `error.message`, Mercado Pago's `message`,
/// Polar's `detail`, else the start of the body.
fn refusal(body: &[u8]) -> String {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let text = json
        .as_ref()
        .and_then(|j| {
            j.pointer("/error/message")
                .or_else(|| j.get("message"))
                .or_else(|| j.get("detail"))
                .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
        })
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    text.chars().take(REFUSAL_MAX_CHARS).collect()
}

/// The status a Stripe-like provider (Stripe, Polar) reports, in billing's words: `unpaid` and
/// `paused` keep the paid period like `past_due`, `incomplete_expired` never started. `None` for a
/// status we do not know.
pub(crate) fn stripe_like_status(status: &str) -> Option<SubscriptionStatus> {
    Some(match status {
        "trialing" => SubscriptionStatus::Trialing,
        "active" => SubscriptionStatus::Active,
        "past_due" | "unpaid" | "paused" => SubscriptionStatus::PastDue,
        "canceled" | "incomplete_expired" => SubscriptionStatus::Canceled,
        "incomplete" => SubscriptionStatus::Incomplete,
        _ => return None,
    })
}

/// The organization a metadata value names.
///
/// # Errors
/// `Malformed` when it is not an organization id.
pub(crate) fn parse_organization(value: &str) -> Result<OrganizationId, WebhookError> {
    value.trim().parse().map_err(|_| WebhookError::Malformed(format!("{ORGANIZATION_KEY} is not an id")))
}

/// The plan a metadata value names.
///
/// # Errors
/// `Malformed` when it is not one of our plans.
pub(crate) fn parse_plan(value: &str) -> Result<PlanId, WebhookError> {
    value.trim().parse().map_err(|_| WebhookError::Malformed(format!("{PLAN_KEY} is not a plan")))
}

/// String metadata, as Stripe and Polar attach it (Polar allows numbers and booleans too: those
/// are read as text).
pub(crate) type Metadata = HashMap<String, serde_json::Value>;

/// The text of `key` in `metadata`.
pub(crate) fn meta<'m>(metadata: Option<&'m Metadata>, key: &str) -> Option<&'m str> {
    metadata?.get(key)?.as_str().filter(|s| !s.trim().is_empty())
}

/// A provider id that is either the id itself or the expanded object carrying it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum IdOrObject {
    Id(String),
    Object { id: String },
}

impl IdOrObject {
    pub(crate) fn id(&self) -> &str {
        match self {
            Self::Id(id) | Self::Object { id } => id,
        }
    }
}

/// Reads a signed webhook body as `T`.
///
/// # Errors
/// `Malformed` with serde's words.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_currency_specific_id_wins_over_the_any_currency_one() {
        let ids = PriceIds::new().with(PlanId::Pro, BillingInterval::Month, None, "any").with(
            PlanId::Pro,
            BillingInterval::Month,
            Some(Currency::Brl),
            "brl",
        );
        assert_eq!(ids.get(PlanId::Pro, BillingInterval::Month, Currency::Brl), Some("brl"));
        assert_eq!(ids.get(PlanId::Pro, BillingInterval::Month, Currency::Ars), Some("any"));
        assert_eq!(ids.get(PlanId::Business, BillingInterval::Month, Currency::Ars), None);
        let replaced = ids.with(PlanId::Pro, BillingInterval::Month, None, "other");
        assert_eq!(replaced.get(PlanId::Pro, BillingInterval::Month, Currency::Usd), Some("other"));
        assert_eq!(replaced.plan_of("any"), None);
    }

    #[test]
    fn refusals_keep_the_providers_words() {
        assert_eq!(refusal(br#"{"error":{"message":"No such price"}}"#), "No such price");
        assert_eq!(refusal(br#"{"message":"invalid payer_email","status":400}"#), "invalid payer_email");
        assert_eq!(refusal(br#"{"detail":[{"msg":"bad"}]}"#), r#"[{"msg":"bad"}]"#);
        assert_eq!(refusal(b"<html>nope</html>"), "<html>nope</html>");
        assert_eq!(refusal("x".repeat(1000).as_bytes()).len(), REFUSAL_MAX_CHARS);
    }

    #[test]
    fn stripe_like_statuses_map_to_ours() {
        use SubscriptionStatus::*;
        let cases = [
            ("trialing", Trialing),
            ("active", Active),
            ("past_due", PastDue),
            ("unpaid", PastDue),
            ("canceled", Canceled),
            ("incomplete", Incomplete),
            ("incomplete_expired", Canceled),
        ];
        for (theirs, ours) in cases {
            assert_eq!(stripe_like_status(theirs), Some(ours), "{theirs}");
        }
        assert_eq!(stripe_like_status("galactic"), None);
    }
}
