//! Standard Webhooks (Polar): `webhook-id`, `webhook-timestamp` (unix seconds) and
//! `webhook-signature: v1,<base64> [v1,<base64>…]` (space-separated, one per active secret).
//! The tag is HMAC-SHA256 of `"{id}.{timestamp}.{body}"` keyed by the secret's bytes: the
//! base64 after the `whsec_` prefix.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use super::{SignatureError, any_matches, check_tolerance, mac};

pub const ID_HEADER: &str = "webhook-id";
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// The signed headers of one delivery.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    pub id: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
}

/// Verifies a delivery; answers the signed time. `secret` is `whsec_<base64>` (or the bare base64).
///
/// # Errors
/// `Malformed("secret")` when the secret is not base64 (a configuration error),
/// `Missing` for an empty header or no `v1` signature, `Malformed` for a non-numeric timestamp,
/// `Stale`/`FromTheFuture` outside five minutes of `now`, `Mismatch` when no `v1` matches.
pub fn verify(
    signed: Signed<'_>,
    body: &[u8],
    secret: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|_| SignatureError::Malformed("secret"))?;
    if signed.id.is_empty() {
        return Err(SignatureError::Missing(ID_HEADER));
    }
    if signed.timestamp.is_empty() {
        return Err(SignatureError::Missing(TIMESTAMP_HEADER));
    }
    let signatures: Vec<Vec<u8>> = signed
        .signature
        .split_whitespace()
        .filter_map(|s| s.strip_prefix("v1,"))
        .filter_map(|b64| STANDARD.decode(b64).ok())
        .collect();
    if signatures.is_empty() {
        return Err(SignatureError::Missing(SIGNATURE_HEADER));
    }
    let secs: i64 = signed.timestamp.parse().map_err(|_| SignatureError::Malformed(TIMESTAMP_HEADER))?;
    let signed_at = check_tolerance(secs, now)?;
    let mac = mac(&key, &[signed.id.as_bytes(), b".", signed.timestamp.as_bytes(), b".", body]);
    if any_matches(&mac, &signatures) { Ok(signed_at) } else { Err(SignatureError::Mismatch) }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::at;
    use super::*;

    // The Standard Webhooks specification's own test vector.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: &str = "1614265330";
    const T: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn signed(signature: &str) -> Signed<'_> {
        Signed { id: ID, timestamp: TS, signature }
    }

    #[test]
    fn passes_the_spec_vector() {
        assert_eq!(verify(signed(SIG), BODY, SECRET, at(T + 1)), Ok(at(T)));
    }

    #[test]
    fn accepts_a_secret_without_prefix() {
        assert!(verify(signed(SIG), BODY, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", at(T)).is_ok());
    }

    #[test]
    fn refuses_stale_and_future_timestamps() {
        assert_eq!(verify(signed(SIG), BODY, SECRET, at(T + 301)), Err(SignatureError::Stale));
        assert_eq!(verify(signed(SIG), BODY, SECRET, at(T - 301)), Err(SignatureError::FromTheFuture));
    }

    #[test]
    fn refuses_a_wrong_secret_and_a_tampered_body() {
        let other = "whsec_YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh";
        assert_eq!(verify(signed(SIG), BODY, other, at(T)), Err(SignatureError::Mismatch));
        assert_eq!(
            verify(signed(SIG), br#"{"test": 2432232315}"#, SECRET, at(T)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn refuses_another_message_id() {
        let s = Signed { id: "msg_other", timestamp: TS, signature: SIG };
        assert_eq!(verify(s, BODY, SECRET, at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn accepts_any_of_several_signatures() {
        let several = format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= {SIG} v2,whatever");
        assert!(verify(signed(&several), BODY, SECRET, at(T)).is_ok());
        let none = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,bm90IGl0";
        assert_eq!(verify(signed(none), BODY, SECRET, at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn refuses_missing_and_malformed_headers() {
        assert_eq!(verify(signed(""), BODY, SECRET, at(T)), Err(SignatureError::Missing(SIGNATURE_HEADER)));
        assert_eq!(
            verify(signed("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), BODY, SECRET, at(T)),
            Err(SignatureError::Missing(SIGNATURE_HEADER))
        );
        let no_id = Signed { id: "", timestamp: TS, signature: SIG };
        assert_eq!(verify(no_id, BODY, SECRET, at(T)), Err(SignatureError::Missing(ID_HEADER)));
        let no_ts = Signed { id: ID, timestamp: "", signature: SIG };
        assert_eq!(verify(no_ts, BODY, SECRET, at(T)), Err(SignatureError::Missing(TIMESTAMP_HEADER)));
        let bad_ts = Signed { id: ID, timestamp: "soon", signature: SIG };
        assert_eq!(verify(bad_ts, BODY, SECRET, at(T)), Err(SignatureError::Malformed(TIMESTAMP_HEADER)));
        assert_eq!(verify(signed(SIG), BODY, "whsec_%%%", at(T)), Err(SignatureError::Malformed("secret")));
    }
}
