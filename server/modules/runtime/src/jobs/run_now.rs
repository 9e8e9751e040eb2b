//! Running one job by hand, in this process (`mibio jobs run NAME`).

use std::time::Instant;

use anyhow::Context as _;
use chrono::{TimeDelta, Utc};
use diesel::sql_types::{Jsonb, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl as _;
use uuid::Uuid;

use super::store::{self, Finish};
use super::{JobContext, Jobs};
use kernel::db::DbPool;

/// No handler is registered under the name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no job is named {name:?}; known jobs: {}", known.join(", "))]
pub struct UnknownJob {
    pub name: String,
    /// The registered names, sorted.
    pub known: Vec<&'static str>,
}

/// Runs the handler of `name` once, now, in this process, with `payload`. The run is recorded in
/// `kernel.jobs` as a single-attempt job (`done`, or `dead` with its error), so it shows up next
/// to the queued runs; no worker retries it.
///
/// # Errors
/// [`UnknownJob`] (downcast the `anyhow::Error`) when no handler has that name; the handler's
/// error when it fails; a database error when the run cannot be recorded.
pub async fn run_now(db: &DbPool, jobs: &Jobs, name: &str, payload: serde_json::Value) -> anyhow::Result<()> {
    let handler = jobs
        .handler(name)
        .cloned()
        .ok_or_else(|| UnknownJob { name: name.to_owned(), known: jobs.names() })?;
    let id = Uuid::now_v7();
    let token = format!("manual:pid{}:{}", std::process::id(), id.simple());
    let mut conn = db.get().await.context("could not connect to the database")?;
    let now = Utc::now();
    diesel::sql_query(
        "INSERT INTO kernel.jobs (id, name, payload, state, attempts, max_attempts, run_at, locked_by, \
           locked_until, created_at, updated_at) \
         VALUES ($1, $2, $3, 'running', 1, 1, $4, $5, $6, $4, $4)",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(name)
    .bind::<Jsonb, _>(&payload)
    .bind::<Timestamptz, _>(now)
    .bind::<Text, _>(&token)
    .bind::<Timestamptz, _>(now + TimeDelta::hours(1))
    .execute(&mut conn)
    .await
    .context("could not record the run in kernel.jobs")?;
    drop(conn);

    let context = JobContext { id, name: name.to_owned(), payload, attempt: 1, scheduled_for: None };
    let started = Instant::now();
    let trace = format!("job-{id}");
    let result = crate::outbox::TRACE_ID.scope(trace, handler.run(&context)).await;
    let finish = match &result {
        Ok(()) => Finish::Done,
        Err(e) => Finish::Dead(format!("{e:#}")),
    };
    tracing::info!(job = name, job_id = %id, elapsed_ms = started.elapsed().as_millis(), ok = result.is_ok(), "job run by hand");
    let mut conn = db.get().await.context("could not connect to the database")?;
    store::finish(&mut conn, id, &token, Utc::now(), &finish)
        .await
        .context("could not record the outcome")?;
    result
}
