//! Holes that lost data once: commands writing into the data dir, restores of files whose
//! schema is not ours, copies left by killed backups, and exports that pin the WAL.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::common::process::{check, http_client, run, serve_with, sign_in, text};
use crate::common::{ADMIN_PASSWORD, TestServer, import_csv};

fn backup_to(data: &Path, file: &Path) -> std::process::Output {
    run(data, &["backup", "--out", file.to_str().unwrap()], None)
}

#[tokio::test]
async fn no_command_writes_into_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = serve_with(&data, &["--admin-password", ADMIN_PASSWORD], &[]);
    let client = http_client();
    let token = sign_in(&client, &served.url, ADMIN_PASSWORD).await;
    crate::common::process::create_product(&client, &served.url, &token, "SAFE-1", "安全").await;

    let outside = dir.path().join("elsewhere");
    std::fs::create_dir(&outside).unwrap();
    symlink(data.join("order-system.db"), outside.join("link.db")).unwrap();
    symlink(data.join("nothing-yet.db"), outside.join("dangling.db")).unwrap();
    std::fs::hard_link(data.join("jwt-secret"), outside.join("hard-secret")).unwrap();
    let targets: Vec<(PathBuf, &str)> = vec![
        (data.join("order-system.db"), "it is the live database"),
        (
            data.join("order-system.db-wal"),
            "it is the database's order-system.db-wal",
        ),
        (data.join("jwt-secret"), "it is the token secret"),
        (data.join("backups").join("mine.db"), "inside the data directory"),
        (data.join("../data/order-system.db"), "it is the live database"),
        (outside.join("link.db"), "it is the live database"),
        (outside.join("dangling.db"), "a symbolic link to nowhere"),
        (outside.join("hard-secret"), "a hard link"),
    ];
    for (target, why) in &targets {
        for out in [
            backup_to(&data, target),
            run(&data, &["export", "products", "--out", target.to_str().unwrap()], None),
        ] {
            assert_eq!(out.status.code(), Some(1), "{}", target.display());
            let err = text(&out.stderr);
            assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
            assert!(
                err.contains("refusing to write") && err.contains(why),
                "{}: {err}",
                target.display()
            );
        }
    }
    // The live database is untouched and the server still serves it.
    let (ok, report) = check(&data);
    assert!(ok, "{report}");
    let res = client
        .get(format!("{}/api/products?q=SAFE", served.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let page: serde_json::Value = res.json().await.unwrap();
    assert_eq!(page["total"], 1);
    // Outside the data dir both work.
    let out = backup_to(&data, &outside.join("copy.db"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(
        &data,
        &["export", "products", "--out", outside.join("p.csv").to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// A verified backup of a small shop, and a copy of it with `sql` run on it.
fn tampered(srv: &TestServer, name: &str, sql: &str) -> PathBuf {
    let good = srv.dir.path().join("good.db");
    if !good.exists() {
        let out = backup_to(&srv.data_dir(), &good);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let file = srv.dir.path().join(format!("{name}.db"));
    std::fs::copy(&good, &file).unwrap();
    rusqlite::Connection::open(&file).unwrap().execute_batch(sql).unwrap();
    file
}

#[tokio::test]
async fn restore_and_check_refuse_a_schema_that_is_not_ours() {
    if crate::common::sqlite_only("SQLite restore") {
        return;
    }
    let mut srv = TestServer::start().await;
    let admin = srv.admin().await;
    srv.product(&admin, "SCHEMA-1", "9.90", 5).await;
    let cases = [
        (
            "price-trigger",
            "CREATE TRIGGER cheap AFTER INSERT ON orders BEGIN UPDATE products SET price_minor = 1; END;",
            "an extra trigger cheap",
        ),
        (
            "hash-thief",
            "CREATE TABLE loot (h TEXT); CREATE TRIGGER steal AFTER UPDATE ON users BEGIN INSERT INTO loot VALUES (NEW.password_hash); END;",
            "an extra table loot",
        ),
        (
            "extra-view",
            "CREATE VIEW everything AS SELECT * FROM users;",
            "an extra view everything",
        ),
        (
            "no-daily-totals",
            "DROP TRIGGER order_daily_totals_insert; DROP TRIGGER order_daily_totals_delete; DROP TRIGGER order_daily_totals_update; DROP TABLE order_daily_totals;",
            "no table order_daily_totals",
        ),
        (
            "extra-column",
            "ALTER TABLE products ADD COLUMN backdoor TEXT;",
            "table products has an extra column backdoor",
        ),
    ];
    let files: Vec<(PathBuf, &str)> = cases
        .iter()
        .map(|(n, sql, why)| (tampered(&srv, n, sql), *why))
        .collect();
    srv.stop().await;
    let data = srv.data_dir();
    let before = std::fs::read(data.join("order-system.db")).unwrap();
    for (file, why) in &files {
        let out = run(&data, &["restore", file.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(1), "{} was restored", file.display());
        let err = text(&out.stderr);
        assert!(
            err.contains("is not an order-system database of schema version") && err.contains(why),
            "{err}"
        );
        // `check` on a data dir holding such a file finds the same.
        let other = srv
            .dir
            .path()
            .join(format!("check-{}", file.file_stem().unwrap().to_string_lossy()));
        std::fs::create_dir_all(&other).unwrap();
        std::fs::copy(file, other.join("order-system.db")).unwrap();
        let (ok, report) = check(&other);
        assert!(!ok && report.contains(why), "{report}");
    }
    assert_eq!(
        std::fs::read(data.join("order-system.db")).unwrap(),
        before,
        "nothing was replaced"
    );
    // The untampered backup restores, and checks clean.
    let out = run(
        &data,
        &["restore", srv.dir.path().join("good.db").to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (ok, report) = check(&data);
    assert!(ok, "{report}");
}

#[tokio::test]
async fn copies_left_by_killed_backups_are_cleaned_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = data.join("backups");
    let out = run(&data, &["migrate"], None);
    assert!(out.status.success());
    std::fs::create_dir_all(&backups).unwrap();
    let stale = |n: &str| {
        let path = backups.join(format!(".order-system-2026{n}-manual.db.partial"));
        std::fs::copy(data.join("order-system.db"), &path).unwrap();
        path
    };
    // One left by a backup killed long ago; one another backup is still writing (locked).
    let (old, busy) = (stale("0101"), stale("0102"));
    let writing = std::fs::OpenOptions::new().write(true).open(&busy).unwrap();
    writing.lock().unwrap();
    let served = serve_with(&data, &[], &[]);
    assert!(!old.exists(), "cleaned at start");
    assert!(busy.exists(), "a locked partial belongs to a backup in progress");
    // And before each backup.
    let again = stale("0103");
    let out = run(&data, &["backup"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!again.exists(), "cleaned before a backup");
    assert!(busy.exists());
    drop(writing);
    let out = run(&data, &["backup"], None);
    assert!(out.status.success());
    assert!(!busy.exists(), "cleaned once its writer is gone");
    drop(served);
}

/// Frames of the WAL that a checkpoint could not yet copy into the database.
fn unchecked_frames(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        Ok(r.get::<_, i64>(1)? - r.get::<_, i64>(2)?)
    })
    .unwrap()
}

#[tokio::test]
async fn a_stalled_export_lets_go_of_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = serve_with(&data, &["--admin-password", ADMIN_PASSWORD, "--body-timeout", "1"], &[]);
    let client = http_client();
    let token = sign_in(&client, &served.url, ADMIN_PASSWORD).await;
    // Enough rows that the export cannot fit in the socket buffers and channel.
    let mut csv = String::from("name,phone,address\n");
    for i in 0..60_000 {
        csv.push_str(&format!(
            "顾客{i},1390000{i:04},某省某市某区某街道{i}号某小区某栋某单元\n"
        ));
    }
    let (status, job) = import_csv(&client, &served.url, &token, "/api/imports/customers", csv).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    crate::common::process::create_product(&client, &served.url, &token, "WAL-1", "日志").await;

    // A client that starts the download and stops reading.
    let mut stalled = tokio::net::TcpStream::connect(served.url.trim_start_matches("http://"))
        .await
        .unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stalled
        .write_all(
            format!(
                "GET /api/exports/customers.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut first = [0u8; 1024];
    stalled.read_exact(&mut first).await.unwrap();
    // Writes meanwhile cannot be checkpointed past the export's snapshot...
    let db = data.join("order-system.db");
    let order = || {
        client
            .post(format!("{}/api/customers", served.url))
            .bearer_auth(&token)
            .json(&json!({"name": "写入"}))
            .send()
    };
    for _ in 0..20 {
        assert_eq!(order().await.unwrap().status(), StatusCode::CREATED);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(unchecked_frames(&db) > 0, "the export's snapshot holds the WAL");
    // ...until the export gives up on the client (--body-timeout 1) and lets go.
    let started = Instant::now();
    loop {
        order().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        if unchecked_frames(&db) == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the stalled export still pins the WAL"
        );
    }
    eprintln!("a stalled export let go of its snapshot after {:?}", started.elapsed());
}

#[tokio::test]
async fn the_wal_shrinks_back_after_a_burst() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let served = serve_with(&data, &["--admin-password", ADMIN_PASSWORD], &[]);
    let client = http_client();
    let token = sign_in(&client, &served.url, ADMIN_PASSWORD).await;
    let db = data.join("order-system.db");
    // A reader holds a snapshot during the burst, so no checkpoint can keep the WAL small.
    let pin = rusqlite::Connection::open(&db).unwrap();
    pin.execute_batch("BEGIN; SELECT COUNT(*) FROM users;").unwrap();
    let mut csv = String::from("sku,name,price,stock_quantity,description\n");
    for i in 0..40_000 {
        csv.push_str(&format!("BURST-{i},商品{i},1.00,5,{}\n", "很长的描述".repeat(20)));
    }
    let (status, job) = import_csv(&client, &served.url, &token, "/api/imports/products", csv).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    let wal = || {
        std::fs::metadata(data.join("order-system.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    let peak = wal();
    assert!(peak > 40 << 20, "the burst grew the WAL: {peak} bytes");
    pin.execute_batch("COMMIT").unwrap();
    drop(pin);
    let started = Instant::now();
    while wal() > 16 << 20 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the WAL stays at {} bytes",
            wal()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "WAL: {peak} bytes after the burst, {} bytes {:?} after the reader let go",
        wal(),
        started.elapsed()
    );
}

/// An import whose savepoint journal outgrows memory spills it to a temporary file. It once
/// answered 507 "disk full" (first seen on a dry run) with the disk nearly empty: the spill buffer was larger than one
/// write of SQLite's unix VFS may be (see db::connection).
#[tokio::test]
async fn an_import_into_a_large_database_is_not_a_full_disk() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let mut rng = fastrand::Rng::with_seed(11);
    let mut csv = |rows: usize| {
        let mut text = String::from("name,phone,email\n");
        for _ in 0..rows {
            text.push_str(&format!(
                "客户{},13{:09},u{}@example.cn\n",
                rng.u32(..),
                rng.u32(..1_000_000_000),
                rng.u32(..)
            ));
        }
        text
    };
    let (status, job) = import_csv(&srv.client, &srv.url, &admin, "/api/imports/customers", csv(60_000)).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    // 500 rows scattered over the indexes journal far more than the in-memory buffer holds
    // (a real import: a dry run no longer writes at all).
    let (status, job) = import_csv(&srv.client, &srv.url, &admin, "/api/imports/customers", csv(500)).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["created"], 500);
}

/// A restore from the UI's side: the server restores under itself, with maintenance mode, and
/// goes on serving the backup's data; a backup that fails its checks changes nothing.
#[tokio::test]
async fn a_backup_is_restored_while_the_server_runs() {
    if crate::common::sqlite_only("SQLite backups and restore") {
        return;
    }
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "BACK-1", "1.00", 50).await;
    let order = |n: i64| {
        let srv = &srv;
        let admin = admin.clone();
        let body = json!({"items": [{"product_id": p["id"], "quantity": n}]});
        async move { srv.post("/api/orders", &admin, body).await.1 }
    };
    order(1).await;
    let (status, backup) = srv.post("/api/backups", &admin, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{backup}");
    let name = backup["name"].as_str().unwrap().to_owned();
    order(2).await;
    srv.patch(&format!("/api/products/{}", p["id"]), &admin, json!({"price": "9.99"}))
        .await;
    let (_, before) = srv.get("/api/products?q=BACK", &admin).await;
    assert_eq!(before["items"][0]["price"], "9.99", "cached now");
    let (_, admin_only) = srv.user_token(&admin, "deputy", "admin").await;
    let url = format!("/api/backups/{name}/restore");
    assert_eq!(
        srv.post(&url, &admin_only, json!({})).await.0,
        StatusCode::FORBIDDEN,
        "superAdmin only"
    );

    // Readers meanwhile get answers or 503 (maintenance), nothing else.
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (client, base, token) = (srv.client.clone(), srv.url.clone(), admin.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                for _ in 0..30 {
                    let res = client
                        .get(format!("{base}/api/orders"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    seen.push((res.status().as_u16(), res.headers().get("retry-after").is_some()));
                }
                seen
            })
        })
        .collect();
    let (status, report) = srv.post(&url, &admin, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report["pre_restore_backup"].as_str().unwrap().contains("pre-restore"));
    for r in readers {
        for (status, retry) in r.await.unwrap() {
            assert!(status == 200 || (status == 503 && retry), "{status}");
        }
    }
    let (_, orders) = srv.get("/api/orders", &admin).await;
    assert_eq!(orders["total"], 1, "the backup's data");
    let (_, after) = srv.get("/api/products?q=BACK", &admin).await;
    assert_eq!(
        after["items"][0]["price"], "1.00",
        "no page from before the restore is served"
    );
    let (_, trail) = srv.get("/api/audit?action=backup.restore", &admin).await;
    assert_eq!(trail["total"], 1);
    srv.assert_ledger_consistent();

    // A tampered backup in the directory is refused, and the shop goes on as it was.
    let tampered = srv
        .data_dir()
        .join("backups")
        .join("order-system-20260101-000000-000-manual.db");
    std::fs::copy(srv.data_dir().join("backups").join(&name), &tampered).unwrap();
    rusqlite::Connection::open(&tampered)
        .unwrap()
        .execute_batch("CREATE TRIGGER cheap AFTER INSERT ON orders BEGIN UPDATE products SET price_minor = 1; END;")
        .unwrap();
    let (status, body) = srv
        .post(
            "/api/backups/order-system-20260101-000000-000-manual.db/restore",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("an extra trigger cheap"),
        "{body}"
    );
    let (_, orders) = srv.get("/api/orders", &admin).await;
    assert_eq!(orders["total"], 1);
    assert_eq!(order(1).await["status"], "pending", "writes work again");
}
