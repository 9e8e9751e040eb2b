//! Standard Webhooks (Polar): `webhook-id`, `webhook-timestamp` (unix seconds) and
//! `webhook-signature: v1,<base64> [v1,<base64>…]` (space-separated, one per active secret).
//! The tag is HMAC-SHA256 of `"{id}.{timestamp}.{body}"` under a [`Key`]: the spec's secrets are
//! `whsec_<base64>`, while Polar's SDKs key the HMAC with the bytes of Polar's secret text itself.

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

/// The HMAC key of a Standard Webhooks endpoint.
#[derive(Clone, PartialEq, Eq)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The key of a spec secret, `whsec_<base64>` (or the bare base64).
    ///
    /// # Errors
    /// `Malformed("secret")` when it is not base64 (a configuration error).
    pub fn from_whsec(secret: &str) -> Result<Self, SignatureError> {
        STANDARD
            .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
            .map(Self)
            .map_err(|_| SignatureError::Malformed("secret"))
    }

    /// A key that is the secret's own bytes: Polar's (its SDKs base64-encode Polar's secret
    /// before handing it to a Standard Webhooks library, which decodes it back).
    #[must_use]
    pub fn raw(secret: &str) -> Self {
        Self(secret.as_bytes().to_vec())
    }
}

/// Verifies a delivery; answers the signed time.
///
/// # Errors
/// `Missing` for an empty header or no `v1` signature, `Malformed` for a non-numeric timestamp,
/// `Stale`/`FromTheFuture` outside five minutes of `now`, `Mismatch` when no `v1` matches.
pub fn verify(
    signed: Signed<'_>,
    body: &[u8],
    key: &Key,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
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
    let mac = mac(&key.0, &[signed.id.as_bytes(), b".", signed.timestamp.as_bytes(), b".", body]);
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

    fn key() -> Key {
        Key::from_whsec(SECRET).unwrap()
    }

    fn signed(signature: &str) -> Signed<'_> {
        Signed { id: ID, timestamp: TS, signature }
    }

    #[test]
    fn passes_the_spec_vector() {
        assert_eq!(verify(signed(SIG), BODY, &key(), at(T + 1)), Ok(at(T)));
    }

    #[test]
    fn accepts_a_secret_without_prefix() {
        assert!(
            verify(signed(SIG), BODY, &Key::from_whsec("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(), at(T))
                .is_ok()
        );
    }

    #[test]
    fn refuses_stale_and_future_timestamps() {
        assert_eq!(verify(signed(SIG), BODY, &key(), at(T + 301)), Err(SignatureError::Stale));
        assert_eq!(verify(signed(SIG), BODY, &key(), at(T - 301)), Err(SignatureError::FromTheFuture));
    }

    #[test]
    fn refuses_a_wrong_secret_and_a_tampered_body() {
        let other = "whsec_YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh";
        assert_eq!(
            verify(signed(SIG), BODY, &Key::from_whsec(other).unwrap(), at(T)),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(signed(SIG), br#"{"test": 2432232315}"#, &key(), at(T)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn refuses_another_message_id() {
        let s = Signed { id: "msg_other", timestamp: TS, signature: SIG };
        assert_eq!(verify(s, BODY, &key(), at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn accepts_any_of_several_signatures() {
        let several = format!("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= {SIG} v2,whatever");
        assert!(verify(signed(&several), BODY, &key(), at(T)).is_ok());
        let none = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1,bm90IGl0";
        assert_eq!(verify(signed(none), BODY, &key(), at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn refuses_missing_and_malformed_headers() {
        assert_eq!(verify(signed(""), BODY, &key(), at(T)), Err(SignatureError::Missing(SIGNATURE_HEADER)));
        assert_eq!(
            verify(signed("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), BODY, &key(), at(T)),
            Err(SignatureError::Missing(SIGNATURE_HEADER))
        );
        let no_id = Signed { id: "", timestamp: TS, signature: SIG };
        assert_eq!(verify(no_id, BODY, &key(), at(T)), Err(SignatureError::Missing(ID_HEADER)));
        let no_ts = Signed { id: ID, timestamp: "", signature: SIG };
        assert_eq!(verify(no_ts, BODY, &key(), at(T)), Err(SignatureError::Missing(TIMESTAMP_HEADER)));
        let bad_ts = Signed { id: ID, timestamp: "soon", signature: SIG };
        assert_eq!(verify(bad_ts, BODY, &key(), at(T)), Err(SignatureError::Malformed(TIMESTAMP_HEADER)));
        assert_eq!(Key::from_whsec("whsec_%%%"), Err(SignatureError::Malformed("secret")));
    }

    #[test]
    fn a_polar_secret_is_the_key_as_text() {
        // Python: base64(hmac(b"polar_whs_abc123", b'msg_1.1733450000.{"type":"subscription.active"}', sha256)).
        let body = br#"{"type":"subscription.active"}"#;
        let s = Signed {
            id: "msg_1",
            timestamp: "1733450000",
            signature: "v1,TENLbry8kRnz8BR4Y2PBbs/pHlYxdE+nAOcVj/P6OhQ=",
        };
        assert_eq!(verify(s, body, &Key::raw("polar_whs_abc123"), at(1_733_450_000)), Ok(at(1_733_450_000)));
        assert_eq!(
            verify(s, body, &Key::raw("polar_whs_other"), at(1_733_450_000)),
            Err(SignatureError::Mismatch)
        );
    }
}
