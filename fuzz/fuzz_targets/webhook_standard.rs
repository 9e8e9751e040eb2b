//! The Standard Webhooks verifier (`billing::domain::signatures::standard`, Polar's scheme).
//!
//! - A delivery signed here (`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{ts}.{body}">`)
//!   under a `whsec_<base64>` secret, its bare base64, or a raw (Polar) secret, among other
//!   space-separated signatures, within five minutes, is accepted at its timestamp; from the
//!   request's headers too (`verify_standard`).
//! - It is refused for a body with one bit flipped, a signature with one bit flipped, another
//!   message id, or another key; an empty id is `Missing`.
//! - Fuzz text as the three headers and as a `whsec_` secret never panics, and is only accepted
//!   when one `v1` is the HMAC under the decoded secret (an independent parse and HMAC).
#![no_main]

use arbitrary::Arbitrary;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use billing::domain::signatures::standard::{self, Key, Signed};
use billing::domain::signatures::{self, SignatureError, TOLERANCE_SECS};
use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use mibio_fuzz::{hmac_sha256, instant};

#[derive(Arbitrary, Debug)]
enum KeyForm {
    Whsec(Vec<u8>),
    Bare(Vec<u8>),
    Raw(String),
}

impl KeyForm {
    /// The key, and the HMAC key bytes it must stand for.
    fn key(&self) -> (Key, Vec<u8>) {
        match self {
            Self::Whsec(bytes) => {
                let key = Key::from_whsec(&format!("whsec_{}", STANDARD.encode(bytes))).expect("base64");
                (key, bytes.clone())
            }
            Self::Bare(bytes) => (Key::from_whsec(&STANDARD.encode(bytes)).expect("base64"), bytes.clone()),
            Self::Raw(text) => (Key::raw(text), text.as_bytes().to_vec()),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    key: KeyForm,
    id: String,
    body: Vec<u8>,
    now: u32,
    age: i16,
    /// Other signatures in the header (`v1,` with random bytes, other versions, junk).
    others: Vec<(u8, Vec<u8>)>,
    position: u8,
    flip: u16,
    raw_secret: String,
    raw_id: String,
    raw_timestamp: String,
    raw_signature: String,
}

fn accepted_by_oracle(signed: Signed<'_>, body: &[u8], key: &[u8], now: i64) -> bool {
    let fresh = signed.timestamp.parse::<i64>().is_ok_and(|t| (now - t).abs() <= TOLERANCE_SECS);
    let tag = hmac_sha256(key, &[signed.id.as_bytes(), b".", signed.timestamp.as_bytes(), b".", body]);
    !signed.id.is_empty()
        && fresh
        && signed.signature.split_whitespace().any(|part| {
            part.strip_prefix("v1,").and_then(|b64| STANDARD.decode(b64).ok()).is_some_and(|sig| sig == tag)
        })
}

fuzz_target!(|input: Input| {
    let now = instant(input.now);

    // Fuzz text as the secret and the headers.
    if let Ok(key) = Key::from_whsec(&input.raw_secret) {
        let key_bytes = STANDARD
            .decode(input.raw_secret.strip_prefix("whsec_").unwrap_or(&input.raw_secret))
            .expect("from_whsec decoded it");
        let signed =
            Signed { id: &input.raw_id, timestamp: &input.raw_timestamp, signature: &input.raw_signature };
        if standard::verify(signed, &input.body, &key, now).is_ok() {
            assert!(
                accepted_by_oracle(signed, &input.body, &key_bytes, now.timestamp()),
                "accepted {signed:?} without the secret's signature"
            );
        }
    }

    // A delivery signed here.
    let (key, key_bytes) = input.key.key();
    let timestamp = (now.timestamp() - i64::from(input.age)).to_string();
    let tag = hmac_sha256(&key_bytes, &[input.id.as_bytes(), b".", timestamp.as_bytes(), b".", &input.body]);
    let build = |tag: &[u8]| {
        let mut parts: Vec<String> = input
            .others
            .iter()
            .map(|(kind, bytes)| match kind % 3 {
                0 => format!("v1,{}", STANDARD.encode(bytes)),
                1 => format!("v1a,{}", STANDARD.encode(bytes)),
                _ => String::from_utf8_lossy(bytes).split_whitespace().collect::<String>(),
            })
            .filter(|p| !p.is_empty())
            .collect();
        parts.insert(usize::from(input.position) % (parts.len() + 1), format!("v1,{}", STANDARD.encode(tag)));
        parts.join(" ")
    };
    let signature = build(&tag);
    let signed = Signed { id: &input.id, timestamp: &timestamp, signature: &signature };
    let fresh = i64::from(input.age).abs() <= TOLERANCE_SECS;
    let expected = if input.id.is_empty() {
        Err(SignatureError::Missing(standard::ID_HEADER))
    } else if fresh {
        Ok(instant(input.now) - chrono::TimeDelta::seconds(i64::from(input.age)))
    } else if input.age > 0 {
        Err(SignatureError::Stale)
    } else {
        Err(SignatureError::FromTheFuture)
    };
    assert_eq!(standard::verify(signed, &input.body, &key, now), expected, "{signed:?}");

    // The same, from the request's headers (when the texts can be header values).
    let as_header = |text: &str| HeaderValue::from_str(text).ok().filter(|v| v.to_str().is_ok());
    if let (Some(id), Some(ts), Some(sig)) =
        (as_header(&input.id), as_header(&timestamp), as_header(&signature))
    {
        let mut headers = HeaderMap::new();
        headers.insert(standard::ID_HEADER, id);
        headers.insert(standard::TIMESTAMP_HEADER, ts);
        headers.insert(standard::SIGNATURE_HEADER, sig);
        assert_eq!(signatures::verify_standard(&headers, &input.body, &key, now), expected);
    }
    if expected.is_err() {
        return;
    }

    // Anything changed is refused.
    let mismatch = Err(SignatureError::Mismatch);
    if !input.body.is_empty() {
        let mut tampered = input.body.clone();
        let bit = usize::from(input.flip) % (tampered.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(standard::verify(signed, &tampered, &key, now), mismatch, "tampered body");
    }
    let mut bad_tag = tag.clone();
    let bit = usize::from(input.flip) % (bad_tag.len() * 8);
    bad_tag[bit / 8] ^= 1 << (bit % 8);
    let bad_signature = build(&bad_tag);
    let bad = Signed { signature: &bad_signature, ..signed };
    assert_eq!(standard::verify(bad, &input.body, &key, now), mismatch, "altered signature");
    let other_id = format!("{}x", input.id);
    let other = Signed { id: &other_id, ..signed };
    assert_eq!(standard::verify(other, &input.body, &key, now), mismatch, "another message id");
    let mut other_key = key_bytes.clone();
    other_key.push(b'x');
    let other_key = Key::from_whsec(&STANDARD.encode(&other_key)).expect("base64");
    assert_eq!(standard::verify(signed, &input.body, &other_key, now), mismatch, "another key");
});
