//! Every block config parser (`BlockConfig::parse`) from raw text: the first line is the block
//! type (`LINK`, `SOCIAL_ROW`…), the rest its JSON config. See `mibio_fuzz::check_block` for the
//! properties an accepted block must have.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (kind, config) = text.split_once('\n').unwrap_or((text, "{}"));
    // Not JSON at all is the HTTP layer's refusal, before the block rules; still try the rules
    // on it as a JSON string (`config` must be an object).
    let config =
        serde_json::from_str(config).unwrap_or_else(|_| serde_json::Value::String(config.to_owned()));
    mibio_fuzz::check_block(kind, config);
});
