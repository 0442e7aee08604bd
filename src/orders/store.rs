//! The SQL of orders, their lines and their status history.

use rusqlite::params;
use rusqlite::types::Value;

use super::adjustments::{Adjustments, Totals};
use super::types::{Order, OrderAmounts, OrderItem, OrderStatus, StatusChange};
use crate::customers::types::InvoiceDetails;
use crate::db::{Conditions, Conn, Row, not_found_as, params_from_iter};
use crate::error::AppResult;
use crate::http::list::Paging;
use crate::maintenance::derived::reversed;
use crate::money::Money;
use crate::payments::types::{PaymentStatus, PaymentSummary};
use crate::shipping::types::ShipTo;
use crate::validate::phone_digits;

const ORDER_COLUMNS: &str = "o.id, o.order_number, o.status, o.customer_id, c.name, o.user_id, u.username, \
                             o.total_amount_minor, o.note, o.created_at, o.updated_at, \
                             o.paid_minor, o.refunded_minor, o.payment_status, \
                             o.discount_minor, o.round_down, o.rounding_minor, o.shipping_fee_minor, \
                             o.tax_minor, o.prices_include_tax, o.invoice_title, o.invoice_tax_id, c.phone, c.address, \
                             o.ship_name, o.ship_phone, o.ship_province, o.ship_city, o.ship_district, o.ship_street, \
                             o.ship_postcode, o.returned_minor";
/// How many columns ORDER_COLUMNS selects: what a query selects after them starts here.
const AFTER_ORDER: usize = 32;
/// A line's columns, for `item_from_row`.
const ITEM_COLUMNS: &str = "i.id, i.product_id, i.product_name, i.sku, i.quantity, \
                            COALESCE(i.list_price_minor, i.unit_price_minor), i.unit_price_minor, i.discount_bp, \
                            i.line_total_minor, i.tax_rate_bp, i.tax_minor, i.shipped_quantity, i.returned_quantity";

/// A line from ITEM_COLUMNS, selected from column `at` on.
fn item_from_row(r: &Row, at: usize) -> crate::db::Result<OrderItem> {
    Ok(OrderItem {
        id: r.get(at)?,
        product_id: r.get(at + 1)?,
        product_name: r.get(at + 2)?,
        sku: r.get(at + 3)?,
        quantity: r.get(at + 4)?,
        list_price: Money::from_minor(r.get(at + 5)?),
        unit_price: Money::from_minor(r.get(at + 6)?),
        discount_percent: r.get(at + 7)?,
        line_total: Money::from_minor(r.get(at + 8)?),
        tax_rate: r.get(at + 9)?,
        tax: Money::from_minor(r.get(at + 10)?),
        shipped_quantity: r.get(at + 11)?,
        returned_quantity: r.get(at + 12)?,
    })
}
// LEFT JOINs (every order has its user) keep `orders` the outer loop: with an inner join the
// planner may start from the one user and read all of their orders to sort them.
const ORDER_FROM: &str = "orders o LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN users u ON u.id = o.user_id";

fn order_from_row(row: &Row) -> crate::db::Result<Order> {
    let status: OrderStatus = row.get(2)?;
    let total = Money::from_minor(row.get(7)?);
    let (discount, rounding, shipping_fee, tax) = (
        Money::from_minor(row.get(14)?),
        Money::from_minor(row.get(16)?),
        Money::from_minor(row.get(17)?),
        Money::from_minor(row.get(18)?),
    );
    let prices_include_tax: bool = row.get(19)?;
    let added_tax = if prices_include_tax { 0 } else { tax.minor() };
    Ok(Order {
        payment: PaymentSummary::new(
            row.get(13)?,
            total,
            status == OrderStatus::Cancelled,
            Money::from_minor(row.get(11)?),
            Money::from_minor(row.get(12)?),
        ),
        id: row.get(0)?,
        order_number: row.get(1)?,
        status,
        customer_id: row.get(3)?,
        customer_name: row.get(4)?,
        customer_phone: row.get(22)?,
        customer_address: row.get(23)?,
        ship_to: ShipTo {
            name: row.get(24)?,
            phone: row.get(25)?,
            province: row.get(26)?,
            city: row.get(27)?,
            district: row.get(28)?,
            street: row.get(29)?,
            postcode: row.get(30)?,
        },
        returned_amount: Money::from_minor(row.get(31)?),
        invoice: InvoiceDetails {
            invoice_title: row.get(20)?,
            invoice_tax_id: row.get(21)?,
        },
        user_id: row.get(5)?,
        created_by: row.get(6)?,
        total_amount: total,
        amounts: OrderAmounts {
            subtotal: Money::from_minor(
                total.minor() + discount.minor() + rounding.minor() - shipping_fee.minor() - added_tax,
            ),
            tax,
            prices_include_tax,
            discount,
            round_down: row.get(15)?,
            rounding,
            shipping_fee,
        },
        note: row.get(8)?,
        created_at: row.get(9)?,
        updated_at: row.get(10)?,
    })
}

