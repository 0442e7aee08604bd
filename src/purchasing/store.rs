//! The SQL of purchase orders, their lines and receipts.

use rusqlite::params;
use rusqlite::types::Value;

use super::types::{
    PoLine, PoStatus, PurchaseOrder, PurchaseOrderDetail, Receipt, ReceiptKind, ReceiptLine, ReorderSuggestion,
    po_number,
};
use crate::db::{Conditions, Conn, Row, not_found_as, params_from_iter};
use crate::error::{AppError, AppResult};
use crate::http::list::Paging;
use crate::money::Money;

const SELECT: &str = "SELECT o.id, o.supplier_id, s.name, o.status, o.note, o.total_minor,
        (SELECT COALESCE(SUM(quantity), 0) FROM purchase_order_lines WHERE purchase_order_id = o.id),
        (SELECT COALESCE(SUM(received_quantity), 0) FROM purchase_order_lines WHERE purchase_order_id = o.id),
        o.created_at, o.updated_at, o.ordered_at
     FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id";

fn from_row(r: &Row) -> crate::db::Result<PurchaseOrder> {
    let id = r.get(0)?;
    Ok(PurchaseOrder {
        id,
        number: po_number(id),
        supplier_id: r.get(1)?,
        supplier_name: r.get(2)?,
        status: r.get(3)?,
        note: r.get(4)?,
        total: Money::from_minor(r.get(5)?),
        quantity: r.get(6)?,
        received_quantity: r.get(7)?,
        created_at: r.get(8)?,
        updated_at: r.get(9)?,
        ordered_at: r.get(10)?,
    })
}

pub fn get(conn: &Conn, id: i64) -> AppResult<PurchaseOrder> {
    conn.prepare_cached(&format!("{SELECT} WHERE o.id = ?"))?
        .query_row([id], from_row)
        .map_err(not_found_as("purchase order"))
}

