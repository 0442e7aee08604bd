//! The SQL of price levels.

use rusqlite::params;

use super::types::{LevelPrice, PriceLevel};
use crate::db::constraint::on_unique;
use crate::db::{Conn, OptionalExtension, Row, not_found_as};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::pricing::Percent;

const SELECT: &str = "SELECT l.id, l.name, l.discount_bp,
        (SELECT COUNT(*) FROM price_level_prices p WHERE p.level_id = l.id),
        (SELECT COUNT(*) FROM customers c WHERE c.price_level_id = l.id),
        l.created_at, l.updated_at
    FROM price_levels l";

fn level_from_row(r: &Row) -> crate::db::Result<PriceLevel> {
    Ok(PriceLevel {
        id: r.get(0)?,
        name: r.get(1)?,
        discount_percent: r.get(2)?,
        price_count: r.get(3)?,
        customer_count: r.get(4)?,
        created_at: r.get(5)?,
        updated_at: r.get(6)?,
    })
}

pub fn list(conn: &Conn) -> AppResult<Vec<PriceLevel>> {
    let rows = conn
        .prepare_cached(&format!("{SELECT} ORDER BY l.name, l.id"))?
        .query_map([], level_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn get(conn: &Conn, id: i64) -> AppResult<PriceLevel> {
    conn.prepare_cached(&format!("{SELECT} WHERE l.id = ?"))?
        .query_row([id], level_from_row)
        .map_err(not_found_as("price level"))
}

pub fn exists(conn: &Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM price_levels WHERE id = ?")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

fn name_taken(name: &str) -> impl FnOnce() -> AppError + '_ {
    move || {
        AppError::conflict(
            "price_level_exists",
            format!("a price level called {name} already exists"),
            serde_json::json!({ "field": "name" }),
        )
    }
}

pub fn insert(conn: &Conn, name: &str, discount: Percent, now: &str) -> AppResult<i64> {
    conn.prepare_cached("INSERT INTO price_levels (name, discount_bp, created_at, updated_at) VALUES (?, ?, ?, ?)")?
        .execute(params![name, discount.bp(), now, now])
        .map_err(on_unique("price_levels.name", name_taken(name)))?;
    Ok(conn.last_insert_rowid()?)
}

pub fn update(conn: &Conn, id: i64, name: &str, discount: Percent, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE price_levels SET name = ?, discount_bp = ?, updated_at = ? WHERE id = ?")?
        .execute(params![name, discount.bp(), now, id])
        .map_err(on_unique("price_levels.name", name_taken(name)))?;
    Ok(())
}

/// Deletes a level; its customers keep their orders and go back to regular prices.
pub fn delete(conn: &Conn, id: i64) -> AppResult<()> {
    conn.prepare_cached("UPDATE customers SET price_level_id = NULL WHERE price_level_id = ?")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM price_level_prices WHERE level_id = ?")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM price_levels WHERE id = ?")?
        .execute([id])?;
    Ok(())
}

pub fn prices(conn: &Conn, level_id: i64) -> AppResult<Vec<LevelPrice>> {
    let rows = conn
        .prepare_cached(
            "SELECT p.id, p.sku, p.name, p.price_minor, lp.price_minor
             FROM price_level_prices lp JOIN products p ON p.id = lp.product_id
             WHERE lp.level_id = ? ORDER BY p.name_sort, p.id",
        )?
        .query_map([level_id], |r| {
            Ok(LevelPrice {
                product_id: r.get(0)?,
                sku: r.get(1)?,
                name: r.get(2)?,
                regular_price: Money::from_minor(r.get(3)?),
                price: Money::from_minor(r.get(4)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Sets a product's price at a level (an upsert both engines accept).
pub fn set_price(conn: &Conn, level_id: i64, product_id: i64, price: Money) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO price_level_prices (level_id, product_id, price_minor) VALUES (?, ?, ?)
         ON CONFLICT (level_id, product_id) DO UPDATE SET price_minor = excluded.price_minor",
    )?
    .execute(params![level_id, product_id, price.minor()])?;
    Ok(())
}

/// Removes a product's own price at a level; whether there was one.
pub fn remove_price(conn: &Conn, level_id: i64, product_id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM price_level_prices WHERE level_id = ? AND product_id = ?")?
        .execute(params![level_id, product_id])?
        > 0)
}

/// The level a customer's orders are priced at.
#[derive(Clone, Debug)]
pub struct CustomerLevel {
    pub id: i64,
    pub name: String,
    /// Off every product without a price of its own at the level.
    pub discount: Percent,
}

pub fn for_customer(conn: &Conn, customer_id: i64) -> AppResult<Option<CustomerLevel>> {
    Ok(conn
        .prepare_cached(
            "SELECT l.id, l.name, l.discount_bp FROM customers c JOIN price_levels l ON l.id = c.price_level_id WHERE c.id = ?",
        )?
        .query_row([customer_id], |r| {
            Ok(CustomerLevel {
                id: r.get(0)?,
                name: r.get(1)?,
                discount: r.get(2)?,
            })
        })
        .optional()?)
}

/// A product's own price at a level, if it has one.
pub fn price_of(conn: &Conn, level_id: i64, product_id: i64) -> AppResult<Option<Money>> {
    Ok(conn
        .prepare_cached("SELECT price_minor FROM price_level_prices WHERE level_id = ? AND product_id = ?")?
        .query_row(params![level_id, product_id], |r| Ok(Money::from_minor(r.get(0)?)))
        .optional()?)
}
