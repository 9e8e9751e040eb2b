//! The usage job, for the host to register in its [`runtime::jobs::Jobs`] registry:
//! [`ROLLOVER`] at 00:05 UTC on the first of every month (yearly periods start on a first too).

use std::sync::Arc;

use runtime::jobs::{JobContext, JobHandler, Jobs};

use crate::application::{UsageCtx, roll_over};

/// The rollover's job name (`mibio jobs run usage-period-rollover`).
pub const ROLLOVER: &str = "usage-period-rollover";

/// Opens the new period of every periodic meter ([`roll_over`]).
pub struct RolloverJob(pub UsageCtx);

#[async_trait::async_trait]
impl JobHandler for RolloverJob {
    async fn run(&self, _job: &JobContext) -> anyhow::Result<()> {
        let opened = roll_over(&self.0).await.map_err(anyhow::Error::new)?;
        tracing::info!(opened, "usage periods rolled over");
        Ok(())
    }
}

/// Registers and schedules the rollover.
pub fn register(jobs: &mut Jobs, ctx: &UsageCtx) {
    jobs.register(ROLLOVER, Arc::new(RolloverJob(ctx.clone()))).schedule(ROLLOVER, "5 0 1 * *");
}
