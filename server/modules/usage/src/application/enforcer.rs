//! [`QuotaEnforcer`]: counts metered uses against the organization's plan, on the caller's
//! connection and inside the caller's transaction.

use std::sync::Arc;

use diesel_async::AsyncPgConnection;
use kernel::Clock;
use kernel::quota::{QuotaGate, Usage, Verdict};
use runtime::outbox;
use uuid::Uuid;

use crate::application::UsageError;
use crate::domain::events::QuotaExceeded;
use crate::domain::meter::{MeterDefinition, Meters};
use crate::domain::period::Period;
use crate::domain::plans::ActivePlan;
use crate::infrastructure::{counters, events};

/// The quota gate the host binds to `kernel::quota::QuotaGate`. Cheap to clone.
#[derive(Clone)]
pub struct QuotaEnforcer {
    meters: Arc<Meters>,
    plans: Arc<dyn ActivePlan>,
    clock: Arc<dyn Clock>,
    enforce: bool,
}

impl std::fmt::Debug for QuotaEnforcer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuotaEnforcer").field("meters", &self.meters).field("enforce", &self.enforce).finish()
    }
}

impl QuotaEnforcer {
    /// An enforcer of `meters`, asking `plans` for each organization's plan. With `enforce` off
    /// (`USAGE_METERING_ENABLED=false`) every use is still counted — so the usage panel is right
    /// and turning metering on later starts from the true counts — but none is refused.
    #[must_use]
    pub fn new(meters: Meters, plans: Arc<dyn ActivePlan>, clock: Arc<dyn Clock>, enforce: bool) -> Self {
        Self { meters: Arc::new(meters), plans, clock, enforce }
    }

    /// The registered meters.
    #[must_use]
    pub fn meters(&self) -> &Meters {
        &self.meters
    }

    /// Whether caps are enforced.
    #[must_use]
    pub const fn enforces(&self) -> bool {
        self.enforce
    }

    /// The plan port.
    #[must_use]
    pub fn plans(&self) -> &Arc<dyn ActivePlan> {
        &self.plans
    }

    /// The clock periods are read from.
    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Counts `usage` on `conn` when the organization's plan allows it in the current period.
    ///
    /// One conditional upsert decides (`INSERT … ON CONFLICT DO UPDATE SET count = count + n
    /// WHERE count + n <= cap RETURNING count`): Postgres serialises concurrent uses on the
    /// counter row, so they can never pass the cap together, and nothing is read before it is
    /// written. Run it inside the use case's transaction: when that rolls back, the count, the
    /// usage event and any `usage.quota_exceeded` event go with it. A key counted before is
    /// `Granted` again without counting; the first refusal of a period records
    /// `usage.quota_exceeded` in the outbox.
    ///
    /// # Errors
    /// `UnknownMeter` for a meter nobody registered; the plan port's error; the database's
    /// (including a concurrent use under the same key).
    #[tracing::instrument(skip(self, conn), fields(org = %usage.organization, meter = %usage.meter))]
    pub async fn check_and_increment(
        &self,
        conn: &mut AsyncPgConnection,
        usage: &Usage<'_>,
    ) -> Result<Verdict, UsageError> {
        let definition = self.meters.get(usage.meter).ok_or(UsageError::UnknownMeter(usage.meter))?;
        if usage.amount == 0 {
            return Ok(Verdict::Granted);
        }
        let org = usage.organization.into_uuid();
        let key = usage.meter.key();
        if events::counted(conn, org, key, usage.idempotency_key).await? {
            return Ok(Verdict::Granted);
        }
        let cap = self.cap(definition, usage).await?;
        let now = self.clock.now();
        let period = Period::containing(definition.cadence, now);
        let amount = i64::from(usage.amount);
        let cap_i64 = cap.map(|c| i64::try_from(c).unwrap_or(i64::MAX));
        if counters::add_within_cap(conn, org, key, period.start, amount, cap_i64, now).await?.is_some() {
            let event = events::NewEvent {
                id: Uuid::now_v7(),
                organization: org,
                meter: key,
                amount: i32::try_from(usage.amount).unwrap_or(i32::MAX),
                period_start: period.start,
                actor: usage.actor.map(kernel::UserId::into_uuid),
                idempotency_key: usage.idempotency_key,
                at: now,
            };
            events::append(conn, &event).await?;
            return Ok(Verdict::Granted);
        }
        let limit = cap.unwrap_or(0);
        let refused = counters::add_refused(conn, org, key, period.start, amount, now).await?;
        if refused == amount {
            let event = QuotaExceeded {
                organization_id: org,
                meter: key.to_owned(),
                limit,
                period_start: period.start.to_rfc3339(),
                period_end: period.end.map(|e| e.to_rfc3339()),
            };
            outbox::record(conn, &event, now).await?;
        }
        tracing::info!(limit, "quota reached: use refused");
        Ok(Verdict::Exceeded { limit })
    }

    /// Gives `usage.amount` units of the current period back (a deleted page frees its place
    /// under a lifetime page cap), on the caller's connection; never below zero. Recorded as a
    /// usage event with a negative amount; a key given back before is not given back twice.
    ///
    /// # Errors
    /// `UnknownMeter`; the database's.
    #[tracing::instrument(skip(self, conn), fields(org = %usage.organization, meter = %usage.meter))]
    pub async fn release(&self, conn: &mut AsyncPgConnection, usage: &Usage<'_>) -> Result<(), UsageError> {
        let definition = self.meters.get(usage.meter).ok_or(UsageError::UnknownMeter(usage.meter))?;
        let org = usage.organization.into_uuid();
        let key = usage.meter.key();
        if usage.amount == 0 || events::counted(conn, org, key, usage.idempotency_key).await? {
            return Ok(());
        }
        let now = self.clock.now();
        let period = Period::containing(definition.cadence, now);
        counters::subtract(conn, org, key, period.start, i64::from(usage.amount), now).await?;
        let event = events::NewEvent {
            id: Uuid::now_v7(),
            organization: org,
            meter: key,
            amount: -i32::try_from(usage.amount).unwrap_or(i32::MAX),
            period_start: period.start,
            actor: usage.actor.map(kernel::UserId::into_uuid),
            idempotency_key: usage.idempotency_key,
            at: now,
        };
        events::append(conn, &event).await?;
        Ok(())
    }

    /// The cap that applies to `usage`: none when metering is not enforced.
    async fn cap(&self, definition: &MeterDefinition, usage: &Usage<'_>) -> Result<Option<u64>, UsageError> {
        if !self.enforce {
            return Ok(None);
        }
        let plan = self
            .plans
            .active_plan(usage.organization)
            .await
            .map_err(|e| UsageError::Internal(e.context("reading the organization's plan")))?;
        Ok(definition.cap(plan))
    }
}

#[async_trait::async_trait]
impl QuotaGate for QuotaEnforcer {
    async fn check_and_increment(
        &self,
        conn: &mut AsyncPgConnection,
        usage: &Usage<'_>,
    ) -> anyhow::Result<Verdict> {
        Self::check_and_increment(self, conn, usage).await.map_err(into_anyhow)
    }

    async fn release(&self, conn: &mut AsyncPgConnection, usage: &Usage<'_>) -> anyhow::Result<()> {
        Self::release(self, conn, usage).await.map_err(into_anyhow)
    }
}

fn into_anyhow(err: UsageError) -> anyhow::Error {
    match err {
        UsageError::Internal(e) => e,
        other => anyhow::Error::new(other),
    }
}
