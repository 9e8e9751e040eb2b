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

/// The value of header `name` as text.
///
/// # Errors
/// `Missing(name)` when absent, `Malformed(name)` when not visible ASCII.
pub fn header<'h>(headers: &'h http::HeaderMap, name: &'static str) -> Result<&'h str, SignatureError> {
    headers
        .get(name)
        .ok_or(SignatureError::Missing(name))?
        .to_str()
        .map_err(|_| SignatureError::Malformed(name))
}

/// Verifies a Stripe delivery from its headers; see [`stripe::verify`].
///
/// # Errors
/// As [`stripe::verify`], and `Missing`/`Malformed` for the header itself.
pub fn verify_stripe(
    headers: &http::HeaderMap,
    body: &[u8],
    secret: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
    stripe::verify(header(headers, stripe::HEADER)?, body, secret, now)
}

/// Verifies a Mercado Pago notification from its headers, query string and body; see
/// [`mercadopago::verify`].
///
/// # Errors
/// As [`mercadopago::verify`], and `Missing`/`Malformed` for `x-signature` itself.
pub fn verify_mercadopago(
    headers: &http::HeaderMap,
    query: Option<&str>,
    body: &[u8],
    secret: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
    let signature = header(headers, mercadopago::HEADER)?;
    let request_id = header(headers, mercadopago::REQUEST_ID_HEADER).ok();
    let data_id = mercadopago::data_id(query, body);
    mercadopago::verify(signature, request_id, data_id.as_deref(), secret, now)
}

/// Verifies a Standard Webhooks (Polar) delivery from its headers; see [`standard::verify`].
///
/// # Errors
/// As [`standard::verify`], and `Missing`/`Malformed` for each of the three headers.
pub fn verify_standard(
    headers: &http::HeaderMap,
    body: &[u8],
    key: &standard::Key,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
    let signed = standard::Signed {
        id: header(headers, standard::ID_HEADER)?,
        timestamp: header(headers, standard::TIMESTAMP_HEADER)?,
        signature: header(headers, standard::SIGNATURE_HEADER)?,
    };
    standard::verify(signed, body, key, now)
}

#[cfg(test)]
mod request_tests {
    use http::{HeaderMap, HeaderValue};

    use super::test_support::at;
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn standard_webhooks_from_headers_pass_the_spec_vector() {
        let h = headers(&[
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        ]);
        let body = br#"{"test": 2432232314}"#;
        let secret = &standard::Key::from_whsec("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert!(verify_standard(&h, body, secret, at(1_614_265_330)).is_ok());
        let mut missing = h.clone();
        missing.remove("webhook-id");
        assert_eq!(
            verify_standard(&missing, body, secret, at(1_614_265_330)),
            Err(SignatureError::Missing("webhook-id"))
        );
    }

    #[test]
    fn stripe_from_headers() {
        let h = headers(&[(
            "Stripe-Signature",
            "t=1733450000,v1=b745ccdfb266298e141d9716159d000bfbac95c9cc2b58350fe6204d9929667d",
        )]);
        let body = br#"{"id":"evt_1","type":"customer.subscription.updated"}"#;
        assert!(verify_stripe(&h, body, "whsec_test_secret", at(1_733_450_000)).is_ok());
        assert_eq!(
            verify_stripe(&HeaderMap::new(), body, "whsec_test_secret", at(1_733_450_000)),
            Err(SignatureError::Missing("stripe-signature"))
        );
        let mut bad = HeaderMap::new();
        bad.insert("stripe-signature", HeaderValue::from_bytes(b"t=\xff").unwrap());
        assert_eq!(
            verify_stripe(&bad, body, "whsec_test_secret", at(1_733_450_000)),
            Err(SignatureError::Malformed("stripe-signature"))
        );
    }

    #[test]
    fn mercadopago_from_headers_query_and_body() {
        let h = headers(&[
            (
                "x-signature",
                "ts=1733450000,v1=ca39e85db0becda96e80176d960cdc7f3df46b46f84dc01f9c6f12a09662f018",
            ),
            ("x-request-id", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e"),
        ]);
        let now = at(1_733_450_000);
        // data.id upper-case in the query: lower-cased before signing, as Mercado Pago does.
        assert!(
            verify_mercadopago(
                &h,
                Some("data.id=123456ABC&type=subscription_preapproval"),
                b"",
                "mp_secret",
                now
            )
            .is_ok()
        );
        assert!(verify_mercadopago(&h, None, br#"{"data":{"id":"123456abc"}}"#, "mp_secret", now).is_ok());
        assert_eq!(
            verify_mercadopago(&h, Some("data.id=999"), b"", "mp_secret", now),
            Err(SignatureError::Mismatch)
        );
    }
}
