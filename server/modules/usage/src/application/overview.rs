//! The organization's usage, as the billing screen's usage panel and `GET /api/v1/usage` show it.

use contracts::permissions::Permission;
use contracts::usage::{MeterUsageView, UsageView};
use kernel::Actor;

use crate::application::{UsageCtx, UsageError};
use crate::domain::period::Period;
use crate::infrastructure::counters;

/// Each registered meter of the actor's organization: used in the current period, the plan's
/// cap, and when the period ends. Needs `billing:read` (usage is part of the billing screen).
///
/// # Errors
/// `Forbidden`, `Unavailable`, `Internal` (the plan could not be read).
#[tracing::instrument(skip(ctx, actor), fields(org = %actor.organization_id))]
pub async fn usage_overview(ctx: &UsageCtx, actor: &Actor) -> Result<UsageView, UsageError> {
    actor
        .require(&Permission::BILLING_READ)
        .map_err(|_| UsageError::Forbidden(Permission::BILLING_READ.to_string()))?;
    let enforcer = &ctx.enforcer;
    let plan = enforcer
        .plans()
        .active_plan(actor.organization_id)
        .await
        .map_err(|e| UsageError::Internal(e.context("reading the organization's plan")))?;
    let now = enforcer.clock().now();
    let mut conn = ctx.db.get().await?;
    let mut meters = Vec::new();
    for definition in enforcer.meters().iter() {
        let period = Period::containing(definition.cadence, now);
        let used = counters::count(
            &mut conn,
            actor.organization_id.into_uuid(),
            definition.meter.key(),
            period.start,
        )
        .await?;
        let bounded = period.end.is_some();
        meters.push(MeterUsageView {
            meter: definition.meter,
            cadence: definition.cadence,
            used: u64::try_from(used).unwrap_or(0),
            limit: definition.cap(plan),
            period_start: bounded.then(|| period.start.to_rfc3339()),
            period_end: period.end.map(|e| e.to_rfc3339()),
        });
    }
    Ok(UsageView { plan_id: plan, enforced: enforcer.enforces(), meters })
}