pub fn lines(conn: &Conn, id: i64) -> AppResult<Vec<PoLine>> {
    Ok(conn
        .prepare_cached(
            "SELECT l.id, l.product_id, p.sku, p.name, p.unit, l.quantity, l.unit_cost_minor, l.received_quantity,
                    l.returned_quantity
             FROM purchase_order_lines l JOIN products p ON p.id = l.product_id
             WHERE l.purchase_order_id = ? ORDER BY l.id",
        )?
        .query_map([id], |r| {
            Ok(PoLine {
                id: r.get(0)?,
                product_id: r.get(1)?,
                sku: r.get(2)?,
                product_name: r.get(3)?,
                unit: r.get(4)?,
                quantity: r.get(5)?,
                unit_cost: r.get::<_, Option<i64>>(6)?.map(Money::from_minor),
                received_quantity: r.get(7)?,
                returned_quantity: r.get(8)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?)
}

pub fn receipts(conn: &Conn, id: i64) -> AppResult<Vec<Receipt>> {
    let mut receipts: Vec<Receipt> = conn
        .prepare_cached(
            "SELECT id, kind, note, created_by, created_at FROM purchase_receipts WHERE purchase_order_id = ? ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(Receipt {
                id: r.get(0)?,
                kind: r.get(1)?,
                note: r.get(2)?,
                created_by: r.get(3)?,
                created_at: r.get(4)?,
                lines: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT rl.receipt_id, rl.line_id, rl.quantity FROM purchase_receipt_lines rl
         JOIN purchase_receipts r ON r.id = rl.receipt_id WHERE r.purchase_order_id = ? ORDER BY rl.line_id",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (receipt, line_id, quantity) = row?;
        if let Some(r) = receipts.iter_mut().find(|r| r.id == receipt) {
            r.lines.push(ReceiptLine { line_id, quantity });
        }
    }
    Ok(receipts)
}

pub fn detail(conn: &Conn, id: i64) -> AppResult<PurchaseOrderDetail> {
    Ok(PurchaseOrderDetail {
        order: get(conn, id)?,
        lines: lines(conn, id)?,
        receipts: receipts(conn, id)?,
    })
}

#[derive(Default)]
pub struct PoFilter {
    pub status: Option<PoStatus>,
    pub supplier_id: Option<i64>,
}

pub fn list(conn: &Conn, f: &PoFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<PurchaseOrder>, i64)> {
    let mut w = Conditions::default();
    if let Some(status) = f.status {
        w.add("o.status = ?", [Value::Text(status.as_str().into())]);
    }
    if let Some(supplier) = f.supplier_id {
        w.add("o.supplier_id = ?", [Value::Integer(supplier)]);
    }
    if let Some(pattern) = paging.like_pattern() {
        w.add(
            "(s.name LIKE ? ESCAPE '\\' OR o.note LIKE ? ESCAPE '\\')",
            [Value::Text(pattern.clone()), Value::Text(pattern)],
        );
    }
    let where_sql = w.sql();
    let total: i64 = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id {where_sql}"
        ))?
        .query_row(params_from_iter(w.values()), |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!("{SELECT} {where_sql} ORDER BY {order_by} LIMIT ? OFFSET ?"))?
        .query_map(
            params_from_iter(w.values_and([Value::Integer(paging.limit()), Value::Integer(paging.offset())])),
            from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// A validated line to write.
pub struct NewLine {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_cost: Option<Money>,
}

pub fn insert(conn: &Conn, supplier_id: i64, note: Option<&str>, user_id: i64, now: &str) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO purchase_orders (supplier_id, status, note, user_id, created_at, updated_at)
         VALUES (?, 'draft', ?, ?, ?, ?)",
    )?
    .execute(params![supplier_id, note, user_id, now, now])?;
    Ok(conn.last_insert_rowid()?)
}

/// Replaces a draft's lines and its total.
pub fn set_lines(conn: &Conn, id: i64, lines: &[NewLine]) -> AppResult<()> {
    conn.prepare_cached("DELETE FROM purchase_order_lines WHERE purchase_order_id = ?")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO purchase_order_lines (purchase_order_id, product_id, quantity, unit_cost_minor) VALUES (?, ?, ?, ?)",
    )?;
    let mut total: i64 = 0;
    for l in lines {
        insert.execute(params![id, l.product_id, l.quantity, l.unit_cost.map(Money::minor)])?;
        let cost = l.unit_cost.unwrap_or(Money::ZERO).times(l.quantity);
        total = cost
            .and_then(|c| total.checked_add(c.minor()))
            .filter(|t| *t <= Money::MAX_ORDER_TOTAL.minor())
            .ok_or_else(|| {
                AppError::validation(
                    "lines",
                    format!("the order comes to more than {}", Money::MAX_ORDER_TOTAL),
                )
            })?;
    }
    conn.prepare_cached("UPDATE purchase_orders SET total_minor = ? WHERE id = ?")?
        .execute(params![total, id])?;
    Ok(())
}

pub fn set_header(conn: &Conn, id: i64, supplier_id: i64, note: Option<&str>, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE purchase_orders SET supplier_id = ?, note = ?, updated_at = ? WHERE id = ?")?
        .execute(params![supplier_id, note, now, id])?;
    Ok(())
}

/// Moves the order from `from` to `to`, only if it is still in `from`: false when another
/// change got there first.
pub fn move_status(conn: &Conn, id: i64, from: PoStatus, to: PoStatus, now: &str) -> AppResult<bool> {
    let ordered_at = (to == PoStatus::Ordered).then_some(now);
    Ok(conn
        .prepare_cached(
            "UPDATE purchase_orders SET status = ?, updated_at = ?, ordered_at = COALESCE(?, ordered_at)
             WHERE id = ? AND status = ?",
        )?
        .execute(params![to.as_str(), now, ordered_at, id, from.as_str()])?
        == 1)
}

pub fn insert_receipt(
    conn: &Conn,
    id: i64,
    kind: ReceiptKind,
    note: Option<&str>,
    user_id: i64,
    by: &str,
    now: &str,
) -> AppResult<i64> {
    let kind = match kind {
        ReceiptKind::Receipt => "receipt",
        ReceiptKind::Return => "return",
    };
    conn.prepare_cached(
        "INSERT INTO purchase_receipts (purchase_order_id, kind, note, user_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![id, kind, note, user_id, by, now])?;
    Ok(conn.last_insert_rowid()?)
}

pub fn insert_receipt_line(conn: &Conn, receipt_id: i64, line_id: i64, quantity: i64) -> AppResult<()> {
    conn.prepare_cached("INSERT INTO purchase_receipt_lines (receipt_id, line_id, quantity) VALUES (?, ?, ?)")?
        .execute(params![receipt_id, line_id, quantity])?;
    Ok(())
}

/// Counts `quantity` more units received on a line, only if that stays within what was
/// ordered (a conditional update: two receipts racing for the last units cannot both pass).
pub fn receive_on(conn: &Conn, line_id: i64, quantity: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE purchase_order_lines SET received_quantity = received_quantity + ?1
             WHERE id = ?2 AND received_quantity + ?1 <= quantity",
        )?
        .execute(params![quantity, line_id])?
        == 1)
}

/// Counts `quantity` more units sent back on a line, only within what was received and kept.
pub fn return_on(conn: &Conn, line_id: i64, quantity: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE purchase_order_lines SET returned_quantity = returned_quantity + ?1
             WHERE id = ?2 AND returned_quantity + ?1 <= received_quantity",
        )?
        .execute(params![quantity, line_id])?
        == 1)
}

