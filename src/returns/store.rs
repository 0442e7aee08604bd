//! The SQL of returns.

use rusqlite::params;

use super::types::{OrderReturn, ReturnLine, ReturnReason};
use crate::db::Conn;
use crate::error::AppResult;
use crate::money::Money;

/// Counts `quantity` more units of a line as returned, worth `amount`, unless that would
/// return more than was shipped: a conditional update, so two returns racing for the same
/// units cannot both succeed. False when refused.
pub fn return_units(conn: &Conn, order_id: i64, item_id: i64, quantity: i64, amount: Money) -> AppResult<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE order_items SET returned_quantity = returned_quantity + ?1, returned_minor = returned_minor + ?2
             WHERE id = ?3 AND order_id = ?4 AND returned_quantity + ?1 <= shipped_quantity",
        )?
        .execute(params![quantity, amount.minor(), item_id, order_id])?;
    Ok(changed == 1)
}

/// Adds a return's value to its order's (kept for the sales reports).
pub fn add_returned(conn: &Conn, order_id: i64, amount: Money, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE orders SET returned_minor = returned_minor + ?, updated_at = ? WHERE id = ?")?
        .execute(params![amount.minor(), now, order_id])?;
    Ok(())
}

/// Whether every unit of the order came back.
pub fn all_returned(conn: &Conn, order_id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = ? AND returned_quantity < quantity)",
        )?
        .query_row([order_id], |r| r.get(0))?)
}

pub struct NewReturnRow<'a> {
    pub order_id: i64,
    pub reason: ReturnReason,
    pub note: Option<&'a str>,
    pub user_id: i64,
    pub returned_by: &'a str,
    pub now: &'a str,
}

/// (order_item_id, quantity, restock, amount) per line.
pub type LineRow = (i64, i64, bool, Money);

pub fn insert(conn: &Conn, r: &NewReturnRow, lines: &[LineRow]) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO order_returns (order_id, reason, note, user_id, returned_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        r.order_id,
        r.reason.as_str(),
        r.note,
        r.user_id,
        r.returned_by,
        r.now
    ])?;
    let id = conn.last_insert_rowid()?;
    let mut line = conn.prepare_cached(
        "INSERT INTO return_lines (return_id, order_item_id, quantity, restock, amount_minor) VALUES (?, ?, ?, ?, ?)",
    )?;
    for (item_id, quantity, restock, amount) in lines {
        line.execute(params![id, item_id, quantity, restock, amount.minor()])?;
    }
    Ok(id)
}

/// Names the refund entry given with a return.
pub fn link_refund(conn: &Conn, return_id: i64, payment_id: i64) -> AppResult<()> {
    conn.prepare_cached("UPDATE order_returns SET refund_payment_id = ? WHERE id = ?")?
        .execute(params![payment_id, return_id])?;
    Ok(())
}

/// An order's returns, oldest first, with their lines.
pub fn for_order(conn: &Conn, order_id: i64) -> AppResult<Vec<OrderReturn>> {
    let mut returns: Vec<OrderReturn> = conn
        .prepare_cached(
            "SELECT r.id, r.order_id, r.reason, r.note, r.refund_payment_id, p.amount_minor, r.returned_by, r.created_at
             FROM order_returns r LEFT JOIN payments p ON p.id = r.refund_payment_id
             WHERE r.order_id = ? ORDER BY r.id",
        )?
        .query_map([order_id], |r| {
            Ok(OrderReturn {
                id: r.get(0)?,
                order_id: r.get(1)?,
                reason: r.get(2)?,
                note: r.get(3)?,
                amount: Money::ZERO,
                refund_payment_id: r.get(4)?,
                refund_amount: r.get::<_, Option<i64>>(5)?.map(Money::from_minor),
                returned_by: r.get(6)?,
                created_at: r.get(7)?,
                lines: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    if returns.is_empty() {
        return Ok(returns);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT l.return_id, l.order_item_id, i.product_name, i.sku, l.quantity, l.restock, l.amount_minor
         FROM order_returns r JOIN return_lines l ON l.return_id = r.id JOIN order_items i ON i.id = l.order_item_id
         WHERE r.order_id = ? ORDER BY l.return_id, i.id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            ReturnLine {
                order_item_id: r.get(1)?,
                product_name: r.get(2)?,
                sku: r.get(3)?,
                quantity: r.get(4)?,
                restock: r.get(5)?,
                amount: Money::from_minor(r.get(6)?),
            },
        ))
    })?;
    for row in rows {
        let (return_id, line) = row?;
        if let Some(r) = returns.iter_mut().find(|r| r.id == return_id) {
            r.amount = Money::from_minor(r.amount.minor() + line.amount.minor());
            r.lines.push(line);
        }
    }
    Ok(returns)
}
