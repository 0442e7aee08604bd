//! Demo data: a believable shop (Chinese and English names, a year of orders) for a desktop
//! trial and for the load benchmark. Written straight into an empty database in large
//! transactions, so a million orders take seconds, not the hours the API would need.
//!
//! A run killed half-way resumes where it stopped when started again with the same plan:
//! each chunk of orders commits with the run's progress (a `demo_data_run` settings row), and
//! each chunk draws from its own seeded generator, so the resumed shop is the one an
//! uninterrupted run makes.

mod names;
mod purchasing;
mod store;

use crate::db::Conn;
use chrono::{DateTime, Duration, Utc};

use crate::clock;
use crate::error::{AppError, AppResult};
use crate::settings;

/// How big a shop to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    pub purchase_orders: u64,
}

/// Orders written per transaction: big enough that commits cost nothing, small enough that
/// progress moves smoothly.
const CHUNK: u64 = 10_000;

/// Fills an empty database. `progress` is called with the number of orders written so far.
/// Refuses a database that already has products, customers or orders: demo data must never
/// mix with a real shop's.
pub fn generate(conn: &Conn, plan: Plan, mut progress: impl FnMut(u64)) -> AppResult<Summary> {
    if plan.products == 0 || (plan.orders > 0 && plan.customers == 0) {
        return Err(AppError::validation(
            "products",
            "demo data needs products, and customers for its orders",
        ));
    }
    let settings = settings::store::load(conn)?;
    let (tz, prefix) = (settings.tz(), settings.order_number_prefix.clone());
    let (owner, owner_name) = store::superadmin(conn)?;
    let run = match store::unfinished_run(conn)? {
        Some(run) if run.plan == plan => run,
        Some(run) => {
            let p = run.plan;
            return Err(AppError::Conflict {
                code: "demo_interrupted",
                message: format!(
                    "an interrupted demo-data run is in this database; finish it with the same plan: \
                     demo-data --orders {} --products {} --customers {} --seed {} (or use a new --data-dir)",
                    p.orders, p.products, p.customers, p.seed
                ),
                details: serde_json::Value::Null,
            });
        }
        None if store::has_business_data(conn)? => {
            return Err(AppError::Conflict {
                code: "not_empty",
                message: "demo-data only fills an empty database; use a new --data-dir".into(),
                details: serde_json::Value::Null,
            });
        }
        None => {
            let run = store::Run {
                plan,
                started_at: clock::now(),
                written: 0,
            };
            let start = clock::format(run.start()?);
            let mut rng = fastrand::Rng::with_seed(plan.seed);
            conn.in_transaction(|tx| {
                store::insert_products(tx, &mut rng, plan.products, &start)?;
                store::insert_customers(tx, &mut rng, plan.customers, &start)?;
                store::save_run(tx, &run)
            })?;
            run
        }
    };
    let products = store::products(conn)?;
    let now = run.now()?;
    let start = run.start()?;
    let mut summary = Summary {
        products: plan.products,
        customers: plan.customers,
        orders: run.written,
        order_items: store::order_item_count(conn)?,
        purchase_orders: 0,
    };
    let mut counters = store::DayCounters::load(conn)?;
    let span_ms = (now - start).num_milliseconds().max(1) as u64;
    let mut written = run.written;
    progress(written);
    while written < plan.orders {
        let n = CHUNK.min(plan.orders - written);
        // Each chunk its own generator: a resumed run makes the orders an unbroken one would.
        let mut rng = fastrand::Rng::with_seed(plan.seed ^ (written / CHUNK + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        conn.in_transaction(|tx| {
            for i in written..written + n {
                // Evenly spread in time, oldest first, so ids and dates rise together as in real use.
                let at = start + Duration::milliseconds((i * span_ms / plan.orders.max(1)) as i64);
                let order = store::DemoOrder::random(&mut rng, &products, plan.customers, owner, at, now);
                let day = clock::business_day_compact(at, tz);
                let number = format!("{prefix}-{day}-{:04}", counters.next(&day));
                summary.order_items += store::insert_order(tx, &order, &number)?;
            }
            store::save_counters(tx, &counters)?;
            store::save_run(
                tx,
                &store::Run {
                    written: written + n,
                    ..run.clone()
                },
            )
        })?;
        written += n;
        summary.orders = written;
        progress(written);
    }
    // Purchasing last, with the run's end: its receipts move stock and cost prices after the
    // sales, as a month of restocking would.
    let mut rng = fastrand::Rng::with_seed(plan.seed ^ 0x00C0_FFEE);
    conn.in_transaction(|tx| {
        summary.purchase_orders = purchasing::insert(tx, &mut rng, &products, (owner, &owner_name), now)?;
        store::record_audit(tx, &summary, &clock::now())?;
        store::finish_run(tx)
    })?;
    Ok(summary)
}

/// A time between `from` and `to`.
fn between(rng: &mut fastrand::Rng, from: DateTime<Utc>, to: DateTime<Utc>) -> DateTime<Utc> {
    let span = (to - from).num_milliseconds().max(1);
    from + Duration::milliseconds(rng.i64(0..span))
}
