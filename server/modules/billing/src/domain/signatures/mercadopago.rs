//! Mercado Pago's `x-signature: ts=<unix>,v1=<hex>` with `x-request-id`: HMAC-SHA256 (hex) of the
//! manifest `id:{data.id};request-id:{x-request-id};ts:{ts};` under the application's secret.
//! Per Mercado Pago's docs, `data.id` comes from the notification's query string (or its body)
//! and is lower-cased when alphanumeric; a value the notification lacks is left out of the
//! manifest with its label.

use chrono::{DateTime, Utc};

use super::{SignatureError, any_matches, check_tolerance, mac, pairs};

/// The signature header.
pub const HEADER: &str = "x-signature";
/// The request id header, part of the signed manifest.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A `ts` above this is in milliseconds (the docs show seconds; deliveries have been seen in ms).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// The notification's `data.id`: the query string's `data.id`, else the JSON body's `data.id`
/// (a string or a number); lower-cased when it is ASCII alphanumeric.
#[must_use]
pub fn data_id(query: Option<&str>, body: &[u8]) -> Option<String> {
    let from_query = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "data.id").map(|(_, v)| v.into_owned())
    });
    let id = from_query.or_else(|| {
        let json: serde_json::Value = serde_json::from_slice(body).ok()?;
        match json.get("data")?.get("id")? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    })?;
    Some(if id.chars().all(|c| c.is_ascii_alphanumeric()) { id.to_ascii_lowercase() } else { id })
}

/// The signed manifest; absent values are left out with their label.
fn manifest(data_id: Option<&str>, request_id: Option<&str>, ts: &str) -> String {
    let mut m = String::new();
    if let Some(id) = data_id {
        m.push_str(&format!("id:{id};"));
    }
    if let Some(rid) = request_id {
        m.push_str(&format!("request-id:{rid};"));
    }
    m.push_str(&format!("ts:{ts};"));
    m
}

/// Verifies a notification's `x-signature`; answers the signed time.
///
/// # Errors
/// `Missing` without `ts` or `v1`, `Malformed` for a part that is not `k=v` or a non-numeric
/// `ts`, `Stale`/`FromTheFuture` outside five minutes of `now`, `Mismatch` when `v1` is not the
/// HMAC of the manifest under `secret`.
pub fn verify(
    signature: &str,
    request_id: Option<&str>,
    data_id: Option<&str>,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, SignatureError> {
    let mut ts = None;
    let mut signatures = Vec::new();
    for pair in pairs(signature) {
        match pair.ok_or(SignatureError::Malformed("x-signature"))? {
            ("ts", t) => ts = Some(t),
            ("v1", sig) => signatures.extend(hex::decode(sig).ok()),
            _ => {}
        }
    }
    let ts = ts.ok_or(SignatureError::Missing("x-signature ts"))?;
    if signatures.is_empty() {
        return Err(SignatureError::Missing("x-signature v1"));
    }
    let raw: i64 = ts.parse().map_err(|_| SignatureError::Malformed("x-signature ts"))?;
    let secs = if raw > MILLIS_THRESHOLD { raw / 1000 } else { raw };
    let signed_at = check_tolerance(secs, now)?;
    let mac = mac(secret.as_bytes(), &[manifest(data_id, request_id, ts).as_bytes()]);
    if any_matches(&mac, &signatures) { Ok(signed_at) } else { Err(SignatureError::Mismatch) }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::at;
    use super::*;

    const SECRET: &str = "mp_secret";
    const REQUEST_ID: &str = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e";
    const DATA_ID: &str = "123456abc";
    const TS: i64 = 1_733_450_000;
    /// Python: `hmac.new(b"mp_secret", b"id:123456abc;request-id:bb56…08e;ts:1733450000;", sha256)`.
    const SIG: &str = "ca39e85db0becda96e80176d960cdc7f3df46b46f84dc01f9c6f12a09662f018";

    fn header() -> String {
        format!("ts={TS},v1={SIG}")
    }

    #[test]
    fn accepts_a_valid_signature() {
        assert_eq!(verify(&header(), Some(REQUEST_ID), Some(DATA_ID), SECRET, at(TS + 5)), Ok(at(TS)));
    }

    #[test]
    fn accepts_a_timestamp_in_milliseconds() {
        // Same manifest text signed, so only the tolerance check reads it as milliseconds.
        let ms = TS * 1000;
        let m = manifest(Some(DATA_ID), Some(REQUEST_ID), &ms.to_string());
        let tag = super::super::mac(SECRET.as_bytes(), &[m.as_bytes()]);
        let h = format!("ts={ms},v1={}", hex::encode(hmac::Mac::finalize(tag).into_bytes()));
        assert_eq!(verify(&h, Some(REQUEST_ID), Some(DATA_ID), SECRET, at(TS)), Ok(at(TS)));
    }

    #[test]
    fn refuses_stale_and_future_timestamps() {
        let v = |now| verify(&header(), Some(REQUEST_ID), Some(DATA_ID), SECRET, at(now));
        assert_eq!(v(TS + 301), Err(SignatureError::Stale));
        assert_eq!(v(TS - 301), Err(SignatureError::FromTheFuture));
    }

    #[test]
    fn refuses_a_wrong_secret() {
        assert_eq!(
            verify(&header(), Some(REQUEST_ID), Some(DATA_ID), "other", at(TS)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn refuses_another_data_id_or_request_id() {
        assert_eq!(
            verify(&header(), Some(REQUEST_ID), Some("999"), SECRET, at(TS)),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(&header(), Some("other"), Some(DATA_ID), SECRET, at(TS)),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify(&header(), None, Some(DATA_ID), SECRET, at(TS)), Err(SignatureError::Mismatch));
    }

    #[test]
    fn accepts_any_matching_v1() {
        let h = format!("ts={TS},v1={},v1={SIG}", "0".repeat(64));
        assert!(verify(&h, Some(REQUEST_ID), Some(DATA_ID), SECRET, at(TS)).is_ok());
    }

    #[test]
    fn refuses_missing_parts_and_malformed_headers() {
        let v = |h: &str| verify(h, Some(REQUEST_ID), Some(DATA_ID), SECRET, at(TS));
        assert_eq!(v(&format!("ts={TS}")), Err(SignatureError::Missing("x-signature v1")));
        assert_eq!(v(&format!("v1={SIG}")), Err(SignatureError::Missing("x-signature ts")));
        assert_eq!(v(""), Err(SignatureError::Malformed("x-signature")));
        assert_eq!(v("ts;v1"), Err(SignatureError::Malformed("x-signature")));
        assert_eq!(v(&format!("ts=now,v1={SIG}")), Err(SignatureError::Malformed("x-signature ts")));
    }

    #[test]
    fn data_id_comes_from_the_query_then_the_body_lower_cased_when_alphanumeric() {
        assert_eq!(data_id(Some("type=payment&data.id=123456ABC"), b"{}"), Some("123456abc".into()));
        assert_eq!(data_id(None, br#"{"data":{"id":"ABC123"}}"#), Some("abc123".into()));
        assert_eq!(data_id(None, br#"{"data":{"id":42}}"#), Some("42".into()));
        assert_eq!(data_id(Some("data.id=2c93-ABC"), b""), Some("2c93-ABC".into()));
        assert_eq!(data_id(Some("type=payment"), b"not json"), None);
    }

    #[test]
    fn a_missing_data_id_is_left_out_of_the_manifest() {
        assert_eq!(manifest(None, Some("r"), "1"), "request-id:r;ts:1;");
        assert_eq!(manifest(Some("a"), Some("r"), "1"), "id:a;request-id:r;ts:1;");
    }
}
