//! An organization's subscription: the local row the app reads as the only truth, written from
//! verified provider webhooks.

use chrono::{DateTime, Utc};
use kernel::OrganizationId;

pub use contracts::billing::SubscriptionStatus;
use contracts::billing::{PlanId, SubscriptionView};

kernel::define_id!(
    /// A subscription row.
    SubscriptionId
);

/// A payment provider mibio can bill through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    Stripe,
    MercadoPago,
    Polar,
}

impl ProviderKind {
    /// The stable key (storage, `/webhooks/{provider}`, `PAYMENT_PROVIDER`).
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Stripe => "stripe",
            Self::MercadoPago => "mercadopago",
            Self::Polar => "polar",
        }
    }

    /// The provider with this key.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        [Self::Stripe, Self::MercadoPago, Self::Polar].into_iter().find(|p| p.key() == key)
    }
}

/// An organization's subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub organization_id: OrganizationId,
    pub plan: PlanId,
    pub status: SubscriptionStatus,
    pub provider: ProviderKind,
    pub provider_customer_id: Option<String>,
    pub provider_subscription_id: Option<String>,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    /// The provider's time of the last event applied: an older event must not overwrite it.
    pub last_event_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Subscription {
    /// Whether premium features are open at `now`: trialing or active, or canceled with time left
    /// in the period already paid for. `past_due` stays open while the provider retries the
    /// payment until its period ends. One set to cancel at period end closes when the period
    /// ends even if the provider's last event (Stripe's `deleted`, Polar's `revoked`) is late or
    /// lost.
    #[must_use]
    pub fn grants_access(&self, now: DateTime<Utc>) -> bool {
        let in_period = self.current_period_end.is_none_or(|end| now < end);
        match self.status {
            SubscriptionStatus::Trialing | SubscriptionStatus::Active => {
                !self.cancel_at_period_end || in_period
            }
            SubscriptionStatus::PastDue | SubscriptionStatus::Canceled => {
                self.current_period_end.is_some() && in_period
            }
            SubscriptionStatus::Incomplete => false,
        }
    }

    /// The wire form.
    #[must_use]
    pub fn view(&self) -> SubscriptionView {
        SubscriptionView {
            plan_id: self.plan,
            status: self.status,
            provider: Some(self.provider.key().to_owned()),
            current_period_end: self.current_period_end.map(|t| t.to_rfc3339()),
            cancel_at_period_end: self.cancel_at_period_end,
        }
    }

    /// What an organization without a subscription row has: the free plan, active.
    #[must_use]
    pub fn free_view() -> SubscriptionView {
        SubscriptionView {
            plan_id: PlanId::Free,
            status: SubscriptionStatus::Active,
            provider: None,
            current_period_end: None,
            cancel_at_period_end: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn sub(status: SubscriptionStatus, end: Option<i64>) -> Subscription {
        let t = |s| Utc.timestamp_opt(s, 0).unwrap();
        Subscription {
            id: SubscriptionId::new(),
            organization_id: OrganizationId::new(),
            plan: PlanId::Pro,
            status,
            provider: ProviderKind::Stripe,
            provider_customer_id: None,
            provider_subscription_id: None,
            current_period_end: end.map(t),
            cancel_at_period_end: false,
            last_event_at: t(0),
            created_at: t(0),
            updated_at: t(0),
        }
    }

    #[test]
    fn access_follows_status_and_period() {
        let now = Utc.timestamp_opt(1_000, 0).unwrap();
        use SubscriptionStatus::*;
        assert!(sub(Active, None).grants_access(now));
        assert!(sub(Trialing, Some(10)).grants_access(now));
        assert!(sub(Canceled, Some(2_000)).grants_access(now), "canceled keeps the paid period");
        assert!(!sub(Canceled, Some(1_000)).grants_access(now), "closes at period end");
        assert!(!sub(Canceled, None).grants_access(now));
        assert!(sub(PastDue, Some(2_000)).grants_access(now));
        assert!(!sub(PastDue, Some(500)).grants_access(now));
        assert!(!sub(Incomplete, Some(2_000)).grants_access(now));
        let ending = |end| Subscription { cancel_at_period_end: true, ..sub(Active, Some(end)) };
        assert!(ending(2_000).grants_access(now), "set to cancel: open until the period ends");
        assert!(!ending(1_000).grants_access(now), "then closed, whatever the provider says last");
        assert!(sub(Active, Some(500)).grants_access(now), "a renewing subscription stays open");
    }

    #[test]
    fn provider_keys_round_trip() {
        for p in [ProviderKind::Stripe, ProviderKind::MercadoPago, ProviderKind::Polar] {
            assert_eq!(ProviderKind::from_key(p.key()), Some(p));
        }
        assert_eq!(ProviderKind::from_key("paypal"), None);
    }
}
