//! The SQL of reports. Every total is summed from integer minor units, with `exact_sum` (see
//! db::functions), so no total overflows.

use rusqlite::params;

use super::TaxRow;
use crate::db::Conn;
use crate::error::AppResult;
use crate::money::Total;
use crate::orders::types::OrderStatus;

/// Sales per 15-minute UTC slot ("2026-11-28T05:15"), so that the caller can bucket them into
/// the shop's days, weeks or months whatever its time zone's offset (all are multiples of 15
/// minutes). Sales are confirmed, shipped and completed orders: a pending order may still be
/// cancelled, and a cancelled one is no sale. Goods that came back are taken off the sale of
/// the order they came from (its day, not the day they came back); an order that came back
/// whole (`returned`) is no sale.
pub fn sales_slots(conn: &Conn, from: &str, to: &str) -> AppResult<Vec<(String, i64, Total)>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {} AS slot, COUNT(*), exact_sum(total_amount_minor - returned_minor)
             FROM orders WHERE created_at >= ? AND created_at < ? AND status IN ('confirmed', 'shipped', 'completed')
             GROUP BY slot ORDER BY slot",
            quarter_slot("created_at")
        ))?
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The 15-minute UTC slot of a stored time ("2026-11-28T05:15"): its date and hour, and the
/// quarter its minutes fall in. Written with CASE and text comparisons (the minutes are two
/// digits), which SQLite and PostgreSQL read alike; printf and its padding are SQLite's own.
fn quarter_slot(column: &str) -> String {
    let minutes = format!("substr({column}, 15, 2)");
    format!(
        "substr({column}, 1, 14) || CASE WHEN {minutes} < '15' THEN '00' WHEN {minutes} < '30' THEN '15' \
         WHEN {minutes} < '45' THEN '30' ELSE '45' END"
    )
}

pub struct ProductSales {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub revenue: Total,
    pub orders: i64,
}

