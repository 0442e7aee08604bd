//! Who owes what and since when, and a customer's statement: both add up to the orders and
//! payments they are read from, and customers see only their own.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestServer;

async fn order_for(srv: &TestServer, token: &str, product: &Value, customer: Option<i64>, qty: i64) -> i64 {
    let body = json!({"items": [{"product_id": product["id"], "quantity": qty}], "customer_id": customer});
    let (status, order) = srv.post("/api/orders", token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    order["id"].as_i64().unwrap()
}

async fn pay(srv: &TestServer, token: &str, order: i64, body: Value) {
    let (status, answer) = srv.post(&format!("/api/orders/{order}/payments"), token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

async fn customer(srv: &TestServer, token: &str, name: &str) -> i64 {
    let (status, c) = srv.post("/api/customers", token, json!({"name": name})).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c["id"].as_i64().unwrap()
}

/// Moves an order's creation back by `days`, as if it had been taken then.
fn backdate(srv: &TestServer, order: i64, days: i64) {
    let at = (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    srv.write_db(|c| {
        c.execute(
            "UPDATE orders SET created_at = ? WHERE id = ?",
            rusqlite::params![at, order],
        )
    })
    .unwrap();
}

fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339()
}

#[tokio::test]
async fn receivables_by_customer_and_age_add_up_to_the_dashboard() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "AR-1", "10.00", 500).await;
    let (zhang, li) = (
        customer(&srv, &admin, "张三").await,
        customer(&srv, &admin, "李四").await,
    );

    // 张三: 100 today, 30 of it paid; 50 taken 45 days ago. 李四: 200 taken 100 days ago.
    let a = order_for(&srv, &admin, &p, Some(zhang), 10).await;
    pay(&srv, &admin, a, json!({"amount": "30", "method": "cash"})).await;
    let b = order_for(&srv, &admin, &p, Some(zhang), 5).await;
    backdate(&srv, b, 45);
    let c = order_for(&srv, &admin, &p, Some(li), 20).await;
    backdate(&srv, c, 100);
    // Paid, cancelled and walk-in orders.
    let paid = order_for(&srv, &admin, &p, Some(li), 1).await;
    pay(&srv, &admin, paid, json!({"amount": "10", "method": "wechat"})).await;
    let cancelled = order_for(&srv, &admin, &p, Some(li), 3).await;
    srv.post(
        &format!("/api/orders/{cancelled}/status"),
        &admin,
        json!({"status": "cancelled"}),
    )
    .await;
    order_for(&srv, &admin, &p, None, 2).await;

    let (status, report) = srv.get("/api/reports/receivables", &admin).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let rows = report["rows"].as_array().unwrap();
    let owed: Vec<(Value, &str)> = rows
        .iter()
        .map(|r| (r["customer_id"].clone(), r["owed"].as_str().unwrap()))
        .collect();
    assert_eq!(
        owed,
        [(json!(li), "200.00"), (json!(zhang), "120.00"), (json!(null), "20.00")],
        "{report}"
    );
    let zhang_row = &rows[1];
    assert_eq!(zhang_row["orders"], 2);
    assert_eq!(
        [
            &zhang_row["days_0_30"],
            &zhang_row["days_31_60"],
            &zhang_row["days_61_90"],
            &zhang_row["days_over_90"]
        ],
        ["70.00", "50.00", "0.00", "0.00"]
    );
    assert_eq!(rows[0]["days_over_90"], "200.00");
    assert_eq!(rows[2]["customer_name"], Value::Null, "walk-in orders");
    assert_eq!(report["totals"]["owed"], "340.00");
    assert_eq!(report["totals"]["orders"], 4);
    let (_, stats) = srv.get("/api/stats", &admin).await;
    assert_eq!(
        stats["receivable"]["amount"], report["totals"]["owed"],
        "the dashboard agrees"
    );

    let resp = srv
        .client
        .get(format!("{}/api/reports/receivables?format=csv&lang=zh-CN", srv.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let csv = resp.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("客户,电话,欠款订单数,欠款,0-30天"), "{csv}");
    assert!(lines[3].starts_with("散客,,1,20.00,20.00"), "{csv}");

    let (_, clerk) = srv.user_token(&admin, "buyer", "customer").await;
    let (status, _) = srv.get("/api/reports/receivables", &clerk).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_statement_opens_with_what_was_owed_and_closes_with_what_is_owed_now() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "ST-1", "10.00", 500).await;
    let zhang = customer(&srv, &admin, "张三").await;

    // Before the period: a 100 order taken 10 days ago, 30 paid 5 days ago.
    let old = order_for(&srv, &admin, &p, Some(zhang), 10).await;
    backdate(&srv, old, 10);
    pay(
        &srv,
        &admin,
        old,
        json!({"amount": "30", "method": "cash", "paid_at": days_ago(5)}),
    )
    .await;
    // In it: a 50 order paid by WeChat, cancelled, 20 of it refunded so far.
    let new = order_for(&srv, &admin, &p, Some(zhang), 5).await;
    pay(
        &srv,
        &admin,
        new,
        json!({"amount": "50", "method": "wechat", "reference": "42000001"}),
    )
    .await;
    srv.post(
        &format!("/api/orders/{new}/status"),
        &admin,
        json!({"status": "cancelled"}),
    )
    .await;
    pay(
        &srv,
        &admin,
        new,
        json!({"kind": "refund", "amount": "20", "method": "wechat", "reason": "取消"}),
    )
    .await;

    let from = (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai) - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let (status, st) = srv
        .get(&format!("/api/customers/{zhang}/statement?date_from={from}"), &admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{st}");
    assert_eq!(st["opening_balance"], "70.00", "{st}");
    let entries: Vec<(&str, &str, &str)> = st["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["amount"].as_str().unwrap(),
                e["balance"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("order", "50.00", "120.00"),
            ("payment", "-50.00", "70.00"),
            ("cancellation", "-50.00", "20.00"),
            ("refund", "20.00", "40.00"),
        ]
    );
    assert_eq!(
        (&st["charged"], &st["received"], &st["closing_balance"]),
        (&json!("70.00"), &json!("100.00"), &json!("40.00"))
    );
    // What is owed now, order by order: 70 on the old one, 30 to give back on the cancelled one.
    let owed: i64 = [old, new]
        .iter()
        .map(|id| {
            srv.with_db(|conn| {
                conn.query_row(
                    "SELECT CASE WHEN status = 'cancelled' THEN 0 ELSE total_amount_minor END - paid_minor FROM orders WHERE id = ?",
                    [id],
                    |r| r.get::<_, i64>(0),
                )
            })
            .unwrap()
        })
        .sum();
    assert_eq!(owed, 4000);

    // A void is the opposite of what it reverses; the whole history opens at zero.
    let (_, ledger) = srv.get(&format!("/api/orders/{old}/payments"), &admin).await;
    let cash = ledger["items"][0]["id"].clone();
    srv.post(
        &format!("/api/orders/{old}/payments/{cash}/void"),
        &admin,
        json!({"reason": "收错"}),
    )
    .await;
    let (_, st) = srv.get(&format!("/api/customers/{zhang}/statement"), &admin).await;
    assert_eq!(
        (&st["opening_balance"], &st["closing_balance"]),
        (&json!("0.00"), &json!("70.00")),
        "{st}"
    );
    let void = st["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "void")
        .unwrap();
    assert_eq!(void["amount"], "30.00");

    let resp = srv
        .client
        .get(format!(
            "{}/api/customers/{zhang}/statement?format=csv&lang=zh-CN",
            srv.url
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let csv = resp.text().await.unwrap();
    assert!(csv.contains("时间,类型,订单号,方式,交易号,金额,余额"), "{csv}");
    assert!(
        csv.contains(",收款,") && csv.contains(",微信,42000001,-50.00,"),
        "{csv}"
    );

    let (status, _) = srv.get("/api/customers/987654/statement", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = srv
        .get(&format!("/api/customers/{zhang}/statement?date_from=yesterday"), &admin)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn customers_get_their_own_statement_only() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "ST-2", "8.00", 100).await;
    let other = customer(&srv, &admin, "王五").await;
    let (_, buyer) = srv.user_token(&admin, "buyer", "customer").await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &buyer,
            json!({"items": [{"product_id": p["id"], "quantity": 2}]}),
        )
        .await;
    let own = order["customer_id"].as_i64().unwrap();
    pay(
        &srv,
        &admin,
        order["id"].as_i64().unwrap(),
        json!({"amount": "6", "method": "cash"}),
    )
    .await;

    let (status, st) = srv.get(&format!("/api/customers/{own}/statement"), &buyer).await;
    assert_eq!(status, StatusCode::OK, "{st}");
    assert_eq!(st["closing_balance"], "10.00");
    let (status, _) = srv.get(&format!("/api/customers/{other}/statement"), &buyer).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another customer's statement does not exist for them"
    );
}
