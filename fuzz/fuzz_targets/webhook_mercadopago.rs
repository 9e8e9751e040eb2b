//! Mercado Pago's webhook signature verifier (`billing::domain::signatures::mercadopago`).
//!
//! - An `x-signature: ts=…,v1=…` signed here with the secret over the manifest
//!   `id:{data.id};request-id:{x-request-id};ts:{ts};` (absent parts left out, as the docs say),
//!   in seconds or milliseconds, within five minutes, is accepted; from the request's headers,
//!   query string and body too (`verify_mercadopago`), with `data.id` in the query or the body
//!   and lower-cased when alphanumeric.
//! - It is refused with one hex digit of the signature changed, another request id, another
//!   `data.id` or another secret.
//! - Fuzz bytes as the header never panic, and are only accepted when they carry the HMAC of the
//!   manifest under the secret for one of their `ts` (an independent parse and HMAC).
//! - `data_id` never panics and answers alphanumeric ids in lower case.
#![no_main]

use arbitrary::Arbitrary;
use billing::domain::signatures::{self, SignatureError, TOLERANCE_SECS, mercadopago};
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use mibio_fuzz::{hmac_sha256, instant};

#[derive(Arbitrary, Debug)]
enum IdIn {
    Query,
    BodyString,
    BodyNumber(u64),
    Nowhere,
}

#[derive(Arbitrary, Debug)]
struct Input {
    secret: String,
    data_id: String,
    id_in: IdIn,
    request_id: Option<String>,
    now: u32,
    age: i16,
    millis: Option<u16>,
    others: Vec<(u8, String)>,
    position: u8,
    spaces: bool,
    flip: u8,
    raw_header: String,
    raw_query: Option<String>,
    raw_body: Vec<u8>,
}

/// The manifest as Mercado Pago's docs describe it.
fn manifest(data_id: Option<&str>, request_id: Option<&str>, ts: &str) -> String {
    let id = data_id.map(|id| format!("id:{id};")).unwrap_or_default();
    let rid = request_id.map(|rid| format!("request-id:{rid};")).unwrap_or_default();
    format!("{id}{rid}ts:{ts};")
}

fn accepted_by_oracle(header: &str, rid: Option<&str>, id: Option<&str>, secret: &str, now: i64) -> bool {
    let parts: Vec<(&str, &str)> =
        header.split(',').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.trim(), v.trim())).collect();
    parts.iter().filter(|(k, _)| *k == "ts").any(|(_, ts)| {
        let fresh = ts.parse::<i64>().is_ok_and(|raw| {
            let secs = if raw > 100_000_000_000 { raw / 1000 } else { raw };
            (now - secs).abs() <= TOLERANCE_SECS
        });
        let tag = hmac_sha256(secret.as_bytes(), &[manifest(id, rid, ts).as_bytes()]);
        fresh && parts.iter().any(|(k, v)| *k == "v1" && hex::decode(v).is_ok_and(|v| v == tag))
    })
}

