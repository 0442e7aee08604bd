//! The demo generator's SQL: bulk inserts through cached statements.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use fastrand::Rng;
use rusqlite::params;
use serde_json::json;

use super::{Summary, between, names};
use crate::audit::{self, Event, Who};
use crate::clock;
use crate::db::Conn;
use crate::error::AppResult;
use crate::money::Money;
use crate::orders::adjustments::{self, Adjustments, RoundDown};

pub fn has_business_data(conn: &Conn) -> AppResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM orders)",
        [],
        |r| r.get(0),
    )?)
}

/// A run's plan and progress, kept in the settings table until it finishes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Run {
    pub plan: super::Plan,
    /// When the run began: its orders span the year before.
    pub started_at: String,
    /// Orders written and committed so far.
    pub written: u64,
}

impl Run {
    pub fn now(&self) -> AppResult<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.started_at)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| crate::error::AppError::internal(format!("demo run start {:?}: {e}", self.started_at)))
    }

    pub fn start(&self) -> AppResult<DateTime<Utc>> {
        Ok(self.now()? - Duration::days(365))
    }
}

const RUN_KEY: &str = "demo_data_run";

pub fn unfinished_run(conn: &Conn) -> AppResult<Option<Run>> {
    use crate::db::OptionalExtension;
    let json: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?", [RUN_KEY], |r| r.get(0))
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(crate::error::AppError::internal))
        .transpose()
}

pub fn save_run(conn: &Conn, run: &Run) -> AppResult<()> {
    let json = serde_json::to_string(run).map_err(crate::error::AppError::internal)?;
    conn.prepare_cached(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )?
    .execute(params![RUN_KEY, json, clock::now()])?;
    Ok(())
}

pub fn finish_run(conn: &Conn) -> AppResult<()> {
    conn.execute("DELETE FROM settings WHERE key = ?", [RUN_KEY])?;
    Ok(())
}

/// The products orders are made of, as the first transaction of the run inserted them.
pub fn products(conn: &Conn) -> AppResult<Vec<Product>> {
    let mut stmt = conn.prepare("SELECT id, sku, name, price_minor, cost_minor FROM products ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Product {
            id: r.get(0)?,
            sku: r.get(1)?,
            name: r.get(2)?,
            price_minor: r.get(3)?,
            cost_minor: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn order_item_count(conn: &Conn) -> AppResult<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get::<_, i64>(0))? as u64)
}

