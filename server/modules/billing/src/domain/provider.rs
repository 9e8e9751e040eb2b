//! The `PaymentProvider` port: what billing asks of Stripe, Mercado Pago or Polar. Adapters live in
//! `infrastructure::providers` (public as `billing::providers`); `PAYMENT_PROVIDER` picks one.
//! Webhooks come back as a provider-neutral [`ProviderEvent`], so the use case that applies them
//! knows no provider.

use chrono::{DateTime, Utc};
use contracts::billing::{BillingInterval, Currency, PlanId, SubscriptionStatus};
use kernel::OrganizationId;

use crate::domain::signatures::SignatureError;
use crate::domain::subscription::ProviderKind;

/// A request to start paying for a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub organization_id: OrganizationId,
    /// A paid plan.
    pub plan: PlanId,
    pub currency: Currency,
    pub interval: BillingInterval,
    /// Prefills the provider's form.
    pub customer_email: Option<String>,
    /// The organization's provider customer, when it has paid before.
    pub provider_customer_id: Option<String>,
    pub success_url: String,
    pub cancel_url: String,
}

/// Where to send the browser: the provider's checkout or billing portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub url: String,
}

/// A request for the provider's self-service billing page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalRequest {
    pub organization_id: OrganizationId,
    pub provider_customer_id: String,
    pub return_url: String,
}

/// An incoming webhook delivery, as the HTTP door received it.
#[derive(Debug, Clone, Copy)]
pub struct WebhookRequest<'a> {
    pub headers: &'a http::HeaderMap,
    /// The raw query string (Mercado Pago puts `data.id` there).
    pub query: Option<&'a str>,
    /// The raw body, exactly as signed.
    pub body: &'a [u8],
}

/// The state of a subscription a provider event reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionState {
    pub organization_id: OrganizationId,
    pub plan: PlanId,
    pub status: SubscriptionStatus,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    pub provider_customer_id: Option<String>,
    pub provider_subscription_id: Option<String>,
}

/// What happened, in billing's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderEventKind {
    /// A checkout completed or a subscription was created: it starts (or restarts).
    SubscriptionActivated(SubscriptionState),
    /// Plan, status, period or cancellation changed.
    SubscriptionUpdated(SubscriptionState),
    /// The subscription ended (or will at period end, when the provider says so now).
    SubscriptionCanceled(SubscriptionState),
    /// A renewal payment failed; the provider will retry.
    PaymentFailed { organization_id: OrganizationId, provider_subscription_id: Option<String> },
}

/// A verified webhook event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderEvent {
    pub provider: ProviderKind,
    /// The provider's event id: applying the same id twice has no second effect.
    pub event_id: String,
    /// The provider's time of the change: an event older than the last applied is not applied.
    pub occurred_at: DateTime<Utc>,
    pub kind: ProviderEventKind,
}

impl ProviderEvent {
    /// The organization the event is about.
    #[must_use]
    pub fn organization_id(&self) -> OrganizationId {
        match &self.kind {
            ProviderEventKind::SubscriptionActivated(s)
            | ProviderEventKind::SubscriptionUpdated(s)
            | ProviderEventKind::SubscriptionCanceled(s) => s.organization_id,
            ProviderEventKind::PaymentFailed { organization_id, .. } => *organization_id,
        }
    }
}

/// Why a webhook delivery was not turned into an event. The HTTP door answers `Ignored` with 200
/// (the provider must stop retrying) and the rest with 400.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The signature did not verify.
    #[error("bad signature: {0}")]
    Signature(#[from] SignatureError),
    /// Signed, but not something billing acts on (another event type, or no organization in it).
    #[error("ignored event {0}")]
    Ignored(String),
    /// Signed, but the body does not parse as the provider's event.
    #[error("malformed event: {0}")]
    Malformed(String),
    /// The provider had to be asked (Mercado Pago's preapproval) and could not be reached.
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Why a call to the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// No provider is configured (`PAYMENT_PROVIDER=none`) or it lacks a price for this request.
    #[error("payment provider not configured: {0}")]
    NotConfigured(String),
    /// The provider did not answer or answered 5xx.
    #[error("payment provider unavailable")]
    Unavailable,
    /// The provider refused the request (4xx); the text is theirs, for the logs.
    #[error("payment provider refused: {0}")]
    Rejected(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A payment provider.
#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync + 'static {
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;

    /// Whether this provider can charge `plan` in `currency` every `interval` (it has a price or
    /// product for it, or its account charges in that currency). Checkout refuses what it does
    /// not offer as invalid input, naming the field, before calling the provider. Every paid plan
    /// and price by default.
    fn offers(&self, plan: PlanId, currency: Currency, interval: BillingInterval) -> bool {
        let _ = (plan, currency, interval);
        true
    }

    /// Starts a subscription checkout. The provider MUST attach `organization_id` and `plan` to
    /// the subscription itself, so every later event names them without a lookup.
    ///
    /// # Errors
    /// `NotConfigured` when the plan has no price here, `Unavailable`/`Rejected` from the provider.
    async fn create_checkout(&self, request: &CheckoutRequest) -> Result<Redirect, ProviderError>;

    /// Opens the provider's billing portal for the organization's customer.
    ///
    /// # Errors
    /// `NotConfigured` when the provider has no portal, `Unavailable`/`Rejected` from the provider.
    async fn create_portal_session(&self, request: &PortalRequest) -> Result<Redirect, ProviderError>;

    /// Verifies a webhook delivery's signature at `now` and translates it.
    ///
    /// # Errors
    /// MUST return `Signature` unless the delivery is signed with the configured secret within
    /// the tolerance, before reading the body; `Ignored` for events billing does not act on;
    /// `Malformed` for a signed body that does not parse.
    async fn verify_and_parse_webhook(
        &self,
        request: WebhookRequest<'_>,
        now: DateTime<Utc>,
    ) -> Result<ProviderEvent, WebhookError>;
}
