//! Taking orders, the workflow, cancellation, customers' isolation, and the oversell race.

use crate::common;

use std::sync::Arc;

use common::{TestServer, code};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_order_captures_prices_takes_stock_and_writes_the_ledger() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA", "19.90", 10).await;
    let cup = srv.product(&admin, "CUP", "0.10", 100).await;

    let (status, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": tea["id"], "quantity": 3}, {"product_id": cup["id"], "quantity": 7}], "note": "门店自提"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["status"], "pending");
    assert_eq!(order["total_amount"], "60.40", "3 × 19.90 + 7 × 0.10, exactly");
    assert_eq!(order["note"], "门店自提");
    assert_eq!(order["created_by"], "superAdmin");
    let number = order["order_number"].as_str().unwrap();
    assert!(
        number.starts_with("SO-") && number.len() == "SO-20261128-0001".len(),
        "{number}"
    );
    assert_eq!(order["items"][0]["unit_price"], "19.90");
    assert_eq!(order["items"][0]["line_total"], "59.70");
    assert_eq!(order["items"][0]["product_name"], "商品 TEA");
    assert_eq!(order["status_history"][0]["to_status"], "pending");
    // The answer is assembled from what was written; it must be exactly what a read returns.
    let (_, read_back) = srv.get(&format!("/api/orders/{}", order["id"]), &admin).await;
    assert_eq!(order, read_back);

    // The captured price does not follow later price changes.
    srv.patch(
        &format!("/api/products/{}", tea["id"]),
        &admin,
        json!({"price": "99.00"}),
    )
    .await;
    let (_, again) = srv.get(&format!("/api/orders/{}", order["id"]), &admin).await;
    assert_eq!(again["items"][0]["unit_price"], "19.90");
    assert_eq!(again["total_amount"], "60.40");

    let (_, tea_now) = srv.get(&format!("/api/products/{}", tea["id"]), &admin).await;
    assert_eq!(tea_now["stock_quantity"], 7);
    let rows: i64 = srv
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM inventory_movements WHERE order_id = ? AND reason = 'order'",
                [order["id"].as_i64()],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(rows, 2, "one movement row per item");

    let (_, second) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": cup["id"], "quantity": 1}]}),
        )
        .await;
    assert_ne!(second["order_number"], order["order_number"]);
    assert!(second["order_number"].as_str().unwrap() > number);
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn insufficient_stock_names_the_product_and_writes_nothing() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let plenty = srv.product(&admin, "PLENTY", "1.00", 100).await;
    let scarce = srv.product(&admin, "SCARCE", "1.00", 2).await;
    let (status, body) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": plenty["id"], "quantity": 5}, {"product_id": scarce["id"], "quantity": 3}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "insufficient_stock");
    assert_eq!(body["error"]["details"]["sku"], "SCARCE");
    assert_eq!(body["error"]["details"]["available"], 2);
    assert!(body["error"]["message"].as_str().unwrap().contains("SCARCE"));

    let (orders, items, stock): (i64, i64, i64) = srv
        .with_db(|conn| {
            Ok((
                conn.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))?,
                conn.query_row("SELECT COUNT(*) FROM order_items", [], |r| r.get(0))?,
                conn.query_row("SELECT stock_quantity FROM products WHERE sku = 'PLENTY'", [], |r| {
                    r.get(0)
                })?,
            ))
        })
        .unwrap();
    assert_eq!((orders, items, stock), (0, 0, 100), "nothing is written");
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn bad_order_input_gets_422() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "P", "1.00", 10).await;
    let archived = srv.product(&admin, "OLD", "1.00", 10).await;
    srv.post(&format!("/api/products/{}/archive", archived["id"]), &admin, json!({}))
        .await;
    let cases = [
        (json!({"items": []}), "items"),
        (
            json!({"items": [{"product_id": p["id"], "quantity": 0}]}),
            "items[0].quantity",
        ),
        (
            json!({"items": [{"product_id": p["id"], "quantity": -2}]}),
            "items[0].quantity",
        ),
        (
            json!({"items": [{"product_id": 424242, "quantity": 1}]}),
            "items[0].product_id",
        ),
        (
            json!({"items": [{"product_id": archived["id"], "quantity": 1}]}),
            "items[0].product_id",
        ),
        (
            json!({"items": [{"product_id": p["id"], "quantity": "2"}]}),
            "items[0].quantity",
        ),
        (json!({"items": [{"product_id": p["id"]}]}), "items[0]"),
        (
            json!({"items": [{"product_id": p["id"], "quantity": 1}], "customer_id": 999}),
            "customer_id",
        ),
        (json!({}), "items"),
    ];
    for (body, field) in cases {
        let (status, resp) = srv.post("/api/orders", &admin, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        let got = resp["error"]["details"]["field"].as_str().unwrap_or_default();
        assert!(got.starts_with(field), "{body}: field {got:?}, wanted {field:?}");
    }
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn the_workflow_allows_only_its_transitions() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let p = srv.product(&admin, "W", "5.00", 10).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &staff,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    let url = format!("/api/orders/{}/status", order["id"]);

    let (status, body) = srv.post(&url, &staff, json!({"status": "shipped"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code(&body), "invalid_transition");
    assert_eq!(body["error"]["details"]["allowed"], json!(["confirmed", "cancelled"]));

    for next in ["confirmed", "shipped", "completed"] {
        let (status, body) = srv.post(&url, &staff, json!({"status": next})).await;
        assert_eq!(status, StatusCode::OK, "{next}: {body}");
        assert_eq!(body["status"], next);
    }
    let (status, body) = srv.post(&url, &staff, json!({"status": "cancelled"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "completed orders cannot be cancelled");
    assert_eq!(code(&body), "invalid_transition");
    let (status, _) = srv.post(&url, &staff, json!({"status": "lost"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, detail) = srv.get(&format!("/api/orders/{}", order["id"]), &staff).await;
    let history: Vec<&str> = detail["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to_status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["pending", "confirmed", "shipped", "completed"]);
    assert_eq!(detail["status_history"][1]["username"], "clerk");
}

#[tokio::test]
async fn cancelling_gives_the_stock_back_with_ledger_rows() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "C", "2.00", 10).await;
    for before in ["pending", "confirmed"] {
        let (_, order) = srv
            .post(
                "/api/orders",
                &admin,
                json!({"items": [{"product_id": p["id"], "quantity": 4}]}),
            )
            .await;
        let url = format!("/api/orders/{}/status", order["id"]);
        if before == "confirmed" {
            srv.post(&url, &admin, json!({"status": "confirmed"})).await;
        }
        let (_, mid) = srv.get(&format!("/api/products/{}", p["id"]), &admin).await;
        assert_eq!(mid["stock_quantity"], 6);
        let (status, body) = srv.post(&url, &admin, json!({"status": "cancelled"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (_, after) = srv.get(&format!("/api/products/{}", p["id"]), &admin).await;
        assert_eq!(after["stock_quantity"], 10, "cancel from {before} restores stock");
        let cancel_rows: i64 = srv
            .with_db(|c| {
                c.query_row(
                    "SELECT COUNT(*) FROM inventory_movements WHERE order_id = ? AND reason = 'cancel'",
                    [order["id"].as_i64()],
                    |r| r.get(0),
                )
            })
            .unwrap();
        assert_eq!(cancel_rows, 1);
        let (status, _) = srv.post(&url, &admin, json!({"status": "cancelled"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "cancelling twice never gives stock twice");
    }
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn customers_see_and_act_on_only_their_own_orders() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, alice) = srv.user_token(&admin, "alice", "customer").await;
    let (_, bob) = srv.user_token(&admin, "bob", "customer").await;
    let p = srv.product(&admin, "SHOP", "3.00", 50).await;
    let item = json!({"items": [{"product_id": p["id"], "quantity": 1}]});

    let (status, a1) = srv.post("/api/orders", &alice, item.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{a1}");
    let (_, a2) = srv.post("/api/orders", &alice, item.clone()).await;
    let (_, b1) = srv.post("/api/orders", &bob, item.clone()).await;
    srv.post("/api/orders", &admin, item.clone()).await;

    let (_, alice_list) = srv.get("/api/orders", &alice).await;
    assert_eq!(alice_list["total"], 2);
    let (_, all) = srv.get("/api/orders", &admin).await;
    assert_eq!(all["total"], 4);
    // Filtering by someone else's customer id does not widen a customer's view.
    let (_, sneaky) = srv
        .get(&format!("/api/orders?customer_id={}", b1["customer_id"]), &alice)
        .await;
    assert_eq!(sneaky["total"], 2);

    assert_eq!(
        srv.get(&format!("/api/orders/{}", b1["id"]), &alice).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        srv.get(&format!("/api/orders/{}", a1["id"]), &alice).await.0,
        StatusCode::OK
    );
    let (status, _) = srv
        .post(
            &format!("/api/orders/{}/status", b1["id"]),
            &alice,
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another customer's order is invisible");
    let (status, _) = srv
        .post(
            &format!("/api/orders/{}/status", a1["id"]),
            &alice,
            json!({"status": "confirmed"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "customers cannot confirm");
    let (status, body) = srv
        .post(
            &format!("/api/orders/{}/status", a1["id"]),
            &alice,
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    srv.post(
        &format!("/api/orders/{}/status", a2["id"]),
        &admin,
        json!({"status": "confirmed"}),
    )
    .await;
    let (status, _) = srv
        .post(
            &format!("/api/orders/{}/status", a2["id"]),
            &alice,
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only pending orders can be cancelled by a customer"
    );
    let (status, _) = srv
        .post(
            "/api/orders",
            &alice,
            json!({"items": [{"product_id": p["id"], "quantity": 1}], "customer_id": b1["customer_id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(srv.get("/api/stats", &alice).await.0, StatusCode::FORBIDDEN);
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn order_lists_filter_by_status_customer_date_and_number() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, alice) = srv.user_token(&admin, "alice", "customer").await;
    let p = srv.product(&admin, "L", "1.00", 100).await;
    let item = json!({"items": [{"product_id": p["id"], "quantity": 1}]});
    let (_, mine) = srv.post("/api/orders", &alice, item.clone()).await;
    let mut numbers = Vec::new();
    for _ in 0..4 {
        let (_, o) = srv.post("/api/orders", &admin, item.clone()).await;
        numbers.push(o["order_number"].as_str().unwrap().to_owned());
        srv.post(
            &format!("/api/orders/{}/status", o["id"]),
            &admin,
            json!({"status": "confirmed"}),
        )
        .await;
    }
    let (_, page) = srv.get("/api/orders?status=confirmed", &admin).await;
    assert_eq!(page["total"], 4);
    let (_, page) = srv
        .get(&format!("/api/orders?customer_id={}", mine["customer_id"]), &admin)
        .await;
    assert_eq!(page["total"], 1);
    let (_, page) = srv.get(&format!("/api/orders?q={}", numbers[2]), &admin).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["order_number"], numbers[2]);
    let (_, page) = srv.get("/api/orders?q=alice", &admin).await;
    assert_eq!(page["total"], 1, "search by customer name");
    let (_, page) = srv.get("/api/orders?per_page=2&page=1", &admin).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["order_number"], numbers[3], "newest first");

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let (_, page) = srv
        .get(&format!("/api/orders?date_from={today}&date_to={today}"), &admin)
        .await;
    assert_eq!(page["total"], 5);
    let (_, page) = srv
        .get(&format!("/api/orders?date_to={}", today.pred_opt().unwrap()), &admin)
        .await;
    assert_eq!(page["total"], 0);
    let (status, body) = srv.get("/api/orders?date_from=yesterday", &admin).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["field"], "date_from");
}

/// Many clients race for the last items: exactly the stock is sold, never more.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_orders_never_oversell() {
    let srv = Arc::new(TestServer::start().await);
    let admin = srv.admin().await;
    let p = srv.product(&admin, "LAST", "9.99", 20).await;
    let pid = p["id"].as_i64().unwrap();
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let srv = srv.clone();
        let admin = admin.clone();
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
            StatusCode::CONFLICT => {
                assert_eq!(code(&body), "insufficient_stock");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (20, 80));
    let (_, after) = srv.get(&format!("/api/products/{pid}"), &admin).await;
    assert_eq!(after["stock_quantity"], 0);
    let orders: i64 = srv
        .with_db(|c| c.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(orders, 20);
    srv.assert_ledger_consistent();
}
