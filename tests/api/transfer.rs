//! CSV export and import, over HTTP and from the command line.

use crate::common;

use std::time::Instant;

use common::{TestServer, code};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

async fn upload(srv: &TestServer, token: &str, path: &str, body: impl Into<reqwest::Body>) -> (StatusCode, Value) {
    common::import_csv(&srv.client, &srv.url, token, path, body).await
}

async fn download(srv: &TestServer, token: &str, path: &str) -> (reqwest::header::HeaderMap, String) {
    let resp = srv
        .client
        .get(format!("{}{path}", srv.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let headers = resp.headers().clone();
    (headers, resp.text().await.unwrap())
}

fn count(srv: &TestServer, sql: &str) -> i64 {
    srv.with_db(|c| c.query_row(sql, [], |r| r.get(0))).unwrap()
}

#[tokio::test]
async fn product_import_matches_by_sku_and_is_all_or_nothing() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    srv.product(&admin, "OLD-1", "5.00", 10).await;
    let file = "sku,name,price,stock_quantity,status\nNEW-1,绿茶,12.5,30,active\nNEW-2,红茶,8,,\nOLD-1,商品 OLD-1,6.00,4,active\n";

    let (status, report) = upload(&srv, &admin, "/api/imports/products?dry_run=true", file).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(
        common::import_report(&report),
        json!({"dry_run": true, "rows": 3, "created": 2, "updated": 1, "unchanged": 0})
    );
    assert_eq!(
        count(&srv, "SELECT COUNT(*) FROM products"),
        1,
        "a dry run writes nothing"
    );
    assert_eq!(
        count(&srv, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'product.%'"),
        1
    );

    let (status, report) = upload(&srv, &admin, "/api/imports/products", file).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["created"], 2);
    assert_eq!(report["updated"], 1);
    let (_, page) = srv.get("/api/products?sort=sku", &admin).await;
    let rows: Vec<(String, String, i64)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["sku"].as_str().unwrap().into(),
                p["price"].as_str().unwrap().into(),
                p["stock_quantity"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("NEW-1".into(), "12.50".into(), 30),
            ("NEW-2".into(), "8.00".into(), 0),
            ("OLD-1".into(), "6.00".into(), 4)
        ]
    );
    srv.assert_ledger_consistent();

    // The same file again is recognised, and not imported twice.
    let (status, body) = upload(&srv, &admin, "/api/imports/products", file).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "already_imported");
    assert_eq!(
        body["error"]["details"]["job"]["created"], 2,
        "it names the earlier import: {body}"
    );
    let (status, body) = upload(&srv, &admin, "/api/imports/products?dry_run=true", file).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "already_imported"),
        "a dry run says so too, before anyone clicks import: {body}"
    );
    // A file with the same rows but other bytes is a new import, and changes nothing.
    let (_, report) = upload(&srv, &admin, "/api/imports/products", format!("{file}\n")).await;
    assert_eq!(report["unchanged"], 3, "{report}");

    // One bad row anywhere: nothing at all is imported, and the problem is located.
    let bad = "sku,name,price\nGOOD-1,好的,1.00\nBAD-1,坏的,1.234\nBAD-2,,2\nGOOD-1,重复,3\n";
    let (status, body) = upload(&srv, &admin, "/api/imports/products", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "invalid_csv");
    let errors = body["error"]["details"]["errors"].as_array().unwrap();
    let located: Vec<(i64, &str)> = errors
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(located, [(3, "price"), (4, "name"), (5, "sku")]);
    assert!(
        errors[2]["message"].as_str().unwrap().contains("line 2"),
        "duplicate SKU names the first line"
    );
    assert_eq!(count(&srv, "SELECT COUNT(*) FROM products WHERE sku = 'GOOD-1'"), 0);

    // A stock correction below zero is refused by the database, with its line.
    let (status, body) = upload(
        &srv,
        &admin,
        "/api/imports/products",
        "sku,name,price,stock_quantity\nNEW-1,绿茶,12.5,-5\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["details"]["errors"][0]["line"], 2);
}

