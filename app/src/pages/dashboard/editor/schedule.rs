//! A block's visibility window in the coach's time: `<input type="datetime-local">` values
//! (`2025-03-05T10:00`, the browser's time zone) to and from the UTC RFC 3339 the server stores.
//!
//! The arithmetic is pure and takes the zone's offset as JavaScript states it
//! (`Date.getTimezoneOffset()`: minutes to add to local time to get UTC, so `-60` in Madrid in
//! winter); only [`to_utc`] and [`to_local`] ask the browser for the offset at that instant, which
//! keeps daylight-saving changes right.

use contracts::Locale;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn num(s: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = s.get(range)?;
    part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
}

/// Minutes since the epoch of `YYYY-MM-DDTHH:MM` read as UTC wall time.
fn wall_minutes(local: &str) -> Option<i64> {
    let b = local.as_bytes();
    if local.len() < 16 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let (year, month, day) = (num(local, 0..4)?, num(local, 5..7)?, num(local, 8..10)?);
    let (hour, minute) = (num(local, 11..13)?, num(local, 14..16)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 1440 + hour * 60 + minute)
}

fn format_minutes(total: i64) -> String {
    let (year, month, day) = civil_from_days(total.div_euclid(1440));
    let rest = total.rem_euclid(1440);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}", rest / 60, rest % 60)
}

/// A `datetime-local` value in a zone `offset` minutes behind UTC, as UTC RFC 3339
/// (`2025-03-05T09:00:00Z`). `None` for anything that is not `YYYY-MM-DDTHH:MM[:SS]`.
#[must_use]
pub fn local_to_utc(local: &str, offset: i32) -> Option<String> {
    let minutes = wall_minutes(local)? + i64::from(offset);
    Some(format!("{}:00Z", format_minutes(minutes)))
}

/// Milliseconds since the epoch of an RFC 3339 timestamp (`Z` or `±hh:mm`, optional fraction).
#[must_use]
pub fn epoch_ms(rfc3339: &str) -> Option<i64> {
    let wall = wall_minutes(rfc3339)?;
    let seconds = if rfc3339.as_bytes().get(16) == Some(&b':') { num(rfc3339, 17..19)? } else { 0 };
    let mut rest = rfc3339.get(19..).unwrap_or_default();
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let first3: String = fraction[..digits].chars().chain("000".chars()).take(3).collect();
        millis = first3.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" | "" => 0,
        zone => {
            let sign = match zone.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            sign * (num(zone, 1..3)? * 60 + num(zone, 4..6)?)
        }
    };
    Some(((wall - offset_minutes) * 60 + seconds) * 1000 + millis)
}

/// A UTC RFC 3339 timestamp as a `datetime-local` value in a zone `offset` minutes behind UTC.
#[must_use]
pub fn utc_to_local(rfc3339: &str, offset: i32) -> Option<String> {
    let minutes = epoch_ms(rfc3339)?.div_euclid(60_000) - i64::from(offset);
    Some(format_minutes(minutes))
}

/// A `datetime-local` value for people: `5 mar 2025, 10:00` / `Mar 5, 2025, 10:00`.
#[must_use]
pub fn human(local: &str, locale: Locale) -> String {
    const ES: [&str; 12] =
        ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"];
    const EN: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let Some(minutes) = wall_minutes(local) else { return local.to_owned() };
    let (year, month, day) = civil_from_days(minutes.div_euclid(1440));
    let time = &local[11..16];
    let m = usize::try_from(month - 1).unwrap_or_default();
    match locale {
        Locale::Es => format!("{day} {} {year}, {time}", ES[m]),
        Locale::En => format!("{} {day}, {year}, {time}", EN[m]),
    }
}

/// The browser's offset at a local wall time (`Date.getTimezoneOffset`), 0 outside a browser.
#[cfg(feature = "hydrate")]
fn offset_at_local(local: &str) -> Option<i32> {
    let offset = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local)).get_timezone_offset();
    #[expect(clippy::cast_possible_truncation, reason = "offsets are whole minutes within ±1440")]
    (!offset.is_nan()).then_some(offset as i32)
}

#[cfg(not(feature = "hydrate"))]
fn offset_at_local(local: &str) -> Option<i32> {
    wall_minutes(local).map(|_| 0)
}

/// The browser's offset at an instant.
#[cfg(feature = "hydrate")]
fn offset_at_ms(ms: i64) -> i32 {
    #[expect(clippy::cast_precision_loss, reason = "epoch milliseconds fit an f64 exactly")]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    #[expect(clippy::cast_possible_truncation, reason = "offsets are whole minutes within ±1440")]
    let offset = date.get_timezone_offset() as i32;
    offset
}

