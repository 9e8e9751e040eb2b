//! Periods: the window a meter counts in. A lifetime meter has one period, from the Unix epoch;
//! monthly and yearly periods start at 00:00 UTC on the first of the month or of January.

use chrono::{DateTime, Datelike as _, NaiveDate, TimeDelta, Utc};
use contracts::usage::Cadence;

/// A meter's counting window: `[start, end)`; `end` is `None` for a lifetime meter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

impl Period {
    /// The period of `cadence` that `at` falls in.
    #[must_use]
    pub fn containing(cadence: Cadence, at: DateTime<Utc>) -> Self {
        let (year, month) = (at.year(), at.month());
        match cadence {
            Cadence::Lifetime => Self { start: DateTime::UNIX_EPOCH, end: None },
            Cadence::Monthly => {
                let next = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
                Self { start: first_of(year, month), end: Some(first_of(next.0, next.1)) }
            }
            Cadence::Yearly => Self { start: first_of(year, 1), end: Some(first_of(year + 1, 1)) },
        }
    }

    /// The period before the one `at` falls in; `None` for a lifetime meter.
    #[must_use]
    pub fn before(cadence: Cadence, at: DateTime<Utc>) -> Option<Self> {
        let current = Self::containing(cadence, at);
        current.end.map(|_| Self::containing(cadence, current.start - TimeDelta::seconds(1)))
    }
}

/// 00:00 UTC on the first of `month` in `year` (the epoch for a date chrono cannot hold).
fn first_of(year: i32, month: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::UNIX_EPOCH, |d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn t(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn monthly_periods_run_from_the_first_to_the_next_first() {
        let p = Period::containing(Cadence::Monthly, t(2026, 12, 31, 23, 59));
        assert_eq!(p, Period { start: t(2026, 12, 1, 0, 0), end: Some(t(2027, 1, 1, 0, 0)) });
        let p = Period::containing(Cadence::Monthly, t(2027, 1, 1, 0, 0));
        assert_eq!(p.start, t(2027, 1, 1, 0, 0));
        assert_eq!(
            Period::before(Cadence::Monthly, t(2027, 1, 1, 0, 0)).unwrap().start,
            t(2026, 12, 1, 0, 0)
        );
    }

    #[test]
    fn yearly_periods_start_in_january() {
        let p = Period::containing(Cadence::Yearly, t(2026, 6, 15, 12, 0));
        assert_eq!(p, Period { start: t(2026, 1, 1, 0, 0), end: Some(t(2027, 1, 1, 0, 0)) });
        assert_eq!(
            Period::before(Cadence::Yearly, t(2026, 6, 15, 12, 0)).unwrap().start,
            t(2025, 1, 1, 0, 0)
        );
    }

    #[test]
    fn a_lifetime_period_never_ends() {
        let p = Period::containing(Cadence::Lifetime, t(2026, 6, 15, 12, 0));
        assert_eq!(p, Period { start: DateTime::UNIX_EPOCH, end: None });
        assert_eq!(Period::before(Cadence::Lifetime, t(2026, 6, 15, 12, 0)), None);
    }
}
