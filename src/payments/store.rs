//! The SQL of payments: the journal, and the amounts it keeps on the order.
//!
//! Every change to an order's money is one conditional UPDATE of the order row (the rule in
//! its WHERE, the new amount from RETURNING), then the journal entry, in one transaction. Two
//! cashiers taking the last payment at once cannot both pass: the second UPDATE sees the
//! first one's amount (SQLite: the single writer; PostgreSQL: the row lock it waits for).

use rusqlite::params;
use rusqlite::types::Value;

use super::types::{Payment, PaymentKind, PaymentSummary};
use crate::db::constraint::{Kind, on_constraint};
use crate::db::{Conditions, Conn, OptionalExtension, Row, params_from_iter};
use crate::error::{AppError, AppResult};
use crate::money::{Money, Total};
use crate::orders::types::OrderStatus;

/// How an order's payment status follows from its amounts, as SQL over `orders`' columns
/// (both engines accept it). `check` compares every order with it.
///
/// - nothing received or refunded on an order taken before payments were recorded: untracked;
/// - all received was given back: refunded; nothing received: unpaid;
/// - otherwise paid against what is due (the total; nothing once cancelled): less is
///   partially_paid, equal is paid, more is overpaid.
pub const STATUS_RULE: &str = "CASE
    WHEN payment_status = 'untracked' AND paid_minor = 0 AND refunded_minor = 0 THEN 'untracked'
    WHEN paid_minor = 0 AND refunded_minor > 0 THEN 'refunded'
    WHEN paid_minor = 0 THEN 'unpaid'
    WHEN paid_minor < CASE WHEN status = 'cancelled' THEN 0 ELSE total_amount_minor END THEN 'partially_paid'
    WHEN paid_minor = CASE WHEN status = 'cancelled' THEN 0 ELSE total_amount_minor END THEN 'paid'
    ELSE 'overpaid'
  END";

/// Brings an order's payment status in line with its amounts; called after anything that
/// changes them, its total or its status.
pub fn refresh_status(conn: &Conn, order_id: i64) -> AppResult<()> {
    conn.prepare_cached(&format!(
        "UPDATE orders SET payment_status = {STATUS_RULE} WHERE id = ?"
    ))?
    .execute([order_id])?;
    Ok(())
}

/// What an order owes and has paid.
#[derive(Debug)]
pub struct OrderMoney {
    pub order_number: String,
    pub status: OrderStatus,
    pub total: Money,
    pub summary: PaymentSummary,
}

pub fn order_money(conn: &Conn, order_id: i64) -> AppResult<OrderMoney> {
    conn.prepare_cached(
        "SELECT order_number, status, total_amount_minor, paid_minor, refunded_minor, payment_status
         FROM orders WHERE id = ?",
    )?
    .query_row([order_id], |r| {
        let status: OrderStatus = r.get(1)?;
        let total = Money::from_minor(r.get(2)?);
        Ok(OrderMoney {
            order_number: r.get(0)?,
            status,
            total,
            summary: PaymentSummary::new(
                r.get(5)?,
                total,
                status == OrderStatus::Cancelled,
                Money::from_minor(r.get(3)?),
                Money::from_minor(r.get(4)?),
            ),
        })
    })
    .map_err(crate::db::not_found_as("order"))
}

/// Adds a payment to what was received, if the order takes it: not cancelled, and (unless
/// `allow_over`) not beyond what is due. None if it does not.
pub fn receive(conn: &Conn, order_id: i64, amount: Money, allow_over: bool) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "UPDATE orders SET paid_minor = paid_minor + ?1
             WHERE id = ?2 AND status <> 'cancelled' AND (?3 OR paid_minor + ?1 <= total_amount_minor)
             RETURNING paid_minor",
        )?
        .query_row(params![amount.minor(), order_id, allow_over], |r| r.get(0))
        .optional()?)
}

/// Moves `amount` from paid to refunded, if that much was paid. None if it was not.
pub fn give_back(conn: &Conn, order_id: i64, amount: Money) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "UPDATE orders SET paid_minor = paid_minor - ?1, refunded_minor = refunded_minor + ?1
             WHERE id = ?2 AND paid_minor >= ?1 RETURNING paid_minor",
        )?
        .query_row(params![amount.minor(), order_id], |r| r.get(0))
        .optional()?)
}

/// Takes a voided payment off what was received, if that much is still paid (not refunded
/// meanwhile). None if it is not.
pub fn unreceive(conn: &Conn, order_id: i64, amount: Money) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "UPDATE orders SET paid_minor = paid_minor - ?1 WHERE id = ?2 AND paid_minor >= ?1 RETURNING paid_minor",
        )?
        .query_row(params![amount.minor(), order_id], |r| r.get(0))
        .optional()?)
}

