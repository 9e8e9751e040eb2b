//! Applies a verified provider event to the organization's subscription.

use chrono::{DateTime, SubsecRound as _, Utc};
use diesel_async::{AsyncConnection as _, AsyncPgConnection};
use runtime::outbox;

use crate::application::{BillingCtx, BillingError};
use crate::domain::events::{
    PaymentFailed, SubscriptionActivated, SubscriptionCanceled, SubscriptionPayload, SubscriptionUpdated,
};
use crate::domain::provider::{ProviderEvent, ProviderEventKind, SubscriptionState};
use crate::domain::subscription::{Subscription, SubscriptionId};
use crate::infrastructure::subscriptions;

/// What applying an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The subscription changed (or the payment failure was recorded).
    Applied,
    /// This event id was applied before: nothing happened.
    Duplicate,
    /// Older than the last event applied to the subscription (out-of-order delivery): recorded as
    /// processed, the subscription left as it is.
    Stale,
}

/// Applies `event` in one transaction: marks its id processed (a repeat has no effect), writes
/// the organization's subscription unless the event is older than the last one applied, and
/// records `subscription.activated|updated|canceled` or `payment.failed` in the outbox.
///
/// # Errors
/// `UnknownOrganization` when the event's organization does not exist (nothing is recorded, not
/// even the event id), `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx, event), fields(provider = event.provider.key(), event_id = %event.event_id))]
pub async fn apply_event(ctx: &BillingCtx, event: &ProviderEvent) -> Result<Applied, BillingError> {
    let now = ctx.clock.now().trunc_subsecs(6);
    let mut conn = ctx.db.get().await?;
    conn.transaction::<_, BillingError, _>(async |tx| {
        if !subscriptions::mark_processed(tx, event.provider, &event.event_id, now).await? {
            return Ok(Applied::Duplicate);
        }
        match &event.kind {
            ProviderEventKind::SubscriptionActivated(state) => {
                write(tx, event, state, now, Change::Activated).await
            }
            ProviderEventKind::SubscriptionUpdated(state) => {
                write(tx, event, state, now, Change::Updated).await
            }
            ProviderEventKind::SubscriptionCanceled(state) => {
                write(tx, event, state, now, Change::Canceled).await
            }
            ProviderEventKind::PaymentFailed { organization_id, provider_subscription_id } => {
                let failed = PaymentFailed {
                    organization_id: (*organization_id).into(),
                    provider: event.provider.key(),
                    provider_subscription_id: provider_subscription_id.clone(),
                    provider_event_id: event.event_id.clone(),
                };
                outbox::record(tx, &failed, now).await?;
                Ok(Applied::Applied)
            }
        }
    })
    .await
}

/// The event a subscription change records.
#[derive(Clone, Copy)]
enum Change {
    Activated,
    Updated,
    Canceled,
}

/// Writes the subscription `state` reports unless a newer event was applied; records the
/// `change`. `subscription.activated` means access starts: an activation that grants no access
/// (an incomplete first payment) or of the subscription already granting it (a provider reporting
/// one start twice: Stripe's checkout and subscription events, Mercado Pago's every update while
/// authorized) is recorded as `subscription.updated`.
async fn write(
    tx: &mut AsyncPgConnection,
    event: &ProviderEvent,
    state: &SubscriptionState,
    now: DateTime<Utc>,
    change: Change,
) -> Result<Applied, BillingError> {
    let current = subscriptions::lock_by_org(tx, state.organization_id).await?;
    let occurred_at = event.occurred_at.trunc_subsecs(6);
    if current.as_ref().is_some_and(|c| c.last_event_at > occurred_at) {
        tracing::info!("older than the last applied event; subscription left as it is");
        return Ok(Applied::Stale);
    }
    let subscription = Subscription {
        id: current.as_ref().map_or_else(SubscriptionId::new, |c| c.id),
        organization_id: state.organization_id,
        plan: state.plan,
        status: state.status,
        provider: event.provider,
        // An event that omits an id keeps the one we know.
        provider_customer_id: state
            .provider_customer_id
            .clone()
            .or_else(|| current.as_ref().and_then(|c| c.provider_customer_id.clone())),
        provider_subscription_id: state
            .provider_subscription_id
            .clone()
            .or_else(|| current.as_ref().and_then(|c| c.provider_subscription_id.clone())),
        // An event that omits the period (a completed checkout) keeps the one we know.
        current_period_end: state
            .current_period_end
            .or_else(|| current.as_ref().and_then(|c| c.current_period_end))
            .map(|t| t.trunc_subsecs(6)),
        cancel_at_period_end: state.cancel_at_period_end,
        last_event_at: occurred_at,
        created_at: current.as_ref().map_or(now, |c| c.created_at),
        updated_at: now,
    };
    let written = subscriptions::upsert(tx, &subscription).await.map_err(|e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _) => {
            BillingError::UnknownOrganization
        }
        other => other.into(),
    })?;
    if !written {
        return Ok(Applied::Stale);
    }
    let starts = subscription.grants_access(now)
        && current.as_ref().is_none_or(|c| {
            !c.grants_access(now) || c.provider_subscription_id != subscription.provider_subscription_id
        });
    let payload = SubscriptionPayload::new(&subscription, &event.event_id);
    match change {
        Change::Activated if starts => outbox::record(tx, &SubscriptionActivated(payload), now).await?,
        Change::Activated | Change::Updated => outbox::record(tx, &SubscriptionUpdated(payload), now).await?,
        Change::Canceled => outbox::record(tx, &SubscriptionCanceled(payload), now).await?,
    };
    Ok(Applied::Applied)
}