/// The next order number of a business day: SO-20261128-0001, -0002, ...
///
/// An upsert, so two servers numbering the first order of a day cannot both insert the row;
/// the counter row stays locked until commit, so no two orders get one number.
pub fn next_order_number(conn: &Conn, prefix: &str, day: &str) -> AppResult<String> {
    const UPSERT: &str = "INSERT INTO order_number_counters (day, last) VALUES (?, 1)
                          ON CONFLICT (day) DO UPDATE SET last = order_number_counters.last + 1";
    let seq: i64 = if conn.is_postgres() {
        conn.prepare_cached(&format!("{UPSERT} RETURNING last"))?
            .query_row([day], |r| r.get(0))?
    } else {
        // Two statements rather than one with RETURNING, which costs SQLite a temporary table;
        // the write transaction is SQLite's only one, so the read is this upsert's own.
        conn.prepare_cached(UPSERT)?.execute([day])?;
        conn.prepare_cached("SELECT last FROM order_number_counters WHERE day = ?")?
            .query_row([day], |r| r.get(0))?
    };
    Ok(format!("{prefix}-{day}-{seq:04}"))
}

pub struct NewOrderRow<'a> {
    pub order_number: &'a str,
    pub user_id: i64,
    pub customer_id: Option<i64>,
    pub adjustments: &'a Adjustments,
    pub totals: Totals,
    pub tax: Money,
    pub prices_include_tax: bool,
    pub invoice: &'a InvoiceDetails,
    pub ship_to: &'a ShipTo,
    pub note: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert(conn: &Conn, o: &NewOrderRow) -> AppResult<i64> {
    let a = o.adjustments;
    conn.prepare_cached(
        "INSERT INTO orders (order_number, number_reversed, user_id, customer_id, status, total_amount_minor,
                             discount_minor, round_down, rounding_minor, shipping_fee_minor, note, created_at, updated_at,
                             tax_minor, prices_include_tax, invoice_title, invoice_tax_id,
                             ship_name, ship_phone, ship_phone_digits, ship_province, ship_city, ship_district,
                             ship_street, ship_postcode)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        o.order_number,
        reversed(o.order_number),
        o.user_id,
        o.customer_id,
        o.totals.total.minor(),
        a.discount.minor(),
        a.round_down.as_str(),
        o.totals.rounding.minor(),
        a.shipping_fee.minor(),
        o.note,
        o.now,
        o.now,
        o.tax.minor(),
        o.prices_include_tax,
        o.invoice.invoice_title,
        o.invoice.invoice_tax_id,
        o.ship_to.name,
        o.ship_to.phone,
        o.ship_to.phone_digits(),
        o.ship_to.province,
        o.ship_to.city,
        o.ship_to.district,
        o.ship_to.street,
        o.ship_to.postcode
    ])?;
    Ok(conn.last_insert_rowid()?)
}

/// Inserts one line, with the product's cost price now (for margins; NULL when unknown);
/// returns its id.
pub fn insert_item(conn: &Conn, order_id: i64, item: &OrderItem) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor,
                                  list_price_minor, discount_bp, tax_rate_bp, tax_minor, cost_minor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, (SELECT cost_minor FROM products WHERE id = ?2))",
    )?
    .execute(params![
        order_id,
        item.product_id,
        item.product_name,
        item.sku,
        item.quantity,
        item.unit_price.minor(),
        item.line_total.minor(),
        item.list_price.minor(),
        item.discount_percent.bp(),
        item.tax_rate.bp(),
        item.tax.minor()
    ])?;
    Ok(conn.last_insert_rowid()?)
}

