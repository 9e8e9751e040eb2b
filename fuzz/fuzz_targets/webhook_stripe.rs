//! Stripe's webhook signature verifier (`billing::domain::signatures::stripe`).
//!
//! - A header signed here with the secret (HMAC-SHA256 of `"{t}.{payload}"`, hex), within the
//!   five minutes, among other `v1`/`v0` parts in any order, is accepted at its `t`.
//! - The same header is refused for a payload with one bit flipped, a signature with one hex
//!   digit changed, another secret, or a `t` outside the tolerance.
//! - A header made of fuzz bytes never panics, and is only accepted if it carries, for one of its
//!   `t` values, the HMAC of that `t` and the payload under the secret (checked here with an
//!   independent parse and HMAC): nothing is accepted that was not computed with the secret.
#![no_main]

use arbitrary::Arbitrary;
use billing::domain::signatures::{SignatureError, TOLERANCE_SECS, stripe};
use libfuzzer_sys::fuzz_target;
use mibio_fuzz::{hmac_sha256, instant};

#[derive(Arbitrary, Debug)]
struct Input {
    secret: String,
    payload: Vec<u8>,
    now: u32,
    /// Seconds between signing and `now`.
    age: i16,
    /// Other parts of the header (other `v1`s, `v0`s, unknown keys).
    others: Vec<(u8, String)>,
    /// Where the genuine `v1` goes among them.
    position: u8,
    upper_hex: bool,
    spaces: bool,
    flip: u16,
    raw_header: String,
}

/// Whether the header carries, for one of its fresh `t` values, a `v1` that is the HMAC of that
/// `t` and the payload under the secret (this target's own reading of the format).
fn accepted_by_oracle(header: &str, payload: &[u8], secret: &str, now: i64) -> bool {
    let parts: Vec<(&str, &str)> =
        header.split(',').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.trim(), v.trim())).collect();
    parts.iter().filter(|(k, _)| *k == "t").any(|(_, t)| {
        let fresh = t.parse::<i64>().is_ok_and(|t| (now - t).abs() <= TOLERANCE_SECS);
        let tag = hmac_sha256(secret.as_bytes(), &[t.as_bytes(), b".", payload]);
        fresh && parts.iter().any(|(k, v)| *k == "v1" && hex::decode(v).is_ok_and(|v| v == tag))
    })
}

fuzz_target!(|input: Input| {
    let now = instant(input.now);
    let secret = input.secret.as_str();

    // Fuzz bytes as the header: never a panic, never accepted without the secret's HMAC.
    if let Ok(at) = stripe::verify(&input.raw_header, &input.payload, secret, now) {
        assert!(
            accepted_by_oracle(&input.raw_header, &input.payload, secret, now.timestamp()),
            "accepted {:?} without the secret's signature",
            input.raw_header
        );
        assert!((now.timestamp() - at.timestamp()).abs() <= TOLERANCE_SECS);
    }

    // A header signed here.
    let t = now.timestamp() - i64::from(input.age);
    let tag = hmac_sha256(secret.as_bytes(), &[t.to_string().as_bytes(), b".", &input.payload]);
    let sig = if input.upper_hex { hex::encode_upper(&tag) } else { hex::encode(&tag) };
    let sep = if input.spaces { ", " } else { "," };
    let build = |t: i64, sig: &str| {
        let mut parts: Vec<String> = input
            .others
            .iter()
            .map(|(k, v)| {
                let key = ["v1", "v0", "v2", "x"][usize::from(*k % 4)];
                // No commas or `=` inside a value: the header's grammar has no escaping.
                let v: String = v.chars().filter(|c| *c != ',' && *c != '=').collect();
                format!("{key}={v}")
            })
            .collect();
        parts.insert(usize::from(input.position) % (parts.len() + 1), format!("v1={sig}"));
        parts.insert(0, format!("t={t}"));
        parts.join(sep)
    };
    let header = build(t, &sig);
    let fresh = i64::from(input.age).abs() <= TOLERANCE_SECS;
    let result = stripe::verify(&header, &input.payload, secret, now);
    if fresh {
        assert_eq!(
            result,
            Ok(instant(input.now) - chrono::TimeDelta::seconds(i64::from(input.age))),
            "{header}"
        );
    } else if input.age > 0 {
        assert_eq!(result, Err(SignatureError::Stale), "{header}");
    } else {
        assert_eq!(result, Err(SignatureError::FromTheFuture), "{header}");
    }
    if !fresh {
        return;
    }

    // One bit of the payload flipped.
    if !input.payload.is_empty() {
        let mut tampered = input.payload.clone();
        let bit = usize::from(input.flip) % (tampered.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        let result = stripe::verify(&header, &tampered, secret, now);
        assert_eq!(result, Err(SignatureError::Mismatch), "{header}: tampered payload");
    }
    // One hex digit of the signature changed.
    let mut bad = sig.clone().into_bytes();
    let i = usize::from(input.flip) % bad.len();
    bad[i] = if bad[i] == b'0' { b'1' } else { b'0' };
    let bad_header = build(t, std::str::from_utf8(&bad).expect("hex"));
    let result = stripe::verify(&bad_header, &input.payload, secret, now);
    assert_eq!(result, Err(SignatureError::Mismatch), "{bad_header}: altered signature");
    // Another secret.
    let result = stripe::verify(&header, &input.payload, &format!("{secret}x"), now);
    assert_eq!(result, Err(SignatureError::Mismatch), "{header}: another secret");
});
