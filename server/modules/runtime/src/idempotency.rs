//! Idempotency keys for creating requests: the storage behind the host's `Idempotency-Key`
//! middleware, kept HTTP-agnostic (statuses are numbers, headers are text pairs).
//!
//! The life of a key, per scope (the caller):
//! 1. [`reserve`] inserts a row *before* the request runs. Only one request can win it; the others
//!    learn whether the first is still in flight, finished (its response is replayed) or was a
//!    different request (the key is being reused).
//! 2. [`complete`] stores the response after the request succeeded, or [`release`] deletes the
//!    reservation so a retry can run.
//!
//! A key lives for [`REPLAY_WINDOW`]; older rows are ignored (a new request may take the key over)
//! and pruned opportunistically, at most once every [`crate::rate_limit::PRUNE_EVERY`] per process.
//! A reservation still in flight after [`ABANDONED_AFTER`] is treated as abandoned (its process
//! died) and may be taken over too.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::sql_types::{Binary, Bool, Jsonb, Nullable, SmallInt, Text, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use sha2::{Digest as _, Sha256};

use crate::rate_limit::{PRUNE_EVERY, PruneSchedule};

/// How long a key's first response is replayed.
pub const REPLAY_WINDOW: TimeDelta = TimeDelta::hours(24);
/// How long an unfinished reservation blocks its key before it counts as abandoned.
pub const ABANDONED_AFTER: TimeDelta = TimeDelta::minutes(5);
/// Longest key, in characters.
pub const MAX_KEY_LEN: usize = 255;

static PRUNE_SCHEDULE: PruneSchedule = PruneSchedule::new(PRUNE_EVERY);

/// A client's idempotency key: 1 to 255 visible ASCII characters (`!` to `~`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

/// A key that is empty, too long, or has characters other than visible ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an idempotency key must be 1 to 255 visible ASCII characters")]
pub struct InvalidIdempotencyKey;

impl IdempotencyKey {
    /// Accepts `raw` if it is 1 to 255 visible ASCII characters.
    ///
    /// # Errors
    /// [`InvalidIdempotencyKey`] otherwise.
    pub fn parse(raw: &str) -> Result<Self, InvalidIdempotencyKey> {
        let fits = (1..=MAX_KEY_LEN).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic());
        if fits { Ok(Self(raw.to_owned())) } else { Err(InvalidIdempotencyKey) }
    }

    /// The key as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The fingerprint of a request: SHA-256 (hex) of its method, its path (with query) and its body,
/// each length-prefixed so no two different requests share an encoding.
#[must_use]
pub fn request_fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [method.as_bytes(), path.as_bytes(), body] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// A response stored for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// Header names and values, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Proof of holding a reservation: [`complete`] and [`release`] only touch the reservation it was
/// handed for, never one that a later request took over after this one was presumed abandoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// The reservation's `created_at`, to the microsecond as Postgres stores it.
    created_at: DateTime<Utc>,
}

/// What [`reserve`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// The key is now held by this request: run it, then [`complete`] or [`release`] with the lease.
    Reserved(Lease),
    /// The same request already ran: answer with its response and run nothing.
    Replay(StoredResponse),
    /// The key was used with a different request.
    KeyReused,
    /// The same request is still running elsewhere.
    InFlight,
}

/// Why the key store failed.
#[derive(Debug, thiserror::Error)]
pub enum IdempotencyError {
    /// A query failed (database down, connection lost, …).
    #[error("the idempotency-key query failed")]
    Database(#[from] diesel::result::Error),
    /// A stored row cannot be read back (a status or headers column out of shape).
    #[error("a stored idempotent response is malformed: {0}")]
    Malformed(String),
}

#[derive(diesel::QueryableByName)]
struct Taken {
    #[diesel(sql_type = Bool)]
    #[expect(dead_code, reason = "only whether a row came back matters")]
    reserved: bool,
}

#[derive(diesel::QueryableByName)]
struct Existing {
    #[diesel(sql_type = Text)]
    request_hash: String,
    #[diesel(sql_type = Nullable<SmallInt>)]
    status: Option<i16>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    headers: Option<serde_json::Value>,
    #[diesel(sql_type = Nullable<Binary>)]
    body: Option<Vec<u8>>,
}

/// Tries to take `key` for `scope` at `now`, for a request with `fingerprint`.
///
/// An existing row older than [`REPLAY_WINDOW`], or an unfinished one older than
/// [`ABANDONED_AFTER`], is taken over. The insert is atomic, so of two concurrent requests with one
/// key exactly one gets [`Reservation::Reserved`].
///
/// # Errors
/// [`IdempotencyError::Database`] when a query fails, [`IdempotencyError::Malformed`] when the
/// stored response cannot be read back.
#[tracing::instrument(skip_all)]
pub async fn reserve(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &IdempotencyKey,
    fingerprint: &str,
    now: DateTime<Utc>,
) -> Result<Reservation, IdempotencyError> {
    if PRUNE_SCHEDULE.due(now)
        && let Err(error) = prune(conn, now).await
    {
        tracing::warn!(%error, "could not prune expired idempotency keys");
    }
    let now = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    // A row deleted between the insert and the read (its request failed and released it) sends us
    // round again; twice is plenty.
    for _ in 0..3 {
        let taken: Vec<Taken> = diesel::sql_query(
            "INSERT INTO kernel.idempotency_keys AS k (scope, key, request_hash, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = NULL, \
               headers = NULL, body = NULL, created_at = excluded.created_at \
             WHERE k.created_at <= $5 OR (k.status IS NULL AND k.created_at <= $6) \
             RETURNING true AS reserved",
        )
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key.as_str())
        .bind::<Text, _>(fingerprint)
        .bind::<Timestamptz, _>(now)
        .bind::<Timestamptz, _>(now - REPLAY_WINDOW)
        .bind::<Timestamptz, _>(now - ABANDONED_AFTER)
        .load(conn)
        .await?;
        if !taken.is_empty() {
            return Ok(Reservation::Reserved(Lease { created_at: now }));
        }
        let existing: Vec<Existing> = diesel::sql_query(
            "SELECT request_hash, status, headers, body FROM kernel.idempotency_keys \
             WHERE scope = $1 AND key = $2",
        )
        .bind::<Text, _>(scope)
        .bind::<Text, _>(key.as_str())
        .load(conn)
        .await?;
        if let Some(existing) = existing.into_iter().next() {
            return existing.into_reservation(fingerprint);
        }
    }
    Ok(Reservation::InFlight)
}