/// Rank by revenue. `exact_sum` answers TEXT past 64 bits, and TEXT sorts after every INTEGER
/// in SQLite, so the ranking compares the sums as numbers (DOUBLE PRECISION, REAL to SQLite):
/// only the order comes from it, never an amount. Grouped by the products' own id, so that every
/// product column is one per group on PostgreSQL too.
pub fn sales_by_product(conn: &Conn, from: &str, to: &str, limit: i64) -> AppResult<Vec<ProductSales>> {
    let rows = conn
        .prepare_cached(
            "SELECT p.id, p.sku, p.name, SUM(i.quantity - i.returned_quantity),
                    exact_sum(i.line_total_minor - i.returned_minor), COUNT(DISTINCT i.order_id)
             FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
             WHERE o.created_at >= ? AND o.created_at < ? AND o.status IN ('confirmed', 'shipped', 'completed')
             GROUP BY p.id
             ORDER BY CAST(exact_sum(i.line_total_minor - i.returned_minor) AS DOUBLE PRECISION) DESC, p.id LIMIT ?",
        )?
        .query_map(params![from, to, limit], |r| {
            Ok(ProductSales {
                product_id: r.get(0)?,
                sku: r.get(1)?,
                name: r.get(2)?,
                quantity: r.get(3)?,
                revenue: r.get(4)?,
                orders: r.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn by_status(conn: &Conn, from: &str, to: &str) -> AppResult<Vec<(OrderStatus, i64, Total)>> {
    let rows = conn
        .prepare_cached(
            "SELECT status, COUNT(*), exact_sum(total_amount_minor) FROM orders
             WHERE created_at >= ? AND created_at < ? GROUP BY status",
        )?
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub struct CustomerSales {
    pub customer_id: i64,
    pub name: String,
    pub orders: i64,
    pub revenue: Total,
}

pub fn top_customers(conn: &Conn, from: &str, to: &str, limit: i64) -> AppResult<Vec<CustomerSales>> {
    let rows = conn
        .prepare_cached(
            "SELECT c.id, c.name, COUNT(*), exact_sum(o.total_amount_minor - o.returned_minor)
             FROM orders o JOIN customers c ON c.id = o.customer_id
             WHERE o.created_at >= ? AND o.created_at < ? AND o.status IN ('confirmed', 'shipped', 'completed')
             GROUP BY c.id
             ORDER BY CAST(exact_sum(o.total_amount_minor - o.returned_minor) AS DOUBLE PRECISION) DESC, c.id LIMIT ?",
        )?
        .query_map(params![from, to, limit], |r| {
            Ok(CustomerSales {
                customer_id: r.get(0)?,
                name: r.get(1)?,
                orders: r.get(2)?,
                revenue: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Orders created in a range, and the sales among them: (orders, sale orders, revenue).
pub fn day_summary(conn: &Conn, from: &str, to: &str) -> AppResult<(i64, i64, Total)> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*),
                    COALESCE(SUM(CASE WHEN status IN ('confirmed', 'shipped', 'completed') THEN 1 ELSE 0 END), 0),
                    exact_sum(CASE WHEN status IN ('confirmed', 'shipped', 'completed') THEN total_amount_minor - returned_minor END)
             FROM orders WHERE created_at >= ? AND created_at < ?",
        )?
        .query_row(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// Tax on the sales (confirmed, shipped, completed) of a range, per rate: what was sold before
/// tax, the tax, and with tax, whether each order's prices included it or not.
pub fn tax_by_rate(conn: &Conn, from: &str, to: &str) -> AppResult<Vec<TaxRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT i.tax_rate_bp, COUNT(DISTINCT o.id),
                    exact_sum(CASE WHEN o.prices_include_tax = 1 THEN i.line_total_minor - i.tax_minor ELSE i.line_total_minor END),
                    exact_sum(i.tax_minor),
                    exact_sum(CASE WHEN o.prices_include_tax = 1 THEN i.line_total_minor ELSE i.line_total_minor + i.tax_minor END)
             FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE o.created_at >= ? AND o.created_at < ? AND o.status IN ('confirmed', 'shipped', 'completed')
             GROUP BY i.tax_rate_bp ORDER BY i.tax_rate_bp",
        )?
        .query_map(params![from, to], |r| {
            Ok(TaxRow {
                tax_rate: r.get(0)?,
                orders: r.get(1)?,
                net_amount: r.get(2)?,
                tax_amount: r.get(3)?,
                gross_amount: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// What sales earned over their cost, summed by one key (see [`margins`]).
pub struct MarginSums {
    pub key: Option<String>,
    pub quantity: i64,
    /// What lines with a known cost sold for, after returns.
    pub revenue: Total,
    pub cost: Total,
    /// What lines without a known cost sold for: no margin can be said of them.
    pub revenue_without_cost: Total,
}

/// How margins are grouped: the key each line is summed under.
#[derive(Clone, Copy)]
pub enum MarginKey {
    Product,
    Category,
    /// A 15-minute UTC slot, bucketed into the shop's days by the caller.
    Slot,
    /// One row for the whole range (the dashboard's figure).
    Total,
}

/// Gross margin of the sales (confirmed, shipped, completed orders) of a range: per line, what
/// it sold for less what came back (its value, `returned_minor`), against its cost price at
/// the time of sale times the units kept. Lines sold before their product had a cost price
/// are summed apart (`revenue_without_cost`), never as zero cost. Line values are before the
/// order's own adjustments (discount, 抹零, shipping) and as priced (tax included when the
/// shop's prices include it): cost prices are compared on the same footing.
pub fn margins(conn: &Conn, from: &str, to: &str, key: MarginKey) -> AppResult<Vec<MarginSums>> {
    let key_sql = match key {
        MarginKey::Product => "CAST(i.product_id AS TEXT)".to_owned(),
        MarginKey::Category => "CAST(p.category_id AS TEXT)".to_owned(),
        MarginKey::Total => "''".to_owned(),
        MarginKey::Slot => quarter_slot("o.created_at"),
    };
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {key_sql} AS k, SUM(i.quantity - i.returned_quantity),
                    exact_sum(CASE WHEN i.cost_minor IS NOT NULL THEN i.line_total_minor - i.returned_minor ELSE 0 END),
                    exact_sum(CASE WHEN i.cost_minor IS NOT NULL THEN i.cost_minor * (i.quantity - i.returned_quantity) ELSE 0 END),
                    exact_sum(CASE WHEN i.cost_minor IS NULL THEN i.line_total_minor - i.returned_minor ELSE 0 END)
             FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
             WHERE o.created_at >= ? AND o.created_at < ? AND o.status IN ('confirmed', 'shipped', 'completed')
             GROUP BY k ORDER BY k"
        ))?
        .query_map(params![from, to], |r| {
            Ok(MarginSums {
                key: r.get(0)?,
                quantity: r.get(1)?,
                revenue: r.get(2)?,
                cost: r.get(3)?,
                revenue_without_cost: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
