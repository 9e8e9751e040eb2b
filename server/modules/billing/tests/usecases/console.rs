//! The platform console's reads: counts by status and one organization's subscription.

use billing::application::{apply_event, subscription_of, subscriptions_by_status};
use chrono::Duration;
use contracts::billing::{PlanId, SubscriptionStatus};
use pretty_assertions::assert_eq;

use super::{World, event, state, t0};
use billing::domain::provider::ProviderEventKind;

#[tokio::test]
async fn subscriptions_are_counted_by_the_statuses_they_are_in() {
    let w = World::new().await;
    assert!(subscriptions_by_status(&w.ctx).await.unwrap().is_empty(), "nobody subscribed yet");
    let end = t0() + Duration::days(30);
    for (i, status) in [SubscriptionStatus::Active, SubscriptionStatus::Active, SubscriptionStatus::Canceled]
        .into_iter()
        .enumerate()
    {
        let org = w.org().await;
        let mut s = state(org, PlanId::Pro, status, end);
        s.provider_subscription_id = Some(format!("sub_{i}"));
        let kind = ProviderEventKind::SubscriptionUpdated(s);
        apply_event(&w.ctx, &event(&format!("evt_{i}"), t0(), kind)).await.unwrap();
    }
    let counts = subscriptions_by_status(&w.ctx).await.unwrap();
    let expected = [("active", 2), ("canceled", 1)].map(|(k, n)| (k.to_owned(), n)).into_iter().collect();
    assert_eq!(counts, expected);
}

#[tokio::test]
async fn one_organizations_subscription_or_none() {
    let w = World::new().await;
    let org = w.org().await;
    assert_eq!(subscription_of(&w.ctx, org).await.unwrap(), None);
    let end = t0() + Duration::days(30);
    let kind = ProviderEventKind::SubscriptionActivated(state(
        org,
        PlanId::Business,
        SubscriptionStatus::Trialing,
        end,
    ));
    apply_event(&w.ctx, &event("evt_1", t0(), kind)).await.unwrap();
    let view = subscription_of(&w.ctx, org).await.unwrap().unwrap();
    assert_eq!((view.plan_id, view.status), (PlanId::Business, SubscriptionStatus::Trialing));
    assert_eq!(view.provider.as_deref(), Some("stripe"));
}
