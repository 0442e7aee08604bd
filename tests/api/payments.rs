//! Money on an order: payments, refunds and voids, the balance they leave, who may record
//! them, and that no race can overpay an order.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestServer, code};

/// A pending order of one product at `price`, taken by `token`; returns its id.
async fn order_of(srv: &TestServer, admin: &str, token: &str, sku: &str, price: &str) -> i64 {
    let p = srv.product(admin, sku, price, 100).await;
    let (status, order) = srv
        .post(
            "/api/orders",
            token,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    order["id"].as_i64().unwrap()
}

async fn pay(srv: &TestServer, token: &str, order: i64, body: Value) -> (StatusCode, Value) {
    srv.post(&format!("/api/orders/{order}/payments"), token, body).await
}

fn standing(ledger: &Value) -> (String, String, String, String) {
    let s = |k: &str| {
        ledger[k]
            .as_str()
            .unwrap_or_else(|| panic!("{k} in {ledger}"))
            .to_owned()
    };
    (s("payment_status"), s("paid_amount"), s("balance_due"), s("refund_due"))
}

async fn check_is_ok(srv: &TestServer, admin: &str) {
    let (status, report) = srv.get("/api/maintenance/check", admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["ok"], true, "{report}");
}

#[tokio::test]
async fn partial_payments_refunds_and_voids_keep_the_balance() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let id = order_of(&srv, &admin, &admin, "PAY-1", "100.00").await;
    let (_, order) = srv.get(&format!("/api/orders/{id}"), &admin).await;
    assert_eq!(order["payment_status"], "unpaid");
    assert_eq!(order["balance_due"], "100.00");
    assert_eq!(order["actions"]["record_payment"], true);
    assert_eq!(order["actions"]["refund"], false);

    // An advance payment on the pending order, then the rest by WeChat with its number.
    let (status, ledger) = pay(&srv, &admin, id, json!({"amount": "30.00", "method": "cash"})).await;
    assert_eq!(status, StatusCode::CREATED, "{ledger}");
    assert_eq!(
        standing(&ledger),
        ("partially_paid".into(), "30.00".into(), "70.00".into(), "0.00".into())
    );
    let (_, ledger) = pay(
        &srv,
        &admin,
        id,
        json!({"amount": "70", "method": "wechat", "reference": "4200001234202612010001", "note": "扫码"}),
    )
    .await;
    assert_eq!(
        standing(&ledger),
        ("paid".into(), "100.00".into(), "0.00".into(), "0.00".into())
    );
    let wechat = ledger["items"][1].clone();
    assert_eq!(wechat["reference"], "4200001234202612010001");
    assert_eq!(wechat["recorded_by"], "superAdmin");

    // A cent more is refused, and names the balance; asked for, it is kept as overpaid.
    let (status, err) = pay(&srv, &admin, id, json!({"amount": "0.01", "method": "cash"})).await;
    assert_eq!((status, code(&err)), (StatusCode::CONFLICT, "overpayment"), "{err}");
    assert_eq!(err["error"]["details"]["balance_due"], "0.00");
    let (status, ledger) = pay(
        &srv,
        &admin,
        id,
        json!({"amount": "0.01", "method": "cash", "allow_overpayment": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ledger}");
    assert_eq!(
        standing(&ledger),
        ("overpaid".into(), "100.01".into(), "-0.01".into(), "0.01".into())
    );

    // Refunds: never more than what was paid less refunded, always with a reason.
    let (status, err) = pay(
        &srv,
        &admin,
        id,
        json!({"kind": "refund", "amount": "100.02", "method": "cash", "reason": "x"}),
    )
    .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "refund_exceeds_paid"),
        "{err}"
    );
    let (status, err) = pay(
        &srv,
        &admin,
        id,
        json!({"kind": "refund", "amount": "0.01", "method": "cash"}),
    )
    .await;
    assert_eq!(
        (status, err["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let (_, ledger) = pay(
        &srv,
        &admin,
        id,
        json!({"kind": "refund", "amount": "0.01", "method": "cash", "reason": "多收了一分"}),
    )
    .await;
    assert_eq!(
        standing(&ledger),
        ("paid".into(), "100.00".into(), "0.00".into(), "0.00".into())
    );
    assert_eq!(ledger["refunded_amount"], "0.01");

    // A mistake is voided, never deleted: the WeChat payment was really for another order.
    let void_path = format!("/api/orders/{id}/payments/{}/void", wechat["id"]);
    let (status, err) = srv.post(&void_path, &admin, json!({"reason": "  "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, ledger) = srv.post(&void_path, &admin, json!({"reason": "记错了订单"})).await;
    assert_eq!(status, StatusCode::CREATED, "{ledger}");
    assert_eq!(
        standing(&ledger),
        ("partially_paid".into(), "30.00".into(), "70.00".into(), "0.00".into())
    );
    let items = ledger["items"].as_array().unwrap();
    assert_eq!(items.len(), 5, "{ledger}");
    let void = &items[4];
    assert_eq!(
        (void["kind"].as_str(), void["voids_id"].clone()),
        (Some("void"), wechat["id"].clone())
    );
    assert_eq!(void["amount"], "70.00");
    assert_eq!(
        void["paid_at"], wechat["paid_at"],
        "a void is dated like the entry it reverses"
    );
    assert_eq!(items[1]["voided_by_id"], void["id"]);
    let (status, err) = srv.post(&void_path, &admin, json!({"reason": "again"})).await;
    assert_eq!((status, code(&err)), (StatusCode::CONFLICT, "already_voided"));
    let (status, err) = srv
        .post(
            &format!("/api/orders/{id}/payments/{}/void", void["id"]),
            &admin,
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!((status, code(&err)), (StatusCode::CONFLICT, "not_voidable"));

    // Every entry is in the order's audit trail.
    let (_, audit) = srv
        .get(
            &format!("/api/audit?entity_type=order&entity_id={id}&per_page=50"),
            &admin,
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in ["payment.record", "payment.refund", "payment.void"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| a.starts_with("payment.")).count(), 5);
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn bad_payments_get_422_and_change_nothing() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let id = order_of(&srv, &admin, &admin, "PAY-BAD", "10.00").await;
    for (body, field) in [
        (json!({"amount": "0", "method": "cash"}), "amount"),
        (json!({"amount": "-5", "method": "cash"}), "amount"),
        (json!({"amount": "1.001", "method": "cash"}), "amount"),
        (json!({"amount": "1", "method": "bitcoin"}), "method"),
        (
            json!({"amount": "1", "method": "cash", "paid_at": "2999-01-01T00:00:00Z"}),
            "paid_at",
        ),
        (
            json!({"amount": "1", "method": "cash", "paid_at": "yesterday"}),
            "paid_at",
        ),
        (json!({"amount": "1", "method": "cash", "kind": "void"}), "kind"),
        (
            json!({"amount": "1", "method": "cash", "reference": "x".repeat(101)}),
            "reference",
        ),
    ] {
        let (status, err) = pay(&srv, &admin, id, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        let named = err["error"]["details"]["field"].as_str().unwrap_or_default();
        assert!(named.is_empty() || named == field, "{body}: {err}");
    }
    let (status, _) = pay(&srv, &admin, 999_999, json!({"amount": "1", "method": "cash"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, ledger) = srv.get(&format!("/api/orders/{id}/payments"), &admin).await;
    assert_eq!(ledger["items"], json!([]));
    assert_eq!(ledger["payment_status"], "unpaid");

    // Methods match the shop's list whatever the case; a backdated payment keeps its time.
    let (status, ledger) = pay(
        &srv,
        &admin,
        id,
        json!({"amount": "1", "method": " Alipay ", "paid_at": "2026-01-05T09:30:00+08:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{ledger}");
    assert_eq!(ledger["items"][0]["method"], "alipay");
    assert_eq!(ledger["items"][0]["paid_at"], "2026-01-05T01:30:00.000Z");
}

#[tokio::test]
async fn the_shop_names_its_own_payment_methods() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, settings) = srv.get("/api/settings", &admin).await;
    assert_eq!(
        settings["payment_methods"],
        json!(["cash", "wechat", "alipay", "bank_transfer", "card", "on_account"])
    );
    let (status, err) = srv
        .patch(
            "/api/settings",
            &admin,
            json!({"payment_methods": ["cash", "美团", "CASH"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["details"]["field"], "payment_methods[2]");
    let (status, _) = srv.patch("/api/settings", &admin, json!({"payment_methods": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, settings) = srv
        .patch(
            "/api/settings",
            &admin,
            json!({"payment_methods": ["cash", "wechat", "美团"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    let id = order_of(&srv, &admin, &admin, "PAY-MT", "10.00").await;
    let (status, ledger) = pay(&srv, &admin, id, json!({"amount": "10", "method": "美团"})).await;
    assert_eq!(status, StatusCode::CREATED, "{ledger}");
    let (status, _) = pay(
        &srv,
        &admin,
        id,
        json!({"kind": "refund", "amount": "1", "method": "alipay", "reason": "x"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a method the shop removed is not offered"
    );
}

#[tokio::test]
async fn a_cancelled_or_smaller_order_shows_what_to_refund() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let id = order_of(&srv, &admin, &admin, "PAY-C", "100.00").await;
    pay(&srv, &admin, id, json!({"amount": "50", "method": "cash"})).await;
    let (status, order) = srv
        .post(
            &format!("/api/orders/{id}/status"),
            &admin,
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        standing(&order),
        ("overpaid".into(), "50.00".into(), "-50.00".into(), "50.00".into())
    );
    assert_eq!(order["actions"]["record_payment"], false);
    assert_eq!(order["actions"]["refund"], true);
    let (status, err) = pay(&srv, &admin, id, json!({"amount": "1", "method": "cash"})).await;
    assert_eq!((status, code(&err)), (StatusCode::CONFLICT, "order_cancelled"));
    assert_eq!(err["error"]["details"]["refund_due"], "50.00");
    let (_, ledger) = pay(
        &srv,
        &admin,
        id,
        json!({"kind": "refund", "amount": "50", "method": "cash", "reason": "取消订单"}),
    )
    .await;
    assert_eq!(
        standing(&ledger),
        ("refunded".into(), "0.00".into(), "0.00".into(), "0.00".into())
    );

    // The clean-up of old cancelled orders keeps an order that has money on it.
    let other = order_of(&srv, &admin, &admin, "PAY-C2", "5.00").await;
    srv.post(
        &format!("/api/orders/{other}/status"),
        &admin,
        json!({"status": "cancelled"}),
    )
    .await;
    srv.write_db(|c| {
        c.execute(
            "UPDATE orders SET created_at = '2020-01-01T00:00:00.000Z' WHERE id IN (?, ?)",
            [id, other],
        )
    })
    .unwrap();
    let (_, report) = srv
        .post(
            "/api/maintenance/cleanup",
            &admin,
            json!({"cancelled_older_than_days": 30, "dry_run": true}),
        )
        .await;
    let listed: Vec<i64> = report["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [other], "{report}");

    // Made smaller after it was paid in full, an order is overpaid by the difference.
    let p = srv.product(&admin, "PAY-E", "10.00", 100).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 3}]}),
        )
        .await;
    let id = order["id"].as_i64().unwrap();
    pay(&srv, &admin, id, json!({"amount": "30", "method": "card"})).await;
    let (status, order) = srv
        .patch(
            &format!("/api/orders/{id}"),
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 2}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(
        standing(&order),
        ("overpaid".into(), "30.00".into(), "-10.00".into(), "10.00".into())
    );
    check_is_ok(&srv, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_cashiers_cannot_overpay_an_order_together() {
    let srv = Arc::new(TestServer::start().await);
    let admin = srv.admin().await;
    let (_, clerk) = srv.user_token(&admin, "cashier2", "staff").await;
    let id = order_of(&srv, &admin, &admin, "PAY-RACE", "100.00").await;
    // Twenty payments of 10 and ten of 60 at once: only what fits in 100 gets in.
    let mut tasks = Vec::new();
    for i in 0..30 {
        let (srv, token) = (srv.clone(), if i % 2 == 0 { admin.clone() } else { clerk.clone() });
        let amount = if i < 20 { "10" } else { "60" };
        tasks.push(tokio::spawn(async move {
            pay(&srv, &token, id, json!({"amount": amount, "method": "cash"})).await
        }));
    }
    let mut taken = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => taken += 1,
            StatusCode::CONFLICT => assert_eq!(code(&body), "overpayment"),
            other => panic!("{other}: {body}"),
        }
    }
    let (_, ledger) = srv.get(&format!("/api/orders/{id}/payments"), &admin).await;
    assert_eq!(ledger["paid_amount"], "100.00", "{ledger}");
    assert_eq!(ledger["payment_status"], "paid");
    assert_eq!(ledger["items"].as_array().unwrap().len(), taken);

    // Two refunds of the whole amount at once: one goes through.
    let mut tasks = Vec::new();
    for token in [admin.clone(), clerk.clone()] {
        let srv = srv.clone();
        tasks.push(tokio::spawn(async move {
            pay(
                &srv,
                &token,
                id,
                json!({"kind": "refund", "amount": "100", "method": "cash", "reason": "退货"}),
            )
            .await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap().0);
    }
    codes.sort();
    assert_eq!(codes, [StatusCode::CREATED, StatusCode::CONFLICT]);
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn customers_see_their_own_payments_and_never_record_them() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, buyer) = srv.user_token(&admin, "payer", "customer").await;
    let (_, other) = srv.user_token(&admin, "nosy", "customer").await;
    let id = order_of(&srv, &admin, &buyer, "PAY-CU", "20.00").await;
    let (status, _) = pay(&srv, &admin, id, json!({"amount": "5", "method": "alipay"})).await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, ledger) = srv.get(&format!("/api/orders/{id}/payments"), &buyer).await;
    assert_eq!(status, StatusCode::OK, "{ledger}");
    assert_eq!(ledger["balance_due"], "15.00");
    let (_, order) = srv.get(&format!("/api/orders/{id}"), &buyer).await;
    assert_eq!(order["payment_status"], "partially_paid");
    assert_eq!(
        (
            order["actions"]["record_payment"].clone(),
            order["actions"]["refund"].clone()
        ),
        (json!(false), json!(false))
    );

    let (status, _) = pay(&srv, &buyer, id, json!({"amount": "15", "method": "alipay"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = srv.get(&format!("/api/orders/{id}/payments"), &other).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another customer's order does not exist for them"
    );
    let pid = ledger["items"][0]["id"].clone();
    let (status, _) = srv
        .post(
            &format!("/api/orders/{id}/payments/{pid}/void"),
            &buyer,
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn lists_filter_by_payment_status_and_check_catches_tampering() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let unpaid = order_of(&srv, &admin, &admin, "PAY-L1", "10.00").await;
    let partly = order_of(&srv, &admin, &admin, "PAY-L2", "10.00").await;
    let paid = order_of(&srv, &admin, &admin, "PAY-L3", "10.00").await;
    pay(&srv, &admin, partly, json!({"amount": "4", "method": "cash"})).await;
    pay(&srv, &admin, paid, json!({"amount": "10", "method": "cash"})).await;
    for (status, id) in [("unpaid", unpaid), ("partially_paid", partly), ("paid", paid)] {
        let (code, page) = srv.get(&format!("/api/orders?payment_status={status}"), &admin).await;
        assert_eq!(code, StatusCode::OK, "{page}");
        let ids: Vec<i64> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        assert_eq!((ids, page["total"].as_i64()), (vec![id], Some(1)), "{status}");
    }
    let (status, _) = srv.get("/api/orders?payment_status=owing", &admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Someone edits the database behind the server's back: check names the order.
    check_is_ok(&srv, &admin).await;
    srv.write_db(|c| c.execute("UPDATE orders SET paid_minor = paid_minor + 100 WHERE id = ?", [partly]))
        .unwrap();
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], false, "{report}");
    let found = &report["payment_mismatches"][0];
    assert_eq!(
        (
            found["order_id"].as_i64(),
            found["paid_minor"].as_i64(),
            found["journal_paid_minor"].as_i64()
        ),
        (Some(partly), Some(500), Some(400)),
        "{report}"
    );
}

#[tokio::test]
async fn the_dashboard_shows_todays_takings_and_what_is_owed() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let a = order_of(&srv, &admin, &admin, "PAY-D1", "100.00").await;
    let b = order_of(&srv, &admin, &admin, "PAY-D2", "50.00").await;
    let c = order_of(&srv, &admin, &admin, "PAY-D3", "8.00").await;
    pay(&srv, &admin, a, json!({"amount": "30", "method": "cash"})).await;
    pay(&srv, &admin, a, json!({"amount": "20", "method": "wechat"})).await;
    pay(&srv, &admin, b, json!({"amount": "50", "method": "alipay"})).await;
    pay(
        &srv,
        &admin,
        b,
        json!({"kind": "refund", "amount": "5", "method": "cash", "reason": "破损"}),
    )
    .await;
    // Yesterday's payment is not today's takings.
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(2)).to_rfc3339();
    pay(
        &srv,
        &admin,
        c,
        json!({"amount": "3", "method": "cash", "paid_at": yesterday}),
    )
    .await;

    let (_, stats) = srv.get("/api/stats", &admin).await;
    assert_eq!(
        stats["today"]["takings"],
        json!([
            {"method": "cash", "amount": "25.00"},
            {"method": "wechat", "amount": "20.00"},
            {"method": "alipay", "amount": "50.00"},
        ]),
        "{stats}"
    );
    assert_eq!(stats["today"]["takings_total"], "95.00");
    // Owed: 50 on a, 5 on b (refunded back below its total), 5 on c.
    assert_eq!(stats["receivable"], json!({"amount": "60.00", "orders": 3}), "{stats}");
}

#[tokio::test]
async fn the_payments_export_sums_to_the_takings() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let id = order_of(&srv, &admin, &admin, "PAY-X", "100.00").await;
    pay(
        &srv,
        &admin,
        id,
        json!({"amount": "60", "method": "wechat", "reference": "=HYPERLINK(1)"}),
    )
    .await;
    let (_, ledger) = pay(&srv, &admin, id, json!({"amount": "40", "method": "cash"})).await;
    pay(
        &srv,
        &admin,
        id,
        json!({"kind": "refund", "amount": "10", "method": "cash", "reason": "少一件"}),
    )
    .await;
    let cash = ledger["items"][1]["id"].clone();
    srv.post(
        &format!("/api/orders/{id}/payments/{cash}/void"),
        &admin,
        json!({"reason": "收错"}),
    )
    .await;

    let resp = srv
        .client
        .get(format!("{}/api/exports/payments.csv?lang=zh-CN", srv.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let csv = resp.text().await.unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "收付时间");
    assert_eq!(&headers[4], "金额");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let kinds: Vec<&str> = rows.iter().map(|r| &r[2]).collect();
    assert_eq!(kinds, ["收款", "收款", "冲销", "退款"], "{csv}");
    assert_eq!(&rows[0][3], "微信");
    assert_eq!(&rows[0][6], "'=HYPERLINK(1)", "a formula-like reference is neutralised");
    let sum: f64 = rows.iter().map(|r| r[4].parse::<f64>().unwrap()).sum();
    assert!(
        (sum - 50.0).abs() < 1e-9,
        "60 + 40 - 40 (voided) - 10 (refund) = 50, not {sum}: {csv}"
    );
    let (_, ledger) = srv.get(&format!("/api/orders/{id}/payments"), &admin).await;
    assert_eq!(ledger["paid_amount"], "50.00");

    let (status, _) = srv.get("/api/exports/payments.csv?kind=loan", &admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A shop upgrading keeps its history out of the receivables: orders older than payments
/// are untracked until a payment is recorded on one.
#[test]
fn orders_from_before_payments_are_untracked() {
    use order_system::db::migrations;
    let dir = tempfile::tempdir().unwrap();
    let mut conn = rusqlite::Connection::open(dir.path().join("old.db")).unwrap();
    migrations::apply_to(&mut conn, 11).unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, username, role, password_hash, created_at, updated_at)
           VALUES (1, 'old', 'staff', 'x', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
         INSERT INTO orders (order_number, user_id, status, total_amount_minor, created_at, updated_at)
           VALUES ('SO-20250101-0001', 1, 'completed', 500, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');",
    )
    .unwrap();
    migrations::apply_on(&mut conn).unwrap();
    let (status, paid): (String, i64) = conn
        .query_row("SELECT payment_status, paid_minor FROM orders", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), paid), ("untracked", 0));
    let (owed, count) = order_system::payments::store::receivable(&(&conn).into()).unwrap();
    assert_eq!((owed.minor(), count), (0, 0), "history is not money owed");
    // A payment recorded on it starts tracking it.
    conn.execute("UPDATE orders SET paid_minor = 200", []).unwrap();
    order_system::payments::store::refresh_status(&(&conn).into(), 1).unwrap();
    let status: String = conn
        .query_row("SELECT payment_status FROM orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "partially_paid");
}
