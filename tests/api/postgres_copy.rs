//! `order-system db copy`: a shop moved from its SQLite file to PostgreSQL and back, through
//! the binary, all or nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::postgres::Cluster;
use crate::common::process::{run, text};
use crate::common::{ADMIN_PASSWORD, TestServer};

/// Row counts of every table, as `table=count,..`; not the daily totals, which keep a row for
/// a (day, status) whose orders all moved on, where a copy's rebuild has none (`check`
/// proves them right).
fn counts(cluster: &Cluster, db: &str) -> String {
    cluster.sql(
        db,
        "SELECT string_agg(t || '=' || (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM ' || quote_ident(t), false, true, '')))[1]::text, ',' ORDER BY t)
         FROM (SELECT table_name AS t FROM information_schema.tables
               WHERE table_schema = 'public' AND table_name NOT IN ('refinery_schema_history', 'order_daily_totals')) AS tables",
    )
}

fn sqlite_counts(file: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open(file).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT IN ('refinery_schema_history', 'order_daily_totals') ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .iter()
        .map(|t| {
            let n: i64 = conn
                .query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            format!("{t}={n}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[tokio::test]
async fn a_shop_moves_to_postgresql_and_back_all_or_nothing() {
    let cluster = Cluster::start();
    let dir = tempfile::tempdir().unwrap();
    let (shop, back) = (dir.path().join("shop"), dir.path().join("back"));
    let out = run(
        &shop,
        &["demo-data", "--orders", "300", "--products", "120", "--customers", "40"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = shop.join("order-system.db");
    // Bytes too: the shop's logo (a PNG's first bytes, and every byte value).
    let logo: Vec<u8> = b"\x89PNG\r\n\x1a\n".iter().copied().chain(0..=255).collect();
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute(
            "INSERT INTO shop_logo (id, content_type, bytes, updated_at) VALUES (1, 'image/png', ?, '2026-12-01T00:00:00.000Z')",
            [&logo],
        )
        .unwrap();
    let before = sqlite_counts(&file);

    // A failure late in the copy (a trigger refusing parcels' lines, which come after orders,
    // their items, payments and shipments) leaves the target empty.
    cluster.create_db("moved");
    let url = cluster.url("moved");
    assert!(run(&shop, &["migrate", "--database", &url], None).status.success());
    cluster.sql(
        "moved",
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON shipment_lines FOR EACH ROW EXECUTE FUNCTION refuse()",
    );
    let out = run(&shop, &["db", "copy", "--to", &url], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("disk trouble"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("  shipments: "), "{}", text(&out.stderr));
    assert_eq!(cluster.sql("moved", "SELECT count(*) FROM orders"), "0");
    assert_eq!(cluster.sql("moved", "SELECT count(*) FROM products"), "0");
    cluster.sql("moved", "DROP TRIGGER refuse ON shipment_lines; DROP FUNCTION refuse()");

    // SQLite → PostgreSQL: every row, every id; the totals rebuilt by PostgreSQL's triggers.
    let out = run(&shop, &["db", "copy", "--to", &url], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("`check` is clean on both sides"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(counts(&cluster, "moved"), before, "the same rows in every table");
    let check = run(&shop, &["check", "--database", &url], None);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let sums = "SELECT SUM(total_amount_minor) || '/' || (SELECT SUM(stock_quantity) FROM products) || '/' || MAX(order_number) FROM orders";
    let sqlite_sums: String = rusqlite::Connection::open(&file)
        .unwrap()
        .query_row(sums, [], |r| r.get(0))
        .unwrap();
    assert_eq!(cluster.sql("moved", sums), sqlite_sums);

    // Copying again is refused: the target holds a shop now. Nothing changes.
    let out = run(&shop, &["db", "copy", "--to", &url], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already holds data"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(counts(&cluster, "moved"), before);

    // A server on the copy takes orders: the sequences start past the copied ids.
    {
        let url = url.clone();
        let srv = TestServer::start_with(move |c| {
            c.admin_password = Some(ADMIN_PASSWORD.into());
            c.database = Some(url);
        })
        .await;
        let admin = srv.admin().await;
        let p = srv.product(&admin, "AFTER-MOVE", "8.00", 5).await;
        let (status, body) = srv
            .post(
                "/api/orders",
                &admin,
                json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    // PostgreSQL → a new SQLite file, with the order taken there; then both check clean.
    let after = counts(&cluster, "moved");
    let out = run(&back, &["db", "copy", "--from", &url], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(sqlite_counts(&back.join("order-system.db")), after);
    let check = run(&back, &["check"], None);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let back_logo: Vec<u8> = rusqlite::Connection::open(back.join("order-system.db"))
        .unwrap()
        .query_row("SELECT bytes FROM shop_logo", [], |r| r.get(0))
        .unwrap();
    assert_eq!(back_logo, logo, "the logo's bytes went there and back");
    // Into a file that holds a shop: refused, the file as it was.
    let out = run(&shop, &["db", "copy", "--from", &url], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already holds data"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sqlite_counts(&file), before);
    // --database is not how db copy names PostgreSQL.
    let out = run(&shop, &["db", "copy", "--to", &url, "--database", &url], None);
    assert!(!out.status.success());
}
