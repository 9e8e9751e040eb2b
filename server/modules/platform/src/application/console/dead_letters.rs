//! The console's dead letters: background jobs and outbox events that failed their last
//! attempt — why, and with what — and putting them back (`runtime` owns both queues).

use contracts::platform::{DeadEventView, DeadJobView};
use kernel::{DomainError, DomainResult};

use super::ConsoleCtx;
use crate::application::admins::PlatformAdmin;

/// How many dead jobs the console lists (the most recent).
pub const DEAD_JOBS_SHOWN: i64 = 200;

/// How many dead events the console lists (the most recent).
pub const DEAD_EVENTS_SHOWN: i64 = 200;

/// The jobs that failed their last attempt, most recently failed first.
///
/// # Errors
/// Database failures.
pub async fn dead_jobs(ctx: &ConsoleCtx, _admin: &PlatformAdmin) -> DomainResult<Vec<DeadJobView>> {
    let mut conn = ctx.platform.db.get().await?;
    let jobs = runtime::jobs::dead_jobs(&mut conn, DEAD_JOBS_SHOWN).await?;
    Ok(jobs
        .into_iter()
        .map(|j| DeadJobView {
            id: j.id.to_string(),
            name: j.name,
            attempts: j.attempts,
            last_error: j.last_error,
            payload: j.payload,
            created_at: j.created_at.to_rfc3339(),
            failed_at: j.failed_at.to_rfc3339(),
        })
        .collect())
}

/// Puts dead job `id` back in the queue with fresh attempts, on behalf of `admin`.
///
/// # Errors
/// `NotFound` when no dead job has the id; database failures.
pub async fn retry_job(ctx: &ConsoleCtx, admin: &PlatformAdmin, id: uuid::Uuid) -> DomainResult<()> {
    let mut conn = ctx.platform.db.get().await?;
    let now = ctx.platform.clock.now();
    if !runtime::jobs::retry_dead(&mut conn, id, now).await? {
        return Err(DomainError::NotFound);
    }
    tracing::info!(job = %id, admin = %admin.id(), "dead job queued again");
    Ok(())
}

/// The outbox events whose delivery failed its last attempt, most recently failed first, of
/// every producer (the console sees the whole platform).
///
/// # Errors
/// Database failures.
pub async fn dead_events(ctx: &ConsoleCtx, _admin: &PlatformAdmin) -> DomainResult<Vec<DeadEventView>> {
    let mut conn = ctx.platform.db.get().await?;
    let events = runtime::outbox::dead_events(&mut conn, DEAD_EVENTS_SHOWN).await?;
    Ok(events
        .into_iter()
        .map(|e| DeadEventView {
            id: e.event_id.to_string(),
            event_type: e.event_type,
            producer: e.producer,
            attempts: e.attempts,
            last_error: e.last_error,
            payload: e.payload,
            occurred_at: e.occurred_at.to_rfc3339(),
            failed_at: e.dead_at.to_rfc3339(),
        })
        .collect())
}

/// Replays dead event `id` on behalf of `admin`: due at once with fresh attempts, delivered to
/// the subscribers that have not handled it yet.
///
/// # Errors
/// `NotFound` when no dead event has the id; database failures.
pub async fn replay_event(ctx: &ConsoleCtx, admin: &PlatformAdmin, id: uuid::Uuid) -> DomainResult<()> {
    let mut conn = ctx.platform.db.get().await?;
    let now = ctx.platform.clock.now();
    if !runtime::outbox::replay_dead(&mut conn, id, now).await? {
        return Err(DomainError::NotFound);
    }
    tracing::info!(event = %id, admin = %admin.id(), "dead event replayed");
    Ok(())
}
