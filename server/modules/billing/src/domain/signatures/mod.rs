//! Webhook signature verifiers, one per provider scheme: pure functions of the headers, the raw
//! body, the secret and `now`, so every rule (tolerance, several signatures, tampering) is tested
//! without a network or a clock. Comparisons are constant-time (`hmac`'s `verify_slice`).

pub mod mercadopago;
pub mod standard;
pub mod stripe;

use chrono::{DateTime, Utc};
use hmac::Mac as _;

/// How far a signed timestamp may be from `now`, either way.
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// Why a webhook's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// A required header (or part of one) is absent.
    #[error("missing {0}")]
    Missing(&'static str),
    /// A header is there but does not parse.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The signed timestamp is older than the tolerance (a replay, or a very late retry).
    #[error("timestamp too old")]
    Stale,
    /// The signed timestamp is ahead of `now` by more than the tolerance.
    #[error("timestamp in the future")]
    FromTheFuture,
    /// No signature matches: wrong secret or altered body.
    #[error("signature mismatch")]
    Mismatch,
}

type HmacSha256 = hmac::Hmac<sha2_011::Sha256>;

/// An HMAC-SHA256 keyed by `key` over the concatenation of `parts`.
fn mac(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha256 as hmac::KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    for part in parts {
        mac.update(part);
    }
    mac
}

/// Whether any of `candidates` is the MAC's tag (constant-time per candidate).
fn any_matches(mac: &HmacSha256, candidates: &[Vec<u8>]) -> bool {
    candidates.iter().any(|tag| mac.clone().verify_slice(tag).is_ok())
}

/// Checks `signed_at` against `now` within [`TOLERANCE_SECS`].
fn check_tolerance(signed_at: i64, now: DateTime<Utc>) -> Result<DateTime<Utc>, SignatureError> {
    let age = now.timestamp().saturating_sub(signed_at);
    if age > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    if age < -TOLERANCE_SECS {
        return Err(SignatureError::FromTheFuture);
    }
    DateTime::from_timestamp(signed_at, 0).ok_or(SignatureError::Malformed("timestamp"))
}

/// Splits `k=v` pairs separated by commas, trimming spaces.
fn pairs(header: &str) -> impl Iterator<Item = Option<(&str, &str)>> {
    header.split(',').map(|part| part.trim().split_once('=').map(|(k, v)| (k.trim(), v.trim())))
}

#[cfg(test)]
pub(crate) mod test_support {
    use chrono::{DateTime, Utc};

    /// `now` for the tests: a fixed instant.
    pub fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }
}
