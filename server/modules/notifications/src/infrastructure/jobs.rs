//! This context's jobs: `emails.send` (one email, retried with the runtime's backoff, dead after
//! its last attempt) and `notifications-prune` (daily bookkeeping cleanup).

use std::sync::Arc;

use anyhow::Context as _;
use chrono::TimeDelta;
use runtime::jobs::{JobContext, JobHandler, Jobs};

use crate::application::{NotificationsCtx, send_email};
use crate::emails::{EMAIL_JOB, SendEmail};
use crate::infrastructure::handled;

/// The name of the daily cleanup job.
pub const PRUNE_JOB: &str = "notifications-prune";
/// When it runs (UTC): daily at 04:30.
pub const PRUNE_SCHEDULE: &str = "30 4 * * *";

/// Registers `emails.send` and `notifications-prune` (with its daily schedule) in `jobs`. Call it
/// from the host's `server/src/jobs.rs::registry`.
pub fn register_jobs(jobs: &mut Jobs, ctx: NotificationsCtx) {
    jobs.register(EMAIL_JOB, Arc::new(EmailJob(ctx.clone())));
    jobs.register(PRUNE_JOB, Arc::new(PruneJob(ctx))).schedule(PRUNE_JOB, PRUNE_SCHEDULE);
}

/// Runs `emails.send`.
struct EmailJob(NotificationsCtx);

#[async_trait::async_trait]
impl JobHandler for EmailJob {
    async fn run(&self, job: &JobContext) -> anyhow::Result<()> {
        let email = SendEmail::deserialize_payload(&job.payload)?;
        send_email(&self.0, &email).await.map(drop)
    }
}

impl SendEmail {
    /// Reads an `emails.send` payload. A payload that does not read fails every attempt and ends
    /// dead, where the admin console shows it.
    fn deserialize_payload(payload: &serde_json::Value) -> anyhow::Result<Self> {
        serde::Deserialize::deserialize(payload).context("unreadable emails.send payload")
    }
}

/// Runs `notifications-prune`: handled events and closed digests after 30 days (the outbox stops
/// redelivering long before), used unsubscribe tokens after 30 days, unused ones after a year.
struct PruneJob(NotificationsCtx);

#[async_trait::async_trait]
impl JobHandler for PruneJob {
    async fn run(&self, _job: &JobContext) -> anyhow::Result<()> {
        let now = self.0.clock.now();
        let mut conn = self.0.db.get().await.context("no database connection")?;
        let pruned = handled::prune(&mut conn, now - TimeDelta::days(30), now - TimeDelta::days(365))
            .await
            .context("prune the notifications bookkeeping")?;
        tracing::info!(
            handled_events = pruned.handled_events,
            digests = pruned.digests,
            tokens = pruned.tokens,
            "notifications bookkeeping pruned"
        );
        Ok(())
    }
}
