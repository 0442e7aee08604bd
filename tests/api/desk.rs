//! Order desk depth: customers, stock adjustments and the ledger, order edits, the audit
//! trail and the business settings.

use crate::common;

use common::{TestServer, code};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn audit(srv: &TestServer, admin: &str, query: &str) -> Vec<Value> {
    let (status, page) = srv.get(&format!("/api/audit?{query}"), admin).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn customers_are_searchable_totalled_and_archived_not_deleted() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, zhang) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "张三", "phone": "138 0013 8000", "email": "zhang@example.cn", "address": "杭州市西湖区"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{zhang}");
    let (_, li) = srv.post("/api/customers", &admin, json!({"name": "李四"})).await;
    for (field, value) in [("email", "not-an-email"), ("phone", "call me"), ("name", "")] {
        let mut body = json!({"name": "x"});
        body[field] = json!(value);
        let (status, resp) = srv.post("/api/customers", &admin, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {resp}");
        assert_eq!(resp["error"]["details"]["field"], field);
    }

    for (q, expected) in [("张", 1), ("0013", 1), ("zhang@", 1), ("nobody", 0)] {
        let (_, page) = srv.get(&format!("/api/customers?q={}", urlencode(q)), &admin).await;
        assert_eq!(page["total"], expected, "q={q}");
    }

    let p = srv.product(&admin, "C-1", "12.50", 100).await;
    let order = |qty: i64| json!({"items": [{"product_id": p["id"], "quantity": qty}], "customer_id": zhang["id"]});
    let (_, o1) = srv.post("/api/orders", &admin, order(2)).await;
    let (_, o2) = srv.post("/api/orders", &admin, order(4)).await;
    srv.post(
        &format!("/api/orders/{}/status", o2["id"]),
        &admin,
        json!({"status": "cancelled"}),
    )
    .await;
    let (status, detail) = srv.get(&format!("/api/customers/{}", zhang["id"]), &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["order_count"], 2);
    assert_eq!(detail["lifetime_total"], "25.00", "cancelled orders do not count");
    assert_eq!(detail["recent_orders"].as_array().unwrap().len(), 2);
    assert_eq!(detail["recent_orders"][1]["id"], o1["id"]);

    let (status, up) = srv
        .patch(
            &format!("/api/customers/{}", zhang["id"]),
            &admin,
            json!({"phone": null, "note": "老客户"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{up}");
    assert_eq!(up["phone"], Value::Null);
    assert_eq!(up["note"], "老客户");

    // With orders: archived. Without: deleted.
    let (status, archived) = srv
        .call(
            Method::DELETE,
            &format!("/api/customers/{}", zhang["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(archived["is_archived"], true);
    let (_, page) = srv.get("/api/customers", &admin).await;
    assert_eq!(page["total"], 1, "archived customers leave the default list");
    let (_, page) = srv.get("/api/customers?archived=true", &admin).await;
    assert_eq!(page["total"], 1);
    let (status, _) = srv.post("/api/orders", &admin, order(1)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "archived customers take no new orders"
    );
    let (status, _) = srv
        .call(
            Method::DELETE,
            &format!("/api/customers/{}", li["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        srv.get(&format!("/api/customers/{}", li["id"]), &admin).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, restored) = srv
        .post(&format!("/api/customers/{}/restore", zhang["id"]), &admin, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(restored["is_archived"], false);
}

#[tokio::test]
async fn a_linked_login_sees_the_customers_orders() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (uid, token) = srv.user_token(&admin, "wang", "customer").await;
    let (staff_id, _) = srv.user_token(&admin, "clerk", "staff").await;
    let (status, body) = srv
        .post("/api/customers", &admin, json!({"name": "王五", "user_id": staff_id}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only customer-role logins link: {body}"
    );
    let (status, wang) = srv
        .post("/api/customers", &admin, json!({"name": "王五", "user_id": uid}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(wang["username"], "wang");
    let (status, body) = srv
        .post("/api/customers", &admin, json!({"name": "again", "user_id": uid}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let p = srv.product(&admin, "L-1", "1.00", 10).await;
    let (_, o) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 1}], "customer_id": wang["id"]}),
        )
        .await;
    let (_, mine) = srv.get("/api/orders", &token).await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], o["id"]);
    let (_, own) = srv
        .post(
            "/api/orders",
            &token,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(
        own["customer_id"], wang["id"],
        "their own orders go to their customer record"
    );
    assert_eq!(srv.get("/api/customers", &token).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn stock_adjustments_keep_the_ledger_exact() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "ADJ", "3.00", 5).await;
    let url = format!("/api/products/{}/stock-adjustments", p["id"]);
    let (status, after) = srv
        .post(
            &url,
            &admin,
            json!({"quantity": 20, "reason": "restock", "note": "到货"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["stock_quantity"], 25);
    let (_, after) = srv
        .post(&url, &admin, json!({"quantity": -3, "reason": "damage"}))
        .await;
    assert_eq!(after["stock_quantity"], 22);
    let (_, after) = srv
        .post(&url, &admin, json!({"quantity": -2, "reason": "count_correction"}))
        .await;
    assert_eq!(after["stock_quantity"], 20);

    let (status, body) = srv
        .post(&url, &admin, json!({"quantity": -21, "reason": "count_correction"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "stock never goes negative: {body}");
    assert_eq!(code(&body), "insufficient_stock");
    for bad in [
        json!({"quantity": 0, "reason": "restock"}),
        json!({"quantity": -1, "reason": "restock"}),
        json!({"quantity": 1, "reason": "damage"}),
        json!({"quantity": 1, "reason": "order"}),
        json!({"quantity": 1, "reason": "theft"}),
        json!({"quantity": "1", "reason": "restock"}),
        // The extremes were a panic (i64::MIN.abs() overflows), found by schemathesis.
        json!({"quantity": i64::MIN, "reason": "count_correction"}),
        json!({"quantity": i64::MAX, "reason": "restock"}),
    ] {
        let (status, resp) = srv.post(&url, &admin, bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {resp}");
    }
    assert_eq!(
        srv.post(
            "/api/products/999/stock-adjustments",
            &admin,
            json!({"quantity": 1, "reason": "restock"})
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );

    let (_, o) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 4}]}),
        )
        .await;
    let (status, ledger) = srv
        .get(&format!("/api/products/{}/movements?per_page=50", p["id"]), &admin)
        .await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, i64, i64)> = ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["reason"].as_str().unwrap().to_owned(),
                m["quantity_delta"].as_i64().unwrap(),
                m["balance_after"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("order", -4, 16),
        ("count_correction", -2, 20),
        ("damage", -3, 22),
        ("restock", 20, 25),
        ("initial", 5, 5),
    ];
    let expected: Vec<(String, i64, i64)> = expected.iter().map(|(r, d, b)| (r.to_string(), *d, *b)).collect();
    assert_eq!(rows, expected);
    assert_eq!(ledger["items"][0]["order_number"], o["order_number"]);
    assert_eq!(ledger["items"][3]["note"], "到货");
    assert_eq!(ledger["items"][3]["username"], "superAdmin");
    srv.assert_ledger_consistent();

    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    assert_eq!(
        srv.post(&url, &staff, json!({"quantity": 1, "reason": "restock"}))
            .await
            .0,
        StatusCode::OK
    );
    let (_, customer) = srv.user_token(&admin, "buyer", "customer").await;
    assert_eq!(
        srv.post(&url, &customer, json!({"quantity": 1, "reason": "restock"}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        srv.get(&format!("/api/products/{}/movements", p["id"]), &customer)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn pending_orders_can_be_edited_with_exact_stock() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let a = srv.product(&admin, "A", "10.00", 10).await;
    let b = srv.product(&admin, "B", "1.00", 10).await;
    let c = srv.product(&admin, "C", "5.00", 1).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": a["id"], "quantity": 2}, {"product_id": b["id"], "quantity": 3}]}),
        )
        .await;
    let url = format!("/api/orders/{}", order["id"]);
    // A's price changes: the two units already ordered keep the captured 10.00, the three
    // added ones are at today's 99.00, on a line of their own.
    srv.patch(&format!("/api/products/{}", a["id"]), &admin, json!({"price": "99.00"}))
        .await;

    let (status, edited) = srv
        .patch(&url, &admin, json!({"items": [{"product_id": a["id"], "quantity": 5}, {"product_id": c["id"], "quantity": 1}], "note": "改单"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(
        edited["total_amount"], "322.00",
        "2 × 10.00 (captured) + 3 × 99.00 + 1 × 5.00"
    );
    let lines: Vec<(i64, String)> = edited["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["product_id"] == a["id"])
        .map(|i| {
            (
                i["quantity"].as_i64().unwrap(),
                i["unit_price"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(lines, vec![(2, "10.00".to_owned()), (3, "99.00".to_owned())]);
    assert_eq!(edited["note"], "改单");
    let stock = |p: &Value| {
        let id = p["id"].as_i64().unwrap();
        srv.with_db(|c| {
            c.query_row("SELECT stock_quantity FROM products WHERE id = ?", [id], |r| {
                r.get::<_, i64>(0)
            })
        })
        .unwrap()
    };
    assert_eq!((stock(&a), stock(&b), stock(&c)), (5, 10, 0));

    let (status, body) = srv
        .patch(
            &url,
            &admin,
            json!({"items": [{"product_id": a["id"], "quantity": 11}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "insufficient_stock");
    assert_eq!(
        (stock(&a), stock(&b), stock(&c)),
        (5, 10, 0),
        "a failed edit changes nothing"
    );
    let (status, _) = srv.patch(&url, &admin, json!({"items": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    srv.post(&format!("{url}/status"), &admin, json!({"status": "confirmed"}))
        .await;
    let (status, body) = srv.patch(&url, &admin, json!({"note": "too late"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code(&body), "order_not_editable");
    srv.post(&format!("{url}/status"), &admin, json!({"status": "cancelled"}))
        .await;
    assert_eq!(
        (stock(&a), stock(&b), stock(&c)),
        (10, 10, 1),
        "cancelling the edited order returns what it holds"
    );
    srv.assert_ledger_consistent();
    let edits: i64 = srv
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM inventory_movements WHERE reason = 'order_edit'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(edits, 3, "A +3 taken, B 3 back, C 1 taken");
}

#[tokio::test]
async fn an_archived_product_on_a_pending_order_may_stay_or_shrink_but_not_grow() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "OLD", "3.00", 10).await;
    let other = srv.product(&admin, "NEW", "1.00", 10).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 3}]}),
        )
        .await;
    let url = format!("/api/orders/{}", order["id"]);
    let (status, _) = srv
        .patch(
            &format!("/api/products/{}", p["id"]),
            &admin,
            json!({"status": "archived"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = srv
        .patch(&url, &admin, json!({"items": [{"product_id": p["id"], "quantity": 4}]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("may stay at 3 or shrink"),
        "{body}"
    );
    let (status, body) = srv
        .patch(
            &url,
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 2}, {"product_id": other["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total_amount"], "7.00");
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn every_change_leaves_an_audit_row_in_its_transaction() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    srv.login("superAdmin", "wrong-password").await;
    srv.login("ghost", "whatever-pass").await;

    let failed = audit(&srv, &admin, "action=auth.login_failed").await;
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0]["username"], "ghost");
    assert_eq!(failed[0]["after"]["reason"], "unknown_user");
    assert_eq!(failed[1]["after"]["reason"], "wrong_password");
    assert_eq!(failed[1]["ip"], "127.0.0.1");
    let logins = audit(&srv, &admin, "action=auth.login").await;
    assert_eq!(logins.len(), 1);

    let p = srv.product(&admin, "AUD", "1.00", 1).await;
    srv.patch(
        &format!("/api/products/{}", p["id"]),
        &admin,
        json!({"price": "2.50", "name": "改名"}),
    )
    .await;
    let rows = audit(&srv, &admin, &format!("entity_type=product&entity_id={}", p["id"])).await;
    let actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["product.update", "product.create"]);
    assert_eq!(rows[0]["before"], json!({"price": "1.00", "name": "商品 AUD"}));
    assert_eq!(rows[0]["after"], json!({"price": "2.50", "name": "改名"}));
    assert_eq!(rows[0]["username"], "superAdmin");
    assert_eq!(rows[0]["ip"], "127.0.0.1");

    // A refused order writes neither the order nor its audit row.
    let (status, _) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 5}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(audit(&srv, &admin, "entity_type=order").await.is_empty());

    let (_, o) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    srv.post(
        &format!("/api/orders/{}/status", o["id"]),
        &admin,
        json!({"status": "confirmed"}),
    )
    .await;
    let rows = audit(&srv, &admin, &format!("entity_type=order&entity_id={}", o["id"])).await;
    assert_eq!(rows[0]["action"], "order.status");
    assert_eq!(
        (rows[0]["before"].clone(), rows[0]["after"].clone()),
        (json!({"status": "pending"}), json!({"status": "confirmed"}))
    );
    assert_eq!(rows[1]["action"], "order.create");

    let (uid, staff) = srv.user_token(&admin, "clerk", "staff").await;
    srv.post(
        &format!("/api/products/{}/stock-adjustments", p["id"]),
        &staff,
        json!({"quantity": 4, "reason": "restock"}),
    )
    .await;
    let rows = audit(&srv, &admin, &format!("user_id={uid}")).await;
    assert!(
        rows.iter()
            .any(|r| r["action"] == "stock.adjust" && r["after"]["quantity_delta"] == 4),
        "{rows:?}"
    );
    assert!(audit(&srv, &admin, "action=user.create").await.len() == 1);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    assert!(
        !audit(&srv, &admin, &format!("date_from={today}&date_to={today}"))
            .await
            .is_empty()
    );
    assert!(
        audit(&srv, &admin, &format!("date_to={}", today.pred_opt().unwrap()))
            .await
            .is_empty()
    );
    assert_eq!(srv.get("/api/audit", &staff).await.0, StatusCode::FORBIDDEN);
    let (_, page) = srv.get("/api/audit?per_page=1", &admin).await;
    assert!(page["total"].as_i64().unwrap() > 5);
}

#[tokio::test]
async fn settings_shape_order_numbers_and_low_stock() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let (status, s) = srv.get("/api/settings", &staff).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s["currency_code"], "CNY");
    assert_eq!(s["time_zone"], "Asia/Shanghai");
    assert_eq!(s["order_number_prefix"], "SO");
    assert_eq!(
        srv.patch("/api/settings", &staff, json!({"business_name": "x"}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );

    for (field, value) in [
        ("time_zone", json!("Mars/Base")),
        ("currency_code", json!("yuan")),
        ("order_number_prefix", json!("A-B")),
        ("default_low_stock_threshold", json!(-1)),
    ] {
        let (status, body) = srv.patch("/api/settings", &admin, json!({ field: value })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert_eq!(body["error"]["details"]["field"], field);
    }
    let (status, s) = srv
        .patch(
            "/api/settings",
            &admin,
            json!({"business_name": "老王茶庄", "order_number_prefix": "WT", "default_low_stock_threshold": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["business_name"], "老王茶庄");

    let p = srv.product(&admin, "S-1", "1.00", 5).await;
    assert_eq!(p["is_low_stock"], false, "5 is not below the new default of 3");
    let (_, o) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 3}]}),
        )
        .await;
    assert!(o["order_number"].as_str().unwrap().starts_with("WT-"), "{o}");
    let (_, p2) = srv.get(&format!("/api/products/{}", p["id"]), &admin).await;
    assert_eq!(p2["is_low_stock"], true);
    let rows = audit(&srv, &admin, "entity_type=settings").await;
    assert_eq!(rows[0]["after"]["order_number_prefix"], "WT");

    // Settings survive a restart.
    let mut srv = srv;
    let dir = srv.data_dir();
    srv.stop().await;
    let srv2 = TestServer::start_with(|c| {
        c.data_dir = dir.clone();
        c.admin_password = Some(common::ADMIN_PASSWORD.into());
    })
    .await;
    let token = srv2.admin().await;
    let (_, s) = srv2.get("/api/settings", &token).await;
    assert_eq!(s["business_name"], "老王茶庄");
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