#[tokio::test]
async fn malformed_files_are_refused_clearly() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "unknown column",
            b"sku,name,price,colour\nA,a,1,red\n".to_vec(),
            "colour",
        ),
        ("missing column", b"sku,name\nA,a\n".to_vec(), "price"),
        ("repeated column", b"sku,name,price,price\nA,a,1,2\n".to_vec(), "price"),
        ("ragged row", b"sku,name,price\nA,a,1,extra\n".to_vec(), "cells"),
        // "绿茶" in GBK, as Excel saves CSV on a Chinese Windows by default.
        (
            "GBK bytes",
            [b"sku,name,price\nA,".as_slice(), &[0xC2, 0xCC, 0xB2, 0xE8], b",1\n"].concat(),
            "UTF-8",
        ),
    ];
    for (what, file, needle) in cases {
        let (status, body) = upload(&srv, &admin, "/api/imports/products", file).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}: {body}");
        assert!(body.to_string().contains(needle), "{what}: {body}");
    }
    let (status, body) = upload(
        &srv,
        &admin,
        "/api/imports/products",
        b"\xef\xbb\xbfsku,name,price\nBOM-1,\xe5\xb8\xa6BOM,1\n".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "a UTF-8 BOM is fine: {body}");
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    assert_eq!(
        upload(&srv, &staff, "/api/imports/products", "sku,name,price\n")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn customer_import_and_exports_open_in_excel() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let file = "name,phone,email,address,note\n张三,138 0013 8000,zhang@example.cn,\"杭州市, 西湖区\",\n=cmd|' /C calc'!A0,,,,\"多行\n备注\"\n";
    let (status, report) = upload(&srv, &admin, "/api/imports/customers", file).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["created"], 2);
    let (status, body) = upload(
        &srv,
        &admin,
        "/api/imports/customers",
        "name,email\nok,\nbad,not-email\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["details"]["errors"][0],
        json!({"line": 3, "column": "email", "value": "not-email", "message": "must be an email address like name@example.com"})
    );

    let p = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "X-1", "name": "+SUM(1,2)", "price": "9.90", "stock_quantity": 5}),
        )
        .await
        .1;
    let (_, zhang) = srv.get("/api/customers?q=%E5%BC%A0", &admin).await;
    let cid = zhang["items"][0]["id"].clone();
    srv.post(
        "/api/orders",
        &admin,
        json!({"items": [{"product_id": p["id"], "quantity": 2}], "customer_id": cid, "note": "@home"}),
    )
    .await;

    let (headers, csv) = download(&srv, &admin, "/api/exports/products.csv").await;
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"products-")
    );
    assert!(csv.starts_with('\u{feff}'), "BOM first, for Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("sku,name,price,stock_quantity"));
    assert!(lines[1].starts_with("X-1,\"'+SUM(1,2)\",9.90,3,"), "{}", lines[1]);

    let (_, csv) = download(&srv, &admin, "/api/exports/customers.csv").await;
    assert!(
        csv.contains("张三,138 0013 8000,zhang@example.cn,\"杭州市, 西湖区\""),
        "{csv}"
    );
    assert!(csv.contains("'=cmd|' /C calc'!A0"), "formula neutralised: {csv}");
    assert!(csv.contains("\"多行\n备注\""));

    let (_, csv) = download(&srv, &admin, "/api/exports/orders.csv?status=pending").await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    let local_today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    let row = lines[1];
    assert!(row.contains(&local_today), "times in the shop's zone: {row}");
    assert_eq!(
        lines[0],
        "order_number,created_at,status,customer,created_by,lines,subtotal,discount,rounding,shipping_fee,tax,order_total,payment_status,paid,balance_due,note,currency"
    );
    assert!(
        row.contains(",pending,张三,superAdmin,1,19.80,0.00,0.00,0.00,0.00,19.80,unpaid,0.00,19.80,'@home,CNY"),
        "one row per order: {row}"
    );
    // Its lines are a file of their own, without the order's total: sums count nothing twice.
    let (_, csv) = download(&srv, &admin, "/api/exports/order-lines.csv?status=pending").await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "order_number,created_at,status,customer,sku,product_name,quantity,unit_price,line_total,currency"
    );
    assert!(
        lines[1].ends_with(",pending,张三,X-1,\"'+SUM(1,2)\",2,9.90,19.80,CNY"),
        "{}",
        lines[1]
    );
    // For people: headers and statuses in Chinese, and the list's search.
    let (_, csv) = download(&srv, &admin, "/api/exports/orders.csv?lang=zh-CN&q=%E5%BC%A0").await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "订单号,下单时间,状态,客户,开单人,行数,商品金额,优惠,抹零,运费,税额,订单金额,收款状态,已收金额,待收金额,备注,币种"
    );
    assert!(lines[1].contains(",待处理,张三,"), "{}", lines[1]);
    assert!(lines[1].contains(",未收款,0.00,19.80,"), "{}", lines[1]);
    let (_, csv) = download(&srv, &admin, "/api/exports/orders.csv?q=nobody-matches").await;
    assert_eq!(
        csv.trim_start_matches('\u{feff}').lines().count(),
        1,
        "the search filters the file"
    );
    let (_, csv) = download(&srv, &admin, "/api/exports/orders.csv?status=cancelled").await;
    assert_eq!(csv.trim_start_matches('\u{feff}').lines().count(), 1, "header only");

    // The products export imports back unchanged, in either language.
    let (_, csv) = download(&srv, &admin, "/api/exports/products.csv").await;
    let (status, report) = upload(&srv, &admin, "/api/imports/products", csv).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["unchanged"], 1, "{report}");
    let (_, csv) = download(&srv, &admin, "/api/exports/products.csv?lang=zh-CN").await;
    assert!(csv.contains("SKU,名称,价格,库存") && csv.contains(",在售,"), "{csv}");
    let (status, report) = upload(&srv, &admin, "/api/imports/products", csv).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["unchanged"], 1, "{report}");
}