/// Undoes a voided refund: the money counts as paid again.
pub fn unrefund(conn: &Conn, order_id: i64, amount: Money) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "UPDATE orders SET paid_minor = paid_minor + ?1, refunded_minor = refunded_minor - ?1
             WHERE id = ?2 AND refunded_minor >= ?1 RETURNING paid_minor",
        )?
        .query_row(params![amount.minor(), order_id], |r| r.get(0))
        .optional()?)
}

/// A journal entry to write.
pub struct NewEntry<'a> {
    pub order_id: i64,
    pub kind: PaymentKind,
    pub amount: Money,
    pub method: &'a str,
    pub paid_at: &'a str,
    pub reference: Option<&'a str>,
    pub note: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub voids_id: Option<i64>,
    pub user_id: i64,
    pub recorded_by: &'a str,
    pub now: &'a str,
}

pub fn insert(conn: &Conn, e: &NewEntry) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO payments (order_id, kind, amount_minor, method, paid_at, reference, note, reason, voids_id,
                               user_id, recorded_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        e.order_id,
        e.kind.as_str(),
        e.amount.minor(),
        e.method,
        e.paid_at,
        e.reference,
        e.note,
        e.reason,
        e.voids_id,
        e.user_id,
        e.recorded_by,
        e.now
    ])
    .map_err(on_constraint(Kind::Unique, "payments.voids_id", || {
        AppError::conflict("already_voided", "this entry was already voided", serde_json::json!({}))
    }))?;
    Ok(conn.last_insert_rowid()?)
}

const COLUMNS: &str = "p.id, p.order_id, p.kind, p.amount_minor, p.method, p.paid_at, p.reference, p.note, p.reason,
                       p.voids_id, v.id, p.user_id, p.recorded_by, p.created_at";
const FROM: &str = "payments p LEFT JOIN payments v ON v.voids_id = p.id";

fn from_row(r: &Row) -> crate::db::Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        order_id: r.get(1)?,
        kind: r.get(2)?,
        amount: Money::from_minor(r.get(3)?),
        method: r.get(4)?,
        paid_at: r.get(5)?,
        reference: r.get(6)?,
        note: r.get(7)?,
        reason: r.get(8)?,
        voids_id: r.get(9)?,
        voided_by_id: r.get(10)?,
        user_id: r.get(11)?,
        recorded_by: r.get(12)?,
        created_at: r.get(13)?,
    })
}

pub fn get(conn: &Conn, id: i64) -> AppResult<Payment> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE p.id = ?"))?
        .query_row([id], from_row)
        .map_err(crate::db::not_found_as("payment"))
}

/// An order's journal, oldest first.
pub fn for_order(conn: &Conn, order_id: i64) -> AppResult<Vec<Payment>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE p.order_id = ? ORDER BY p.id"
        ))?
        .query_map([order_id], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Whether an order has any journal entry (such an order is never deleted).
pub fn has_entries(conn: &Conn, order_id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM payments WHERE order_id = ?)")?
        .query_row([order_id], |r| r.get(0))?)
}

/// What each entry does to (paid, refunded), as SQL over `p` (the entry) and `t` (the entry
/// a void reverses): the one definition the check, the takings and the statements share.
pub const PAID_EFFECT: &str = "CASE p.kind WHEN 'payment' THEN p.amount_minor WHEN 'refund' THEN -p.amount_minor
     ELSE CASE t.kind WHEN 'payment' THEN -p.amount_minor ELSE p.amount_minor END END";
const REFUNDED_EFFECT: &str = "CASE p.kind WHEN 'refund' THEN p.amount_minor
     WHEN 'void' THEN CASE t.kind WHEN 'refund' THEN -p.amount_minor ELSE 0 END ELSE 0 END";

/// An order whose kept amounts or status differ from its journal.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PaymentMismatch {
    pub order_id: i64,
    pub order_number: String,
    pub paid_minor: i64,
    pub journal_paid_minor: i64,
    pub refunded_minor: i64,
    pub journal_refunded_minor: i64,
    pub payment_status: String,
    pub rule_status: String,
}

