//! The SQL of `kernel.jobs`: enqueue, claim, heartbeat, finish, release, count and prune. Every
//! write to a claimed job is fenced by the claim's token (`locked_by`), so a worker whose lease
//! ran out cannot overwrite the outcome of the worker that claimed the job after it.

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use uuid::Uuid;

/// The longest `last_error` kept, in characters.
const MAX_ERROR_CHARS: usize = 4000;

/// A job to enqueue, with the options [`enqueue`] leaves at their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob<'a> {
    pub name: &'a str,
    pub payload: &'a serde_json::Value,
    /// Not run before this instant.
    pub run_at: DateTime<Utc>,
    /// `None`: the worker pool's default ([`WorkerConfig::max_attempts`](super::WorkerConfig)).
    pub max_attempts: Option<i32>,
    /// The cron occurrence that enqueued it (the scheduler sets it).
    pub scheduled_for: Option<DateTime<Utc>>,
}

impl<'a> NewJob<'a> {
    /// A job with the default options.
    #[must_use]
    pub fn new(name: &'a str, payload: &'a serde_json::Value, run_at: DateTime<Utc>) -> Self {
        Self { name, payload, run_at, max_attempts: None, scheduled_for: None }
    }
}

/// Enqueues the job `name` with `payload`, to run at `run_at` or later. Call it on the
/// connection of the transaction the job belongs to: it exists only if that transaction commits
/// (and idle workers are woken on commit).
///
/// # Errors
/// When the insert fails, e.g. for a name outside `[a-z0-9][a-z0-9_.-]*` (at most 100 characters).
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    name: &str,
    payload: &serde_json::Value,
    run_at: DateTime<Utc>,
) -> QueryResult<Uuid> {
    enqueue_job(conn, &NewJob::new(name, payload, run_at)).await
}

/// Enqueues `job`; [`enqueue`] with every option.
///
/// # Errors
/// When the insert fails.
pub async fn enqueue_job(conn: &mut AsyncPgConnection, job: &NewJob<'_>) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    insert_job(conn, id, job).await?;
    Ok(id)
}

/// Inserts `job` under `id`.
pub(crate) async fn insert_job(conn: &mut AsyncPgConnection, id: Uuid, job: &NewJob<'_>) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO kernel.jobs (id, name, payload, run_at, max_attempts, scheduled_for, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, now(), now())",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(job.name)
    .bind::<Jsonb, _>(job.payload)
    .bind::<Timestamptz, _>(job.run_at)
    .bind::<Nullable<Integer>, _>(job.max_attempts)
    .bind::<Nullable<Timestamptz>, _>(job.scheduled_for)
    .execute(conn)
    .await?;
    Ok(())
}

/// A job a worker has just claimed.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub(crate) struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    pub max_attempts: Option<i32>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub scheduled_for: Option<DateTime<Utc>>,
}

/// Claims the oldest due job — queued with `run_at <= now`, or running with a lapsed lease —
/// for `token` until `locked_until`, starting one more attempt.
pub(crate) async fn claim(
    conn: &mut AsyncPgConnection,
    token: &str,
    now: DateTime<Utc>,
    locked_until: DateTime<Utc>,
) -> QueryResult<Option<Claimed>> {
    let rows: Vec<Claimed> = diesel::sql_query(
        "UPDATE kernel.jobs SET state = 'running', attempts = attempts + 1, locked_by = $1, \
           locked_until = $3, updated_at = $2 \
         WHERE id = ( \
           SELECT id FROM kernel.jobs \
           WHERE (state = 'queued' AND run_at <= $2) OR (state = 'running' AND locked_until < $2) \
           ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
         RETURNING id, name, payload, attempts, max_attempts, scheduled_for",
    )
    .bind::<Text, _>(token)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(locked_until)
    .load(conn)
    .await?;
    Ok(rows.into_iter().next())
}

