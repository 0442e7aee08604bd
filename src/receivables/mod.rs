//! Receivables: who owes the shop what, and since when (GET /api/reports/receivables), and a
//! customer's statement (对账单) for a period (GET /api/customers/{id}/statement). Both are read
//! from the orders' totals and the payments journal; nothing is stored twice.

pub mod routes;
pub mod store;
pub mod types;

use std::collections::BTreeMap;

use crate::db::Conn;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{AppError, AppResult};
use crate::money::Total;
use crate::reports::Span;
use types::{Ages, ReceivableRow, ReceivableTotals, ReceivablesReport, Statement, StatementEntry, StatementEntryKind};

/// A statement lists at most this many entries; a longer period is refused with a clear
/// error rather than answered slowly.
pub const MAX_STATEMENT_ENTRIES: i64 = 20_000;

impl Ages {
    /// Adds `amount` to the bucket of an order taken `days` ago: 0–30, 31–60, 61–90, over 90.
    fn add(&mut self, days: i64, amount: Total) {
        let bucket = match days {
            ..=30 => &mut self.days_0_30,
            31..=60 => &mut self.days_31_60,
            61..=90 => &mut self.days_61_90,
            _ => &mut self.days_over_90,
        };
        *bucket = bucket.plus(amount);
    }

    fn plus(self, o: Ages) -> Ages {
        Ages {
            days_0_30: self.days_0_30.plus(o.days_0_30),
            days_31_60: self.days_31_60.plus(o.days_31_60),
            days_61_90: self.days_61_90.plus(o.days_61_90),
            days_over_90: self.days_over_90.plus(o.days_over_90),
        }
    }
}

/// Whole days between the shop's date of `at` and `today` (both in the shop's time zone), so
/// an order taken yesterday evening is one day old this morning.
fn age_in_days(at: &str, today: NaiveDate, tz: Tz) -> i64 {
    DateTime::parse_from_rfc3339(at)
        .map(|t| (today - t.with_timezone(&tz).date_naive()).num_days())
        .unwrap_or(0)
}

/// Who owes what: one row per customer (and one for walk-in orders), the largest first.
pub fn report(conn: &Conn, now: DateTime<Utc>, tz: Tz, currency_code: String) -> AppResult<ReceivablesReport> {
    let today = now.with_timezone(&tz).date_naive();
    let mut rows: BTreeMap<Option<i64>, ReceivableRow> = BTreeMap::new();
    // Oldest first, so the first order seen for a customer is their oldest.
    for o in store::owing(conn)? {
        let amount = Total::from_minor(i128::from(o.balance_minor));
        let row = rows.entry(o.customer_id).or_insert_with(|| ReceivableRow {
            customer_id: o.customer_id,
            customer_name: o.customer_name,
            phone: o.phone,
            orders: 0,
            owed: Total::ZERO,
            ages: Ages::default(),
            oldest_order_at: o.created_at.clone(),
        });
        row.orders += 1;
        row.owed = row.owed.plus(amount);
        row.ages.add(age_in_days(&o.created_at, today, tz), amount);
    }
    let mut rows: Vec<ReceivableRow> = rows.into_values().collect();
    rows.sort_by(|a, b| b.owed.cmp(&a.owed).then(a.customer_id.cmp(&b.customer_id)));
    let totals = rows.iter().fold(ReceivableTotals::default(), |t, r| ReceivableTotals {
        orders: t.orders + r.orders,
        owed: t.owed.plus(r.owed),
        ages: t.ages.plus(r.ages),
    });
    Ok(ReceivablesReport {
        as_of: crate::clock::format(now),
        currency_code,
        rows,
        totals,
    })
}

fn kind(raw: &str) -> AppResult<StatementEntryKind> {
    Ok(match raw {
        "order" => StatementEntryKind::Order,
        "cancellation" => StatementEntryKind::Cancellation,
        "payment" => StatementEntryKind::Payment,
        "refund" => StatementEntryKind::Refund,
        "void" => StatementEntryKind::Void,
        other => return Err(AppError::internal(format!("unknown statement entry {other}"))),
    })
}

/// A customer's statement for the days of `span`: the balance when it began, each entry
/// with the balance after it, and the balance at its end. `None` when there is no such
/// customer.
pub fn statement(conn: &Conn, customer_id: i64, span: &Span, currency_code: String) -> AppResult<Option<Statement>> {
    let Some(customer) = store::customer(conn, customer_id)? else {
        return Ok(None);
    };
    let opening = store::balance_before(conn, customer_id, &span.from)?;
    let events = store::events(conn, customer_id, &span.from, &span.to, MAX_STATEMENT_ENTRIES + 1)?;
    if events.len() as i64 > MAX_STATEMENT_ENTRIES {
        return Err(AppError::validation(
            "date_from",
            format!("the period has more than {MAX_STATEMENT_ENTRIES} entries; choose a shorter one"),
        ));
    }
    let (mut balance, mut charged, mut received) = (opening, Total::ZERO, Total::ZERO);
    let mut entries = Vec::with_capacity(events.len());
    for e in events {
        let amount = Total::from_minor(i128::from(e.amount_minor));
        if amount.minor() >= 0 {
            charged = charged.plus(amount);
        } else {
            received = received.plus(Total::from_minor(-amount.minor()));
        }
        balance = balance.plus(amount);
        entries.push(StatementEntry {
            at: e.at,
            kind: kind(&e.kind)?,
            order_id: e.order_id,
            order_number: e.order_number,
            method: e.method,
            reference: e.reference,
            amount,
            balance,
        });
    }
    Ok(Some(Statement {
        customer_id,
        customer_name: customer.name,
        phone: customer.phone,
        address: customer.address,
        first_day: span.first_day.to_string(),
        last_day: span.last_day.to_string(),
        currency_code,
        opening_balance: opening,
        charged,
        received,
        closing_balance: balance,
        entries,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_counted_in_the_shops_days() {
        let tz: Tz = chrono_tz::Asia::Shanghai;
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        // 23:30 in Shanghai on the 1st is 15:30 UTC: yesterday, one day old.
        assert_eq!(age_in_days("2026-12-01T15:30:00.000Z", today, tz), 1);
        // 00:30 in Shanghai on the 2nd is 16:30 UTC on the 1st: today.
        assert_eq!(age_in_days("2026-12-01T16:30:00.000Z", today, tz), 0);
    }

    #[test]
    fn buckets_end_at_30_60_and_90_days() {
        let mut a = Ages::default();
        for (days, minor) in [
            (0, 1),
            (30, 2),
            (31, 4),
            (60, 8),
            (61, 16),
            (90, 32),
            (91, 64),
            (400, 128),
        ] {
            a.add(days, Total::from_minor(minor));
        }
        assert_eq!(
            [a.days_0_30, a.days_31_60, a.days_61_90, a.days_over_90].map(Total::minor),
            [3, 12, 48, 192]
        );
    }
}
