//! Start-up and scheduled upkeep: storing the registered meters, and opening each periodic
//! meter's new period.

use crate::application::{UsageCtx, UsageError};
use crate::domain::period::Period;
use crate::infrastructure::{counters, definitions};

/// Stores the registered meters' definitions (their cadences), so counters and events can name
/// them. Run at start-up.
///
/// # Errors
/// `Unavailable`, `Internal`.
pub async fn store_definitions(ctx: &UsageCtx) -> Result<(), UsageError> {
    let now = ctx.enforcer.clock().now();
    let mut conn = ctx.db.get().await?;
    for definition in ctx.enforcer.meters().iter() {
        definitions::upsert(&mut conn, definition.meter.key(), definition.cadence.key(), now).await?;
    }
    Ok(())
}

/// Opens the current period of every periodic (monthly, yearly) meter at zero for each
/// organization that counted in the previous one; idempotent. Not needed for correctness — the
/// first use of a period creates its counter, so a missed run blocks nobody — but it makes the new
/// period visible at once. Returns how many counters it opened.
///
/// # Errors
/// `Unavailable`, `Internal`.
#[tracing::instrument(skip(ctx))]
pub async fn roll_over(ctx: &UsageCtx) -> Result<usize, UsageError> {
    let now = ctx.enforcer.clock().now();
    let mut conn = ctx.db.get().await?;
    let mut opened = 0;
    for definition in ctx.enforcer.meters().iter() {
        let Some(previous) = Period::before(definition.cadence, now) else { continue };
        let current = Period::containing(definition.cadence, now);
        opened += counters::roll_over(&mut conn, definition.meter.key(), previous.start, current.start, now)
            .await?;
    }
    Ok(opened)
}
