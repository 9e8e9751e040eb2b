//! Writing an event down.

use runtime::outbox::EventEnvelope;

use crate::application::{AuditCtx, AuditError};
use crate::domain::entry::NewEntry;
use crate::infrastructure::entries;

/// Appends the entry for `event`, once: a redelivered event (same id) adds nothing. Returns
/// whether a row was written.
///
/// # Errors
/// `Unavailable`, `Internal` (the dispatcher retries the event later).
#[tracing::instrument(skip(ctx, event), fields(event_id = %event.event_id, action = %event.event_type))]
pub async fn record(ctx: &AuditCtx, event: &EventEnvelope) -> Result<bool, AuditError> {
    let entry = NewEntry::from_event(event, ctx.clock.now());
    let mut conn = ctx.db.get().await?;
    Ok(entries::insert(&mut conn, &entry).await?)
}
