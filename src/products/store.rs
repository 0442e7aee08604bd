//! The SQL of products.

use std::sync::LazyLock;

use rusqlite::params;
use rusqlite::types::Value;

use super::types::{Product, ProductStatus, sku_key};
use crate::db::constraint::{Kind, broke, on_unique};
use crate::db::{Conditions, Conn, OptionalExtension, Row, not_found_as, params_from_iter};
use crate::error::{AppError, AppResult};
use crate::http::list::Paging;
use crate::money::Money;
use crate::validate::{initials, sort_key};

/// The low-stock rule in SQL: below the product's own threshold, or else the shop's default
/// from the settings table (read by the statement itself, so no caller has to pass it).
const LOW_STOCK: &str = "stock_quantity < COALESCE(low_stock_threshold, \
     (SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'default_low_stock_threshold'), 10)";

/// The selected columns, computed once.
static COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "id, sku, name, description, price_minor, stock_quantity, low_stock_threshold, status, created_at, updated_at, \
         ({LOW_STOCK}) AS is_low, tax_rate_bp, category_id, unit, barcode, cost_minor, photo_sha256"
    )
});

fn columns() -> &'static str {
    &COLUMNS
}

fn product_from_row(row: &Row) -> crate::db::Result<Product> {
    let id = row.get(0)?;
    Ok(Product {
        id,
        sku: row.get(1)?,
        name: row.get(2)?,
        description: row.get(3)?,
        price: Money::from_minor(row.get(4)?),
        stock_quantity: row.get(5)?,
        low_stock_threshold: row.get(6)?,
        is_low_stock: row.get(10)?,
        status: row.get(7)?,
        tax_rate: row.get(11)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        category_id: row.get(12)?,
        unit: row.get(13)?,
        barcode: row.get(14)?,
        cost_price: row.get::<_, Option<i64>>(15)?.map(Money::from_minor),
        photo_url: row
            .get::<_, Option<String>>(16)?
            .map(|sha| super::types::photo_url(id, &sha)),
    })
}

pub fn get(conn: &Conn, id: i64) -> AppResult<Product> {
    conn.prepare_cached(&format!("SELECT {} FROM products WHERE id = ?", columns()))?
        .query_row([id], product_from_row)
        .map_err(not_found_as("product"))
}

/// What an order line captures of a product, if it exists: name, SKU, price, and whether it
/// may be ordered. One primary-key lookup per line is cheaper for SQLite than an `IN` list,
/// which it sorts into a temporary table first.
pub fn for_order_line(conn: &Conn, id: i64) -> AppResult<Option<ForOrderLine>> {
    Ok(conn
        .prepare_cached("SELECT name, sku, price_minor, status, tax_rate_bp FROM products WHERE id = ?")?
        .query_row([id], |r| {
            Ok(ForOrderLine {
                name: r.get(0)?,
                sku: r.get(1)?,
                price: Money::from_minor(r.get(2)?),
                status: r.get(3)?,
                tax_rate: r.get(4)?,
            })
        })
        .optional()?)
}

pub struct ForOrderLine {
    pub name: String,
    pub sku: String,
    pub price: Money,
    pub status: ProductStatus,
    /// None: the shop's default.
    pub tax_rate: Option<crate::pricing::Percent>,
}

/// Inserts a product with zero stock; the caller records its initial stock in the ledger.
pub fn insert(conn: &Conn, p: &Product) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO products (sku, sku_key, name, name_sort, description, price_minor, stock_quantity, low_stock_threshold, status, created_at, updated_at, tax_rate_bp,
                               category_id, unit, barcode, barcode_key, cost_minor, name_initials)
         VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![p.sku, sku_key(&p.sku), p.name, sort_key(&p.name), p.description, p.price.minor(), p.low_stock_threshold, p.status.as_str(), p.created_at, p.updated_at, p.tax_rate.map(|r| r.bp()),
        p.category_id, p.unit, p.barcode, p.barcode.as_deref().map(sku_key), p.cost_price.map(Money::minor), initials(&p.name)])
    .map_err(clash(p))?;
    Ok(conn.last_insert_rowid()?)
}

/// Writes back every field but the stock, which only the ledger moves. The SKU's key is set
/// only when the SKU changes: a product whose key was left empty because it looked like
/// another's (see db::normalize) can still be edited, and gets its key once renamed.
pub fn update(conn: &Conn, p: &Product) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE products SET sku_key = CASE WHEN sku = ?1 THEN sku_key ELSE ?2 END, sku = ?1, name = ?3, description = ?4,
                price_minor = ?5, low_stock_threshold = ?6, status = ?7, updated_at = ?8, name_sort = ?10, tax_rate_bp = ?11,
                category_id = ?12, unit = ?13, barcode_key = CASE WHEN barcode IS NOT DISTINCT FROM ?14 THEN barcode_key ELSE ?15 END, barcode = ?14,
                cost_minor = ?16, name_initials = ?17
         WHERE id = ?9",
    )?
    .execute(params![p.sku, sku_key(&p.sku), p.name, p.description, p.price.minor(), p.low_stock_threshold, p.status.as_str(), p.updated_at, p.id, sort_key(&p.name), p.tax_rate.map(|r| r.bp()),
        p.category_id, p.unit, p.barcode, p.barcode.as_deref().map(sku_key), p.cost_price.map(Money::minor), initials(&p.name)])
    .map_err(clash(p))?;
    Ok(())
}

