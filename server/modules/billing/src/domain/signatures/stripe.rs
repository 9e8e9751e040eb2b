//! Stripe's `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`: HMAC-SHA256 of `"{t}.{payload}"`
//! with the endpoint secret (`whsec_…`, used as is). During a secret rotation Stripe sends one
//! `v1` per active secret, so **any** match is accepted (async-stripe's verifier checks only the
//! last). Other schemes (`v0`) are ignored.

use chrono::{DateTime, Utc};

use super::{SignatureError, any_matches, check_tolerance, mac, pairs};

/// The header Stripe signs with.
pub const HEADER: &str = "stripe-signature";

/// Verifies `payload` against the `Stripe-Signature` header; answers the signed time.
///
/// # Errors
/// [`SignatureError::Missing`] without `t` or any `v1`, `Malformed` for a part that is not
/// `k=v` or a non-numeric `t`, `Stale`/`FromTheFuture` outside five minutes of `now`, `Mismatch`
/// when no `v1` is the HMAC of this payload under `secret`.
pub fn verify(
    header: &str,
    payload: &[u8],
    secret: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for pair in pairs(header) {
        match pair.ok_or(SignatureError::Malformed("Stripe-Signature"))? {
            ("t", t) => timestamp = Some(t),
            // A `v1` that is not hex cannot match; keep looking at the others.
            ("v1", sig) => signatures.extend(hex::decode(sig).ok()),
            _ => {}
        }
    }
    let t = timestamp.ok_or(SignatureError::Missing("Stripe-Signature timestamp"))?;
    if signatures.is_empty() {
        return Err(SignatureError::Missing("Stripe-Signature v1"));
    }
    let signed_at: i64 = t.parse().map_err(|_| SignatureError::Malformed("Stripe-Signature timestamp"))?;
    let signed_at = check_tolerance(signed_at, now)?;
    let mac = mac(secret.as_bytes(), &[t.as_bytes(), b".", payload]);
    if any_matches(&mac, &signatures) { Ok(signed_at) } else { Err(SignatureError::Mismatch) }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::at;
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"customer.subscription.updated"}"#;
    const T: i64 = 1_733_450_000;
    /// `hmac.new(b"whsec_test_secret", b"1733450000." + BODY, sha256).hexdigest()` (Python).
    const SIG: &str = "b745ccdfb266298e141d9716159d000bfbac95c9cc2b58350fe6204d9929667d";

    fn header(sigs: &[&str]) -> String {
        let mut h = format!("t={T}");
        for s in sigs {
            h.push_str(",v1=");
            h.push_str(s);
        }
        h
    }

    #[test]
    fn accepts_a_valid_signature() {
        assert_eq!(verify(&header(&[SIG]), BODY, SECRET, at(T + 10)), Ok(at(T)));
    }

    #[test]
    fn accepts_within_tolerance_either_way() {
        assert!(verify(&header(&[SIG]), BODY, SECRET, at(T + 300)).is_ok());
        assert!(verify(&header(&[SIG]), BODY, SECRET, at(T - 300)).is_ok());
    }

    #[test]
    fn refuses_a_stale_timestamp() {
        assert_eq!(verify(&header(&[SIG]), BODY, SECRET, at(T + 301)), Err(SignatureError::Stale));
    }

    #[test]
    fn refuses_a_timestamp_from_the_future() {
        assert_eq!(verify(&header(&[SIG]), BODY, SECRET, at(T - 301)), Err(SignatureError::FromTheFuture));
    }

    #[test]
    fn refuses_a_wrong_secret() {
        assert_eq!(verify(&header(&[SIG]), BODY, "whsec_other", at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn refuses_a_tampered_body() {
        let tampered = br#"{"id":"evt_1","type":"customer.subscription.deleted"}"#;
        assert_eq!(verify(&header(&[SIG]), tampered, SECRET, at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn refuses_a_signature_for_another_timestamp() {
        let h = format!("t={},v1={SIG}", T + 1);
        assert_eq!(verify(&h, BODY, SECRET, at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn accepts_any_matching_v1_during_a_rotation() {
        let other = "0".repeat(64);
        let h = format!("t={T},v1={SIG},v1={other},v0=abc");
        assert!(verify(&h, BODY, SECRET, at(T)).is_ok());
        let h = format!("t={T},v1=nothex,v1={SIG},v1={other}");
        assert!(verify(&h, BODY, SECRET, at(T)).is_ok());
    }

    #[test]
    fn refuses_when_no_v1_matches() {
        let h = header(&[&"0".repeat(64), &"f".repeat(64)]);
        assert_eq!(verify(&h, BODY, SECRET, at(T)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn refuses_missing_parts() {
        assert_eq!(
            verify(&header(&[]), BODY, SECRET, at(T)),
            Err(SignatureError::Missing("Stripe-Signature v1"))
        );
        assert_eq!(
            verify(&format!("v1={SIG}"), BODY, SECRET, at(T)),
            Err(SignatureError::Missing("Stripe-Signature timestamp"))
        );
        assert_eq!(
            verify(&format!("t={T},v0={SIG}"), BODY, SECRET, at(T)),
            Err(SignatureError::Missing("Stripe-Signature v1"))
        );
    }

    #[test]
    fn refuses_malformed_headers() {
        assert_eq!(verify("", BODY, SECRET, at(T)), Err(SignatureError::Malformed("Stripe-Signature")));
        assert_eq!(
            verify("garbage", BODY, SECRET, at(T)),
            Err(SignatureError::Malformed("Stripe-Signature"))
        );
        assert_eq!(
            verify(&format!("t=yesterday,v1={SIG}"), BODY, SECRET, at(T)),
            Err(SignatureError::Malformed("Stripe-Signature timestamp"))
        );
    }
}
