//! The SQL of receivables and statements: plain SELECTs both engines accept.

use crate::db::{Conn, OptionalExtension};
use crate::error::AppResult;
use crate::money::Total;
use crate::payments::store::{OWING, PAID_EFFECT};

/// One order with a balance due, for the receivables report.
pub struct Owing {
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub phone: Option<String>,
    pub created_at: String,
    pub balance_minor: i64,
}

/// The orders with a balance due: the same ones the dashboard's receivable counts
/// ([`OWING`]), so the report's total equals the dashboard's.
pub fn owing(conn: &Conn) -> AppResult<Vec<Owing>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT o.customer_id, c.name, c.phone, o.created_at, o.total_amount_minor - o.paid_minor
             FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
             WHERE {OWING} ORDER BY o.created_at, o.id"
        ))?
        .query_map([], |r| {
            Ok(Owing {
                customer_id: r.get(0)?,
                customer_name: r.get(1)?,
                phone: r.get(2)?,
                created_at: r.get(3)?,
                balance_minor: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A customer record as the statement heads it.
pub struct Customer {
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
}

pub fn customer(conn: &Conn, id: i64) -> AppResult<Option<Customer>> {
    Ok(conn
        .prepare_cached("SELECT name, phone, address FROM customers WHERE id = ?")?
        .query_row([id], |r| {
            Ok(Customer {
                name: r.get(0)?,
                phone: r.get(1)?,
                address: r.get(2)?,
            })
        })
        .optional()?)
}

/// Everything that changed what a customer owes, as (at, seq, kind, order id, order number,
/// method, reference, signed amount, tie): each order taken (+ its total), each
/// cancellation (- the total, when it was cancelled; the order's last change if no history
/// says so), and each journal entry, which takes off what it added to the amount paid
/// ([`PAID_EFFECT`]: a payment -, a refund +, a void the opposite of what it reverses).
/// Orders from before payments were recorded (`untracked`) are left out: what was paid on
/// them is not known. Takes the customer id three times.
fn events_sql() -> String {
    format!(
        "
    SELECT o.created_at AS at, 0 AS seq, 'order' AS kind, o.id AS order_id, o.order_number,
           NULL AS method, NULL AS reference, o.total_amount_minor AS amount, 0 AS tie
    FROM orders o WHERE o.customer_id = ? AND o.payment_status <> 'untracked'
    UNION ALL
    SELECT COALESCE((SELECT MAX(h.created_at) FROM order_status_history h
                     WHERE h.order_id = o.id AND h.to_status = 'cancelled'), o.updated_at),
           2, 'cancellation', o.id, o.order_number, NULL, NULL, -o.total_amount_minor, 0
    FROM orders o
    WHERE o.customer_id = ? AND o.payment_status <> 'untracked' AND o.status = 'cancelled'
    UNION ALL
    SELECT p.paid_at, 1, p.kind, o.id, o.order_number, p.method, p.reference, -({PAID_EFFECT}), p.id
    FROM payments p JOIN orders o ON o.id = p.order_id LEFT JOIN payments t ON t.id = p.voids_id
    WHERE o.customer_id = ? AND o.payment_status <> 'untracked'"
    )
}

/// What the customer owed before `before`.
pub fn balance_before(conn: &Conn, customer_id: i64, before: &str) -> AppResult<Total> {
    let sum: Total = conn
        .prepare_cached(&format!(
            "SELECT COALESCE(SUM(e.amount), 0) FROM ({}) e WHERE e.at < ?",
            events_sql()
        ))?
        .query_row(rusqlite::params![customer_id, customer_id, customer_id, before], |r| {
            r.get(0)
        })?;
    Ok(sum)
}

pub struct Event {
    pub at: String,
    pub kind: String,
    pub order_id: i64,
    pub order_number: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub amount_minor: i64,
}

/// The events in `[from, to)`, oldest first, at most `limit`.
pub fn events(conn: &Conn, customer_id: i64, from: &str, to: &str, limit: i64) -> AppResult<Vec<Event>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT e.at, e.kind, e.order_id, e.order_number, e.method, e.reference, e.amount
             FROM ({}) e WHERE e.at >= ? AND e.at < ?
             ORDER BY e.at, e.seq, e.order_id, e.tie LIMIT ?",
            events_sql()
        ))?
        .query_map(
            rusqlite::params![customer_id, customer_id, customer_id, from, to, limit],
            |r| {
                Ok(Event {
                    at: r.get(0)?,
                    kind: r.get(1)?,
                    order_id: r.get(2)?,
                    order_number: r.get(3)?,
                    method: r.get(4)?,
                    reference: r.get(5)?,
                    amount_minor: r.get(6)?,
                })
            },
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