impl Existing {
    fn into_reservation(self, fingerprint: &str) -> Result<Reservation, IdempotencyError> {
        if self.request_hash != fingerprint {
            return Ok(Reservation::KeyReused);
        }
        let (Some(status), Some(headers), Some(body)) = (self.status, self.headers, self.body) else {
            return Ok(Reservation::InFlight);
        };
        let status =
            u16::try_from(status).map_err(|_| IdempotencyError::Malformed(format!("status {status}")))?;
        let headers =
            serde_json::from_value(headers).map_err(|e| IdempotencyError::Malformed(e.to_string()))?;
        Ok(Reservation::Replay(StoredResponse { status, headers, body }))
    }
}

/// Stores the response of the request that holds `key`, for replay.
///
/// # Errors
/// [`IdempotencyError::Malformed`] for a status outside 100..=599, [`IdempotencyError::Database`]
/// when the update fails.
#[tracing::instrument(skip_all)]
pub async fn complete(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &IdempotencyKey,
    lease: Lease,
    response: &StoredResponse,
) -> Result<(), IdempotencyError> {
    let status = i16::try_from(response.status)
        .ok()
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| IdempotencyError::Malformed(format!("status {}", response.status)))?;
    let headers =
        serde_json::to_value(&response.headers).map_err(|e| IdempotencyError::Malformed(e.to_string()))?;
    diesel::sql_query(
        "UPDATE kernel.idempotency_keys SET status = $3, headers = $4, body = $5 \
         WHERE scope = $1 AND key = $2 AND created_at = $6 AND status IS NULL",
    )
    .bind::<Text, _>(scope)
    .bind::<Text, _>(key.as_str())
    .bind::<SmallInt, _>(status)
    .bind::<Jsonb, _>(headers)
    .bind::<Binary, _>(&response.body)
    .bind::<Timestamptz, _>(lease.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the unfinished reservation of `key`, so a retry can run.
///
/// # Errors
/// [`IdempotencyError::Database`] when the delete fails.
#[tracing::instrument(skip_all)]
pub async fn release(
    conn: &mut AsyncPgConnection,
    scope: &str,
    key: &IdempotencyKey,
    lease: Lease,
) -> Result<(), IdempotencyError> {
    diesel::sql_query(
        "DELETE FROM kernel.idempotency_keys \
         WHERE scope = $1 AND key = $2 AND created_at = $3 AND status IS NULL",
    )
    .bind::<Text, _>(scope)
    .bind::<Text, _>(key.as_str())
    .bind::<Timestamptz, _>(lease.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the keys older than [`REPLAY_WINDOW`] at `now`; returns how many.
///
/// # Errors
/// When the delete fails.
pub async fn prune(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> Result<usize, diesel::result::Error> {
    diesel::sql_query("DELETE FROM kernel.idempotency_keys WHERE created_at <= $1")
        .bind::<Timestamptz, _>(now - REPLAY_WINDOW)
        .execute(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters() {
        for good in ["a", "0f8fad5b-d9cb-469f-a165-70867728950e", "!~", &"k".repeat(255)] {
            assert_eq!(IdempotencyKey::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", " ", "a b", "tab\there", "ñandú", "new\nline", &"k".repeat(256)] {
            assert_eq!(IdempotencyKey::parse(bad), Err(InvalidIdempotencyKey), "{bad:?}");
        }
    }

    #[test]
    fn fingerprints_tell_requests_apart() {
        let base = request_fingerprint("POST", "/api/v1/links", b"{}");
        assert_eq!(base.len(), 64);
        assert_eq!(base, request_fingerprint("POST", "/api/v1/links", b"{}"));
        assert_ne!(base, request_fingerprint("POST", "/api/v1/links", b"{ }"));
        assert_ne!(base, request_fingerprint("POST", "/api/v1/pages", b"{}"));
        assert_ne!(base, request_fingerprint("PUT", "/api/v1/links", b"{}"));
        // Moving bytes between parts changes the fingerprint.
        assert_ne!(request_fingerprint("POST", "/ab", b"c"), request_fingerprint("POST", "/a", b"bc"));
    }
}
