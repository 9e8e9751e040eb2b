//! The analytics jobs, for the host to register in its [`runtime::jobs::Jobs`] registry:
//! [`ROLLUP`] daily at 03:15 UTC and [`PRUNE`] on Sundays at 04:00 UTC.

use std::sync::Arc;

use kernel::Clock;
use kernel::db::DbPool;
use runtime::jobs::{JobContext, JobHandler, Jobs};

use crate::rollup::{prune, rollup, rollup_day};

/// The daily rollup's job name (`mibio jobs run analytics-rollup [--date YYYY-MM-DD]`).
pub const ROLLUP: &str = "analytics-rollup";
/// The weekly prune's job name.
pub const PRUNE: &str = "analytics-prune";

/// Materialises one day (the payload's `date`, else the day before the occurrence it was
/// scheduled for, else yesterday).
pub struct RollupJob {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
}

#[async_trait::async_trait]
impl JobHandler for RollupJob {
    async fn run(&self, job: &JobContext) -> anyhow::Result<()> {
        let day = rollup_day(&job.payload, job.scheduled_for.unwrap_or_else(|| self.clock.now()))?;
        let done = rollup(&self.db, day).await?;
        tracing::info!(%day, pages = done.pages, "analytics rolled up");
        Ok(())
    }
}

/// Deletes raw rows older than 90 days.
pub struct PruneJob {
    pub db: DbPool,
    pub clock: Arc<dyn Clock>,
}

#[async_trait::async_trait]
impl JobHandler for PruneJob {
    async fn run(&self, _job: &JobContext) -> anyhow::Result<()> {
        let deleted = prune(&self.db, self.clock.now()).await?;
        tracing::info!(deleted, "old analytics rows pruned");
        Ok(())
    }
}

/// Registers and schedules both jobs.
pub fn register(jobs: &mut Jobs, db: &DbPool, clock: &Arc<dyn Clock>) {
    jobs.register(ROLLUP, Arc::new(RollupJob { db: db.clone(), clock: clock.clone() }))
        .schedule(ROLLUP, "15 3 * * *")
        .register(PRUNE, Arc::new(PruneJob { db: db.clone(), clock: clock.clone() }))
        .schedule(PRUNE, "0 4 * * SUN");
}