/// Orders whose paid or refunded amounts differ from their journal, or whose status differs
/// from [`STATUS_RULE`]; and voids that do not mirror the entry they reverse.
pub fn mismatches(conn: &Conn) -> AppResult<(Vec<PaymentMismatch>, i64)> {
    let rows = conn
        .prepare(&format!(
            "SELECT o.id, o.order_number, o.paid_minor, COALESCE(j.paid, 0), o.refunded_minor, COALESCE(j.refunded, 0),
                    o.payment_status, {STATUS_RULE}
             FROM orders o LEFT JOIN (
                 SELECT p.order_id, SUM({PAID_EFFECT}) AS paid, SUM({REFUNDED_EFFECT}) AS refunded
                 FROM payments p LEFT JOIN payments t ON t.id = p.voids_id GROUP BY p.order_id
             ) j ON j.order_id = o.id
             WHERE o.paid_minor <> COALESCE(j.paid, 0) OR o.refunded_minor <> COALESCE(j.refunded, 0)
                OR o.payment_status <> {STATUS_RULE}
             ORDER BY o.id LIMIT 1000"
        ))?
        .query_map([], |r| {
            Ok(PaymentMismatch {
                order_id: r.get(0)?,
                order_number: r.get(1)?,
                paid_minor: r.get(2)?,
                journal_paid_minor: r.get(3)?,
                refunded_minor: r.get(4)?,
                journal_refunded_minor: r.get(5)?,
                payment_status: r.get(6)?,
                rule_status: r.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let bad_voids: i64 = conn.query_row(
        "SELECT COUNT(*) FROM payments p JOIN payments t ON t.id = p.voids_id
         WHERE t.kind = 'void' OR t.order_id <> p.order_id OR t.amount_minor <> p.amount_minor",
        [],
        |r| r.get(0),
    )?;
    Ok((rows, bad_voids))
}

/// Money in by method over [from, to) of `paid_at`: received less refunded, voids counted
/// against the entry they reverse (by its method).
pub fn takings_by_method(conn: &Conn, from: &str, to: &str) -> AppResult<Vec<(String, Total)>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT p.method, SUM({PAID_EFFECT}) FROM payments p LEFT JOIN payments t ON t.id = p.voids_id
             WHERE p.paid_at >= ? AND p.paid_at < ? GROUP BY p.method ORDER BY p.method"
        ))?
        .query_map([from, to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .map(|row| row.map(|(m, v)| (m, Total::from_minor(i128::from(v)))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The orders still owing, as SQL over `orders o`: what the dashboard's receivable and the
/// receivables report both count, so their totals agree.
pub const OWING: &str = "o.payment_status IN ('unpaid', 'partially_paid') AND o.status <> 'cancelled'";

/// What customers owe: the balance of every order still owing, and how many there are.
pub fn receivable(conn: &Conn) -> AppResult<(Total, i64)> {
    let (sum, count): (i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT COALESCE(SUM(o.total_amount_minor - o.paid_minor), 0), COUNT(*) FROM orders o WHERE {OWING}"
        ))?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok((Total::from_minor(i128::from(sum)), count))
}

/// Filters on the payments list and export.
#[derive(Debug, Default)]
pub struct PaymentFilter {
    pub method: Option<String>,
    pub kind: Option<PaymentKind>,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn where_clause(f: &PaymentFilter) -> Conditions {
    let mut w = Conditions::default();
    if let Some(m) = &f.method {
        w.add("p.method = ?", [Value::Text(m.clone())]);
    }
    if let Some(k) = f.kind {
        w.add("p.kind = ?", [Value::Text(k.as_str().into())]);
    }
    if let Some(from) = &f.from {
        w.add("p.paid_at >= ?", [Value::Text(from.clone())]);
    }
    if let Some(to) = &f.to {
        w.add("p.paid_at < ?", [Value::Text(to.clone())]);
    }
    w
}

/// Every entry matching `f`, in the order the money moved, with its order's number and what
/// it did to the amount paid (negative for a refund or a voided payment), so that a column of
/// them sums to the money taken.
pub fn for_each(
    conn: &Conn,
    f: &PaymentFilter,
    mut each: impl FnMut(&Payment, &str, Money) -> AppResult<()>,
) -> AppResult<()> {
    let w = where_clause(f);
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, o.order_number, {PAID_EFFECT} FROM {FROM}
           LEFT JOIN payments t ON t.id = p.voids_id JOIN orders o ON o.id = p.order_id {}
         ORDER BY p.paid_at, p.id",
        w.sql()
    ))?;
    let mut rows = stmt.query(params_from_iter(w.values()))?;
    while let Some(row) = rows.next()? {
        let payment = from_row(&row)?;
        let number: String = row.get(14)?;
        each(&payment, &number, Money::from_minor(row.get(15)?))?;
    }
    Ok(())
}