#[cfg(not(feature = "hydrate"))]
const fn offset_at_ms(_ms: i64) -> i32 {
    0
}

/// A `datetime-local` value (the browser's zone) as UTC RFC 3339.
#[must_use]
pub fn to_utc(local: &str) -> Option<String> {
    local_to_utc(local, offset_at_local(local)?)
}

/// A UTC RFC 3339 timestamp as a `datetime-local` value in the browser's zone.
#[must_use]
pub fn to_local(rfc3339: &str) -> Option<String> {
    utc_to_local(rfc3339, offset_at_ms(epoch_ms(rfc3339)?))
}

/// Milliseconds since the epoch now (0 outside a browser).
#[must_use]
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        #[expect(clippy::cast_possible_truncation, reason = "Date.now() is a whole number of ms")]
        let now = js_sys::Date::now() as i64;
        now
    }
    #[cfg(not(feature = "hydrate"))]
    0
}

/// The browser's time-zone name (`Europe/Madrid`), if it says.
#[must_use]
pub fn zone_name() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        let options = format.resolved_options();
        js_sys::Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Whether a block with this window shows at `now` (epoch ms).
#[must_use]
pub fn visible_at(from: Option<&str>, until: Option<&str>, now: i64) -> bool {
    let started = from.and_then(epoch_ms).is_none_or(|from| from <= now);
    let ended = until.and_then(epoch_ms).is_some_and(|until| until <= now);
    started && !ended
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_become_utc() {
        // Madrid in winter is UTC+1: JavaScript says -60.
        assert_eq!(local_to_utc("2025-03-05T10:00", -60).as_deref(), Some("2025-03-05T09:00:00Z"));
        // Mexico City (UTC-6) late at night crosses into the next UTC day, month and year.
        assert_eq!(local_to_utc("2025-12-31T20:30", 360).as_deref(), Some("2026-01-01T02:30:00Z"));
        // Seconds (some browsers send them) are ignored; the leap day survives.
        assert_eq!(local_to_utc("2024-02-29T00:15:30", 0).as_deref(), Some("2024-02-29T00:15:00Z"));
        for bad in
            ["", "2025-03-05", "2025-13-01T10:00", "2025-03-05 10:00", "2025-03-05T24:00", "abcd-ef-ghTij:kl"]
        {
            assert_eq!(local_to_utc(bad, 0), None, "{bad}");
        }
    }

    #[test]
    fn utc_becomes_local_and_back() {
        assert_eq!(utc_to_local("2025-03-05T09:00:00Z", -60).as_deref(), Some("2025-03-05T10:00"));
        assert_eq!(utc_to_local("2026-01-01T02:30:00+00:00", 360).as_deref(), Some("2025-12-31T20:30"));
        assert_eq!(utc_to_local("2025-07-01T12:00:00.123456Z", -120).as_deref(), Some("2025-07-01T14:00"));
        for (local, offset) in
            [("2025-03-30T01:59", -60), ("1999-12-31T23:59", 300), ("2030-06-15T00:00", -330)]
        {
            let utc = local_to_utc(local, offset).unwrap();
            assert_eq!(utc_to_local(&utc, offset).as_deref(), Some(local));
        }
    }

    #[test]
    fn timestamps_compare_across_zones() {
        assert_eq!(epoch_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_ms("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(epoch_ms("1969-12-31T19:00:00-05:00"), Some(0));
        assert_eq!(epoch_ms("2000-01-01T00:00:00.5Z"), Some(946_684_800_500));
        assert_eq!(epoch_ms("2000-01-01T00:00:00 nope"), None);
        let now = epoch_ms("2025-06-01T12:00:00Z").unwrap();
        assert!(visible_at(None, None, now));
        assert!(visible_at(Some("2025-06-01T12:00:00Z"), Some("2025-06-02T00:00:00Z"), now));
        assert!(!visible_at(Some("2025-06-01T12:00:01Z"), None, now));
        assert!(!visible_at(None, Some("2025-06-01T12:00:00Z"), now));
    }

    #[test]
    fn dates_read_naturally() {
        assert_eq!(human("2025-03-05T10:00", Locale::Es), "5 mar 2025, 10:00");
        assert_eq!(human("2025-12-24T18:30", Locale::En), "Dec 24, 2025, 18:30");
    }
}
