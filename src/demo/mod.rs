//! Demo data: a believable shop (Chinese and English names, a year of orders) for a desktop
//! trial and for the load benchmark. Written straight into an empty database in large
//! transactions, so a million orders take seconds, not the hours the API would need.

mod names;
mod store;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::settings;

/// How big a shop to make.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub products: u64,
    pub customers: u64,
    pub orders: u64,
    pub seed: u64,
}

#[derive(Debug, Default)]
pub struct Summary {
    pub products: u64,
    pub customers: u64,
    pub orders: u64,
    pub order_items: u64,
}

/// Orders written per transaction: big enough that commits cost nothing, small enough that
/// progress moves smoothly.
const CHUNK: u64 = 10_000;

/// Fills an empty database. `progress` is called with the number of orders written so far.
/// Refuses a database that already has products, customers or orders: demo data must never
/// mix with a real shop's.
pub fn generate(conn: &mut Connection, plan: Plan, mut progress: impl FnMut(u64)) -> AppResult<Summary> {
    if store::has_business_data(conn)? {
        return Err(AppError::Conflict {
            code: "not_empty",
            message: "demo-data only fills an empty database; use a new --data-dir".into(),
            details: serde_json::Value::Null,
        });
    }
    if plan.products == 0 || (plan.orders > 0 && plan.customers == 0) {
        return Err(AppError::validation(
            "products",
            "demo data needs products, and customers for its orders",
        ));
    }
    let mut rng = fastrand::Rng::with_seed(plan.seed);
    let settings = settings::store::load(conn)?;
    let (tz, prefix) = (settings.tz(), settings.order_number_prefix.clone());
    let now = Utc::now();
    let start = now - Duration::days(365);
    let owner = store::superadmin_id(conn)?;

    let tx = conn.transaction()?;
    let products = store::insert_products(&tx, &mut rng, plan.products, &clock::format(start))?;
    store::insert_customers(&tx, &mut rng, plan.customers, &clock::format(start))?;
    tx.commit()?;

    let mut summary = Summary {
        products: plan.products,
        customers: plan.customers,
        ..Summary::default()
    };
    let mut counters = store::DayCounters::default();
    let span_ms = (now - start).num_milliseconds().max(1) as u64;
    let mut written = 0;
    while written < plan.orders {
        let n = CHUNK.min(plan.orders - written);
        let tx = conn.transaction()?;
        for i in written..written + n {
            // Evenly spread in time, oldest first, so ids and dates rise together as in real use.
            let at = start + Duration::milliseconds((i * span_ms / plan.orders.max(1)) as i64);
            let order = store::DemoOrder::random(&mut rng, &products, plan.customers, owner, at, now);
            let day = clock::business_day_compact(at, tz);
            let number = format!("{prefix}-{day}-{:04}", counters.next(&day));
            summary.order_items += store::insert_order(&tx, &order, &number)?;
        }
        tx.commit()?;
        written += n;
        summary.orders = written;
        progress(written);
    }
    let tx = conn.transaction()?;
    store::save_counters(&tx, &counters)?;
    store::record_audit(&tx, &summary, &clock::format(now))?;
    tx.commit()?;
    Ok(summary)
}

/// A time between `from` and `to`.
fn between(rng: &mut fastrand::Rng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_milliseconds().max(1);
    from + Duration::milliseconds(rng.i64(0..span))
}