pub fn insert_history(
    conn: &Conn,
    order_id: i64,
    from: Option<OrderStatus>,
    to: OrderStatus,
    user_id: i64,
    now: &str,
) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO order_status_history (order_id, from_status, to_status, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
    )?
    .execute(params![order_id, from.map(OrderStatus::as_str), to.as_str(), user_id, now])?;
    Ok(())
}

/// Moves an order from `from` to `to`, only if it is still `from`: a conditional update, so
/// two people changing one order at once cannot both move it. False when it was not `from`.
pub fn move_status(conn: &Conn, id: i64, from: OrderStatus, to: OrderStatus, now: &str) -> AppResult<bool> {
    move_status_if(conn, id, from, to, None, now)
}

/// [`move_status`], and only if the order's `updated_at` is still `seen` when given: a cancel
/// puts back the stock of the lines it read, so an edit committed meanwhile must stop it.
pub fn move_status_if(
    conn: &Conn,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    seen: Option<&str>,
    now: &str,
) -> AppResult<bool> {
    let changed = conn
        // COALESCE rather than `? IS NULL OR ..`: PostgreSQL cannot type a parameter that only
        // IS NULL looks at.
        .prepare_cached(
            "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ? AND updated_at = COALESCE(?, updated_at)",
        )?
        .execute(params![to.as_str(), now, id, from.as_str(), seen])?;
    Ok(changed == 1)
}

/// An order's status as committed now. On PostgreSQL, after a conditional UPDATE found the row
/// changed, this reads what the other transaction left (a new statement sees its commit).
pub fn status(conn: &Conn, id: i64) -> AppResult<OrderStatus> {
    conn.prepare_cached("SELECT status FROM orders WHERE id = ?")?
        .query_row([id], |r| r.get(0))
        .map_err(not_found_as("order"))
}

/// Marks an order changed (a shipment or return that did not change its status).
pub fn touch(conn: &Conn, id: i64, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE orders SET updated_at = ? WHERE id = ?")?
        .execute(params![now, id])?;
    Ok(())
}

pub fn delete_items(conn: &Conn, order_id: i64) -> AppResult<()> {
    conn.prepare_cached("DELETE FROM order_items WHERE order_id = ?")?
        .execute([order_id])?;
    Ok(())
}

/// What an edit of a pending order writes back to its row.
pub struct Contents<'a> {
    pub adjustments: &'a Adjustments,
    pub totals: Totals,
    pub tax: Money,
    pub invoice: &'a InvoiceDetails,
    pub note: Option<&'a str>,
}

/// Writes an edit back, if the order is still as the edit read it (`seen` is the `updated_at` it
/// read): the edit's stock moves came from the lines it read, so an edit or a status change that
/// committed meanwhile (on PostgreSQL, where writers run side by side) makes it false, and the
/// caller rolls everything back. Products were locked before this row, as everywhere.
pub fn update_contents(conn: &Conn, id: i64, c: &Contents, seen: &str, now: &str) -> AppResult<bool> {
    let (a, totals) = (c.adjustments, c.totals);
    let changed = conn
        .prepare_cached(
            "UPDATE orders SET total_amount_minor = ?, discount_minor = ?, round_down = ?, rounding_minor = ?,
                           shipping_fee_minor = ?, note = ?, updated_at = ?, tax_minor = ?, invoice_title = ?,
                           invoice_tax_id = ?
         WHERE id = ? AND updated_at = ?",
        )?
        .execute(params![
            totals.total.minor(),
            a.discount.minor(),
            a.round_down.as_str(),
            totals.rounding.minor(),
            a.shipping_fee.minor(),
            c.note,
            now,
            c.tax.minor(),
            c.invoice.invoice_title,
            c.invoice.invoice_tax_id,
            id,
            seen
        ])?;
    Ok(changed == 1)
}

pub fn get(conn: &Conn, id: i64) -> AppResult<Order> {
    conn.prepare_cached(&format!("SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} WHERE o.id = ?"))?
        .query_row([id], order_from_row)
        .map_err(not_found_as("order"))
}