#[tokio::test]
async fn a_100k_row_import_and_its_export() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let mut file = String::from("sku,name,price,stock_quantity,low_stock_threshold\n");
    for i in 0..100_000 {
        file.push_str(&format!(
            "SKU-{i:06},商品 {i},{}.{:02},{},{}\n",
            i % 500,
            i % 100,
            i % 50,
            if i % 3 == 0 { "5" } else { "" }
        ));
    }
    let started = Instant::now();
    let (status, report) = upload(&srv, &admin, "/api/imports/products", file).await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["created"], 100_000);
    eprintln!("100k-row product import: {took:?}");
    assert_eq!(count(&srv, "SELECT COUNT(*) FROM products"), 100_000);
    assert_eq!(
        count(&srv, "SELECT SUM(stock_quantity) FROM products"),
        count(&srv, "SELECT SUM(quantity_delta) FROM inventory_movements")
    );

    let started = Instant::now();
    let (_, csv) = download(&srv, &admin, "/api/exports/products.csv").await;
    eprintln!("100k-row product export: {:?}, {} bytes", started.elapsed(), csv.len());
    assert_eq!(csv.lines().count(), 100_001);
}

#[tokio::test]
async fn export_and_import_from_the_command_line() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let cli_1 = srv.product(&admin, "CLI-1", "1.00", 3).await;
    let out = srv.dir.path().join("products.csv");
    let run = |args: &[&str]| srv.cli(args, None);
    let o = run(&["export", "products", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}') && text.contains("CLI-1"));
    let o = run(&["export", "orders"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("order_number,created_at"));
    let o = run(&["export", "orders", "--status", "lost"]);
    assert!(!o.status.success());

    // The pages the import changes are in the server's caches before it runs.
    let one = format!("/api/products/{}", cli_1["id"]);
    let (_, page) = srv.get("/api/products?q=CLI&sort=sku", &admin).await;
    assert_eq!(
        (page["total"].as_i64(), page["items"][0]["price"].as_str()),
        (Some(1), Some("1.00"))
    );
    assert_eq!(srv.get(&one, &admin).await.1["price"], "1.00");
    let file = srv.dir.path().join("in.csv");
    std::fs::write(
        &file,
        "sku,name,price,stock_quantity\nCLI-2,命令行,2.00,7\nCLI-1,商品 CLI-1,1.50,3\n",
    )
    .unwrap();
    let o = run(&["import", "products", file.to_str().unwrap(), "--dry-run"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "would import 2 rows: 1 created, 1 updated, 0 unchanged"
    );
    let o = run(&["import", "products", file.to_str().unwrap()]);
    assert!(o.status.success());
    // Another process wrote: the cached list and product show it (within the watcher's
    // 50 ms on SQLite, a NOTIFY on PostgreSQL; allowed a second here), without any write
    // through the server.
    let started = std::time::Instant::now();
    loop {
        let (_, page) = srv.get("/api/products?q=CLI&sort=sku", &admin).await;
        let (_, product) = srv.get(&one, &admin).await;
        if page["total"] == 2 && page["items"][0]["price"] == "1.50" && product["price"] == "1.50" {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "still stale: {page} {product}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    std::fs::write(&file, "sku,name,price\nX,,1\n").unwrap();
    let o = run(&["import", "products", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 2, column name: must not be empty"), "{err}");
    assert!(err.trim_end().lines().last().unwrap().starts_with("error: "), "{err}");
}

fn customers_csv(rows: usize, tag: &str) -> String {
    let mut csv = String::from("name,phone,address\n");
    for i in 0..rows {
        csv.push_str(&format!("{tag}顾客{i},139{:08},某市某区某路{i}号\n", i % 100_000_000));
    }
    csv
}

/// A big import runs as a job beside the shop: the upload answers at once, orders keep being
/// taken meanwhile, the job reports progress and its end, the same file is not imported twice,
/// and an import cut off by a crash leaves nothing and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_import_runs_as_a_job_beside_the_shop() {
    use common::process::{create_product, http_client, serve_on, sign_in};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = common::process::free_port();
    let mut served = serve_on(&data, port, &["--admin-password", common::ADMIN_PASSWORD], &[]);
    let (client, url) = (http_client(), served.url.clone());
    let token = sign_in(&client, &url, common::ADMIN_PASSWORD).await;
    let pid = create_product(&client, &url, &token, "JOB-1", "作业").await;
    let csv = customers_csv(300_000, "甲");
    let started = Instant::now();
    let res = client
        .post(format!("{url}/api/imports/customers"))
        .bearer_auth(&token)
        .body(csv.clone())
        .timeout(std::time::Duration::from_secs(30))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED, "a big file is a job to follow");
    let location = res.headers()[header::LOCATION].to_str().unwrap().to_owned();
    eprintln!("upload answered 202 after {:?}", started.elapsed());
    // Orders meanwhile: none refused, none waiting anywhere near the request timeout.
    let (mut slowest, mut orders, mut progress) = (std::time::Duration::ZERO, 0, Vec::new());
    loop {
        let at = Instant::now();
        let res = client
            .post(format!("{url}/api/orders"))
            .bearer_auth(&token)
            .json(&json!({"items": [{"product_id": pid, "quantity": 1}]}))
            // The assertion below judges the wait, not the client's default timeout.
            .timeout(std::time::Duration::from_secs(30))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "an order during the import");
        slowest = slowest.max(at.elapsed());
        orders += 1;
        let job: Value = client
            .get(format!("{url}{location}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        progress.push((
            job["status"].as_str().unwrap().to_owned(),
            job["rows_checked"].as_i64().unwrap(),
        ));
        if job["status"] == "done" {
            assert_eq!(job["created"], 300_000, "{job}");
            break;
        }
        assert_ne!(job["status"], "failed", "{job}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "the import never ended"
        );
    }
    eprintln!(
        "300,000-row import: {:?}; {orders} orders meanwhile, the slowest {slowest:?}; progress {:?}",
        started.elapsed(),
        progress.iter().step_by((progress.len() / 8).max(1)).collect::<Vec<_>>()
    );
    assert!(
        slowest < std::time::Duration::from_secs(20),
        "an order waited {slowest:?}"
    );
    assert!(
        progress.iter().any(|(s, n)| s == "validating" && *n > 0) || progress.len() < 3,
        "progress is reported"
    );
    // The same file again: recognised.
    let (status, body) = common::import_csv(&client, &url, &token, "/api/imports/customers", csv).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "already_imported");

    // A crash in the middle of the next import: nothing of it stays, and the job says so.
    let count = || -> i64 {
        rusqlite::Connection::open(data.join("order-system.db"))
            .unwrap()
            .query_row("SELECT COUNT(*) FROM customers", [], |r| r.get(0))
            .unwrap()
    };
    let before = count();
    let res = client
        .post(format!("{url}/api/imports/customers"))
        .bearer_auth(&token)
        .body(customers_csv(300_000, "乙"))
        .send()
        .await
        .unwrap();
    let job: Value = res.json().await.unwrap();
    loop {
        let now: Value = client
            .get(format!("{url}/api/imports/jobs/{}", job["id"]))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if now["rows_written"].as_i64().unwrap_or(0) > 1000 || now["status"] == "done" {
            assert_eq!(now["status"], "writing", "killed while writing");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    served.child.kill().unwrap();
    served.child.wait().unwrap();
    assert_eq!(count(), before, "nothing of the cut-off import was committed");
    let served = serve_on(&data, port, &[], &[]);
    let token = sign_in(&client, &served.url, common::ADMIN_PASSWORD).await;
    let after: Value = client
        .get(format!("{}/api/imports/jobs/{}", served.url, job["id"]))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["status"], "failed", "{after}");
    assert_eq!(after["error"]["code"], "interrupted", "{after}");
    let (ok, report) = common::process::check(&data);
    assert!(ok, "{report}");
}
