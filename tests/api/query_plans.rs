//! Every list, report and dashboard query, run against a demo shop, must find its orders and
//! order lines through an index: EXPLAIN QUERY PLAN may not show a full scan of either table,
//! nor a sort of all their rows. Checked without the planner's statistics (a young database
//! has none), with sampled ones (what PRAGMA optimize leaves) and with full ones.

use std::sync::Mutex;

use order_system::demo::{self, Plan};
use order_system::http::list::Paging;
use order_system::orders::store::OrderFilter;
use order_system::orders::types::OrderStatus;
use order_system::{audit, customers, inventory, orders, products, reports, users};
use rusqlite::Connection;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

/// The SQL the store functions ran, parameters expanded (SQLite's trace hook).
static TRACED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(event: TraceEvent<'_>) {
    // The statement's first event, not those of the triggers it runs.
    if let TraceEvent::Stmt(stmt, sql) = event
        && !sql.starts_with("--")
        && let Some(expanded) = stmt.expanded_sql()
    {
        TRACED.lock().unwrap().push(expanded);
    }
}

fn paging(search: Option<&str>) -> Paging {
    Paging {
        page: 3,
        per_page: 20,
        search: search.map(str::to_owned),
        sort: None,
    }
}

/// Calls every list and report the API offers, in the shapes its handlers use.
fn run_every_query(conn: &Connection) {
    let conn = &order_system::db::Conn::from(conn);
    let from = Some("2026-03-01T00:00:00.000Z".to_owned());
    let to = Some("2026-04-01T00:00:00.000Z".to_owned());
    let order_filters = [
        OrderFilter::default(),
        OrderFilter {
            status: Some(OrderStatus::Pending),
            ..Default::default()
        },
        OrderFilter {
            status: Some(OrderStatus::Completed),
            from: from.clone(),
            to: to.clone(),
            ..Default::default()
        },
        OrderFilter {
            from: from.clone(),
            to: to.clone(),
            ..Default::default()
        },
        OrderFilter {
            customer_id: Some(7),
            ..Default::default()
        },
    ];
    let sorts = [
        "o.created_at DESC, o.id DESC",
        "o.created_at ASC, o.id ASC",
        "o.order_number ASC, o.id ASC",
        "o.id DESC",
    ];
    for f in &order_filters {
        for sort in sorts {
            orders::store::list(conn, f, &paging(None), sort).unwrap();
        }
        orders::store::list(conn, f, &paging(Some("SO-20260315-00")), sorts[0]).unwrap();
        orders::store::list(conn, f, &paging(Some("王")), sorts[0]).unwrap();
        orders::store::list(conn, f, &paging(Some("0002")), sorts[0]).unwrap();
        orders::store::list(conn, f, &paging(Some("139 0011")), sorts[0]).unwrap();
    }
    orders::store::totals_by_status(conn).unwrap();
    orders::store::recent(conn, 10).unwrap();
    orders::store::items(conn, 1234).unwrap();
    orders::store::history(conn, 1234).unwrap();
    let (f, t) = (from.as_deref().unwrap(), to.as_deref().unwrap());
    reports::store::sales_slots(conn, f, t).unwrap();
    reports::store::sales_by_product(conn, f, t, 20).unwrap();
    reports::store::by_status(conn, f, t).unwrap();
    reports::store::top_customers(conn, f, t, 20).unwrap();
    reports::store::day_summary(conn, f, t).unwrap();
    products::store::list(conn, &Default::default(), &paging(None), "created_at DESC, id DESC").unwrap();
    products::store::list(conn, &Default::default(), &paging(Some("茶")), "name ASC, id ASC").unwrap();
    products::store::low_stock(conn, 20).unwrap();
    let no_filter = customers::store::CustomerFilter { archived: None };
    customers::store::list(conn, &no_filter, &paging(None), "c.created_at DESC, c.id DESC").unwrap();
    customers::store::list(conn, &no_filter, &paging(Some("李")), "c.name ASC, c.id ASC").unwrap();
    inventory::store::movements(conn, 3, &paging(None), "m.id DESC").unwrap();
    audit::store::list(conn, &Default::default(), &paging(None), "id DESC").unwrap();
    users::store::list(
        conn,
        &users::store::UserFilter {
            role: None,
            is_active: None,
        },
        &paging(None),
        "id DESC",
    )
    .unwrap();
}

/// Plan lines that read all of `orders` or `order_items`.
fn full_scans(conn: &Connection, sql: &str) -> Vec<String> {
    let aliases = |table: &str| -> Vec<String> {
        let mut names = vec![table.to_owned()];
        for part in sql.split(&format!("{table} ")).skip(1) {
            if let Some(alias) = part.split_whitespace().next()
                && alias.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !["ON", "WHERE", "JOIN", "LEFT", "GROUP", "ORDER", "LIMIT"].contains(&alias.to_uppercase().as_str())
            {
                names.push(alias.to_owned());
            }
        }
        names
    };
    let watched: Vec<String> = aliases("orders").into_iter().chain(aliases("order_items")).collect();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let details: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Rows read in the order asked for, with no filter, stop at the LIMIT: not a full scan.
    let stops_early =
        sql.contains(" LIMIT ") && !sql.contains(" WHERE ") && !details.iter().any(|d| d.contains("TEMP B-TREE"));
    details
        .into_iter()
        .filter(|d| {
            let mut words = d.split_whitespace();
            !stops_early
                && words.next() == Some("SCAN")
                && words.next().is_some_and(|t| watched.iter().any(|w| w == t))
                && !d.contains("USING INDEX")
                && !d.contains("USING COVERING INDEX")
                && !d.contains("USING INTEGER PRIMARY KEY")
        })
        .collect()
}

fn check_all(conn: &mut Connection, label: &str) {
    TRACED.lock().unwrap().clear();
    conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(record));
    run_every_query(conn);
    conn.trace_v2(TraceEventCodes::empty(), None);
    let traced = std::mem::take(&mut *TRACED.lock().unwrap());
    assert!(traced.len() > 40, "{} statements traced", traced.len());
    let mut problems = Vec::new();
    for sql in &traced {
        let scans = full_scans(conn, sql);
        if !scans.is_empty() {
            problems.push(format!("{scans:?}\n    in {sql}"));
        }
    }
    eprintln!("{label}: {} statements checked", traced.len());
    assert!(problems.is_empty(), "{label}: full scans:\n{}", problems.join("\n"));
}

#[test]
fn list_and_report_queries_use_indexes_on_a_demo_shop() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("order-system.db");
    order_system::db::migrations::apply(&path).unwrap();
    let mut conn = Connection::open(&path).unwrap();
    order_system::db::functions::register(&conn).unwrap();
    conn.execute(
        "INSERT INTO users (username, role, password_hash, created_at, updated_at)
         VALUES ('superAdmin', 'superadmin', 'x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        [],
    )
    .unwrap();
    let plan = Plan {
        products: 300,
        customers: 2_000,
        orders: 30_000,
        seed: 7,
    };
    demo::generate(&(&conn).into(), plan, |_| {}).unwrap();
    check_all(&mut conn, "without statistics");
    // What PRAGMA optimize leaves (the server runs it at close): statistics from a sample,
    // which can mislead the planner more than none at all.
    conn.execute_batch("PRAGMA analysis_limit = 400; ANALYZE").unwrap();
    check_all(&mut conn, "after a sampled ANALYZE");
    conn.execute_batch("PRAGMA analysis_limit = 0; ANALYZE").unwrap();
    check_all(&mut conn, "after a full ANALYZE");
}
