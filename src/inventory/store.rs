//! The SQL of stock and its ledger.

use rusqlite::params;
use serde::Serialize;
use utoipa::ToSchema;

use super::Reason;
use crate::db::{Conn, OptionalExtension};
use crate::error::{AppError, AppResult};
use crate::http::list::Paging;

/// What a stock movement refers to.
#[derive(Clone, Copy, Default)]
pub struct MovementRefs<'a> {
    pub order_id: Option<i64>,
    pub purchase_order_id: Option<i64>,
    pub user_id: Option<i64>,
    pub note: Option<&'a str>,
}

/// Moves a product's stock by `delta` and records it; returns the new balance.
///
/// [`take`] then [`record`]: callers that must lock products before anything else (an order
/// takes all its products, in id order, before its number and its row) call the two apart.
pub fn change_stock(
    conn: &Conn,
    product_id: i64,
    delta: i64,
    reason: Reason,
    refs: MovementRefs,
    now: &str,
) -> AppResult<i64> {
    let balance = take(conn, product_id, delta, now)?;
    if delta != 0 {
        record(conn, product_id, delta, balance, reason, refs, now)?;
    }
    Ok(balance)
}

/// Moves a product's stock by `delta` without recording it; returns the new balance.
///
/// The update is conditional (`stock + delta >= 0`), so two requests racing for the last items
/// cannot both succeed, whichever engine and however many servers; the CHECK constraint backs it
/// up. Not enough stock is a 409 `insufficient_stock` naming the product. Nothing is read before
/// the write: the balance is what the write left. On PostgreSQL it comes from `RETURNING`. On
/// SQLite it is read right after the update, inside the same write transaction, which no other
/// writer can enter. (SQLite builds a temporary table for every `RETURNING`, and this runs for
/// every line of every order.) The updated row stays locked until commit on both engines, so the
/// balance is this transaction's own.
pub fn take(conn: &Conn, product_id: i64, delta: i64, now: &str) -> AppResult<i64> {
    if delta == 0 {
        return current_stock(conn, product_id);
    }
    const UPDATE: &str = "UPDATE products SET stock_quantity = stock_quantity + ?1, updated_at = ?3
                          WHERE id = ?2 AND stock_quantity + ?1 >= 0";
    let balance = if conn.is_postgres() {
        conn.prepare_cached(&format!("{UPDATE} RETURNING stock_quantity"))?
            .query_row(params![delta, product_id, now], |r| r.get(0))
            .optional()?
    } else {
        let changed = conn.prepare_cached(UPDATE)?.execute(params![delta, product_id, now])?;
        match changed {
            0 => None,
            _ => Some(current_stock(conn, product_id)?),
        }
    };
    match balance {
        Some(balance) => Ok(balance),
        None => {
            // Missing (a 404) or short (the 409 says what is left).
            let stock = current_stock(conn, product_id)?;
            Err(insufficient(conn, product_id, -delta, stock)?)
        }
    }
}

/// Writes the ledger row of a movement [`take`] made: `balance` is what `take` returned.
pub fn record(
    conn: &Conn,
    product_id: i64,
    delta: i64,
    balance: i64,
    reason: Reason,
    refs: MovementRefs,
    now: &str,
) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, order_id, user_id, note, created_at,
                                          purchase_order_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![product_id, delta, balance, reason.as_db(), refs.order_id, refs.user_id, refs.note, now, refs.purchase_order_id])?;
    Ok(())
}

/// Locks a product's row until the transaction ends, for writes that read it first and write
/// what they read (a stock correction to a target, a moving-average cost, a patch of some
/// fields). On SQLite the write transaction already excludes every other writer; on PostgreSQL
/// this is `SELECT .. FOR UPDATE`. Products are the first rows any writer locks (by id).
pub fn lock_product(conn: &Conn, product_id: i64) -> AppResult<()> {
    if conn.is_postgres() {
        conn.prepare_cached("SELECT id FROM products WHERE id = ? FOR UPDATE")?
            .query_row([product_id], |r| r.get::<_, i64>(0))
            .map_err(crate::db::not_found_as("product"))?;
    }
    Ok(())
}

fn current_stock(conn: &Conn, product_id: i64) -> AppResult<i64> {
    conn.prepare_cached("SELECT stock_quantity FROM products WHERE id = ?")?
        .query_row([product_id], |r| r.get(0))
        .map_err(crate::db::not_found_as("product"))
}

fn insufficient(conn: &Conn, product_id: i64, requested: i64, available: i64) -> AppResult<AppError> {
    let (name, sku): (String, String) = conn
        .prepare_cached("SELECT name, sku FROM products WHERE id = ?")?
        .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(AppError::conflict(
        "insufficient_stock",
        format!("not enough stock for {name} ({sku}): {requested} requested, {available} available"),
        serde_json::json!({ "product_id": product_id, "sku": sku, "name": name, "requested": requested, "available": available }),
    ))
}

/// One row of a product's stock ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct Movement {
    pub id: i64,
    /// Signed change of stock.
    pub quantity_delta: i64,
    /// The stock right after this movement (the running balance).
    pub balance_after: i64,
    pub reason: Reason,
    pub order_id: Option<i64>,
    pub order_number: Option<String>,
    /// The purchase order goods came in on or went back against.
    pub purchase_order_id: Option<i64>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
}

/// The orders `sort` may ask of the ledger: by time, which is the order of ids.
pub const MOVEMENT_SORTS: &[(&str, &str)] = &[("created_at", "m.id"), ("id", "m.id")];

/// A product's ledger, in `order_by` (from [`MOVEMENT_SORTS`]; newest first by default).
pub fn movements(conn: &Conn, product_id: i64, paging: &Paging, order_by: &str) -> AppResult<(Vec<Movement>, i64)> {
    let total: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM inventory_movements WHERE product_id = ?")?
        .query_row([product_id], |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!(
            "SELECT m.id, m.quantity_delta, m.balance_after, m.reason, m.order_id, o.order_number, m.user_id, u.username,
                    m.note, m.created_at, m.purchase_order_id
             FROM inventory_movements m
             LEFT JOIN orders o ON o.id = m.order_id LEFT JOIN users u ON u.id = m.user_id
             WHERE m.product_id = ? ORDER BY {order_by} LIMIT ? OFFSET ?"
        ))?
        .query_map(params![product_id, paging.limit(), paging.offset()], |r| {
            Ok(Movement {
                id: r.get(0)?,
                quantity_delta: r.get(1)?,
                balance_after: r.get(2)?,
                reason: r.get(3)?,
                order_id: r.get(4)?,
                order_number: r.get(5)?,
                purchase_order_id: r.get(10)?,
                user_id: r.get(6)?,
                username: r.get(7)?,
                note: r.get(8)?,
                created_at: r.get(9)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}
