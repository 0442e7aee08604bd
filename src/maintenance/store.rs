//! The SQL of consistency checks and clean-up.

use rusqlite::params;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Conn;
use crate::error::AppResult;

#[derive(Debug, Serialize, ToSchema)]
pub struct StockMismatch {
    pub product_id: i64,
    pub sku: String,
    pub stock_quantity: i64,
    pub ledger_sum: i64,
}

/// Products whose stock is not the sum of their ledger, or is negative.
pub fn stock_mismatches(conn: &Conn) -> AppResult<Vec<StockMismatch>> {
    let rows = conn
        .prepare(
            "SELECT p.id, p.sku, p.stock_quantity, COALESCE(m.total, 0)
             FROM products p LEFT JOIN (SELECT product_id, SUM(quantity_delta) AS total FROM inventory_movements GROUP BY product_id) m
               ON m.product_id = p.id
             WHERE p.stock_quantity <> COALESCE(m.total, 0) OR p.stock_quantity < 0
             ORDER BY p.id LIMIT 1000",
        )?
        .query_map([], |r| Ok(StockMismatch { product_id: r.get(0)?, sku: r.get(1)?, stock_quantity: r.get(2)?, ledger_sum: r.get(3)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Ledger rows whose `balance_after` is not the running sum of their product's movements up to
/// and including them, in id order. Each writer records a movement while it holds the product's
/// row, so ids follow the order the changes were made in.
pub fn balance_mismatches(conn: &Conn) -> AppResult<i64> {
    Ok(conn
        .prepare(
            "SELECT COUNT(*) FROM (
               SELECT balance_after, SUM(quantity_delta) OVER (PARTITION BY product_id ORDER BY id) AS running
               FROM inventory_movements) m
             WHERE m.balance_after <> m.running",
        )?
        .query_row([], |r| r.get(0))?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotalMismatch {
    pub order_id: i64,
    pub order_number: String,
    pub total_minor: i64,
    pub items_sum_minor: i64,
}

/// Orders whose total is not what their lines, tax, discount, 抹零 and fee make.
pub fn total_mismatches(conn: &Conn) -> AppResult<Vec<TotalMismatch>> {
    let rows = conn
        .prepare(
            "SELECT o.id, o.order_number, o.total_amount_minor, COALESCE(i.total, 0)
             FROM orders o LEFT JOIN (SELECT order_id, SUM(line_total_minor) AS total FROM order_items GROUP BY order_id) i
               ON i.order_id = o.id
             WHERE o.total_amount_minor <> COALESCE(i.total, 0) + CASE WHEN o.prices_include_tax = 1 THEN 0 ELSE o.tax_minor END
                                            - o.discount_minor - o.rounding_minor + o.shipping_fee_minor
               AND NOT EXISTS (SELECT 1 FROM imported_total_differences d WHERE d.order_id = o.id
                                 AND d.recorded_total_minor = o.total_amount_minor
                                 AND d.lines_total_minor = COALESCE(i.total, 0))
             ORDER BY o.id LIMIT 1000",
        )?
        .query_map([], |r| {
            Ok(TotalMismatch { order_id: r.get(0)?, order_number: r.get(1)?, total_minor: r.get(2)?, items_sum_minor: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A line or an order whose price or tax does not follow the rules in `pricing`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricingMismatch {
    pub order_id: i64,
    pub order_number: String,
    /// The line, or none when the order's tax is not the sum of its lines'.
    pub item_id: Option<i64>,
    /// `line_total`, `line_tax` or `order_tax`.
    pub problem: String,
}

/// The half-up rules of `pricing` in SQL (integer division, both engines): a discounted
/// line's total, each line's tax, and each order's tax as the sum of its lines'. Lines
/// without a discount are not recomputed: the old system's lines keep what it recorded.
pub fn pricing_mismatches(conn: &Conn) -> AppResult<Vec<PricingMismatch>> {
    const LINE_TOTAL: &str = "(2 * i.unit_price_minor * i.quantity * (10000 - i.discount_bp) + 10000) / 20000";
    const LINE_TAX: &str = "CASE WHEN o.prices_include_tax = 1
             THEN (2 * i.line_total_minor * i.tax_rate_bp + 10000 + i.tax_rate_bp) / (2 * (10000 + i.tax_rate_bp))
             ELSE (2 * i.line_total_minor * i.tax_rate_bp + 10000) / 20000 END";
    let sql = format!(
        "SELECT o.id, o.order_number, i.id,
                CASE WHEN i.discount_bp > 0 AND i.line_total_minor <> {LINE_TOTAL} THEN 'line_total' ELSE 'line_tax' END
         FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE (i.discount_bp > 0 AND i.line_total_minor <> {LINE_TOTAL}) OR i.tax_minor <> {LINE_TAX}
         UNION ALL
         SELECT o.id, o.order_number, NULL, 'order_tax'
         FROM orders o LEFT JOIN (SELECT order_id, SUM(tax_minor) AS tax FROM order_items GROUP BY order_id) t
           ON t.order_id = o.id
         WHERE o.tax_minor <> COALESCE(t.tax, 0)
         ORDER BY 1, 3 LIMIT 1000"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([], |r| {
            Ok(PricingMismatch {
                order_id: r.get(0)?,
                order_number: r.get(1)?,
                item_id: r.get(2)?,
                problem: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// An order or line whose goods do not add up (see [`goods_mismatches`]).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoodsMismatch {
    pub order_id: i64,
    pub order_number: String,
    pub item_id: Option<i64>,
    /// over_shipped, over_returned, shipped_vs_shipments, returned_vs_returns,
    /// returned_value_vs_returns, order_returned_value, status_vs_shipped or
    /// status_vs_returned.
    pub problem: String,
}

/// The rules of goods out and back: a line never ships more than was ordered nor gets back
/// more than was shipped; its kept counts (and returned value) equal its shipment and return
/// lines; an order's returned value is its lines'; and the status follows the goods: shipped,
/// completed and returned orders have shipped everything, returned ones got everything back,
/// shipped and completed ones did not, and pending or cancelled ones shipped nothing.
pub fn goods_mismatches(conn: &Conn) -> AppResult<Vec<GoodsMismatch>> {
    let sql = "
        SELECT i.order_id, i.id, CASE
                 WHEN i.shipped_quantity > i.quantity THEN 'over_shipped'
                 WHEN i.returned_quantity > i.shipped_quantity THEN 'over_returned'
                 WHEN i.shipped_quantity <> COALESCE(s.units, 0) THEN 'shipped_vs_shipments'
                 WHEN i.returned_quantity <> COALESCE(r.units, 0) THEN 'returned_vs_returns'
                 ELSE 'returned_value_vs_returns' END
        FROM order_items i
        LEFT JOIN (SELECT order_item_id, SUM(quantity) AS units FROM shipment_lines GROUP BY order_item_id) s
          ON s.order_item_id = i.id
        LEFT JOIN (SELECT order_item_id, SUM(quantity) AS units, SUM(amount_minor) AS amount FROM return_lines
                   GROUP BY order_item_id) r
          ON r.order_item_id = i.id
        WHERE i.shipped_quantity > i.quantity OR i.returned_quantity > i.shipped_quantity
           OR i.shipped_quantity <> COALESCE(s.units, 0) OR i.returned_quantity <> COALESCE(r.units, 0)
           OR i.returned_minor <> COALESCE(r.amount, 0)
        UNION ALL
        SELECT o.id, NULL, CASE
                 WHEN o.returned_minor <> COALESCE(g.returned, 0) THEN 'order_returned_value'
                 WHEN o.status IN ('returned') AND COALESCE(g.back, 0) < COALESCE(g.ordered, 0) THEN 'status_vs_returned'
                 WHEN o.status IN ('shipped', 'completed') AND g.back = g.ordered AND g.ordered > 0 THEN 'status_vs_returned'
                 ELSE 'status_vs_shipped' END
        FROM orders o
        LEFT JOIN (SELECT order_id, SUM(quantity) AS ordered, SUM(shipped_quantity) AS shipped,
                          SUM(returned_quantity) AS back, SUM(returned_minor) AS returned
                   FROM order_items GROUP BY order_id) g
          ON g.order_id = o.id
        WHERE o.returned_minor <> COALESCE(g.returned, 0)
           OR (o.status IN ('shipped', 'completed', 'returned') AND COALESCE(g.shipped, 0) < COALESCE(g.ordered, 0))
           OR (o.status IN ('pending', 'cancelled') AND COALESCE(g.shipped, 0) > 0)
           OR (o.status = 'confirmed' AND g.ordered > 0 AND g.shipped = g.ordered)
           OR (o.status = 'returned' AND COALESCE(g.back, 0) < COALESCE(g.ordered, 0))
           OR (o.status IN ('shipped', 'completed') AND g.back = g.ordered AND g.ordered > 0)
        ORDER BY 1, 2 LIMIT 1000";
    let rows: Vec<(i64, Option<i64>, String)> = conn
        .prepare(sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut number = conn.prepare_cached("SELECT order_number FROM orders WHERE id = ?")?;
    rows.into_iter()
        .map(|(order_id, item_id, problem)| {
            let order_number: String = number.query_row([order_id], |r| r.get(0))?;
            Ok(GoodsMismatch {
                order_id,
                order_number,
                item_id,
                problem,
            })
        })
        .collect()
}

/// A status whose kept totals (the dashboard's) differ from its orders.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusTotalMismatch {
    pub status: String,
    pub kept_count: i64,
    pub actual_count: i64,
    pub kept_total_minor: i64,
    pub actual_total_minor: i64,
}

pub fn status_total_mismatches(conn: &Conn) -> AppResult<Vec<StatusTotalMismatch>> {
    let rows = conn
        .prepare(
            "SELECT t.status, t.order_count, COUNT(o.id), t.total_amount_minor, COALESCE(SUM(o.total_amount_minor), 0)
             FROM order_status_totals t LEFT JOIN orders o ON o.status = t.status
             GROUP BY t.status
             HAVING t.order_count <> COUNT(o.id) OR t.total_amount_minor <> COALESCE(SUM(o.total_amount_minor), 0)",
        )?
        .query_map([], |r| {
            Ok(StatusTotalMismatch {
                status: r.get(0)?,
                kept_count: r.get(1)?,
                actual_count: r.get(2)?,
                kept_total_minor: r.get(3)?,
                actual_total_minor: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// How many (day, status) rows of the daily totals differ from the orders.
pub fn daily_total_mismatches(conn: &Conn) -> AppResult<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM (
             SELECT day, status FROM (
                 SELECT day, status, order_count AS n, total_amount_minor AS t FROM order_daily_totals
                 UNION ALL
                 SELECT substr(created_at, 1, 10), status, -COUNT(*), -SUM(total_amount_minor) FROM orders
                 GROUP BY substr(created_at, 1, 10), status) AS both_sides
             GROUP BY day, status HAVING SUM(n) <> 0 OR SUM(t) <> 0) AS differing",
        [],
        |r| r.get(0),
    )?)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OldOrder {
    pub id: i64,
    pub order_number: String,
    pub created_at: String,
    pub total_minor: i64,
}

/// Cancelled orders created before `before`, oldest first.
pub fn cancelled_before(conn: &Conn, before: &str) -> AppResult<Vec<OldOrder>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, order_number, created_at, total_amount_minor FROM orders
             WHERE status = 'cancelled' AND created_at < ?
               -- Money records are kept for good, and their order with them.
               AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = orders.id)
             ORDER BY created_at, id",
        )?
        .query_map([before], |r| {
            Ok(OldOrder {
                id: r.get(0)?,
                order_number: r.get(1)?,
                created_at: r.get(2)?,
                total_minor: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Deletes an order with its lines and history; its ledger rows stay, unlinked, so stock is
/// still explained.
pub fn delete_order(conn: &Conn, id: i64) -> AppResult<()> {
    conn.prepare_cached("DELETE FROM orders WHERE id = ?")?
        .execute(params![id])?;
    Ok(())
}

/// How many orders keep a total from the old system that differs from their lines, as
/// imported (see migration V11); not mismatches, but a shop should know they are there.
pub fn imported_differences(conn: &Conn) -> AppResult<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM imported_total_differences")?
        .query_row([], |r| r.get(0))?)
}
