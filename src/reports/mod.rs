//! Reports: sales per day, week or month and per product, orders by status, top customers,
//! low stock. Periods are the shop's calendar (its time zone, from the settings).

pub mod csv;
pub mod routes;
pub mod store;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::http::list::DateRange;
use crate::money::Total;

/// The longest range a report covers.
const MAX_DAYS: u64 = 3700;
const DEFAULT_DAYS: u64 = 30;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    #[default]
    Day,
    /// ISO weeks, e.g. 2026-W48.
    Week,
    Month,
}

/// A report's time range, as stored UTC times (start inclusive, end exclusive) and as the
/// shop's first and last calendar day.
#[derive(Debug, Clone)]
pub struct Span {
    pub from: String,
    pub to: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// Resolves a range filter; without bounds, the last 30 days including today.
pub fn span(range: &DateRange, tz: Tz) -> AppResult<Span> {
    let (from, to) = range.resolve(tz)?;
    let today = Utc::now().with_timezone(&tz).date_naive();
    let start_of = |day: NaiveDate| -> String {
        let local = day
            .and_hms_opt(0, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest());
        local.map(|t| clock::format(t.with_timezone(&Utc))).unwrap_or_default()
    };
    let to = to.unwrap_or_else(|| start_of(today + Days::new(1)));
    let to_at = parse(&to)?;
    let from = match from {
        Some(f) => f,
        None => start_of(to_at.with_timezone(&tz).date_naive() - Days::new(DEFAULT_DAYS)),
    };
    let from_at = parse(&from)?;
    if from_at >= to_at {
        return Err(AppError::validation("date_to", "must be after date_from"));
    }
    if (to_at - from_at).num_days() as u64 > MAX_DAYS {
        return Err(AppError::validation(
            "date_from",
            format!("a report covers at most {MAX_DAYS} days"),
        ));
    }
    let first_day = from_at.with_timezone(&tz).date_naive();
    let last_day = (to_at - chrono::Duration::milliseconds(1))
        .with_timezone(&tz)
        .date_naive();
    Ok(Span {
        from,
        to,
        first_day,
        last_day,
    })
}

fn parse(stored: &str) -> AppResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stored)
        .map(|t| t.with_timezone(&Utc))
        .map_err(AppError::internal)
}

/// The name of the period a day falls in.
pub fn period(day: NaiveDate, grouping: Grouping) -> String {
    match grouping {
        Grouping::Day => day.format("%Y-%m-%d").to_string(),
        Grouping::Week => {
            let week = day.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        Grouping::Month => day.format("%Y-%m").to_string(),
    }
}

/// Tax on a period's sales at one rate (GET /api/reports/tax).
#[derive(Serialize, ToSchema)]
pub struct TaxRow {
    pub tax_rate: crate::pricing::Percent,
    /// Sales with at least one line at this rate.
    pub orders: i64,
    /// What the lines at this rate sold for before tax, the tax, and with tax.
    pub net_amount: Total,
    pub tax_amount: Total,
    pub gross_amount: Total,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct SalesRow {
    /// 2026-11-28, 2026-W48 or 2026-11.
    pub period: String,
    pub orders: i64,
    pub revenue: Total,
}

/// Buckets 15-minute UTC slots into the shop's periods, with a row (maybe zero) for every
/// period of the span, so a chart has no gaps.
pub fn bucket(slots: &[(String, i64, Total)], span: &Span, grouping: Grouping, tz: Tz) -> AppResult<Vec<SalesRow>> {
    let mut rows: Vec<SalesRow> = Vec::new();
    let mut day = span.first_day;
    while day <= span.last_day {
        let name = period(day, grouping);
        if rows.last().is_none_or(|r| r.period != name) {
            rows.push(SalesRow {
                period: name,
                orders: 0,
                revenue: Total::ZERO,
            });
        }
        day = day.succ_opt().ok_or_else(|| AppError::internal("date overflow"))?;
    }
    for (slot, orders, revenue) in slots {
        let at = NaiveDateTime::parse_from_str(slot, "%Y-%m-%dT%H:%M")
            .map_err(AppError::internal)?
            .and_utc();
        let name = period(at.with_timezone(&tz).date_naive(), grouping);
        if let Some(row) = rows.iter_mut().find(|r| r.period == name) {
            row.orders += orders;
            row.revenue = row.revenue.plus(*revenue);
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_land_in_the_shops_days() {
        let tz: Tz = chrono_tz::Asia::Shanghai;
        let range = DateRange {
            date_from: Some("2026-11-27".into()),
            date_to: Some("2026-11-28".into()),
        };
        let span = span(&range, tz).unwrap();
        assert_eq!(
            (span.first_day.to_string(), span.last_day.to_string()),
            ("2026-11-27".into(), "2026-11-28".into())
        );
        // 2026-11-27T16:15Z is 00:15 on the 28th in Shanghai.
        let slots = vec![
            ("2026-11-27T15:45".to_owned(), 2, Total::from_minor(100)),
            ("2026-11-27T16:15".to_owned(), 1, Total::from_minor(50)),
        ];
        let rows = bucket(&slots, &span, Grouping::Day, tz).unwrap();
        assert_eq!(
            rows,
            vec![
                SalesRow {
                    period: "2026-11-27".into(),
                    orders: 2,
                    revenue: Total::from_minor(100)
                },
                SalesRow {
                    period: "2026-11-28".into(),
                    orders: 1,
                    revenue: Total::from_minor(50)
                },
            ]
        );
        assert_eq!(
            period(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), Grouping::Week),
            "2026-W48"
        );
        assert_eq!(
            period(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), Grouping::Month),
            "2026-11"
        );
    }
}
