//! Never lose an order: backups while writing, restore, consistency check, clean-up,
//! idempotent order creation, the oversell race, and upgrades from the first schema.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use common::{ADMIN_PASSWORD, TestServer, code};
use reqwest::{Method, StatusCode};
use serde_json::json;

use common::process::text;

fn cli(data: &Path, args: &[&str]) -> std::process::Output {
    common::process::run(data, args, None)
}

/// A checksum of every row of every table, as the sqlite3 shell would read them.
fn checksums(db: &Path) -> BTreeMap<String, (usize, String)> {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = BTreeMap::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let cols = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let values: Vec<String> = (0..cols).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
                Ok(values.join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows.sort();
        let digest = order_system::digest::sha256_hex(rows.join("\n").as_bytes());
        out.insert(table, (rows.len(), digest));
    }
    out
}

async fn some_orders(srv: &TestServer, token: &str, n: usize) -> serde_json::Value {
    let p = srv
        .product(token, &format!("P-{n}-{}", rand_suffix()), "9.90", 1000)
        .await;
    for _ in 0..n {
        let (status, _) = srv
            .post(
                "/api/orders",
                token,
                json!({"items": [{"product_id": p["id"], "quantity": 2}]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    p
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backups_are_taken_while_orders_keep_coming_and_are_verified() {
    if crate::common::sqlite_only("SQLite backups") {
        return;
    }
    let srv = Arc::new(TestServer::start().await);
    let admin = srv.admin().await;
    let p = some_orders(&srv, &admin, 5).await;
    let writer = {
        let (srv, admin, pid) = (srv.clone(), admin.clone(), p["id"].clone());
        tokio::spawn(async move {
            let mut ok = 0;
            for _ in 0..200 {
                let (status, _) = srv
                    .post(
                        "/api/orders",
                        &admin,
                        json!({"items": [{"product_id": pid, "quantity": 1}]}),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "writes keep working during backups");
                ok += 1;
            }
            ok
        })
    };
    let mut names = Vec::new();
    for _ in 0..3 {
        let (status, info) = srv.post("/api/backups", &admin, json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{info}");
        assert_eq!(info["verification"], "ok");
        assert_eq!(info["schema_version"], order_system::db::migrations::latest_version());
        names.push(info["name"].as_str().unwrap().to_owned());
    }
    assert_eq!(writer.await.unwrap(), 200);

    let (status, list) = srv.get("/api/backups", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    assert_eq!(list["status"]["last_success_name"], names[2].as_str());
    let dir = srv.data_dir().join("backups");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(
        std::fs::metadata(dir.join(&names[0])).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let resp = srv
        .client
        .get(format!("{}/api/backups/{}", srv.url, names[0]))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(
        bytes.as_ref(),
        std::fs::read(dir.join(&names[0])).unwrap().as_slice(),
        "download is the file"
    );
    for bad in [
        "../order-system.db",
        "..%2F..%2Fjwt-secret",
        "jwt-secret",
        "order-system-x.db",
    ] {
        assert_eq!(
            srv.get(&format!("/api/backups/{bad}"), &admin).await.0,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    let (status, _) = srv
        .call(
            Method::DELETE,
            &format!("/api/backups/{}", names[0]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = srv.get("/api/backups", &admin).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    assert_eq!(srv.get("/api/backups", &staff).await.0, StatusCode::FORBIDDEN);

    // The command line backs up the live database too.
    let out = cli(&srv.data_dir(), &["backup"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("verified ok"), "{}", text(&out.stdout));
}

#[tokio::test]
async fn restore_round_trips_every_table_and_refuses_what_it_must() {
    if crate::common::sqlite_only("SQLite restore") {
        return;
    }
    let mut srv = TestServer::start().await;
    let admin = srv.admin().await;
    some_orders(&srv, &admin, 4).await;
    srv.post("/api/customers", &admin, json!({"name": "备份客户"})).await;
    let data = srv.data_dir();
    let file = srv.dir.path().join("snapshot.db");
    let out = cli(&data, &["backup", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let at_backup = checksums(&file);

    // Refused while the server runs on the data dir.
    let out = cli(&data, &["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("server is running"), "{}", text(&out.stderr));

    some_orders(&srv, &admin, 3).await;
    srv.stop().await;
    let out = cli(&data, &["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("kept as backup"), "{}", text(&out.stdout));
    let db = data.join("order-system.db");
    assert_eq!(checksums(&db), at_backup, "every table is exactly as backed up");
    let out = cli(&data, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stdout));

    // The replaced database was kept, and can itself be restored.
    let pre = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("pre-restore") && p.extension().is_some_and(|e| e == "db"))
        .expect("a pre-restore backup");
    let orders = |db: &Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(orders(&pre), 7);
    assert_eq!(orders(&db), 4);

    // A damaged file and a file from a newer schema are refused, and nothing changes.
    let broken = srv.dir.path().join("broken.db");
    let mut bytes = std::fs::read(&file).unwrap();
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b = 0x5a;
    }
    std::fs::write(&broken, bytes).unwrap();
    let out = cli(&data, &["restore", broken.to_str().unwrap()]);
    assert!(!out.status.success(), "a damaged file is refused");
    let newer = srv.dir.path().join("newer.db");
    std::fs::copy(&file, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute("INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'future', 'x', '0')", [])
        .unwrap();
    let out = cli(&data, &["restore", newer.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("newer order-system"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(checksums(&db), at_backup);
}

/// Builds a database with only the first released schema, filled the way that version would.
fn first_schema_database(path: &Path) {
    order_system::db::migrations::apply_up_to(path, 1).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, username, role, password_hash, must_change_password, created_at, updated_at)
           VALUES (1, 'superAdmin', 'superadmin', '$2b$04$abcdefghijklmnopqrstuu1hGvQY6m8nXW6H1kbbD8tqzM0sPSOiC', 1, 't', 't');
         INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, '老客户', 't', 't');
         INSERT INTO products (id, sku, name, price_minor, stock_quantity, status, created_at, updated_at)
           VALUES (1, 'OLD', '旧商品', 500, 8, 'active', 't', 't');
         INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, created_at) VALUES (1, 10, 10, 'initial', 't');
         INSERT INTO orders (id, order_number, user_id, customer_id, status, total_amount_minor, created_at, updated_at)
           VALUES (1, 'SO-20260101-0001', 1, 1, 'pending', 1000, '2026-01-01T00:00:00.000Z', 't');
         INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor)
           VALUES (1, 1, '旧商品', 'OLD', 2, 500, 1000);
         INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, order_id, created_at) VALUES (1, -2, 8, 'order', 1, 't');",
    )
    .unwrap();
}

#[tokio::test]
async fn a_first_schema_database_upgrades_with_a_backup_first() {
    if crate::common::sqlite_only("upgrading a SQLite file") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    first_schema_database(&data.join("order-system.db"));
    let srv = TestServer::start_with(|c| {
        c.data_dir = data.clone();
        c.admin_password = Some(ADMIN_PASSWORD.into());
    })
    .await;
    let backups: Vec<String> = std::fs::read_dir(data.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        backups.iter().any(|n| n.contains("pre-migrate") && n.ends_with(".db")),
        "{backups:?}"
    );
    let admin = srv.token("superAdmin", ADMIN_PASSWORD).await;
    let (_, order) = srv.get("/api/orders/1", &admin).await;
    assert_eq!(order["order_number"], "SO-20260101-0001");
    assert_eq!(order["customer_name"], "老客户");
    let (status, _) = srv
        .post("/api/orders/1/status", &admin, json!({"status": "cancelled"}))
        .await;
    assert_eq!(status, StatusCode::OK, "old orders work with the new schema");
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(
        report["file"]["schema_version"],
        order_system::db::migrations::latest_version()
    );

    // A first-schema backup restores and migrates forward.
    let old = dir.path().join("old.db");
    first_schema_database(&old);
    let mut srv = srv;
    srv.stop().await;
    let out = cli(&data, &["restore", old.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("migrated forward: V2"),
        "{}",
        text(&out.stdout)
    );
    assert!(cli(&data, &["check"]).status.success());
}

#[tokio::test]
async fn check_finds_broken_invariants_and_cleanup_removes_old_cancelled_orders() {
    let mut srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = some_orders(&srv, &admin, 3).await;
    let (_, page) = srv.get("/api/orders?sort=id", &admin).await;
    let first = page["items"][0]["id"].as_i64().unwrap();
    for id in [first, first + 1] {
        srv.post(
            &format!("/api/orders/{id}/status"),
            &admin,
            json!({"status": "cancelled"}),
        )
        .await;
    }
    srv.write_db(|c| {
        c.execute(
            "UPDATE orders SET created_at = '2020-01-01T00:00:00.000Z' WHERE id IN (?, ?)",
            [first, first + 2],
        )
    })
    .unwrap();
    let (status, report) = srv
        .post(
            "/api/maintenance/cleanup",
            &admin,
            json!({"cancelled_older_than_days": 30}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["dry_run"], true, "dry run by default");
    // A cut-off past the calendar's range was a 500 (the date overflowed), found by schemathesis.
    for days in [36_501, u32::MAX] {
        let (status, body) = srv
            .post(
                "/api/maintenance/cleanup",
                &admin,
                json!({"cancelled_older_than_days": days}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{days}: {body}");
    }
    assert_eq!(
        report["orders"].as_array().unwrap().len(),
        1,
        "only old AND cancelled: {report}"
    );

    let out = srv.cli(&["cleanup", "--cancelled-older-than", "30d", "--dry-run"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("would delete 1 cancelled order(s)"),
        "{}",
        text(&out.stdout)
    );
    let out = srv.cli(&["cleanup", "--cancelled-older-than", "30d"], None);
    assert!(
        text(&out.stdout).contains("deleted 1 cancelled order(s)"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        srv.get(&format!("/api/orders/{first}"), &admin).await.0,
        StatusCode::NOT_FOUND
    );
    srv.assert_ledger_consistent();
    let out = srv.cli(&["check"], None);
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("OK: no problems found"));

    srv.stop().await;
    srv.write_db(|c| {
        c.execute(
            "UPDATE products SET stock_quantity = stock_quantity + 5 WHERE id = ?",
            [p["id"].as_i64()],
        )?;
        c.execute("UPDATE orders SET total_amount_minor = 1 WHERE id = ?", [first + 2])
    })
    .unwrap();
    let out = srv.cli(&["check"], None);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    assert!(
        report.contains("stock vs ledger:    1 mismatch(es)") && report.contains(p["sku"].as_str().unwrap()),
        "{report}"
    );
    assert!(report.contains("order totals:       1 mismatch(es)"), "{report}");
    assert!(text(&out.stderr).starts_with("error: "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idempotency_keys_never_make_a_second_order() {
    let srv = Arc::new(TestServer::start().await);
    let admin = srv.admin().await;
    let p = srv.product(&admin, "IDEM", "3.00", 100).await;
    let body = json!({"items": [{"product_id": p["id"], "quantity": 2}], "note": "retry me"});
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (srv, admin, body) = (srv.clone(), admin.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let resp = srv
                .client
                .post(format!("{}/api/orders", srv.url))
                .bearer_auth(&admin)
                .header("Idempotency-Key", "order-42-attempt")
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let v: serde_json::Value = resp.json().await.unwrap();
            (status, v["id"].clone())
        }));
    }
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        let (status, id) = t.await.unwrap();
        assert_eq!(status, StatusCode::CREATED);
        ids.insert(id.to_string());
    }
    assert_eq!(ids.len(), 1, "every racing retry got the same order");
    let (_, product) = srv.get(&format!("/api/products/{}", p["id"]), &admin).await;
    assert_eq!(product["stock_quantity"], 98, "stock taken once");

    let resp = srv
        .client
        .post(format!("{}/api/orders", srv.url))
        .bearer_auth(&admin)
        .header("Idempotency-Key", "order-42-attempt")
        .json(&json!({"items": [{"product_id": p["id"], "quantity": 3}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&resp.json().await.unwrap()), "idempotency_key_reused");
    srv.assert_ledger_consistent();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_attempts_for_fifty_items() {
    let srv = Arc::new(TestServer::start().await);
    let admin = srv.admin().await;
    let p = srv.product(&admin, "HOT", "1.00", 50).await;
    let pid = p["id"].as_i64().unwrap();
    let mut tasks = Vec::new();
    for _ in 0..500 {
        let (srv, admin) = (srv.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            srv.post(
                "/api/orders",
                &admin,
                json!({"items": [{"product_id": pid, "quantity": 1}]}),
            )
            .await
        }));
    }
    let (mut created, mut refused) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT if code(&body) == "insufficient_stock" => refused += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (50, 450));
    let (_, after) = srv.get(&format!("/api/products/{pid}"), &admin).await;
    assert_eq!(after["stock_quantity"], 0);
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn scheduled_backups_run_are_pruned_and_report_failures() {
    if crate::common::sqlite_only("SQLite backups") {
        return;
    }
    use order_system::backup::schedule::{Schedule, When};
    let srv = TestServer::start_with(|c| {
        c.admin_password = Some(ADMIN_PASSWORD.into());
        c.backup_schedule = Some(Schedule {
            when: When::Every(std::time::Duration::from_millis(300)),
            keep: 2,
        });
    })
    .await;
    let admin = srv.admin().await;
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    // Between a new backup landing and the oldest being pruned there are briefly 3: look
    // again until the schedule is between two backups (it takes one every 300 ms).
    let started = std::time::Instant::now();
    let list = loop {
        let (_, list) = srv.get("/api/backups", &admin).await;
        let scheduled = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["reason"] == "scheduled")
            .count();
        if scheduled == 2 || started.elapsed() > std::time::Duration::from_secs(5) {
            assert_eq!(scheduled, 2, "kept the newest 2: {list}");
            break list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(list["status"]["last_success_at"].is_string());

    let blocked = tempfile::tempdir().unwrap();
    let not_a_dir = blocked.path().join("file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let failing = TestServer::start_with(|c| {
        c.admin_password = Some(ADMIN_PASSWORD.into());
        c.backup_dir = Some(not_a_dir.join("backups"));
        c.backup_schedule = Some(Schedule {
            when: When::Every(std::time::Duration::from_millis(200)),
            keep: 2,
        });
    })
    .await;
    let admin = failing.admin().await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let (_, list) = failing.get("/api/backups", &admin).await;
    assert!(
        list["status"]["last_error"].is_string(),
        "a failed backup shows in the API: {list}"
    );
    assert!(list["status"]["last_success_at"].is_null());
}
