//! Fixed-window rate limiting in Postgres, so every replica of the app spends one shared budget.
//!
//! Each hit is one atomic upsert on `kernel.rate_limits`: the row of (bucket, key, current window)
//! is created with a count of 1 or incremented, and the statement returns the new count. Windows
//! are aligned to the Unix epoch (a one-minute window starts at every whole minute), so all
//! replicas agree on them without coordination. Keys may be emails: only their SHA-256 is stored.
//!
//! Old windows are pruned opportunistically: at most once every [`PRUNE_EVERY`] per process, a
//! hit also deletes the rows whose window started more than [`RETENTION`] ago.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use diesel::sql_types::{Integer, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use sha2::{Digest as _, Sha256};

/// The longest window a limit may use.
pub const MAX_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a window's row is kept after the window started: a day past the longest window.
pub const RETENTION: TimeDelta = TimeDelta::days(2);
/// Least time between two prunes in one process.
pub const PRUNE_EVERY: Duration = Duration::from_secs(5 * 60);

static PRUNE_SCHEDULE: PruneSchedule = PruneSchedule::new(PRUNE_EVERY);

/// The outcome of one hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitDecision {
    /// Whether the hit fits in the budget.
    pub allowed: bool,
    /// Hits allowed per window.
    pub limit: u32,
    /// Hits left in the current window after this one.
    pub remaining: u32,
    /// When the current window ends and the budget is whole again.
    pub reset_at: DateTime<Utc>,
}

impl RateLimitDecision {
    /// Whole seconds from `now` until the window resets, at least 1 (for `Retry-After`).
    #[must_use]
    pub fn retry_after(&self, now: DateTime<Utc>) -> u64 {
        let millis = u64::try_from((self.reset_at - now).num_milliseconds()).unwrap_or(0);
        millis.div_ceil(1000).max(1)
    }
}