/// Extends the lease of a job still held by `token`; `false` when the lease was lost.
pub(crate) async fn heartbeat(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: &str,
    now: DateTime<Utc>,
    locked_until: DateTime<Utc>,
) -> QueryResult<bool> {
    let updated = diesel::sql_query(
        "UPDATE kernel.jobs SET locked_until = $3, updated_at = $4 \
         WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(token)
    .bind::<Timestamptz, _>(locked_until)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// How an attempt ended, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Finish {
    Done,
    /// Failed; retried at the instant.
    Retry(DateTime<Utc>, String),
    /// Failed for the last time.
    Dead(String),
}

/// Records the end of the attempt `token` holds; `false` when the lease was lost meanwhile.
pub(crate) async fn finish(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: &str,
    now: DateTime<Utc>,
    finish: &Finish,
) -> QueryResult<bool> {
    let (state, run_at, error) = match finish {
        Finish::Done => ("done", None, None),
        Finish::Retry(at, error) => ("queued", Some(*at), Some(truncate(error))),
        Finish::Dead(error) => ("dead", None, Some(truncate(error))),
    };
    let updated = diesel::sql_query(
        "UPDATE kernel.jobs SET state = $3, run_at = COALESCE($4, run_at), \
           last_error = COALESCE($5, last_error), locked_by = NULL, locked_until = NULL, \
           updated_at = $6, finished_at = CASE WHEN $3 IN ('done', 'dead') THEN $6 END \
         WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(token)
    .bind::<Text, _>(state)
    .bind::<Nullable<Timestamptz>, _>(run_at)
    .bind::<Nullable<Text>, _>(error)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Returns a job `token` holds to the queue, due at once, without counting the attempt.
pub(crate) async fn release(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    token: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let updated = diesel::sql_query(
        "UPDATE kernel.jobs SET state = 'queued', attempts = GREATEST(attempts - 1, 0), run_at = $3, \
           locked_by = NULL, locked_until = NULL, updated_at = $3 \
         WHERE id = $1 AND locked_by = $2 AND state = 'running'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(token)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

fn truncate(error: &str) -> String {
    match error.char_indices().nth(MAX_ERROR_CHARS) {
        Some((cut, _)) => format!("{}…", &error[..cut]),
        None => error.to_owned(),
    }
}

/// The states of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Dead,
}

impl JobState {
    /// Every state, in life order.
    pub const ALL: [Self; 4] = [Self::Queued, Self::Running, Self::Done, Self::Dead];

    /// The state as stored (`queued`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Dead => "dead",
        }
    }
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDepth {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub dead: i64,
}

impl QueueDepth {
    /// The count of `state`.
    #[must_use]
    pub fn get(&self, state: JobState) -> i64 {
        match state {
            JobState::Queued => self.queued,
            JobState::Running => self.running,
            JobState::Done => self.done,
            JobState::Dead => self.dead,
        }
    }
}

#[derive(diesel::QueryableByName)]
struct StateCount {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Counts the jobs in each state.
///
/// # Errors
/// When the query fails.
pub async fn queue_depth(conn: &mut AsyncPgConnection) -> QueryResult<QueueDepth> {
    let rows: Vec<StateCount> =
        diesel::sql_query("SELECT state, count(*) AS count FROM kernel.jobs GROUP BY state")
            .load(conn)
            .await?;
    let mut depth = QueueDepth::default();
    for row in rows {
        match row.state.as_str() {
            "queued" => depth.queued = row.count,
            "running" => depth.running = row.count,
            "done" => depth.done = row.count,
            "dead" => depth.dead = row.count,
            _ => {}
        }
    }
    Ok(depth)
}

/// Deletes the `done` jobs that finished before `before`; returns how many. Dead jobs are kept
/// for inspection.
///
/// # Errors
/// When the delete fails.
pub async fn prune_done(conn: &mut AsyncPgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM kernel.jobs WHERE state = 'done' AND finished_at < $1")
        .bind::<Timestamptz, _>(before)
        .execute(conn)
        .await
}

/// Deletes the records of cron occurrences before `before`, except each schedule's latest (which
/// stops the scheduler from enqueueing that occurrence again); returns how many.
///
/// # Errors
/// When the delete fails.
pub async fn prune_schedule_runs(conn: &mut AsyncPgConnection, before: DateTime<Utc>) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM kernel.job_schedule_runs r WHERE r.scheduled_for < $1 \
         AND r.scheduled_for < (SELECT max(l.scheduled_for) FROM kernel.job_schedule_runs l WHERE l.name = r.name)",
    )
    .bind::<Timestamptz, _>(before)
    .execute(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_errors_are_cut() {
        assert_eq!(truncate("short"), "short");
        let long = "é".repeat(MAX_ERROR_CHARS + 10);
        let cut = truncate(&long);
        assert_eq!(cut.chars().count(), MAX_ERROR_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}

/// A job that failed its last attempt, kept for inspection and replay.
#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct DeadJob {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Jsonb)]
    pub payload: serde_json::Value,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// When the last attempt failed.
    #[diesel(sql_type = Timestamptz)]
    pub failed_at: DateTime<Utc>,
}

/// The dead jobs, most recently failed first; at most `limit`.
///
/// # Errors
/// When the query fails.
pub async fn dead_jobs(conn: &mut AsyncPgConnection, limit: i64) -> QueryResult<Vec<DeadJob>> {
    diesel::sql_query(
        "SELECT id, name, payload, attempts, last_error, created_at, COALESCE(finished_at, updated_at) AS failed_at \
         FROM kernel.jobs WHERE state = 'dead' ORDER BY COALESCE(finished_at, updated_at) DESC, id DESC LIMIT $1",
    )
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Puts the dead job `id` back in the queue, due `now`, with a fresh set of attempts (its last
/// error is kept until the next one); `false` when there is no such dead job.
///
/// # Errors
/// When the update fails.
pub async fn retry_dead(conn: &mut AsyncPgConnection, id: Uuid, now: DateTime<Utc>) -> QueryResult<bool> {
    let changed = diesel::sql_query(
        "UPDATE kernel.jobs SET state = 'queued', attempts = 0, run_at = $2, finished_at = NULL, \
                locked_by = NULL, locked_until = NULL, updated_at = $2 \
         WHERE id = $1 AND state = 'dead'",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Timestamptz, _>(now)
    .execute(conn)
    .await?;
    Ok(changed == 1)
}