/// The superadmin's id and name: the demo's orders and purchase orders are theirs.
pub fn superadmin(conn: &Conn) -> AppResult<(i64, String)> {
    Ok(conn.query_row(
        "SELECT id, username FROM users WHERE role = 'superadmin' ORDER BY id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// What an order line needs to know about its product.
pub struct Product {
    pub id: i64,
    sku: String,
    name: String,
    pub price_minor: i64,
    /// The cost price the demo started with; the cost sold lines keep (receipts of the demo's
    /// purchase orders, made after its sales, may move it since).
    pub cost_minor: Option<i64>,
}

/// Products with their stock: most well stocked, some low (for the low-stock report), a few
/// sold out. Each stock level has its 'initial' ledger row, so `check` finds stock and ledger
/// in agreement. Each has a category, a unit and an EAN-13 barcode (China's 690 prefix); one
/// in ten has no cost price, as in a shop that has not entered them all yet.
pub fn insert_products(conn: &Conn, rng: &mut Rng, count: u64, at: &str) -> AppResult<()> {
    use crate::validate::{identifier_key, initials, sort_key};
    let mut insert = conn.prepare_cached(
        "INSERT INTO products (sku, sku_key, name, name_sort, name_initials, description, price_minor, cost_minor,
                               stock_quantity, low_stock_threshold, status, category_id, unit, barcode, barcode_key,
                               created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'active', ?, ?, ?, ?, ?, ?)",
    )?;
    let mut ledger = conn.prepare_cached(
        "INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, note, created_at)
         VALUES (?, ?, ?, 'initial', 'demo data', ?)",
    )?;
    let mut categories: BTreeMap<&str, i64> = BTreeMap::new();
    for n in 1..=count {
        let p = names::product(rng);
        let sku = format!("DEMO-{n:06}");
        // Prices end in .90 or .00, from 1.90 to 999.00; costs are 55-80% of the price.
        let price_minor = i64::from(rng.u32(1..999)) * 100 + if rng.bool() { 90 } else { 0 };
        let cost_minor = (rng.u8(..10) != 0).then(|| price_minor * i64::from(rng.u8(55..80)) / 100);
        let stock: i64 = match rng.u8(..10) {
            0 => 0,
            1..=3 => rng.i64(1..10),
            _ => rng.i64(20..500),
        };
        let category = match categories.get(p.category) {
            Some(id) => *id,
            None => {
                let id = crate::products::categories::store::get_or_create_path(conn, p.category, at)?;
                *categories.entry(p.category).or_insert(id)
            }
        };
        let body = format!("690{n:09}");
        let barcode = format!("{body}{}", crate::products::types::gtin_check_digit(&body));
        insert.execute(params![
            sku,
            identifier_key(&sku),
            p.name,
            sort_key(&p.name),
            initials(&p.name),
            p.description,
            price_minor,
            cost_minor,
            stock,
            category,
            p.unit,
            barcode,
            identifier_key(&barcode),
            at,
            at
        ])?;
        let id = conn.last_insert_rowid()?;
        if stock > 0 {
            ledger.execute(params![id, stock, stock, at])?;
        }
    }
    Ok(())
}

pub fn insert_customers(conn: &Conn, rng: &mut Rng, count: u64, at: &str) -> AppResult<()> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO customers (name, name_sort, phone, phone_digits, email, address, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for n in 1..=count {
        let p = names::customer(rng, n);
        let (sort, digits) = (
            crate::validate::sort_key(&p.name),
            crate::maintenance::derived::digits(&p.phone),
        );
        insert.execute(params![p.name, sort, p.phone, digits, p.email, p.address, at, at])?;
    }
    // Each one's address saved as their default ship-to, as the upgrade to V15 does.
    conn.execute(
        "INSERT INTO customer_addresses (customer_id, name, phone, street, is_default, created_at, updated_at)
         SELECT c.id, c.name, c.phone, c.address, 1, c.created_at, c.created_at FROM customers c
         WHERE c.address IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customer_addresses a WHERE a.customer_id = c.id)",
        [],
    )?;
    Ok(())
}

/// One order as it stands today: old orders are mostly completed (some cancelled), recent ones
/// are still moving through the desk.
pub struct DemoOrder<'a> {
    customer_id: i64,
    user_id: i64,
    status: &'static str,
    lines: Vec<(&'a Product, i64)>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// How much of the total was paid, in percent, and how: most orders are paid in full,
    /// a few finished ones are still owed (the debtors), some open ones carry a deposit.
    paid_percent: i64,
    method: &'static str,
    /// A few orders are rounded down to the yuan (抹零) or carry a shipping fee.
    adjustments: Adjustments,
    /// The carrier (of the default list) and tracking number its parcels went with.
    carrier: usize,
    tracking: u64,
    /// Some confirmed orders have sent part of their goods (a backorder); a few completed
    /// ones had one unit come back.
    backorder: bool,
    came_back: bool,
}

const DEMO_METHODS: [&str; 10] = [
    "wechat",
    "wechat",
    "wechat",
    "alipay",
    "alipay",
    "cash",
    "cash",
    "bank_transfer",
    "card",
    "on_account",
];

impl<'a> DemoOrder<'a> {
    pub fn random(
        rng: &mut Rng,
        products: &'a [Product],
        customers: u64,
        user_id: i64,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        let age = now - at;
        let status = match (age.num_days(), rng.u8(..100)) {
            (14.., 0..=84) => "completed",
            (14.., 85..=94) => "cancelled",
            (14.., _) => "shipped",
            (3.., 0..=39) => "completed",
            (3.., 40..=79) => "shipped",
            (3.., _) => "confirmed",
            (_, 0..=49) => "pending",
            (_, 50..=79) => "confirmed",
            (_, 80..=89) => "shipped",
            (_, _) => "cancelled",
        };
        let count = [1, 1, 2, 2, 2, 3, 3, 4][rng.usize(..8)];
        let mut lines: Vec<(&Product, i64)> = Vec::with_capacity(count);
        while lines.len() < count.min(products.len()) {
            let p = &products[rng.usize(..products.len())];
            if lines.iter().all(|(q, _)| q.id != p.id) {
                lines.push((p, [1, 1, 1, 2, 2, 3, 5][rng.usize(..7)]));
            }
        }
        let updated_at = if status == "pending" {
            at
        } else {
            between(rng, at, (at + Duration::days(3)).min(now))
        };
        let paid_percent = match (status, rng.u8(..100)) {
            ("cancelled", _) => 0,
            ("completed" | "shipped", 0..=91) => 100,
            ("completed" | "shipped", 92..=95) => 50,
            ("completed" | "shipped", _) => 0,
            ("confirmed", 0..=49) => 100,
            (_, 0..=29) => 30,
            _ => 0,
        };
        let carrier = rng.usize(..8);
        let tracking = rng.u64(1_000_000_000..10_000_000_000);
        let units: i64 = lines.iter().map(|(_, q)| q).sum();
        let backorder = status == "confirmed" && units > 1 && rng.u8(..3) == 0;
        let came_back = status == "completed" && rng.u8(..25) == 0;
        Self {
            carrier,
            tracking,
            backorder,
            came_back,
            customer_id: rng.i64(1..=customers as i64),
            user_id,
            status,
            lines,
            created_at: at,
            updated_at,
            paid_percent,
            method: DEMO_METHODS[rng.usize(..DEMO_METHODS.len())],
            adjustments: Adjustments {
                discount: Money::ZERO,
                round_down: if rng.usize(..8) == 0 {
                    RoundDown::Yuan
                } else {
                    RoundDown::None
                },
                shipping_fee: if rng.usize(..20) == 0 {
                    Money::from_minor(1_000)
                } else {
                    Money::ZERO
                },
            },
        }
    }
}

/// Writes an order with its lines and history; returns how many lines it has.
pub fn insert_order(conn: &Conn, o: &DemoOrder, number: &str) -> AppResult<u64> {
    let lines: i64 = o.lines.iter().map(|(p, q)| p.price_minor * q).sum();
    let a = &o.adjustments;
    let totals = adjustments::totals(Money::from_minor(lines), a)?;
    let (created, updated) = (clock::format(o.created_at), clock::format(o.updated_at));
    conn.prepare_cached(
        "INSERT INTO orders (order_number, number_reversed, user_id, customer_id, status, total_amount_minor,
                             round_down, rounding_minor, shipping_fee_minor, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        number,
        crate::maintenance::derived::reversed(number),
        o.user_id,
        o.customer_id,
        o.status,
        totals.total.minor(),
        a.round_down.as_str(),
        totals.rounding.minor(),
        a.shipping_fee.minor(),
        created,
        updated
    ])?;
    let order_id = conn.last_insert_rowid()?;
    let mut item = conn.prepare_cached(
        "INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor,
                                  cost_minor)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    for (p, quantity) in &o.lines {
        item.execute(params![
            order_id,
            p.id,
            p.name,
            p.sku,
            quantity,
            p.price_minor,
            p.price_minor * quantity,
            p.cost_minor
        ])?;
    }
    let mut history = conn.prepare_cached(
        "INSERT INTO order_status_history (order_id, from_status, to_status, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
    )?;
    history.execute(params![order_id, None::<&str>, "pending", o.user_id, created])?;
    if o.status != "pending" {
        history.execute(params![order_id, "pending", o.status, o.user_id, updated])?;
    }
    let paid = totals.total.minor() * o.paid_percent / 100;
    if paid > 0 {
        // Paid when it was taken (a deposit) or when it moved on (in full).
        let at = if o.paid_percent == 100 { &updated } else { &created };
        conn.prepare_cached(
            "INSERT INTO payments (order_id, kind, amount_minor, method, paid_at, user_id, recorded_by, created_at)
             SELECT ?, 'payment', ?, ?, ?, id, username, ? FROM users WHERE id = ?",
        )?
        .execute(params![order_id, paid, o.method, at, at, o.user_id])?;
        conn.prepare_cached("UPDATE orders SET paid_minor = ? WHERE id = ?")?
            .execute(params![paid, order_id])?;
    }
    crate::payments::store::refresh_status(conn, order_id)?;
    goods(conn, o, order_id, &updated)?;
    Ok(o.lines.len() as u64)
}