/// Why a hit could not be counted.
#[derive(Debug, thiserror::Error)]
pub enum RateLimitError {
    /// The window is shorter than a second or longer than [`MAX_WINDOW`].
    #[error("a rate-limit window must be from 1 second to 1 day, got {0:?}")]
    InvalidWindow(Duration),
    /// `now` is so far from today that its window cannot be represented.
    #[error("the time {0} has no representable rate-limit window")]
    TimeOutOfRange(DateTime<Utc>),
    /// The counter query failed (database down, connection lost, …).
    #[error("the rate-limit counter query failed")]
    Database(#[from] diesel::result::Error),
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    count: i32,
}

/// Counts one hit of `key` in `bucket` and says whether it fits in `limit` hits per `window`.
///
/// `key` is hashed before it is stored. Once a window's budget is spent, further hits are denied
/// without touching the counter (the upsert's `WHERE` leaves the row alone), so a flood of denied
/// requests does not churn the table.
///
/// # Errors
/// [`RateLimitError::InvalidWindow`] for a window outside 1 s ..= 1 day, and
/// [`RateLimitError::Database`] when the query fails. Callers decide whether to fail open or
/// closed; the host fails closed.
#[tracing::instrument(skip(conn, key))]
pub async fn hit(
    conn: &mut AsyncPgConnection,
    bucket: &str,
    key: &str,
    limit: u32,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<RateLimitDecision, RateLimitError> {
    let (window_start, reset_at) = window_bounds(window, now)?;
    let counted: Vec<Count> = diesel::sql_query(
        "INSERT INTO kernel.rate_limits AS r (bucket, key, window_start, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, key, window_start) DO UPDATE SET count = r.count + 1 WHERE r.count < $4 \
         RETURNING r.count",
    )
    .bind::<Text, _>(bucket)
    .bind::<Text, _>(hashed_key(key))
    .bind::<Timestamptz, _>(window_start)
    .bind::<Integer, _>(i32::try_from(limit).unwrap_or(i32::MAX))
    .load(conn)
    .await?;

    if PRUNE_SCHEDULE.due(now)
        && let Err(error) = prune(conn, now).await
    {
        tracing::warn!(%error, "could not prune old rate-limit windows");
    }
    Ok(decide(counted.into_iter().next().map(|c| c.count), limit, reset_at))
}

/// The decision for a counter that now reads `count` (`None`: the budget was already spent).
fn decide(count: Option<i32>, limit: u32, reset_at: DateTime<Utc>) -> RateLimitDecision {
    let count = count.and_then(|c| u32::try_from(c).ok());
    match count {
        Some(count) if count <= limit => {
            RateLimitDecision { allowed: true, limit, remaining: limit - count, reset_at }
        }
        _ => RateLimitDecision { allowed: false, limit, remaining: 0, reset_at },
    }
}

/// The start and the end of the epoch-aligned window of length `window` that holds `now`.
fn window_bounds(
    window: Duration,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), RateLimitError> {
    let secs = window.as_secs();
    if secs == 0 || window > MAX_WINDOW {
        return Err(RateLimitError::InvalidWindow(window));
    }
    let secs = i64::try_from(secs).map_err(|_| RateLimitError::InvalidWindow(window))?;
    let start = now.timestamp().div_euclid(secs) * secs;
    let start = DateTime::from_timestamp(start, 0).ok_or(RateLimitError::TimeOutOfRange(now))?;
    let end =
        start.checked_add_signed(TimeDelta::seconds(secs)).ok_or(RateLimitError::TimeOutOfRange(now))?;
    Ok((start, end))
}

/// The stored form of a rate-limit key: its SHA-256, in lower-case hex.
#[must_use]
pub fn hashed_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Deletes the rows whose window started more than [`RETENTION`] before `now`; returns how many.
///
/// # Errors
/// When the delete fails.
pub async fn prune(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> Result<usize, diesel::result::Error> {
    diesel::sql_query("DELETE FROM kernel.rate_limits WHERE window_start < $1")
        .bind::<Timestamptz, _>(now - RETENTION)
        .execute(conn)
        .await
}

/// Lets a periodic chore (pruning) run at most once per interval in this process. Each replica
/// keeps its own schedule, so N replicas prune N times per interval: harmless, the deletes are
/// idempotent and cheap.
#[derive(Debug)]
pub(crate) struct PruneSchedule {
    every_secs: i64,
    /// Unix seconds before which the chore is not due.
    next: AtomicI64,
}

impl PruneSchedule {
    pub(crate) const fn new(every: Duration) -> Self {
        // Intervals are minutes: far below i64::MAX seconds, so the cast cannot wrap.
        Self { every_secs: every.as_secs() as i64, next: AtomicI64::new(i64::MIN) }
    }

    /// Whether the chore is due at `now`; a `true` books the next run, so only one caller gets it.
    pub(crate) fn due(&self, now: DateTime<Utc>) -> bool {
        let now = now.timestamp();
        // Called as associated functions: diesel's `RunQueryDsl::load` would shadow the method.
        let next = AtomicI64::load(&self.next, Ordering::Relaxed);
        now >= next
            && AtomicI64::compare_exchange(
                &self.next,
                next,
                now + self.every_secs,
                Ordering::Relaxed,
                Ordering::Relaxed,
            )
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, h, m, s).unwrap()
    }

    #[test]
    fn windows_are_aligned_to_the_epoch() {
        let minute = Duration::from_secs(60);
        assert_eq!(window_bounds(minute, at(10, 7, 42)).unwrap(), (at(10, 7, 0), at(10, 8, 0)));
        assert_eq!(window_bounds(minute, at(10, 7, 0)).unwrap(), (at(10, 7, 0), at(10, 8, 0)));
        let hour = Duration::from_secs(3600);
        assert_eq!(
            window_bounds(hour, at(23, 59, 59)).unwrap(),
            (at(23, 0, 0), at(0, 0, 0) + TimeDelta::days(1))
        );
    }

    #[test]
    fn odd_windows_are_refused() {
        for window in [Duration::ZERO, Duration::from_millis(999), MAX_WINDOW + Duration::from_secs(1)] {
            assert!(matches!(window_bounds(window, at(1, 0, 0)), Err(RateLimitError::InvalidWindow(_))));
        }
        assert!(window_bounds(MAX_WINDOW, at(1, 0, 0)).is_ok());
    }

    #[test]
    fn decisions_count_down_then_deny() {
        let reset = at(10, 8, 0);
        assert_eq!(
            decide(Some(1), 3, reset),
            RateLimitDecision { allowed: true, limit: 3, remaining: 2, reset_at: reset }
        );
        assert_eq!(decide(Some(3), 3, reset).remaining, 0);
        assert!(decide(Some(3), 3, reset).allowed);
        assert!(!decide(None, 3, reset).allowed);
        assert!(!decide(Some(1), 0, reset).allowed);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let decision = decide(None, 1, at(10, 8, 0));
        assert_eq!(decision.retry_after(at(10, 7, 15)), 45);
        assert_eq!(decision.retry_after(at(10, 7, 59) + TimeDelta::milliseconds(500)), 1);
        assert_eq!(decision.retry_after(at(10, 9, 0)), 1);
    }

    #[test]
    fn keys_are_stored_hashed() {
        let hashed = hashed_key("ana@example.com");
        assert_eq!(hashed.len(), 64);
        assert!(!hashed.contains("ana"));
        assert_eq!(hashed, hashed_key("ana@example.com"));
        assert_ne!(hashed, hashed_key("ana@example.org"));
    }

    #[test]
    fn a_prune_is_due_once_per_interval() {
        let schedule = PruneSchedule::new(Duration::from_secs(300));
        assert!(schedule.due(at(10, 0, 0)));
        assert!(!schedule.due(at(10, 0, 1)));
        assert!(!schedule.due(at(10, 4, 59)));
        assert!(schedule.due(at(10, 5, 0)));
    }
}
