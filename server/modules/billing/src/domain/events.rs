//! The billing context's domain events (recorded in the outbox, audited).

use chrono::{DateTime, Utc};
use contracts::billing::{PlanId, SubscriptionStatus};
use runtime::outbox::DomainEvent;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::subscription::Subscription;

/// The subscription's state after the change, shared by the subscription events.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionPayload {
    pub organization_id: Uuid,
    pub subscription_id: Uuid,
    pub plan: PlanId,
    pub status: SubscriptionStatus,
    pub provider: &'static str,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    /// The provider's event that caused it.
    pub provider_event_id: String,
}

impl SubscriptionPayload {
    /// The payload of `subscription` changed by the provider event `provider_event_id`.
    #[must_use]
    pub fn new(subscription: &Subscription, provider_event_id: &str) -> Self {
        Self {
            organization_id: subscription.organization_id.into(),
            subscription_id: subscription.id.into(),
            plan: subscription.plan,
            status: subscription.status,
            provider: subscription.provider.key(),
            current_period_end: subscription.current_period_end,
            cancel_at_period_end: subscription.cancel_at_period_end,
            provider_event_id: provider_event_id.to_owned(),
        }
    }
}

/// A subscription started (checkout completed, or created at the provider).
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct SubscriptionActivated(pub SubscriptionPayload);

/// A subscription's plan, status, period or cancellation changed.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct SubscriptionUpdated(pub SubscriptionPayload);

/// A subscription ended.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct SubscriptionCanceled(pub SubscriptionPayload);

/// A renewal payment failed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentFailed {
    pub organization_id: Uuid,
    pub provider: &'static str,
    pub provider_subscription_id: Option<String>,
    pub provider_event_id: String,
}

impl DomainEvent for SubscriptionActivated {
    const TYPE: &'static str = "subscription.activated";
    const PRODUCER: &'static str = "billing";
}

impl DomainEvent for SubscriptionUpdated {
    const TYPE: &'static str = "subscription.updated";
    const PRODUCER: &'static str = "billing";
}

impl DomainEvent for SubscriptionCanceled {
    const TYPE: &'static str = "subscription.canceled";
    const PRODUCER: &'static str = "billing";
}

impl DomainEvent for PaymentFailed {
    const TYPE: &'static str = "payment.failed";
    const PRODUCER: &'static str = "billing";
}