fuzz_target!(|input: Input| {
    let now = instant(input.now);
    let secret = input.secret.as_str();
    let rid = input.request_id.as_deref();

    // `data_id` on fuzz bytes.
    if let Some(id) = mercadopago::data_id(input.raw_query.as_deref(), &input.raw_body)
        && id.chars().all(|c| c.is_ascii_alphanumeric())
    {
        assert_eq!(id, id.to_ascii_lowercase());
    }

    // Fuzz bytes as the header.
    let raw_id = Some(input.data_id.as_str());
    if mercadopago::verify(&input.raw_header, rid, raw_id, secret, now).is_ok() {
        assert!(
            accepted_by_oracle(&input.raw_header, rid, raw_id, secret, now.timestamp()),
            "accepted {:?} without the secret's signature",
            input.raw_header
        );
    }

    // A notification signed here. Its data.id as Mercado Pago signs it.
    let sent_id = match input.id_in {
        IdIn::BodyNumber(n) => Some(n.to_string()),
        IdIn::Nowhere => None,
        IdIn::Query | IdIn::BodyString => Some(input.data_id.clone()),
    };
    let signed_id = sent_id.as_deref().map(|id| {
        if id.chars().all(|c| c.is_ascii_alphanumeric()) { id.to_ascii_lowercase() } else { id.to_owned() }
    });
    let secs = now.timestamp() - i64::from(input.age);
    let ts = match input.millis {
        Some(ms) => (secs * 1000 + i64::from(ms % 1000)).to_string(),
        None => secs.to_string(),
    };
    let tag = hmac_sha256(secret.as_bytes(), &[manifest(signed_id.as_deref(), rid, &ts).as_bytes()]);
    let sig = hex::encode(&tag);
    let build = |sig: &str| {
        let mut parts: Vec<String> = input
            .others
            .iter()
            .map(|(k, v)| {
                let v: String = v.chars().filter(|c| *c != ',' && *c != '=').collect();
                format!("{}={v}", ["v1", "v2", "x"][usize::from(*k % 3)])
            })
            .collect();
        parts.insert(usize::from(input.position) % (parts.len() + 1), format!("v1={sig}"));
        parts.insert(0, format!("ts={ts}"));
        parts.join(if input.spaces { ", " } else { "," })
    };
    let header = build(&sig);
    let fresh = i64::from(input.age).abs() <= TOLERANCE_SECS;
    let result = mercadopago::verify(&header, rid, signed_id.as_deref(), secret, now);
    let expected = if fresh {
        Ok(instant(input.now) - chrono::TimeDelta::seconds(i64::from(input.age)))
    } else if input.age > 0 {
        Err(SignatureError::Stale)
    } else {
        Err(SignatureError::FromTheFuture)
    };
    assert_eq!(result, expected, "{header}");

    // The same, from the request as it arrives.
    // (Only when the texts can be header values: visible ASCII.)
    let as_header = |text: &str| HeaderValue::from_str(text).ok().filter(|v| v.to_str().is_ok());
    let mut headers = HeaderMap::new();
    let mut fits = true;
    match as_header(&header) {
        Some(value) => drop(headers.insert(mercadopago::HEADER, value)),
        None => fits = false,
    }
    match rid.map(as_header) {
        Some(Some(value)) => drop(headers.insert(mercadopago::REQUEST_ID_HEADER, value)),
        Some(None) => fits = false,
        None => {}
    }
    let (query, body) = match (&input.id_in, &sent_id) {
        (IdIn::Query, Some(id)) => {
            let q = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("type", "subscription_preapproval")
                .append_pair("data.id", id)
                .finish();
            (Some(q), b"{}".to_vec())
        }
        (IdIn::BodyString, Some(id)) => {
            (None, serde_json::json!({"data": {"id": id}}).to_string().into_bytes())
        }
        (IdIn::BodyNumber(n), _) => (None, format!(r#"{{"data":{{"id":{n}}}}}"#).into_bytes()),
        _ => (Some("type=payment".to_owned()), b"{}".to_vec()),
    };
    if fits {
        let from_request = signatures::verify_mercadopago(&headers, query.as_deref(), &body, secret, now);
        assert_eq!(from_request, expected, "{header} {query:?} {body:?}");
    }
    if !fresh {
        return;
    }

    // Anything else changed is refused.
    let mut bad = sig.clone().into_bytes();
    let i = usize::from(input.flip) % bad.len();
    bad[i] = if bad[i] == b'0' { b'1' } else { b'0' };
    let bad_header = build(std::str::from_utf8(&bad).expect("hex"));
    let mismatch = Err(SignatureError::Mismatch);
    assert_eq!(mercadopago::verify(&bad_header, rid, signed_id.as_deref(), secret, now), mismatch);
    let other_rid = format!("{}x", rid.unwrap_or_default());
    assert_eq!(mercadopago::verify(&header, Some(&other_rid), signed_id.as_deref(), secret, now), mismatch);
    let other_id = format!("{}x", signed_id.as_deref().unwrap_or_default());
    assert_eq!(mercadopago::verify(&header, rid, Some(&other_id), secret, now), mismatch);
    assert_eq!(mercadopago::verify(&header, rid, signed_id.as_deref(), &format!("{secret}x"), now), mismatch);
});