/// Sets a product's cost price, only if its stock is still `stock` (what the average was
/// computed from).
pub fn set_cost(conn: &Conn, product_id: i64, stock: i64, cost: Money, now: &str) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("UPDATE products SET cost_minor = ?, updated_at = ? WHERE id = ? AND stock_quantity = ?")?
        .execute(params![cost.minor(), now, product_id, stock])?
        == 1)
}

/// (stock, cost price) of a product.
pub fn stock_and_cost(conn: &Conn, product_id: i64) -> AppResult<(i64, Option<Money>)> {
    conn.prepare_cached("SELECT stock_quantity, cost_minor FROM products WHERE id = ?")?
        .query_row([product_id], |r| {
            Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.map(Money::from_minor)))
        })
        .map_err(not_found_as("product"))
}

/// Active products at or under their low-stock threshold (their own, or the shop's), with
/// what is on order and a suggested quantity: twice the threshold (at least one), less the
/// stock and what is on order; only those that still need some.
pub fn reorder_suggestions(conn: &Conn) -> AppResult<Vec<ReorderSuggestion>> {
    let rows = conn
        .prepare_cached(
            "WITH candidates AS (
                 SELECT p.id, p.sku, p.name, p.unit, p.stock_quantity, p.cost_minor,
                        COALESCE(p.low_stock_threshold,
                                 (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'default_low_stock_threshold'), 10)
                            AS threshold
                 FROM products p WHERE p.status = 'active'
             )
             SELECT c.id, c.sku, c.name, c.unit, c.stock_quantity, c.threshold,
                    (SELECT COALESCE(SUM(l.quantity - l.received_quantity), 0)
                     FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
                     WHERE l.product_id = c.id AND o.status IN ('draft', 'ordered', 'partially_received')) AS on_order,
                    c.cost_minor, s.id, s.name
             FROM candidates c
             LEFT JOIN suppliers s ON s.id =
                 (SELECT o.supplier_id FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
                  WHERE l.product_id = c.id AND o.status <> 'cancelled' ORDER BY o.id DESC LIMIT 1)
             WHERE c.stock_quantity <= c.threshold
             ORDER BY c.stock_quantity, c.id",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, Option<i64>>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (id, sku, name, unit, stock, threshold, on_order, cost, supplier, last_supplier_name) in rows {
        let suggested = (2 * threshold).max(1) - stock - on_order;
        if suggested <= 0 {
            continue;
        }
        out.push(ReorderSuggestion {
            product_id: id,
            sku,
            name,
            unit,
            stock_quantity: stock,
            low_stock_threshold: threshold,
            on_order,
            suggested_quantity: suggested,
            cost_price: cost.map(Money::from_minor),
            last_supplier_id: supplier,
            last_supplier_name,
        });
    }
    Ok(out)
}

/// Lines whose received or returned counts differ from their receipts, or exceed what was
/// ordered or received (for `check`): (line id, purchase order id, problem).
pub fn mismatches(conn: &Conn) -> AppResult<Vec<(i64, i64, String)>> {
    let rows = conn
        .prepare(
            "SELECT l.id, l.purchase_order_id, l.quantity, l.received_quantity, l.returned_quantity,
                    COALESCE((SELECT SUM(rl.quantity) FROM purchase_receipt_lines rl JOIN purchase_receipts r ON r.id = rl.receipt_id
                              WHERE rl.line_id = l.id AND r.kind = 'receipt'), 0),
                    COALESCE((SELECT SUM(rl.quantity) FROM purchase_receipt_lines rl JOIN purchase_receipts r ON r.id = rl.receipt_id
                              WHERE rl.line_id = l.id AND r.kind = 'return'), 0),
                    COALESCE((SELECT SUM(m.quantity_delta) FROM inventory_movements m
                              WHERE m.purchase_order_id = l.purchase_order_id AND m.product_id = l.product_id
                                AND m.reason = 'purchase'), 0),
                    COALESCE((SELECT -SUM(m.quantity_delta) FROM inventory_movements m
                              WHERE m.purchase_order_id = l.purchase_order_id AND m.product_id = l.product_id
                                AND m.reason = 'purchase_return'), 0)
             FROM purchase_order_lines l
             LIMIT 1000000",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                [r.get::<_, i64>(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?],
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (
        line,
        po,
        [
            ordered,
            received,
            returned,
            receipts_in,
            receipts_back,
            ledger_in,
            ledger_back,
        ],
    ) in rows
    {
        let problem = if received > ordered {
            format!("received {received} of {ordered} ordered")
        } else if returned > received {
            format!("returned {returned} of {received} received")
        } else if received != receipts_in || received != ledger_in {
            format!("received {received}, receipts say {receipts_in}, the stock ledger {ledger_in}")
        } else if returned != receipts_back || returned != ledger_back {
            format!("returned {returned}, receipts say {receipts_back}, the stock ledger {ledger_back}")
        } else {
            continue;
        };
        out.push((line, po, problem));
        if out.len() >= 1000 {
            break;
        }
    }
    Ok(out)
}
