//! The block URL rule (`contracts::blocks::check_url`), on its own: whatever it accepts must be an
//! `http(s)://` URL with a real host, written so that no parser has to fix it up (no whitespace,
//! control or invisible characters, no credentials, no backslashes), and the WHATWG parser must
//! agree. Each input is tried bare and behind `https://`, `http:` and `HTTPS:/`, so that most
//! of the time is spent past the scheme.
#![no_main]

use contracts::blocks::check_url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    for candidate in
        [raw.to_owned(), format!("https://{raw}"), format!("http:{raw}"), format!("HTTPS:/{raw}")]
    {
        if check_url(&candidate).is_ok() {
            mibio_fuzz::assert_safe_url(&candidate);
            // What the parser makes of it is as safe (a browser may show or copy that form).
            let normalised = url::Url::parse(&candidate).expect("checked").to_string();
            if normalised.len() <= contracts::blocks::URL_MAX_LEN {
                assert_eq!(check_url(&normalised), Ok(()), "{candidate:?} → {normalised:?}");
            }
        }
    }
});