/// Where a demo order went, what went out and what came back.
fn goods(conn: &Conn, o: &DemoOrder, order_id: i64, at: &str) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE orders SET ship_name = c.name, ship_phone = c.phone, ship_phone_digits = c.phone_digits,
                           ship_street = c.address
         FROM customers c WHERE c.id = orders.customer_id AND orders.id = ?",
    )?
    .execute([order_id])?;
    let shipped_all = matches!(o.status, "shipped" | "completed");
    if !shipped_all && !o.backorder {
        return Ok(());
    }
    let carriers = crate::shipping::types::default_carriers();
    let carrier = &carriers[o.carrier].name;
    let prefix = ["SF", "ZT", "YT", "YD", "ST", "JD", "JT", "EM"][o.carrier];
    conn.prepare_cached(
        "INSERT INTO shipments (order_id, carrier, tracking_number, shipped_at, user_id, shipped_by, created_at)
         SELECT ?, ?, ?, ?, id, username, ? FROM users WHERE id = ?",
    )?
    .execute(params![
        order_id,
        carrier,
        format!("{prefix}{}", o.tracking),
        at,
        at,
        o.user_id
    ])?;
    let shipment = conn.last_insert_rowid()?;
    // A backorder sent its first line's first unit; the rest waits.
    let units = if shipped_all { "quantity" } else { "1" };
    let first_line_only = if shipped_all {
        ""
    } else {
        "AND id = (SELECT MIN(id) FROM order_items WHERE order_id = ?1)"
    };
    conn.prepare_cached(&format!(
        "INSERT INTO shipment_lines (shipment_id, order_item_id, quantity)
         SELECT ?2, id, {units} FROM order_items WHERE order_id = ?1 {first_line_only}"
    ))?
    .execute(params![order_id, shipment])?;
    conn.prepare_cached(
        "UPDATE order_items
         SET shipped_quantity = (SELECT quantity FROM shipment_lines WHERE shipment_id = ?1 AND order_item_id = order_items.id)
         WHERE order_id = ?2 AND id IN (SELECT order_item_id FROM shipment_lines WHERE shipment_id = ?1)",
    )?
    .execute(params![shipment, order_id])?;
    if o.came_back {
        came_back(conn, o, order_id, at)?;
    }
    Ok(())
}