pub fn items(conn: &Conn, order_id: i64) -> AppResult<Vec<OrderItem>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM order_items i WHERE i.order_id = ? ORDER BY i.id"
        ))?
        .query_map([order_id], |r| item_from_row(r, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn history(conn: &Conn, order_id: i64) -> AppResult<Vec<StatusChange>> {
    let rows = conn
        .prepare_cached(
            "SELECT h.from_status, h.to_status, h.user_id, u.username, h.created_at
             FROM order_status_history h LEFT JOIN users u ON u.id = h.user_id WHERE h.order_id = ? ORDER BY h.id",
        )?
        .query_map([order_id], |r| {
            Ok(StatusChange {
                from_status: r.get(0)?,
                to_status: r.get(1)?,
                user_id: r.get(2)?,
                username: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[derive(Default, Debug)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub customer_id: Option<i64>,
    pub payment_status: Option<PaymentStatus>,
    /// Inclusive lower bound of created_at (RFC 3339, UTC).
    pub from: Option<String>,
    /// Exclusive upper bound of created_at.
    pub to: Option<String>,
}

/// A search as typed and as a LIKE pattern.
struct Search {
    text: String,
    like: String,
}

fn search_of(paging: &Paging) -> Option<Search> {
    search_for(paging.search.as_deref())
}

fn search_for(text: Option<&str>) -> Option<Search> {
    let text = text?;
    Some(Search {
        text: text.to_owned(),
        like: crate::http::list::like_pattern(text),
    })
}

/// The WHERE clause holding only the filters in use, so SQLite can pick the index that fits
/// them (status + created_at, customer + created_at, created_at), and its values.
fn where_clause(f: &OrderFilter, search: Option<Search>) -> Conditions {
    let mut w = Conditions::default();
    if let Some(status) = f.status {
        w.add("o.status = ?", [Value::Text(status.as_str().into())]);
    }
    if let Some(customer) = f.customer_id {
        w.add("o.customer_id = ?", [Value::Integer(customer)]);
    }
    if let Some(payment) = f.payment_status {
        w.add("o.payment_status = ?", [Value::Text(payment.as_str().into())]);
    }
    if let Some(from) = &f.from {
        w.add("o.created_at >= ?", [Value::Text(from.clone())]);
    }
    if let Some(to) = &f.to {
        w.add("o.created_at < ?", [Value::Text(to.clone())]);
    }
    if let Some(search) = search {
        // Order numbers match by prefix (as typed, and upper-cased: "so-2026" finds
        // SO-20261128-0007), so the unique index answers; customer names match anywhere, by
        // way of the customers table, never by reading every order.
        let prefix_range = |p: String| {
            let end = format!("{p}\u{10FFFF}");
            (Value::Text(p), Value::Text(end))
        };
        let (typed, typed_end) = prefix_range(search.text.clone());
        let (upper, upper_end) = prefix_range(search.text.to_uppercase());
        // The number's last digits ("0002") by the reversed number's index; the customer's
        // phone by its digits, whatever the spaces, dashes or +86.
        let (tail, tail_end) = prefix_range(reversed(&search.text.to_uppercase()));
        let digits = phone_digits(&search.text);
        let phone = digits.as_ref().map_or(Value::Null, |d| Value::Text(format!("%{d}%")));
        // The recipient's phone from its first digits (or all of them), by its index: a LIKE
        // with a leading % would read every order.
        let (ship_phone, ship_phone_end) = match digits {
            Some(d) if d.len() >= 3 => prefix_range(d),
            _ => (Value::Null, Value::Null),
        };
        w.add(
            "(o.order_number >= ? AND o.order_number < ? OR o.order_number >= ? AND o.order_number < ? \
              OR o.number_reversed >= ? AND o.number_reversed < ? \
              OR o.customer_id IN (SELECT id FROM customers WHERE name LIKE ? ESCAPE '\\' OR phone_digits LIKE ?) \
              OR o.ship_phone_digits >= ? AND o.ship_phone_digits < ?)",
            [
                typed,
                typed_end,
                upper,
                upper_end,
                tail,
                tail_end,
                Value::Text(search.like),
                phone,
                ship_phone,
                ship_phone_end,
            ],
        );
    }
    w
}

/// One page of orders and how many match in all.
pub fn list(conn: &Conn, f: &OrderFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<Order>, i64)> {
    let total = count(conn, f, search_of(paging))?;
    let w = where_clause(f, search_of(paging));
    let items = conn
        .prepare_cached(&format!(
            "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} {} ORDER BY {order_by} LIMIT ? OFFSET ?",
            w.sql()
        ))?
        .query_map(
            params_from_iter(w.values_and([Value::Integer(paging.limit()), Value::Integer(paging.offset())])),
            order_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// How many orders match, from `orders` alone (the joins cannot change the count); with no
/// filter, or only a status, from the per-status totals, which costs nothing on a million
/// orders.
fn count(conn: &Conn, f: &OrderFilter, search: Option<Search>) -> AppResult<i64> {
    // The kept totals count by status and day only; any other filter counts rows.
    if f.payment_status.is_some() {
        return count_rows(conn, f, search);
    }
    let only_status = f.customer_id.is_none() && f.from.is_none() && f.to.is_none();
    if search.is_none() && only_status {
        return Ok(conn
            .prepare_cached(
                "SELECT COALESCE(SUM(order_count), 0) FROM order_status_totals WHERE CAST(?1 AS TEXT) IS NULL OR status = ?1",
            )?
            .query_row([f.status.map(OrderStatus::as_str)], |r| r.get(0))?);
    }
    if search.is_none()
        && f.customer_id.is_none()
        && let Some(split) = DaySplit::of(f.from.as_deref(), f.to.as_deref())
    {
        return count_by_days(conn, f, &split);
    }
    count_rows(conn, f, search)
}

fn count_rows(conn: &Conn, f: &OrderFilter, search: Option<Search>) -> AppResult<i64> {
    let w = where_clause(f, search);
    Ok(conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM orders o {}", w.sql()))?
        .query_row(params_from_iter(w.values()), |r| r.get(0))?)
}

/// A created-at range cut into whole UTC days (counted from `order_daily_totals`, kept by the
/// triggers of migration V7) and the partial days at its ends (counted from `orders`).
struct DaySplit {
    /// The first whole day, when the range has a start.
    first_day: Option<String>,
    /// The day after the last whole day, when the range has an end.
    end_day: Option<String>,
}

impl DaySplit {
    /// None when the range has no whole day (then counting its rows is cheap anyway) or a bound
    /// is not a stored time.
    fn of(from: Option<&str>, to: Option<&str>) -> Option<Self> {
        let day = |t: &str| chrono::NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok();
        let first_day = match from {
            None => None,
            Some(t) if t.get(10..) == Some("T00:00:00.000Z") => Some(day(t)?),
            Some(t) => Some(day(t)?.succ_opt()?),
        };
        let end_day = match to {
            None => None,
            Some(t) => Some(day(t)?),
        };
        if first_day.is_none() && end_day.is_none() {
            return None;
        }
        if let (Some(first), Some(end)) = (first_day, end_day)
            && first >= end
        {
            return None;
        }
        let text = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        Some(Self {
            first_day: first_day.map(text),
            end_day: end_day.map(text),
        })
    }
}

fn count_by_days(conn: &Conn, f: &OrderFilter, split: &DaySplit) -> AppResult<i64> {
    let whole: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(order_count), 0) FROM order_daily_totals
             WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) AND (CAST(?2 AS TEXT) IS NULL OR day >= ?2)
               AND (CAST(?3 AS TEXT) IS NULL OR day < ?3)",
        )?
        .query_row(
            params![f.status.map(OrderStatus::as_str), split.first_day, split.end_day],
            |r| r.get(0),
        )?;
    let midnight = |day: &str| format!("{day}T00:00:00.000Z");
    // The orders of a partial day, counted row by row.
    let count_between = |from: String, to: String| {
        let edge = OrderFilter {
            status: f.status,
            customer_id: None,
            payment_status: None,
            from: Some(from),
            to: Some(to),
        };
        count_rows(conn, &edge, None)
    };
    let mut edges = 0;
    if let (Some(from), Some(first)) = (&f.from, &split.first_day) {
        edges += count_between(from.clone(), midnight(first))?;
    }
    if let (Some(to), Some(end)) = (&f.to, &split.end_day) {
        edges += count_between(midnight(end), to.clone())?;
    }
    Ok(whole + edges)
}

/// The newest orders, for the dashboard (no count needed).
pub fn recent(conn: &Conn, limit: i64) -> AppResult<Vec<Order>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ORDER_COLUMNS} FROM {ORDER_FROM} ORDER BY o.created_at DESC, o.id DESC LIMIT ?"
        ))?
        .query_map([limit], order_from_row)?
        .collect::<Result<Vec<_>, _>>()?)
}

/// Calls `each` for every line of every matching order, oldest order first, reading row by
/// row so memory stays flat however many orders there are.
/// Calls `each` for every order the filters and search select, oldest first, row by row.
pub fn for_each(
    conn: &Conn,
    f: &OrderFilter,
    search: Option<&str>,
    mut each: impl FnMut(&Order, i64) -> AppResult<()>,
) -> AppResult<()> {
    let w = where_clause(f, search_for(search));
    let mut stmt = conn.prepare(&format!(
        "SELECT {ORDER_COLUMNS}, (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id)
         FROM {ORDER_FROM} {} ORDER BY o.id",
        w.sql()
    ))?;
    let mut rows = stmt.query(params_from_iter(w.values()))?;
    while let Some(row) = rows.next()? {
        let order = order_from_row(&row)?;
        each(&order, row.get(AFTER_ORDER)?)?;
    }
    Ok(())
}

/// Calls `each` for every line of the orders the filters and search select, row by row.
pub fn for_each_line(
    conn: &Conn,
    f: &OrderFilter,
    search: Option<&str>,
    mut each: impl FnMut(&Order, &OrderItem) -> AppResult<()>,
) -> AppResult<()> {
    let w = where_clause(f, search_for(search));
    let mut stmt = conn.prepare(&format!(
        "SELECT {ORDER_COLUMNS}, {ITEM_COLUMNS}
         FROM {ORDER_FROM} JOIN order_items i ON i.order_id = o.id {} ORDER BY o.id, i.id",
        w.sql()
    ))?;
    let mut rows = stmt.query(params_from_iter(w.values()))?;
    while let Some(row) = rows.next()? {
        let order = order_from_row(&row)?;
        let item = item_from_row(&row, AFTER_ORDER)?;
        each(&order, &item)?;
    }
    Ok(())
}

/// Orders per status with their summed totals (the original "订单统计" query), from the
/// totals the triggers of migration V5 keep.
pub fn totals_by_status(conn: &Conn) -> AppResult<Vec<(OrderStatus, i64, Money)>> {
    let rows = conn
        .prepare_cached("SELECT status, order_count, total_amount_minor FROM order_status_totals")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, Money::from_minor(r.get(2)?))))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The order an idempotency key already created, with the hash of the request that made it.
