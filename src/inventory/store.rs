//! The SQL of stock and its ledger.

use rusqlite::{Connection, OptionalExtension, params};

use super::Reason;
use crate::error::{AppError, AppResult};

/// What a stock movement refers to.
#[derive(Clone, Copy, Default)]
pub struct MovementRefs<'a> {
    pub order_id: Option<i64>,
    pub user_id: Option<i64>,
    pub note: Option<&'a str>,
}

/// Moves a product's stock by `delta` and records it; returns the new balance.
///
/// The update is conditional (`stock + delta >= 0`), so two requests racing for the last items
/// cannot both succeed; the CHECK constraint backs it up. Not enough stock is a 409
/// `insufficient_stock` naming the product.
pub fn change_stock(
    conn: &Connection,
    product_id: i64,
    delta: i64,
    reason: Reason,
    refs: MovementRefs,
    now: &str,
) -> AppResult<i64> {
    if delta == 0 {
        return current_stock(conn, product_id);
    }
    let balance: Option<i64> = conn
        .prepare_cached(
            "UPDATE products SET stock_quantity = stock_quantity + ?1, updated_at = ?3
             WHERE id = ?2 AND stock_quantity + ?1 >= 0 RETURNING stock_quantity",
        )?
        .query_row(params![delta, product_id, now], |r| r.get(0))
        .optional()?;
    let Some(balance) = balance else {
        let available = current_stock(conn, product_id)?;
        return Err(insufficient(conn, product_id, -delta, available)?);
    };
    conn.prepare_cached(
        "INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, order_id, user_id, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![product_id, delta, balance, reason.as_str(), refs.order_id, refs.user_id, refs.note, now])?;
    Ok(balance)
}

fn current_stock(conn: &Connection, product_id: i64) -> AppResult<i64> {
    conn.prepare_cached("SELECT stock_quantity FROM products WHERE id = ?")?
        .query_row([product_id], |r| r.get(0))
        .map_err(crate::db::not_found_as("product"))
}

fn insufficient(
    conn: &Connection,
    product_id: i64,
    requested: i64,
    available: i64,
) -> AppResult<AppError> {
    let (name, sku): (String, String) = conn
        .prepare_cached("SELECT name, sku FROM products WHERE id = ?")?
        .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(AppError::conflict(
        "insufficient_stock",
        format!(
            "not enough stock for {name} ({sku}): {requested} requested, {available} available"
        ),
        serde_json::json!({ "product_id": product_id, "sku": sku, "name": name, "requested": requested, "available": available }),
    ))
}
