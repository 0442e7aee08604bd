//! Timestamps as the database stores them (UTC RFC 3339 with milliseconds, so they sort as
//! text), and the business calendar (dates as the shop sees them, in its time zone).

use chrono::{DateTime, Days, NaiveDate, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

pub fn now() -> String {
    format(Utc::now())
}

pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The date in the shop's time zone, as YYYYMMDD.
pub fn business_day_compact(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y%m%d").to_string()
}

/// A stored UTC time shown in the shop's time zone ("2026-11-28 13:04:05"), for exports.
pub fn local_display(stored: &str, tz: Tz) -> String {
    DateTime::parse_from_rfc3339(stored)
        .map(|at| at.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|_| stored.to_owned())
}

/// Which end of a date range a filter value is.
#[derive(Clone, Copy)]
pub enum Bound {
    /// Inclusive start: a date means the start of that day.
    From,
    /// Exclusive end: a date means the start of the next day, so the whole day is included.
    To,
}

/// Reads a filter bound: a full RFC 3339 time, or a date in the shop's time zone.
pub fn parse_bound(text: &str, bound: Bound, tz: Tz) -> Option<String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(format(at.with_timezone(&Utc)));
    }
    let mut date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    if let Bound::To = bound {
        date = date.checked_add_days(Days::new(1))?;
    }
    let local = tz.from_local_datetime(&date.and_hms_opt(0, 0, 0)?).earliest()?;
    Some(format(local.with_timezone(&Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn date_bounds_cover_the_whole_business_day() {
        assert_eq!(
            parse_bound("2026-11-28", Bound::From, SHANGHAI).unwrap(),
            "2026-11-27T16:00:00.000Z"
        );
        assert_eq!(
            parse_bound("2026-11-28", Bound::To, SHANGHAI).unwrap(),
            "2026-11-28T16:00:00.000Z"
        );
        assert_eq!(
            parse_bound("2026-11-28T08:00:00+08:00", Bound::From, SHANGHAI).unwrap(),
            "2026-11-28T00:00:00.000Z"
        );
        assert!(parse_bound("28/11/2026", Bound::From, SHANGHAI).is_none());
    }
}