pub fn idempotent_order(conn: &Conn, user_id: i64, key: &str) -> AppResult<Option<(i64, String)>> {
    use crate::db::OptionalExtension;
    if conn.is_postgres() {
        // Two servers given one key at once: the second waits here until the first commits,
        // then finds the key and replays its order. (On SQLite the single writer does this.)
        // Taken before any row lock, so it cannot close a cycle with the lock order.
        let hash = crate::digest::sha256_hex(format!("{user_id}:{key}").as_bytes());
        let hash = i32::from_str_radix(&hash[..7], 16).unwrap_or_default();
        conn.prepare_cached("SELECT 1 FROM (SELECT pg_advisory_xact_lock(?, ?)) AS locked")?
            .query_row(params![IDEMPOTENCY_LOCKS, hash], |r| r.get::<_, i64>(0))?;
    }
    Ok(conn
        .prepare_cached("SELECT order_id, request_hash FROM idempotency_keys WHERE user_id = ? AND key = ?")?
        .query_row(params![user_id, key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The first key of the advisory locks on Idempotency-Keys (the second is the key's hash), so
/// they cannot collide with the migrations' lock or any other.
const IDEMPOTENCY_LOCKS: i32 = 0x1d3e;

pub fn remember_idempotency_key(
    conn: &Conn,
    user_id: i64,
    key: &str,
    hash: &str,
    order_id: i64,
    now: &str,
) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?)",
    )?
    .execute(params![user_id, key, hash, order_id, now])?;
    Ok(())
}

#[cfg(test)]
mod column_count {
    #[test]
    fn after_order_is_where_order_columns_end() {
        assert_eq!(super::ORDER_COLUMNS.split(',').count(), super::AFTER_ORDER);
    }
}