/// One unit of the first line came back and went on the shelf again.
fn came_back(conn: &Conn, o: &DemoOrder, order_id: i64, at: &str) -> AppResult<()> {
    let (item_id, product_id, quantity, line_total): (i64, i64, i64, i64) = conn
        .prepare_cached(
            "SELECT id, product_id, quantity, line_total_minor FROM order_items WHERE order_id = ? ORDER BY id LIMIT 1",
        )?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let amount = crate::pricing::return_value(Money::from_minor(line_total), quantity, 0, 1);
    conn.prepare_cached(
        "INSERT INTO order_returns (order_id, reason, user_id, returned_by, created_at)
         SELECT ?, 'not_needed', id, username, ? FROM users WHERE id = ?",
    )?
    .execute(params![order_id, at, o.user_id])?;
    let return_id = conn.last_insert_rowid()?;
    conn.prepare_cached(
        "INSERT INTO return_lines (return_id, order_item_id, quantity, restock, amount_minor) VALUES (?, ?, 1, 1, ?)",
    )?
    .execute(params![return_id, item_id, amount.minor()])?;
    conn.prepare_cached("UPDATE order_items SET returned_quantity = 1, returned_minor = ? WHERE id = ?")?
        .execute(params![amount.minor(), item_id])?;
    let all_back = quantity == 1 && o.lines.len() == 1;
    let status = if all_back { "returned" } else { o.status };
    conn.prepare_cached("UPDATE orders SET returned_minor = ?, status = ? WHERE id = ?")?
        .execute(params![amount.minor(), status, order_id])?;
    if all_back {
        conn.prepare_cached(
            "INSERT INTO order_status_history (order_id, from_status, to_status, user_id, created_at) VALUES (?, ?, 'returned', ?, ?)",
        )?
        .execute(params![order_id, o.status, o.user_id, at])?;
    }
    let refs = crate::inventory::store::MovementRefs {
        order_id: Some(order_id),
        purchase_order_id: None,
        user_id: Some(o.user_id),
        note: Some("demo return"),
    };
    crate::inventory::store::change_stock(conn, product_id, 1, crate::inventory::Reason::Return, refs, at)?;
    Ok(())
}

/// Per-day order number sequences, saved so that the next real order continues them.
#[derive(Default)]
pub struct DayCounters(BTreeMap<String, i64>);

impl DayCounters {
    /// The sequences saved so far (a resumed run goes on from them).
    pub fn load(conn: &Conn) -> AppResult<Self> {
        let mut stmt = conn.prepare("SELECT day, last FROM order_number_counters")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(Self(rows.collect::<Result<_, _>>()?))
    }

    pub fn next(&mut self, day: &str) -> i64 {
        let last = self.0.entry(day.to_owned()).or_insert(0);
        *last += 1;
        *last
    }
}

pub fn save_counters(conn: &Conn, counters: &DayCounters) -> AppResult<()> {
    let mut upsert = conn.prepare_cached(
        "INSERT INTO order_number_counters (day, last) VALUES (?, ?)
         ON CONFLICT (day) DO UPDATE
         SET last = CASE WHEN order_number_counters.last > excluded.last THEN order_number_counters.last ELSE excluded.last END",
    )?;
    for (day, last) in &counters.0 {
        upsert.execute(params![day, last])?;
    }
    Ok(())
}

pub fn record_audit(conn: &Conn, summary: &Summary, now: &str) -> AppResult<()> {
    let after = json!({
        "products": summary.products,
        "customers": summary.customers,
        "orders": summary.orders,
        "order_items": summary.order_items,
        "purchase_orders": summary.purchase_orders,
    });
    let event = Event {
        action: "demo.generate",
        entity_type: "database",
        entity_id: None,
        before: None,
        after: Some(after.to_string()),
    };
    audit::store::record(conn, &Who::command_line(), &event, now)
}
