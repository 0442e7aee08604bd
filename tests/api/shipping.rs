//! Goods out and back: ship-to, partial shipments with carriers and tracking numbers, returns
//! to stock or written off, refunds with them, and the rules `check` proves.

use std::sync::Arc;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestServer, code};

/// A confirmed order of `lines` (sku, price, stock, quantity) by `token`; returns it.
async fn confirmed_order(srv: &TestServer, admin: &str, lines: &[(&str, &str, i64, i64)], extra: Value) -> Value {
    let mut items = Vec::new();
    for (sku, price, stock, quantity) in lines {
        let p = srv.product(admin, sku, price, *stock).await;
        items.push(json!({"product_id": p["id"], "quantity": quantity}));
    }
    let mut body = json!({ "items": items });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let (status, order) = srv.post("/api/orders", admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    let (status, order) = srv
        .post(
            &format!("/api/orders/{id}/status"),
            admin,
            json!({"status": "confirmed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    order
}

fn item(order: &Value, n: usize) -> i64 {
    order["items"][n]["id"].as_i64().unwrap()
}

fn stock_of(srv: &TestServer, sku: &str) -> i64 {
    srv.with_db(|c| c.query_row("SELECT stock_quantity FROM products WHERE sku = ?", [sku], |r| r.get(0)))
        .unwrap()
}

async fn check_is_ok(srv: &TestServer, admin: &str) {
    let (status, report) = srv.get("/api/maintenance/check", admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["ok"], true, "{report}");
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn partial_shipments_leave_a_backorder_and_the_last_one_ships_the_order() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let order = confirmed_order(
        &srv,
        &admin,
        &[("SH-A", "10.00", 10, 3), ("SH-B", "5.00", 10, 2)],
        json!({}),
    )
    .await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!(order["actions"]["ship"], true);
    let ships = format!("/api/orders/{id}/shipments");

    // One of three A now, by SF, with a tracking number typed on a Chinese keyboard.
    let (status, after) = srv
        .post(
            &ships,
            &admin,
            json!({"carrier": "顺丰 SF Express", "tracking_number": "ｓｆ1234567890", "lines": [{"order_item_id": item(&order, 0), "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{after}");
    assert_eq!(after["status"], "confirmed", "a backorder stays confirmed");
    assert_eq!(after["items"][0]["shipped_quantity"], 1);
    assert_eq!(after["items"][1]["shipped_quantity"], 0);
    assert_eq!(after["shipments"][0]["tracking_number"], "SF1234567890");
    assert_eq!(after["shipments"][0]["carrier"], "顺丰 SF Express");
    assert_eq!(after["shipments"][0]["shipped_by"], "superAdmin");
    assert_eq!(
        after["actions"]["transitions"],
        json!(["shipped"]),
        "part has gone: no cancel"
    );
    // Shipping moves no stock: it was taken with the order.
    assert_eq!((stock_of(&srv, "SH-A"), stock_of(&srv, "SH-B")), (7, 8));

    // More than is left, an unknown line or carrier, a bad tracking number: refused.
    let (status, err) = srv
        .post(
            &ships,
            &admin,
            json!({"lines": [{"order_item_id": item(&order, 0), "quantity": 3}]}),
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "more_than_ordered"),
        "{err}"
    );
    assert_eq!(err["error"]["details"]["left_to_ship"], 2);
    let (status, err) = srv
        .post(
            &ships,
            &admin,
            json!({"lines": [{"order_item_id": 999_999, "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, err) = srv.post(&ships, &admin, json!({"carrier": "马车"})).await;
    assert_eq!(
        (status, err["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("carrier"))
    );
    let (status, _) = srv.post(&ships, &admin, json!({"tracking_number": "SF 12"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Cancelling half-shipped goods is refused with the way out.
    let (status, err) = srv
        .post(
            &format!("/api/orders/{id}/status"),
            &admin,
            json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!((status, code(&err)), (StatusCode::CONFLICT, "partly_shipped"), "{err}");

    // Today's clients: status `shipped` ships the rest in one parcel.
    let (status, after) = srv
        .post(
            &format!("/api/orders/{id}/status"),
            &admin,
            json!({"status": "shipped"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["status"], "shipped");
    assert_eq!(after["shipments"].as_array().unwrap().len(), 2);
    assert_eq!(after["shipments"][1]["lines"].as_array().unwrap().len(), 2);
    assert_eq!(after["items"][0]["shipped_quantity"], 3);
    assert_eq!(after["actions"]["ship"], false);

    // A repeated click is "already done", with the state it is in.
    let (status, err) = srv
        .post(
            &format!("/api/orders/{id}/status"),
            &admin,
            json!({"status": "shipped"}),
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "already_in_status"),
        "{err}"
    );
    assert_eq!(err["error"]["details"]["status"], "shipped");
    let (status, err) = srv.post(&ships, &admin, json!({})).await;
    assert_eq!((status, code(&err)), (StatusCode::CONFLICT, "already_shipped"), "{err}");

    // The day's list for the courier, as JSON and as a file.
    let (status, list) = srv.get("/api/shipments", &admin).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["tracking_number"], "SF1234567890");
    assert!(
        list[1]["contents"].as_str().unwrap().contains("商品 SH-B × 2"),
        "{list}"
    );
    let (status, csv) = srv.get("/api/shipments?format=csv&lang=zh-CN", &admin).await;
    assert_eq!(status, StatusCode::OK);
    let csv = csv.as_str().unwrap();
    assert!(csv.contains("运单号") && csv.contains("SF1234567890"), "{csv}");

    // The audit trail has both parcels.
    let ships_audited: i64 = srv
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'order.ship' AND entity_id = ?",
                [id],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(ships_audited, 2);
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn a_pending_order_is_confirmed_before_it_ships() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "SH-P", "1.00", 5).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    let id = order["id"].as_i64().unwrap();
    let (status, err) = srv
        .post(&format!("/api/orders/{id}/shipments"), &admin, json!({}))
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "order_not_confirmed"),
        "{err}"
    );
    // A double click on confirm: the second is "already done".
    let status_path = format!("/api/orders/{id}/status");
    let confirm = || srv.post(&status_path, &admin, json!({"status": "confirmed"}));
    let (a, b) = tokio::join!(confirm(), confirm());
    let mut codes = [a.0, b.0];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT]);
    let err = if a.0 == StatusCode::CONFLICT { a.1 } else { b.1 };
    assert_eq!(code(&err), "already_in_status", "{err}");
}

#[tokio::test]
async fn two_people_shipping_the_last_unit_at_once_one_wins() {
    let srv = Arc::new(TestServer::start().await);
    let admin = srv.admin().await;
    let order = confirmed_order(&srv, &admin, &[("SH-LAST", "3.00", 5, 1)], json!({})).await;
    let (id, line) = (order["id"].as_i64().unwrap(), item(&order, 0));
    let mut tasks = Vec::new();
    for n in 0..8 {
        let (srv, admin) = (srv.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            srv.post(
                &format!("/api/orders/{id}/shipments"),
                &admin,
                json!({"tracking_number": format!("YT{n:010}"), "lines": [{"order_item_id": line, "quantity": 1}]}),
            )
            .await
        }));
    }
    let mut won = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => won += 1,
            StatusCode::CONFLICT => assert!(
                ["already_shipped", "more_than_ordered", "nothing_to_ship"].contains(&code(&body)),
                "{body}"
            ),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(won, 1);
    let (_, after) = srv.get(&format!("/api/orders/{id}"), &admin).await;
    assert_eq!(after["shipments"].as_array().unwrap().len(), 1);
    assert_eq!(after["status"], "shipped");
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn ship_to_comes_from_the_customer_and_can_be_changed_until_it_ships() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, customer) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "王芳", "phone": "138 0013 8000", "address": "旧地址 1 号"}),
        )
        .await;
    let cid = customer["id"].as_i64().unwrap();
    let addresses = format!("/api/customers/{cid}/addresses");
    // The migration-free path: a customer's record address is their first saved one only
    // once they save one; until then an order goes to the record.
    let p = srv.product(&admin, "ADDR-1", "8.00", 50).await;
    let order_for = |extra: Value| {
        let mut body = json!({"customer_id": cid, "items": [{"product_id": p["id"], "quantity": 1}]});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        srv.post("/api/orders", &admin, body)
    };
    let (_, first) = order_for(json!({})).await;
    assert_eq!(first["ship_to"]["name"], "王芳");
    assert_eq!(first["ship_to"]["street"], "旧地址 1 号");

    let home = json!({"label": "家", "name": "王芳", "phone": "13800138000", "province": "浙江省", "city": "杭州市",
                      "district": "西湖区", "street": "文三路 90 号", "postcode": "310012"});
    let (status, saved) = srv.post(&addresses, &admin, home).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["is_default"], true, "the first saved address is the default");
    let office = json!({"label": "公司", "name": "王芳（前台代收）", "phone": "0571-8888 0000", "city": "杭州市", "street": "滨江区江南大道 1 号"});
    let (_, office) = srv.post(&addresses, &admin, office).await;
    assert_eq!(office["is_default"], false);
    let (status, err) = srv.post(&addresses, &admin, json!({"name": "没有街道"})).await;
    assert_eq!(
        (status, err["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("street"))
    );

    let (_, by_default) = order_for(json!({})).await;
    assert_eq!(by_default["ship_to"]["street"], "文三路 90 号");
    assert_eq!(by_default["ship_to"]["province"], "浙江省");
    let (_, picked) = order_for(json!({"address_id": office["id"]})).await;
    assert_eq!(picked["ship_to"]["street"], "滨江区江南大道 1 号");
    let (status, _) = order_for(json!({"address_id": 999_999})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, given) =
        order_for(json!({"ship_to": {"name": "李雷", "phone": "+86 139 1234 5678", "street": "中山路 5 号"}})).await;
    assert_eq!(given["ship_to"]["name"], "李雷");

    // Search finds an order by its recipient's phone (not the customer's).
    let (_, found) = srv.get("/api/orders?q=139123", &admin).await;
    let ids: Vec<&Value> = found["items"].as_array().unwrap().iter().map(|o| &o["id"]).collect();
    assert_eq!(ids, vec![&given["id"]], "{found}");

    // Changed on the order until it ships, then refused.
    let id = given["id"].as_i64().unwrap();
    let ship_to_path = format!("/api/orders/{id}/ship-to");
    let put = |body: Value| srv.call(Method::PUT, &ship_to_path, Some(&admin), Some(body));
    let (status, changed) =
        put(json!({"name": "李雷", "phone": "13912345678", "city": "南京市", "street": "中山路 6 号"})).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["ship_to"]["street"], "中山路 6 号");
    let (status, _) = put(json!({"postcode": "<script>"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    srv.post(
        &format!("/api/orders/{id}/status"),
        &admin,
        json!({"status": "confirmed"}),
    )
    .await;
    srv.post(
        &format!("/api/orders/{id}/status"),
        &admin,
        json!({"status": "shipped"}),
    )
    .await;
    let (status, err) = put(json!({"street": "太晚了"})).await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "order_not_editable"),
        "{err}"
    );

    // The default moves with an edit; deleting the default makes another one the default.
    let (status, _) = srv
        .call(
            Method::PUT,
            &format!("{addresses}/{}", office["id"]),
            Some(&admin),
            Some(json!({"name": "王芳", "street": "滨江区江南大道 1 号", "is_default": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = srv.get(&addresses, &admin).await;
    assert_eq!(list[0]["id"], office["id"], "the default comes first: {list}");
    let (status, _) = srv
        .call(
            Method::DELETE,
            &format!("{addresses}/{}", office["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = srv.get(&addresses, &admin).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["is_default"], true);
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn returns_go_back_to_stock_or_are_written_off_and_refund_at_most_what_was_paid() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let order = confirmed_order(
        &srv,
        &admin,
        &[("RT-A", "10.00", 10, 3), ("RT-B", "7.00", 10, 1)],
        json!({}),
    )
    .await;
    let id = order["id"].as_i64().unwrap();
    let (a, b) = (item(&order, 0), item(&order, 1));
    let returns = format!("/api/orders/{id}/returns");
    // Nothing comes back before it went out.
    let one_a = json!({"reason": "not_needed", "lines": [{"order_item_id": a, "quantity": 1, "restock": true}]});
    let (status, err) = srv.post(&returns, &admin, one_a.clone()).await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "order_not_shipped"),
        "{err}"
    );
    srv.post(
        &format!("/api/orders/{id}/payments"),
        &admin,
        json!({"amount": "37.00", "method": "wechat"}),
    )
    .await;
    srv.post(
        &format!("/api/orders/{id}/status"),
        &admin,
        json!({"status": "shipped"}),
    )
    .await;
    assert_eq!((stock_of(&srv, "RT-A"), stock_of(&srv, "RT-B")), (7, 9));

    // A refund beyond what was paid writes nothing at all.
    let too_much = json!({"reason": "damaged", "lines": [{"order_item_id": b, "quantity": 1, "restock": false}],
                          "refund": {"amount": "37.01", "method": "wechat"}});
    let (status, err) = srv.post(&returns, &admin, too_much).await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "refund_exceeds_paid"),
        "{err}"
    );
    let (_, unchanged) = srv.get(&format!("/api/orders/{id}"), &admin).await;
    assert_eq!(unchanged["returns"], json!([]));
    assert_eq!(unchanged["items"][1]["returned_quantity"], 0);

    // One A back on the shelf and the B written off as damaged, with 17.00 back by WeChat.
    let both = json!({"reason": "damaged", "note": "外箱压坏", "lines": [
        {"order_item_id": a, "quantity": 1, "restock": true},
        {"order_item_id": b, "quantity": 1, "restock": false}],
        "refund": {"amount": "17.00", "method": "wechat", "reference": "RF-001"}});
    let (status, after) = srv.post(&returns, &admin, both).await;
    assert_eq!(status, StatusCode::CREATED, "{after}");
    assert_eq!(after["status"], "shipped");
    assert_eq!(after["returned_amount"], "17.00");
    assert_eq!(after["returns"][0]["amount"], "17.00");
    assert_eq!(after["returns"][0]["refund_amount"], "17.00");
    assert_eq!(after["refunded_amount"], "17.00");
    assert_eq!(
        (stock_of(&srv, "RT-A"), stock_of(&srv, "RT-B")),
        (8, 9),
        "restocked A, wrote off B"
    );
    let ledger: Vec<(String, String, i64)> = srv
        .with_db(|c| {
            c.prepare(
                "SELECT p.sku, m.reason, m.quantity_delta FROM inventory_movements m JOIN products p ON p.id = m.product_id
                 WHERE m.order_id = ? AND m.reason IN ('return', 'damage') ORDER BY m.id",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect()
        })
        .unwrap();
    let expected = [("RT-A", "return", 1), ("RT-B", "return", 1), ("RT-B", "damage", -1)];
    assert_eq!(
        ledger,
        expected.map(|(s, r, q)| (s.to_owned(), r.to_owned(), q)).to_vec(),
        "the write-off shows in the ledger"
    );

    // Never more than shipped less returned.
    let (status, err) = srv
        .post(
            &returns,
            &admin,
            json!({"reason": "late", "lines": [{"order_item_id": a, "quantity": 3, "restock": true}]}),
        )
        .await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "more_than_shipped"),
        "{err}"
    );
    assert_eq!(err["error"]["details"]["returnable"], 2);
    let (status, _) = srv
        .post(
            &returns,
            &admin,
            json!({"reason": "other", "lines": [{"order_item_id": a, "quantity": 1, "restock": true}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "'other' needs a note");

    // The rest comes back: the order is returned, its sales gone from the report.
    srv.post(
        &format!("/api/orders/{id}/status"),
        &admin,
        json!({"status": "completed"}),
    )
    .await;
    let rest = json!({"reason": "wrong_item", "lines": [{"order_item_id": a, "quantity": 2, "restock": true}]});
    let (status, after) = srv.post(&returns, &admin, rest).await;
    assert_eq!(status, StatusCode::CREATED, "{after}");
    assert_eq!(after["status"], "returned");
    assert_eq!(after["returned_amount"], "37.00");
    assert_eq!(after["actions"]["return_goods"], false);
    let (status, err) = srv.post(&returns, &admin, one_a).await;
    assert_eq!(
        (status, code(&err)),
        (StatusCode::CONFLICT, "already_returned"),
        "{err}"
    );
    let (_, sales) = srv.get("/api/reports/sales", &admin).await;
    let revenue: f64 = sales["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revenue"].as_str().unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(revenue, 0.0, "{sales}");
    let audited: i64 = srv
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'order.return' AND entity_id = ?",
                [id],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(audited, 2);
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn a_customer_sees_the_tracking_of_their_own_orders_only() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, alice) = srv.user_token(&admin, "alice_ship", "customer").await;
    let (_, bob) = srv.user_token(&admin, "bob_ship", "customer").await;
    let p = srv.product(&admin, "CU-1", "2.00", 10).await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &alice,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    let id = order["id"].as_i64().unwrap();
    srv.post(
        &format!("/api/orders/{id}/status"),
        &admin,
        json!({"status": "confirmed"}),
    )
    .await;
    let (status, _) = srv
        .post(
            &format!("/api/orders/{id}/shipments"),
            &alice,
            json!({"tracking_number": "JT0000000001"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "customers do not ship");
    srv.post(
        &format!("/api/orders/{id}/shipments"),
        &admin,
        json!({"carrier": "极兔 J&T", "tracking_number": "JT0000000001"}),
    )
    .await;
    let (status, shipments) = srv.get(&format!("/api/orders/{id}/shipments"), &alice).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shipments[0]["tracking_number"], "JT0000000001");
    let (status, _) = srv.get(&format!("/api/orders/{id}/shipments"), &bob).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another's order does not exist to bob");
    let (status, _) = srv.get("/api/shipments", &alice).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = srv
        .post(
            &format!("/api/orders/{id}/returns"),
            &alice,
            json!({"reason": "late", "lines": []}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = srv
        .post(
            "/api/orders",
            &alice,
            json!({"address_id": 1, "items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a customer cannot pick saved addresses");
}

/// Random ships and returns against a model: every answer is 2xx or a clear 409/422, the
/// counts on the lines follow the model, and `check` stays clean.
#[tokio::test]
async fn random_ship_and_return_sequences_keep_every_rule() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let mut seed: u64 = 0x5EED_0019;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..6 {
        let quantities = [1 + next(4) as i64, 1 + next(3) as i64];
        let order = confirmed_order(
            &srv,
            &admin,
            &[
                (&format!("PR{round}-A"), "3.33", 20, quantities[0]),
                (&format!("PR{round}-B"), "9.99", 20, quantities[1]),
            ],
            json!({}),
        )
        .await;
        let id = order["id"].as_i64().unwrap();
        let lines = [item(&order, 0), item(&order, 1)];
        let (mut shipped, mut returned) = ([0i64; 2], [0i64; 2]);
        for _ in 0..12 {
            let n = next(2) as usize;
            let q = 1 + next(3) as i64;
            let restock = next(2) == 0;
            if next(2) == 0 {
                let (status, body) = srv
                    .post(
                        &format!("/api/orders/{id}/shipments"),
                        &admin,
                        json!({"lines": [{"order_item_id": lines[n], "quantity": q}]}),
                    )
                    .await;
                let fits = shipped[n] + q <= quantities[n] && shipped != quantities;
                match status {
                    StatusCode::CREATED => {
                        assert!(fits, "shipped more than ordered: {body}");
                        shipped[n] += q;
                    }
                    StatusCode::CONFLICT => assert!(!fits, "{body}"),
                    other => panic!("{other}: {body}"),
                }
            } else {
                let (status, body) = srv
                    .post(
                        &format!("/api/orders/{id}/returns"),
                        &admin,
                        json!({"reason": "damaged", "lines": [{"order_item_id": lines[n], "quantity": q, "restock": restock}]}),
                    )
                    .await;
                let all_shipped = shipped == quantities;
                let fits = all_shipped && returned[n] + q <= shipped[n] && returned != quantities;
                match status {
                    StatusCode::CREATED => {
                        assert!(fits, "returned more than shipped: {body}");
                        returned[n] += q;
                    }
                    StatusCode::CONFLICT => assert!(!fits, "{body}"),
                    other => panic!("{other}: {body}"),
                }
            }
        }
        let (_, after) = srv.get(&format!("/api/orders/{id}"), &admin).await;
        for n in 0..2 {
            assert_eq!(after["items"][n]["shipped_quantity"], shipped[n]);
            assert_eq!(after["items"][n]["returned_quantity"], returned[n]);
        }
        let expected = if returned == quantities {
            "returned"
        } else if shipped == quantities {
            "shipped"
        } else {
            "confirmed"
        };
        assert_eq!(after["status"], expected, "{after}");
    }
    check_is_ok(&srv, &admin).await;
}

/// A shop upgrading from V14: its shipped orders went out in one parcel each, its orders go
/// to their customers, its customers' addresses become their defaults, nothing cascades away
/// in the table rebuilds, and `check` is clean.
#[test]
fn upgrading_keeps_every_order_and_books_past_shipments() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let db = data.join("order-system.db");
    order_system::db::migrations::apply_up_to(&db, 14).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO users (id, username, role, password_hash, created_at, updated_at)
               VALUES (1, 'clerk', 'staff', 'x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
             INSERT INTO customers (id, name, phone, phone_digits, address, created_at, updated_at)
               VALUES (1, '老王', '13900001111', '13900001111', '北京市朝阳路 8 号', 't', 't');
             INSERT INTO products (id, sku, name, price_minor, stock_quantity, status, created_at, updated_at)
               VALUES (1, 'UP-1', 'a', 500, 7, 'active', 't', 't');
             INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, created_at)
               VALUES (1, 10, 10, 'initial', 't');
             INSERT INTO orders (id, order_number, user_id, customer_id, status, total_amount_minor, created_at, updated_at)
               VALUES (1, 'SO-1', 1, 1, 'completed', 1500, '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'),
                      (2, 'SO-2', 1, NULL, 'pending', 0, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
             UPDATE order_status_totals SET order_count = 1, total_amount_minor = 1500 WHERE status = 'completed';
             UPDATE order_status_totals SET order_count = 1 WHERE status = 'pending';
             INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor)
               VALUES (1, 1, 'a', 'UP-1', 3, 500, 1500);
             INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, order_id, created_at)
               VALUES (1, -3, 7, 'order', 1, 't');
             INSERT INTO order_status_history (order_id, from_status, to_status, user_id, created_at)
               VALUES (1, NULL, 'pending', 1, '2026-01-02T00:00:00.000Z'),
                      (1, 'confirmed', 'shipped', 1, '2026-01-02T12:00:00.000Z');",
        )
        .unwrap();
    let out = crate::common::process::run(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", crate::common::process::text(&out.stderr));
    let (ok, report) = crate::common::process::check(&data);
    assert!(ok, "{report}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap() };
    assert_eq!(one("SELECT COUNT(*) || '' FROM orders"), "2");
    assert_eq!(
        one("SELECT COUNT(*) || '' FROM order_items"),
        "1",
        "no line cascaded away"
    );
    assert_eq!(one("SELECT COUNT(*) || '' FROM inventory_movements"), "2");
    assert_eq!(
        one("SELECT shipped_at FROM shipments WHERE order_id = 1"),
        "2026-01-02T12:00:00.000Z"
    );
    assert_eq!(one("SELECT shipped_quantity || '' FROM order_items"), "3");
    assert_eq!(
        one("SELECT ship_name || ' ' || ship_street FROM orders WHERE id = 1"),
        "老王 北京市朝阳路 8 号"
    );
    assert_eq!(
        one("SELECT street FROM customer_addresses WHERE customer_id = 1 AND is_default = 1"),
        "北京市朝阳路 8 号"
    );
}