/// A taken SKU or barcode as the 409 that names it; other errors as usual.
fn clash(p: &Product) -> impl FnOnce(crate::db::Error) -> AppError + '_ {
    move |err| {
        if broke(&err, Kind::Unique, "products.barcode_key") {
            let barcode = p.barcode.as_deref().unwrap_or_default();
            AppError::conflict(
                "barcode_taken",
                format!("another product already has the barcode {barcode}"),
                serde_json::json!({ "field": "barcode", "barcode": barcode }),
            )
        } else {
            on_unique("products.sku", || sku_taken(&p.sku))(err)
        }
    }
}

fn sku_taken(sku: &str) -> AppError {
    AppError::conflict(
        "sku_taken",
        format!("another product already has the SKU {sku}"),
        serde_json::json!({ "field": "sku", "sku": sku }),
    )
}

#[derive(Default)]
pub struct ProductFilter {
    pub status: Option<ProductStatus>,
    pub low_stock: Option<bool>,
    /// In this category or, for a top-level one, in any under it.
    pub category_id: Option<i64>,
}

/// The list's filters and search as a WHERE clause; exports use it too. The search finds
/// names and SKUs containing it, a whole barcode, and, when it is letters only, the pinyin
/// initials of names (`jly` finds 金龙鱼).
fn conditions(f: &ProductFilter, search: Option<&str>) -> Conditions {
    let mut w = Conditions::default();
    if let Some(q) = search {
        let pattern = crate::http::list::like_pattern(q);
        let mut sql = "(name LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\' OR barcode_key = ?".to_owned();
        let mut values = vec![
            Value::Text(pattern.clone()),
            Value::Text(pattern),
            Value::Text(sku_key(q)),
        ];
        if q.len() >= 2 && q.bytes().all(|b| b.is_ascii_alphabetic()) {
            sql.push_str(" OR name_initials LIKE ?");
            values.push(Value::Text(crate::http::list::like_pattern(&q.to_ascii_lowercase())));
        }
        sql.push(')');
        w.add(sql, values);
    }
    if let Some(status) = f.status {
        w.add("status = ?", [Value::Text(status.as_str().into())]);
    }
    if let Some(low) = f.low_stock {
        w.add(format!("({LOW_STOCK}) = ?"), [Value::Integer(low.into())]);
    }
    if let Some(category) = f.category_id {
        w.add(
            "category_id IN (SELECT id FROM categories WHERE id = ? OR parent_id = ?)",
            [Value::Integer(category), Value::Integer(category)],
        );
    }
    w
}

pub fn list(conn: &Conn, f: &ProductFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<Product>, i64)> {
    let w = conditions(f, paging.search.as_deref());
    let where_sql = w.sql();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM products {where_sql}"))?
        .query_row(params_from_iter(w.values()), |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!(
            "SELECT {} FROM products {where_sql} ORDER BY {order_by} LIMIT ? OFFSET ?",
            columns()
        ))?
        .query_map(
            params_from_iter(w.values_and([Value::Integer(paging.limit()), Value::Integer(paging.offset())])),
            product_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// Active products below their threshold, lowest stock first.
pub fn low_stock(conn: &Conn, limit: i64) -> AppResult<Vec<Product>> {
    let items = conn
        .prepare_cached(&format!(
            // `status || ''`: filter on status without its index, so SQLite walks products_stock
            // in order and stops at the limit; with the status index (which planner statistics
            // favour) it sorted every active product on every dashboard. (SQLite's usual `+status`
            // says the same, but is not PostgreSQL's.)
            "SELECT {} FROM products WHERE status || '' = 'active' AND {LOW_STOCK} ORDER BY stock_quantity ASC, id ASC LIMIT ?",
            columns()
        ))?
        .query_map([limit], product_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(items)
}

pub fn count(conn: &Conn) -> AppResult<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM products")?
        .query_row([], |r| r.get(0))?)
}

/// How many active products are below their low-stock threshold.
pub fn low_stock_count(conn: &Conn) -> AppResult<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM products WHERE status = 'active' AND {LOW_STOCK}"
        ))?
        .query_row([], |r| r.get(0))?)
}

/// Calls `each` for every product the filters and search select, by name, reading row by row.
pub fn for_each(
    conn: &Conn,
    f: &ProductFilter,
    search: Option<&str>,
    mut each: impl FnMut(&Product) -> AppResult<()>,
) -> AppResult<()> {
    let w = conditions(f, search);
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM products {} ORDER BY name_sort, id",
        columns(),
        w.sql()
    ))?;
    let mut rows = stmt.query(params_from_iter(w.values()))?;
    while let Some(row) = rows.next()? {
        each(&product_from_row(&row)?)?;
    }
    Ok(())
}

/// The product whose barcode or SKU is `code` (a scan), whatever its case or width; the
/// barcode wins when one product's barcode is another's SKU.
pub fn by_code(conn: &Conn, code: &str) -> AppResult<Option<Product>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM products WHERE barcode_key = ?1 OR sku_key = ?1 ORDER BY barcode_key = ?1 DESC LIMIT 1",
            columns()
        ))?
        .query_row([sku_key(code)], product_from_row)
        .optional()?)
}

/// The id of the product with this SKU, if any.
pub fn id_by_sku(conn: &Conn, sku: &str) -> AppResult<Option<i64>> {
    use crate::db::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT id FROM products WHERE sku_key = ?1 OR (sku_key IS NULL AND sku = ?2)")?
        .query_row([sku_key(sku), sku.to_owned()], |r| r.get(0))
        .optional()?)
}
