//! The store's own functions on PostgreSQL: the bodies the server runs on SQLite, called
//! through `db::Conn` on a PostgreSQL session (docs/postgresql.md, steps 3 and 5). Nothing here
//! is PostgreSQL-specific SQL: what passes here passes because one body serves both engines.

use order_system::audit::Who;
use order_system::auth::CurrentUser;
use order_system::db::Conn;
use order_system::db::postgres::session::Session;
use order_system::error::AppError;
use order_system::orders::types::{NewOrder, NewOrderItem};
use order_system::orders::{self, Ask, Idempotency};
use order_system::products::types::NewProduct;
use order_system::users::types::Role;

use crate::common::postgres::Cluster;

const NOW: &str = "2026-12-01T08:00:00.000Z";

/// A migrated database with its superadmin, as `serve` leaves a new one.
fn migrated(cluster: &Cluster, name: &str) -> Session {
    cluster.create_db(name);
    let url = cluster.url(name);
    order_system::db::postgres::migrate(&url).unwrap();
    let session = Session::connect(&url).unwrap();
    Conn::from(&session)
        .execute(
            "INSERT INTO users (username, username_key, role, password_hash, created_at, updated_at)
             VALUES ('superAdmin', 'superadmin', 'superadmin', 'x', ?1, ?1)",
            [NOW],
        )
        .unwrap();
    session
}

fn admin(conn: &Conn) -> CurrentUser {
    let id: i64 = conn
        .query_row("SELECT id FROM users WHERE role = 'superadmin'", [], |r| r.get(0))
        .unwrap();
    CurrentUser {
        id,
        username: "superAdmin".into(),
        role: Role::Superadmin,
        must_change_password: false,
        ip: None,
        session: None,
        bearer: None,
    }
}

/// Stores a product with its initial stock, as the server does; its id, or the error.
fn try_product(conn: &Conn, sku: &str, name: &str, price: &str, stock: i64) -> Result<i64, AppError> {
    let p = NewProduct {
        sku: sku.into(),
        name: name.into(),
        description: None,
        price: price.parse().unwrap(),
        stock_quantity: stock,
        low_stock_threshold: None,
        status: None,
        tax_rate: None,
        category_id: None,
        unit: None,
        barcode: None,
        cost_price: None,
    }
    .validate(NOW)?;
    conn.in_transaction(|c| order_system::products::insert_with_stock(c, &Who::command_line(), &p, NOW))
        .map(|p| p.id)
}

fn product(conn: &Conn, sku: &str, name: &str, price: &str, stock: i64) -> i64 {
    try_product(conn, sku, name, price, stock).unwrap()
}

fn order(conn: &Conn, actor: &CurrentUser, lines: &[(i64, i64)], key: Option<&str>) -> Result<(i64, bool), AppError> {
    let input = NewOrder {
        items: lines
            .iter()
            .map(|&(product_id, quantity)| NewOrderItem {
                product_id,
                quantity,
                unit_price: None,
                discount_percent: None,
            })
            .collect(),
        customer_id: None,
        note: None,
        discount: None,
        round_down: None,
        shipping_fee: None,
        invoice_title: None,
        invoice_tax_id: None,
        ship_to: None,
        address_id: None,
    };
    let idempotency = key.map(|k| Idempotency {
        key: k.into(),
        request_hash: "h".into(),
    });
    let ask = Ask::new(&input, actor, idempotency)?;
    let settings = order_system::settings::store::load(conn)?;
    conn.in_transaction(|c| orders::create_on(c, &settings, actor, &ask))
        .map(|(detail, replayed)| (detail.order.id, replayed))
}

fn count(conn: &Conn, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn an_order_is_created_on_postgresql_by_the_servers_own_code() {
    let cluster = Cluster::start();
    let session = migrated(&cluster, "desk");
    let conn = Conn::from(&session);
    let actor = admin(&conn);
    let tea = product(&conn, "TEA-1", "龙井茶 Longjing", "12.50", 10);
    let cup = product(&conn, "CUP-1", "Cup", "3.00", 2);

    let (id, replayed) = order(&conn, &actor, &[(tea, 3), (cup, 1)], Some("k-1")).unwrap();
    assert!(!replayed);
    let detail = orders::detail(&conn, id).unwrap();
    assert_eq!(detail.order.total_amount.to_string(), "40.50");
    assert_eq!(detail.items.len(), 2);
    assert!(
        detail.order.order_number.ends_with("-0001"),
        "{}",
        detail.order.order_number
    );

    // The same Idempotency-Key answers the same order and writes nothing.
    assert_eq!(
        order(&conn, &actor, &[(tea, 3), (cup, 1)], Some("k-1")).unwrap(),
        (id, true)
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM orders"), 1);

    // Short of stock: a 409 naming the product, and the transaction leaves nothing behind.
    let err = order(&conn, &actor, &[(tea, 1), (cup, 5)], None).unwrap_err();
    assert!(
        matches!(
            &err,
            AppError::Conflict {
                code: "insufficient_stock",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM orders"), 1);
    assert_eq!(
        count(&conn, &format!("SELECT stock_quantity FROM products WHERE id = {tea}")),
        7
    );

    // The next order of the day takes the next number.
    let (second, _) = order(&conn, &actor, &[(tea, 1)], None).unwrap();
    assert!(
        orders::detail(&conn, second)
            .unwrap()
            .order
            .order_number
            .ends_with("-0002")
    );

    let report = order_system::maintenance::check(&conn).unwrap();
    assert!(report.ok, "{:#?}", report.lines());
}

#[test]
fn lists_search_and_conflicts_read_the_same_on_postgresql() {
    let cluster = Cluster::start();
    let session = migrated(&cluster, "lists");
    let conn = Conn::from(&session);
    product(&conn, "TEA-1", "龙井茶 Longjing", "12.50", 10);
    product(&conn, "tea-2", "Green tea", "8.00", 0);
    product(&conn, "MUG-1", "Mug", "20.00", 5);

    // LIKE ignores ASCII case on SQLite; the translation makes it ILIKE here.
    let paging = order_system::http::list::Paging {
        page: 1,
        per_page: 20,
        search: Some("TEA".into()),
        sort: None,
    };
    let (found, total) =
        order_system::products::store::list(&conn, &Default::default(), &paging, "name ASC, id ASC").unwrap();
    assert_eq!(total, 2);
    assert_eq!(found.len(), 2);

    // A taken SKU (whatever its case) is the 409 a client acts on, not a 500.
    let err = try_product(&conn, "Tea-1", "Copy", "1.00", 0).unwrap_err();
    assert!(matches!(&err, AppError::Conflict { code: "sku_taken", .. }), "{err:?}");
}

#[test]
fn a_demo_shop_fills_postgresql_and_checks_clean() {
    let cluster = Cluster::start();
    let session = migrated(&cluster, "demo");
    let conn = Conn::from(&session);
    let plan = order_system::demo::Plan {
        products: 30,
        customers: 40,
        orders: 600,
        seed: 5,
    };
    let summary = order_system::demo::generate(&conn, plan, |_| {}).unwrap();
    assert_eq!(summary.orders, 600);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM orders"), 600);
    let report = order_system::maintenance::check(&conn).unwrap();
    assert!(report.ok, "{:#?}", report.lines());
}
