//! Reports over the shop's calendar, summed from integer minor units.

use crate::common;

use common::TestServer;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn sales_products_statuses_and_customers() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA", "0.10", 1000).await;
    let cup = srv.product(&admin, "CUP", "19.90", 1000).await;
    let (_, a) = srv.post("/api/customers", &admin, json!({"name": "甲"})).await;
    let (_, b) = srv.post("/api/customers", &admin, json!({"name": "乙"})).await;
    let order =
        |items: serde_json::Value, customer: &serde_json::Value| json!({"items": items, "customer_id": customer["id"]});
    // 0.10 × 3 exactly 0.30: a float sum would drift; minor units do not.
    for _ in 0..3 {
        srv.post(
            "/api/orders",
            &admin,
            order(json!([{"product_id": tea["id"], "quantity": 1}]), &a),
        )
        .await;
    }
    let (_, big) = srv
        .post(
            "/api/orders",
            &admin,
            order(
                json!([{"product_id": cup["id"], "quantity": 2}, {"product_id": tea["id"], "quantity": 1}]),
                &b,
            ),
        )
        .await;
    let (_, gone) = srv
        .post(
            "/api/orders",
            &admin,
            order(json!([{"product_id": cup["id"], "quantity": 5}]), &a),
        )
        .await;
    srv.post(
        &format!("/api/orders/{}/status", gone["id"]),
        &admin,
        json!({"status": "cancelled"}),
    )
    .await;
    srv.post(
        &format!("/api/orders/{}/status", big["id"]),
        &admin,
        json!({"status": "confirmed"}),
    )
    .await;

    let (status, sales) = srv.get("/api/reports/sales", &admin).await;
    assert_eq!(status, StatusCode::OK, "{sales}");
    let rows = sales["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 30, "the last 30 days, every day listed");
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    // Sales are confirmed (shipped, completed) orders: the three pending ones may still be
    // cancelled, and the cancelled one is no sale.
    assert_eq!(rows[29], json!({"period": today, "orders": 1, "revenue": "39.90"}));
    assert_eq!(rows[0]["revenue"], "0.00");
    assert_eq!(
        (sales["total_orders"].clone(), sales["total_revenue"].clone()),
        (json!(1), json!("39.90"))
    );
    // Every report is also a file for Excel, headed in the asked language.
    let csv = srv
        .client
        .get(format!("{}/api/reports/sales?format=csv&lang=zh-CN", srv.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "时段,订单数,销售额");
    assert_eq!(lines[30], format!("{today},1,39.90"));
    let csv = srv
        .client
        .get(format!(
            "{}/api/reports/orders-by-status?format=csv&lang=zh-CN",
            srv.url
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("待处理,3,0.30"), "{csv}");
    assert_eq!(sales["currency_code"], "CNY");

    let (_, weekly) = srv
        .get(
            &format!("/api/reports/sales?group=week&date_from={today}&date_to={today}"),
            &admin,
        )
        .await;
    assert_eq!(weekly["rows"].as_array().unwrap().len(), 1);
    assert!(weekly["rows"][0]["period"].as_str().unwrap().contains("-W"));
    let (_, monthly) = srv
        .get(&format!("/api/reports/sales?group=month&date_from={today}"), &admin)
        .await;
    assert_eq!(monthly["total_revenue"], "39.90");

    let (_, products) = srv.get("/api/reports/products", &admin).await;
    assert_eq!(products[0]["sku"], "CUP");
    assert_eq!(products[0]["quantity"], 2);
    assert_eq!(products[0]["revenue"], "39.80");
    assert_eq!(products[1]["sku"], "TEA");
    assert_eq!(products[1]["quantity"], 1);
    assert_eq!(products[1]["revenue"], "0.10");
    assert_eq!(products[1]["orders"], 1);

    let (_, statuses) = srv.get("/api/reports/orders-by-status", &admin).await;
    let statuses: Vec<(String, i64, String)> = statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().into(),
                s["count"].as_i64().unwrap(),
                s["total_amount"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(statuses[0], ("pending".into(), 3, "0.30".into()));
    assert_eq!(statuses[1], ("confirmed".into(), 1, "39.90".into()));
    assert_eq!(statuses[4], ("cancelled".into(), 1, "99.50".into()));

    let (_, top) = srv.get("/api/reports/top-customers?limit=5", &admin).await;
    assert_eq!(
        top,
        json!([
            {"customer_id": b["id"], "name": "乙", "orders": 1, "revenue": "39.90"},
        ])
    );

    srv.post(
        &format!("/api/products/{}/stock-adjustments", tea["id"]),
        &admin,
        json!({"quantity": -990, "reason": "count_correction"}),
    )
    .await;
    let (_, low) = srv.get("/api/reports/low-stock", &admin).await;
    assert_eq!(low[0]["sku"], "TEA");
    assert_eq!(low.as_array().unwrap().len(), 1);

    let yesterday = (chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        - chrono::Days::new(1))
    .to_string();
    let (_, none) = srv
        .get(
            &format!("/api/reports/sales?date_from={yesterday}&date_to={yesterday}"),
            &admin,
        )
        .await;
    assert_eq!(none["total_orders"], 0);
    for bad in [
        "group=year",
        "date_from=2026-12-01&date_to=2026-11-01",
        "date_from=2000-01-01&date_to=2026-01-01",
        "date_from=soon",
    ] {
        let (status, body) = srv.get(&format!("/api/reports/sales?{bad}"), &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    assert_eq!(
        srv.get("/api/reports/products?limit=0", &admin).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (_, customer) = srv.user_token(&admin, "buyer", "customer").await;
    assert_eq!(srv.get("/api/reports/sales", &customer).await.0, StatusCode::FORBIDDEN);
}
