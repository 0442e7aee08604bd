//! Sessions that must stay ended, identifiers that look alike, amounts too big to sum, rows
//! that must not quietly become something else, and lists that refuse what they cannot do.

use reqwest::{Method, StatusCode, header};
use serde_json::json;

use crate::common::{TestServer, code};

/// Signs in for a browser session; returns its cookie value.
async fn session_cookie(srv: &TestServer, user: &str, password: &str) -> String {
    let res = srv
        .client
        .post(format!("{}/api/auth/session", srv.url))
        .header("X-Requested-With", "order-system")
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let set = res.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    set.split(';').next().unwrap().to_owned()
}

async fn me_with_cookie(srv: &TestServer, cookie: &str) -> StatusCode {
    srv.client
        .get(format!("{}/api/auth/me", srv.url))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn re_enabling_a_disabled_user_revives_none_of_its_old_sessions() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (id, token) = srv.user_token(&admin, "seasonal", "staff").await;
    let cookie = session_cookie(&srv, "seasonal", "seasonal-pass-123").await;
    let url = format!("/api/users/{id}");
    assert_eq!(
        srv.patch(&url, &admin, json!({"is_active": false})).await.0,
        StatusCode::OK
    );
    assert_eq!(srv.get("/api/auth/me", &token).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        srv.patch(&url, &admin, json!({"is_active": true})).await.0,
        StatusCode::OK
    );
    // The old bearer token and the old browser session stay ended...
    let (status, _) = srv
        .post(
            "/api/products",
            &token,
            json!({"sku": "REVIVED", "name": "x", "price": "1.00", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "an old bearer token created a product"
    );
    assert_eq!(me_with_cookie(&srv, &cookie).await, StatusCode::UNAUTHORIZED);
    // ...and signing in again works.
    let fresh = srv.token("seasonal", "seasonal-pass-123").await;
    assert_eq!(srv.get("/api/auth/me", &fresh).await.0, StatusCode::OK);
}

#[tokio::test]
async fn signing_out_with_a_bearer_token_revokes_that_token_only() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, first) = srv.user_token(&admin, "api-client", "staff").await;
    let second = srv.token("api-client", "api-client-pass-123").await;
    let (status, _) = srv.call(Method::DELETE, "/api/auth/session", Some(&first), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        srv.get("/api/auth/me", &first).await.0,
        StatusCode::UNAUTHORIZED,
        "revoked"
    );
    assert_eq!(
        srv.get("/api/auth/me", &second).await.0,
        StatusCode::OK,
        "the other token goes on"
    );
    // Revoked in the database, so a restart does not bring it back.
    let mut srv = srv;
    let data = srv.dir.path().to_path_buf();
    let revoked: i64 = srv
        .with_db(|c| c.query_row("SELECT COUNT(*) FROM revoked_tokens", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(revoked, 1);
    srv.stop().await;
    drop(data);
}

#[tokio::test]
async fn look_alike_skus_and_usernames_are_one_record() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    srv.product(&admin, "NF-550", "1.00", 1).await;
    for twin in [
        "nf-550",
        "ＮＦ-550",
        "NF\u{200B}-550",
        "\u{FEFF}NF-550",
        "Nf-550\u{2060}",
    ] {
        let (status, body) = srv
            .post(
                "/api/products",
                &admin,
                json!({"sku": twin, "name": "双胞胎", "price": "1.00", "stock_quantity": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{twin:?}: {body}");
        assert_eq!(code(&body), "sku_taken");
    }
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "NF\u{202E}-551", "name": "x", "price": "1.00", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "ＮＦ-552", "name": "全角", "price": "1.00", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["sku"], "NF-552", "stored in its NFKC spelling");
    // An import matches the same way: this row updates NF-550, it creates nothing.
    let (_, report) = crate::common::import_csv(
        &srv.client,
        &srv.url,
        &admin,
        "/api/imports/products",
        "sku,name,price\nｎｆ-５５０,改价,2.00\n",
    )
    .await;
    assert_eq!(
        (report["created"].as_i64(), report["updated"].as_i64()),
        (Some(0), Some(1)),
        "{report}"
    );

    srv.user_token(&admin, "mike", "staff").await;
    for (twin, why) in [
        ("rnike", "username_taken"),
        ("MIKE", "username_taken"),
        ("ｍｉｋｅ", "username_taken"),
        ("mi\u{200D}ke", "username_taken"),
        ("mіke", "validation_failed"),
        ("аdmin", "validation_failed"),
    ] {
        let (_, body) = srv
            .post(
                "/api/users",
                &admin,
                json!({"username": twin, "password": "twin-password-1", "role": "staff"}),
            )
            .await;
        assert_eq!(code(&body), why, "{twin:?}: {body}");
    }
    // Latin with Chinese is one of the allowed mixes.
    let (status, body) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "张wei", "password": "zhang-password-1", "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[test]
fn existing_look_alikes_are_reported_not_fatal_when_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("order-system.db");
    order_system::db::migrations::apply_up_to(&db, 7).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES
               ('cashier', 'staff', 'x', 't', 't'), ('cаshier', 'staff', 'x', 't', 't');
             INSERT INTO products (sku, name, price_minor, stock_quantity, status, created_at, updated_at) VALUES
               ('NF-550', 'a', 100, 0, 'active', 't', 't'), ('nf-550', 'b', 100, 0, 'active', 't', 't'),
               ('ＮＦ-551', 'c', 100, 0, 'active', 't', 't');",
        )
        .unwrap();
    let out = crate::common::process::run(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", crate::common::process::text(&out.stderr));
    let (ok, report) = crate::common::process::check(&data);
    assert!(ok, "look-alikes do not fail the check: {report}");
    assert!(report.contains("look-alikes:        2 record(s)"), "{report}");
    assert!(
        report.contains("product 2 (\"nf-550\") looks like product 1 (\"NF-550\")"),
        "{report}"
    );
    assert!(report.contains("looks like user"), "{report}");
    let key: Option<String> = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT sku_key FROM products WHERE id = 3", [], |r| r.get(0))
        .unwrap();
    assert_eq!(key.as_deref(), Some("nf-551"), "rows without a twin get their key");
}

#[tokio::test]
async fn prices_and_orders_are_capped_and_reports_sum_past_64_bits() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "HUGE", "name": "x", "price": "92000000000000.00", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let dear = srv.product(&admin, "DEAR", "10000000.00", 1_000_000).await;
    let (status, body) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": dear["id"], "quantity": 101}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "over the order cap: {body}");
    let (status, _) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": dear["id"], "quantity": 100}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "at the cap");
    // Amounts from before the caps (or from another system) beyond what 64 bits can sum.
    srv.write_db(|c| {
        c.execute_batch(
            "UPDATE orders SET total_amount_minor = 6000000000000000000;
             UPDATE order_items SET line_total_minor = 6000000000000000000;",
        )
    })
    .unwrap();
    let (status, _) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": dear["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    srv.write_db(|c| {
        c.execute_batch(
            "UPDATE orders SET total_amount_minor = 6000000000000000000, status = 'confirmed';
             UPDATE order_items SET line_total_minor = 6000000000000000000;",
        )
    })
    .unwrap();
    for (path, field) in [
        ("/api/reports/sales", "/total_revenue"),
        ("/api/reports/products", "/0/revenue"),
        ("/api/reports/top-customers", ""),
        ("/api/reports/orders-by-status", ""),
    ] {
        let (status, body) = srv.get(path, &admin).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        if !field.is_empty() {
            assert_eq!(body.pointer(field).unwrap(), "120000000000000000.00", "{path}");
        }
    }
}

#[tokio::test]
async fn rows_with_values_we_do_not_know_fail_loudly() {
    if crate::common::sqlite_only("SQLite lets a test switch its CHECK constraints off") {
        return;
    }
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (id, _) = srv.user_token(&admin, "odd-one", "staff").await;
    let conn = rusqlite::Connection::open(srv.db_path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    conn.execute_batch("PRAGMA ignore_check_constraints = ON").unwrap();
    conn.execute("UPDATE users SET role = 'wizard' WHERE id = ?", [id])
        .unwrap();
    let (status, body) = srv.get("/api/users", &admin).await;
    assert_eq!(
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "not quietly a customer: {body}"
    );
    conn.execute("UPDATE users SET role = 'staff' WHERE id = ?", [id])
        .unwrap();
    let p = srv.product(&admin, "ODD", "1.00", 5).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    conn.execute(
        "UPDATE orders SET status = 'lost' WHERE id = ?",
        [order["id"].as_i64().unwrap()],
    )
    .unwrap();
    let (status, _) = srv.get(&format!("/api/orders/{}", order["id"]), &admin).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "not quietly pending");
}

#[tokio::test]
async fn every_list_refuses_a_sort_it_cannot_do() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "SORT", "1.00", 5).await;
    for path in [
        "/api/audit?sort=price".to_owned(),
        format!("/api/products/{}/movements?sort=nonsense", p["id"]),
        "/api/products?sort=nonsense".to_owned(),
    ] {
        let (status, body) = srv.get(&path, &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["error"]["details"]["field"], "sort");
    }
    let (_, oldest) = srv.get("/api/audit?sort=at", &admin).await;
    let (_, newest) = srv.get("/api/audit?sort=-at", &admin).await;
    assert!(oldest["items"][0]["id"].as_i64() < newest["items"][0]["id"].as_i64());
    let (status, _) = srv
        .get(&format!("/api/products/{}/movements?sort=-created_at", p["id"]), &admin)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_system_page_reads_the_schema_version_from_the_database() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, system) = srv.get("/api/system", &admin).await;
    assert_eq!(
        system["database"]["schema_version"],
        order_system::db::migrations::latest_version()
    );
    assert_eq!(system["users"], 1, "the user count lives on the System page");
    srv.write_db(|c| {
        c.execute(
            "DELETE FROM refinery_schema_history WHERE version = (SELECT MAX(version) FROM refinery_schema_history)",
            [],
        )
    })
    .unwrap();
    let (_, system) = srv.get("/api/system", &admin).await;
    assert_eq!(
        system["database"]["schema_version"],
        order_system::db::migrations::latest_version() - 1
    );
}
