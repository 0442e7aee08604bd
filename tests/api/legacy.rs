//! Moving in from the old system: a real PostgreSQL filled with an old shop
//! (fixtures/old_system.sql), imported from its URL and from a real `pg_dump` file of it, and
//! compared with the source, with each other, and with what a shop then does.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use rusqlite::Connection;
use serde_json::json;

use crate::common::postgres::Cluster;
use crate::common::process::{self, run, text};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/fixtures")
        .join(name)
}

/// The shop's date today, as the fixture's numbers shaped like ours use it.
fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y%m%d")
        .to_string()
}

fn old_shop() -> Cluster {
    let pg = Cluster::start();
    pg.create_db("order_system");
    pg.sql_file("order_system", &fixture("old_system.sql"), &[("today", &today())]);
    pg
}

fn import(data: &Path, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["import", "legacy"];
    all.extend_from_slice(args);
    let out = run(data, &all, None);
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

fn db(data: &Path) -> Connection {
    Connection::open_with_flags(data.join("order-system.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn one(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// What two imports must agree on, and what the source says: every order's number, status,
/// time and total, and the lines of each.
fn orders_of(conn: &Connection) -> Vec<(String, String, String, i64, i64)> {
    conn.prepare(
        "SELECT o.order_number, o.status, o.created_at, o.total_amount_minor,
                (SELECT COALESCE(SUM(line_total_minor), 0) FROM order_items i WHERE i.order_id = o.id)
         FROM orders o ORDER BY o.order_number",
    )
    .unwrap()
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_shop_comes_across_from_its_database_and_from_its_dump() {
    let pg = old_shop();
    let work = tempfile::tempdir().unwrap();
    let (from_url, from_dump) = (work.path().join("url"), work.path().join("dump"));

    // A dry run reads and checks everything, reports, and writes nothing.
    let dry = work.path().join("dry");
    let (ok, out, err) = import(&dry, &[&pg.url("order_system"), "--dry-run"]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("would import") && out.contains("dry run: nothing was written"),
        "{out}"
    );
    assert_eq!(one(&db(&dry), "SELECT COUNT(*) FROM orders"), 0);

    let (ok, out, err) = import(&from_url, &[&pg.url("order_system")]);
    assert!(ok, "{out}{err}");
    eprintln!("{out}");
    assert!(
        !out.contains(crate::common::postgres::PASSWORD),
        "the report hides the password"
    );

    let dump = work.path().join("backup_20240101.sql");
    pg.dump("order_system", &dump, &[]);
    let (ok, out_dump, err) = import(&from_dump, &[dump.to_str().unwrap()]);
    assert!(ok, "{out_dump}{err}");

    // Counts and money against the source.
    let source = |sql: &str| pg.sql("order_system", sql).parse::<i64>().unwrap();
    let conn = db(&from_url);
    assert_eq!(
        one(&conn, "SELECT COUNT(*) FROM users"),
        source("SELECT count(*) FROM users")
    );
    assert_eq!(one(&conn, "SELECT COUNT(*) FROM products"), 50);
    assert_eq!(
        one(&conn, "SELECT COUNT(*) FROM orders"),
        source("SELECT count(*) FROM orders")
    );
    assert_eq!(
        one(&conn, "SELECT COUNT(*) FROM order_items"),
        source("SELECT count(*) FROM order_items") - 1,
        "all lines but the orphan"
    );
    assert_eq!(
        one(&conn, "SELECT SUM(total_amount_minor) FROM orders"),
        source("SELECT (sum(total_amount) * 100)::bigint FROM orders"),
        "every total as recorded"
    );
    assert_eq!(
        one(&conn, "SELECT SUM(stock_quantity) FROM products"),
        source("SELECT sum(stock_quantity) FROM products")
    );
    for status in ["pending", "confirmed", "shipped", "completed", "cancelled"] {
        assert_eq!(
            one(&conn, &format!("SELECT COUNT(*) FROM orders WHERE status = '{status}'")),
            source(&format!("SELECT count(*) FROM orders WHERE status = '{status}'")),
            "{status}"
        );
    }
    assert_eq!(one(&conn, "SELECT COUNT(*) FROM products WHERE status = 'archived'"), 5);
    assert_eq!(
        one(&conn, "SELECT COUNT(*) FROM customers WHERE user_id IS NOT NULL"),
        20,
        "one linked record per buyer"
    );
    // Local times of the old system (Asia/Shanghai) are stored as UTC.
    let first: String = conn
        .query_row(
            "SELECT created_at FROM orders WHERE order_number = 'ORD000001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(first, "2023-12-31T18:30:00.000Z", "02:30 on 1 January in Shanghai");
    let note: String = conn
        .query_row("SELECT note FROM orders WHERE order_number = 'ORD000014'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(note.contains("请尽快发货") && note.contains("文三路14号"), "{note}");

    // The odd order keeps its total, and the report and check say so.
    assert!(out.contains("1 order(s) have a total that differs"), "{out}");
    assert!(out.contains("ORD000042"), "{out}");
    assert!(out.contains("1 row(s) skipped") && out.contains("999999"), "{out}");
    assert!(out.contains("tables not used: alembic_version"), "{out}");
    assert!(out.contains("lazyadmin") && out.contains("admin123"), "{out}");
    assert!(out.contains("check after the import: ok"), "{out}");
    let (checked, report) = process::check(&from_url);
    assert!(checked, "{report}");

    // Both ways give the same shop.
    assert_eq!(orders_of(&conn), orders_of(&db(&from_dump)));
    assert_eq!(
        one(&db(&from_dump), "SELECT COUNT(*) FROM users"),
        one(&conn, "SELECT COUNT(*) FROM users")
    );

    // Stock equals the ledger from the first second.
    assert_eq!(
        one(
            &conn,
            "SELECT COUNT(*) FROM products p WHERE p.stock_quantity <>
               (SELECT COALESCE(SUM(quantity_delta), 0) FROM inventory_movements m WHERE m.product_id = p.id)"
        ),
        0
    );
    drop(conn);

    // People sign in with the passwords they had; admin123 must be changed.
    let mut served = process::serve(&from_url, &[]);
    let client = process::http_client();
    let login = |user: &str, password: &str| {
        let (client, url) = (client.clone(), served.url.clone());
        let body = json!({"username": user, "password": password});
        async move {
            let res = client
                .post(format!("{url}/api/auth/login"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = res.status();
            (status, res.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, manager) = login("manager1", "Manager#2024").await;
    assert_eq!(status, StatusCode::OK, "{manager}");
    assert_eq!(manager["user"]["must_change_password"], false);
    let (status, boss) = login("superAdmin", "admin123").await;
    assert_eq!(status, StatusCode::OK, "{boss}");
    assert_eq!(boss["user"]["must_change_password"], true, "still the first password");
    let (status, _) = login("buyer5", "buyer-pass-5").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = login("buyer10", "buyer-pass-10").await;
    assert_ne!(status, StatusCode::OK, "an inactive account stays inactive");

    // A new order takes a number after the imported ones shaped like ours.
    let token = manager["access_token"].as_str().unwrap();
    let product = client
        .get(format!("{}/api/products?q=TEA-001", served.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap()["items"][0]["id"]
        .clone();
    let order = client
        .post(format!("{}/api/orders", served.url))
        .bearer_auth(token)
        .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(order["order_number"], format!("SO-{}-0004", today()), "{order}");
    process::signal(&served.child, "-TERM");
    process::wait_exit(&mut served.child, std::time::Duration::from_secs(20));

    // Gzipped dumps too; and a second import into the same shop is refused.
    let gz = work.path().join("backup.sql.gz");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("gzip -c {} > {}", dump.display(), gz.display()))
        .status()
        .unwrap();
    assert!(status.success());
    let from_gz = work.path().join("gz");
    let (ok, out, err) = import(&from_gz, &[gz.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert_eq!(orders_of(&db(&from_gz)).len(), orders_of(&db(&from_dump)).len());
    let (ok, _, err) = import(&from_url, &[gz.to_str().unwrap()]);
    assert!(!ok && err.contains("not empty"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dump_made_with_inserts_reads_the_same() {
    let pg = old_shop();
    let work = tempfile::tempdir().unwrap();
    let (plain, inserts) = (work.path().join("plain.sql"), work.path().join("inserts.sql"));
    pg.dump("order_system", &plain, &[]);
    pg.dump("order_system", &inserts, &["--inserts"]);
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    let (ok, out, err) = import(&a, &[plain.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    let (ok, out, err) = import(&b, &[inserts.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert_eq!(orders_of(&db(&a)), orders_of(&db(&b)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_that_renamed_things_comes_across_with_a_map() {
    let pg = Cluster::start();
    pg.create_db("shop");
    pg.sql(
        "shop",
        "CREATE EXTENSION pgcrypto;
         CREATE TABLE accounts (uid serial PRIMARY KEY, login text NOT NULL, pwd text NOT NULL, kind text, joined timestamp);
         CREATE TABLE goods (gid serial PRIMARY KEY, code text, title text, cost numeric(10,2), qty int, state text);
         CREATE TABLE sales (sid serial PRIMARY KEY, no text, buyer int, state text, sum_total numeric(12,2), made timestamp);
         CREATE TABLE sale_lines (lid serial PRIMARY KEY, sale int, good int, pieces int, each_price numeric(10,2));
         INSERT INTO accounts (login, pwd, kind, joined) VALUES
           ('owner', crypt('owner-pass-1', gen_salt('bf', 4)), 'boss', '2023-01-01 08:00'),
           ('王小明', crypt('wang-pass-1', gen_salt('bf', 4)), 'member', '2023-01-02 08:00');
         INSERT INTO goods (code, title, cost, qty, state) VALUES ('A1', '苹果', 3.50, 10, 'on'), ('B2', '香蕉', 2.00, 0, 'off');
         INSERT INTO sales (no, buyer, state, sum_total, made) VALUES ('S1', 2, 'paid', 7.00, '2024-02-01 10:00'), ('S2', 2, 'done', 2.00, '2024-02-02 10:00');
         INSERT INTO sale_lines (sale, good, pieces, each_price) VALUES (1, 1, 2, 3.50), (2, 2, 1, 2.00);",
    );
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let (ok, _, err) = import(&data, &[&pg.url("shop")]);
    assert!(!ok, "not without a map");
    assert!(
        err.contains("does not look like the old system") && err.contains("sale_lines"),
        "{err}"
    );

    let map = work.path().join("map.toml");
    std::fs::write(
        &map,
        r#"
[tables]
users = "accounts"
products = "goods"
orders = "sales"
order_items = "sale_lines"
[columns.users]
id = "uid"
username = "login"
password_hash = "pwd"
role = "kind"
created_at = "joined"
[columns.products]
id = "gid"
sku = "code"
name = "title"
price = "cost"
stock_quantity = "qty"
status = "state"
[columns.orders]
id = "sid"
order_number = "no"
user_id = "buyer"
status = "state"
total_amount = "sum_total"
created_at = "made"
[columns.order_items]
id = "lid"
order_id = "sale"
product_id = "good"
quantity = "pieces"
unit_price = "each_price"
[roles]
boss = "admin"
member = "customer"
[product_status]
on = "active"
off = "archived"
[order_status]
paid = "confirmed"
"#,
    )
    .unwrap();
    // Without the order statuses' meaning: the error lists what was found.
    let partial = work.path().join("partial.toml");
    let text = std::fs::read_to_string(&map).unwrap();
    std::fs::write(&partial, text.replace("[order_status]\npaid = \"confirmed\"\n", "")).unwrap();
    let (ok, _, err) = import(&data, &[&pg.url("shop"), "--map", partial.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("unknown order status values") && err.contains("\"paid\""),
        "{err}"
    );
    assert!(err.contains("\"done\""), "{err}");
    let (ok, _, err) = import(&data, &[&pg.url("shop"), "--map", partial.to_str().unwrap()]);
    assert!(
        !ok && !err.contains("not empty"),
        "a failed import wrote nothing: {err}"
    );

    std::fs::write(
        &map,
        text.replace("paid = \"confirmed\"", "paid = \"confirmed\"\ndone = \"completed\""),
    )
    .unwrap();
    let (ok, out, err) = import(&data, &[&pg.url("shop"), "--map", map.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    let conn = db(&data);
    assert_eq!(one(&conn, "SELECT COUNT(*) FROM orders WHERE status = 'confirmed'"), 1);
    assert_eq!(one(&conn, "SELECT COUNT(*) FROM orders WHERE status = 'completed'"), 1);
    assert_eq!(one(&conn, "SELECT COUNT(*) FROM users WHERE role = 'admin'"), 1);
    assert_eq!(one(&conn, "SELECT COUNT(*) FROM products WHERE status = 'archived'"), 1);
    let name: String = conn
        .query_row("SELECT product_name FROM order_items WHERE sku = 'A1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        name, "苹果",
        "a line keeps the product's name when the source has none of its own"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sources_are_one_clear_error_and_write_nothing() {
    let pg = old_shop();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let nothing_written = |data: &Path| {
        let conn = db(data);
        assert_eq!(
            one(&conn, "SELECT COUNT(*) FROM products") + one(&conn, "SELECT COUNT(*) FROM orders"),
            0
        );
    };

    let wrong = pg
        .url("order_system")
        .replace(crate::common::postgres::PASSWORD, "wrong");
    let (ok, _, err) = import(&data, &[&wrong]);
    assert!(!ok && err.contains("password authentication failed"), "{err}");
    assert!(!err.contains("wrong@"), "no password in the message: {err}");
    nothing_written(&data);

    let port = process::free_port();
    let (ok, _, err) = import(
        &data,
        &[&format!("postgresql://postgres:x@127.0.0.1:{port}/order_system")],
    );
    assert!(
        !ok && err.contains("cannot read the old database at 127.0.0.1"),
        "{err}"
    );
    nothing_written(&data);

    let dump = work.path().join("full.sql");
    pg.dump("order_system", &dump, &[]);
    let bytes = std::fs::read(&dump).unwrap();
    let cut = work.path().join("cut.sql");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let (ok, _, err) = import(&data, &[cut.to_str().unwrap()]);
    assert!(!ok && err.contains("incomplete") || err.contains("cut short"), "{err}");
    nothing_written(&data);

    pg.create_db("cats");
    pg.sql(
        "cats",
        "CREATE TABLE cats (id int, name text); INSERT INTO cats VALUES (1, '咪咪');",
    );
    let other = work.path().join("cats.sql");
    pg.dump("cats", &other, &[]);
    let (ok, _, err) = import(&data, &[other.to_str().unwrap()]);
    assert!(
        !ok && err.contains("does not look like the old system") && err.contains("cats"),
        "{err}"
    );
    nothing_written(&data);

    let (ok, _, err) = import(&data, &[work.path().join("missing.sql").to_str().unwrap()]);
    assert!(!ok && err.contains("cannot read"), "{err}");

    // Into a shop that has started trading: refused before anything is read.
    let (ok, _, err) = import(&data, &[dump.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, _, err) = import(&data, &[dump.to_str().unwrap()]);
    assert!(!ok && err.contains("not empty"), "{err}");
}
