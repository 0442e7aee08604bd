//! The catalogue's new fields (categories, units, barcodes, cost prices, photos, pinyin
//! initials) and purchasing: suppliers, purchase orders, receipts with the moving average
//! cost, returns to the supplier, reorder suggestions, margins, and who may see costs.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestServer, code};

async fn check_is_ok(srv: &TestServer, admin: &str) {
    let (status, report) = srv.get("/api/maintenance/check", admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["purchase_mismatches"], json!([]), "{report}");
    srv.assert_ledger_consistent();
}

async fn supplier(srv: &TestServer, admin: &str, name: &str) -> i64 {
    let (status, s) = srv
        .post("/api/suppliers", admin, json!({"name": name, "phone": "021-6234 5678"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    s["id"].as_i64().unwrap()
}

fn product_row(srv: &TestServer, id: i64) -> (i64, Option<i64>) {
    srv.with_db(|c| {
        c.query_row(
            "SELECT stock_quantity, cost_minor FROM products WHERE id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    })
    .unwrap()
}

#[tokio::test]
async fn categories_barcodes_and_pinyin_initials_find_products() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, top) = srv.post("/api/categories", &admin, json!({"name": "粮油"})).await;
    assert_eq!(status, StatusCode::CREATED, "{top}");
    let (status, oil) = srv
        .post(
            "/api/categories",
            &admin,
            json!({"name": "食用油", "parent_id": top["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{oil}");
    // Two levels only, sibling names unique whatever the width.
    let (status, body) = srv
        .post(
            "/api/categories",
            &admin,
            json!({"name": "花生油", "parent_id": oil["id"]}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("parent_id"))
    );
    let (status, body) = srv.post("/api/categories", &admin, json!({"name": "粮油"})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "category_taken"));

    let (status, p) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "JLY-5L", "name": "金龙鱼 调和油 5L", "price": "69.90", "stock_quantity": 3,
                   "category_id": oil["id"], "unit": "桶", "barcode": "6901234567892", "cost_price": "52.00"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(
        (p["unit"].as_str(), p["cost_price"].as_str()),
        (Some("桶"), Some("52.00"))
    );
    srv.product(&admin, "TEA-1", "20.00", 5).await;
    // A wrong check digit is caught at entry; a taken barcode is a 409 naming it.
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "X1", "name": "x", "price": "1.00", "stock_quantity": 0, "barcode": "6901234567893"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "X2", "name": "x", "price": "1.00", "stock_quantity": 0, "barcode": "６９０１２３４５６７８９２"}),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "barcode_taken"));

    let (_, page) = srv.get("/api/products?q=jly", &admin).await;
    assert_eq!(page["total"], 1, "pinyin initials: {page}");
    let (_, page) = srv.get("/api/products?q=6901234567892", &admin).await;
    assert_eq!(page["total"], 1, "a whole barcode: {page}");
    let (_, page) = srv
        .get(&format!("/api/products?category_id={}", top["id"]), &admin)
        .await;
    assert_eq!(page["total"], 1, "a top-level category holds those under it: {page}");
    let (status, found) = srv.get("/api/products/by-code?code=6901234567892", &admin).await;
    assert_eq!((status, found["id"].clone()), (StatusCode::OK, p["id"].clone()));
    let (status, found) = srv.get("/api/products/by-code?code=tea-1", &admin).await;
    assert_eq!(
        (status, found["sku"].as_str()),
        (StatusCode::OK, Some("TEA-1")),
        "SKUs in any case"
    );
    let (status, body) = srv.get("/api/products/by-code?code=0000", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // A category with products cannot go.
    let (status, body) = srv
        .call(
            Method::DELETE,
            &format!("/api/categories/{}", oil["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "category_in_use"));
    let (_, cats) = srv.get("/api/categories", &admin).await;
    assert_eq!(cats[0]["name"], "粮油");
    assert_eq!(
        (cats[1]["name"].as_str(), cats[1]["product_count"].as_i64()),
        (Some("食用油"), Some(1))
    );
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn units_are_a_settings_list_and_products_keep_theirs() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, settings) = srv.get("/api/settings", &admin).await;
    let units = settings["units"].as_array().unwrap();
    assert!(
        units.contains(&json!("件")) && units.contains(&json!("箱")),
        "{settings}"
    );
    let (status, err) = srv
        .patch("/api/settings", &admin, json!({"units": ["件", "KG", "kg"]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["details"]["field"], "units[2]", "{err}");
    let (status, _) = srv.patch("/api/settings", &admin, json!({"units": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, err) = srv
        .patch("/api/settings", &admin, json!({"units": ["一二三四五六七八九十一"]}))
        .await;
    assert_eq!(
        (status, &err["error"]["details"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("units[0]"))
    );
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "BOX", "name": "纸箱", "price": "3.00", "stock_quantity": 0, "unit": "捆"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, settings) = srv.patch("/api/settings", &admin, json!({"units": ["箱", "捆"]})).await;
    assert_eq!((status, &settings["units"]), (StatusCode::OK, &json!(["箱", "捆"])));
    // Removing a unit from the list leaves the products sold by it alone.
    srv.patch("/api/settings", &admin, json!({"units": ["箱"]})).await;
    let (_, list) = srv.get("/api/products?q=BOX", &admin).await;
    assert_eq!(list["items"][0]["unit"], "捆", "{list}");
}

#[tokio::test]
async fn a_photo_is_sniffed_limited_and_served_with_its_own_type() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "PH-1", "9.90", 1).await;
    let url = format!("{}/api/products/{}/photo", srv.url, p["id"]);
    let put = |body: Vec<u8>, claimed: &'static str| {
        srv.client
            .put(&url)
            .bearer_auth(&admin)
            .header("content-type", claimed)
            .body(body)
            .send()
    };
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let resp = put(b"<svg onload=alert(1)>".to_vec(), "image/png").await.unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the claimed type is not trusted"
    );
    let resp = put(vec![0xFF; 2 * 1024 * 1024 + 1], "image/jpeg").await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let resp = put(png.clone(), "image/jpeg").await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let product: Value = resp.json().await.unwrap();
    let photo_url = product["photo_url"].as_str().unwrap().to_owned();
    let resp = srv
        .client
        .get(format!("{}{photo_url}", srv.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "image/png",
        "the sniffed type, not the claimed one"
    );
    assert!(resp.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    let etag = resp.headers()["etag"].clone();
    assert_eq!(resp.bytes().await.unwrap().as_ref(), png.as_slice());
    let resp = srv
        .client
        .get(&url)
        .bearer_auth(&admin)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    // The photo is in the database, so backups carry it.
    let stored: i64 = srv
        .with_db(|c| c.query_row("SELECT length(bytes) FROM product_photos", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(stored as usize, png.len());
    let (status, after) = srv
        .call(
            Method::DELETE,
            &format!("/api/products/{}/photo", p["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((status, after["photo_url"].clone()), (StatusCode::OK, Value::Null));
}

#[tokio::test]
async fn receiving_a_purchase_order_adds_stock_and_averages_the_cost() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let sup = supplier(&srv, &admin, "金龙鱼华东经销部").await;
    let (_, oil) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "OIL", "name": "花生油", "price": "80.00", "stock_quantity": 10, "cost_price": "50.00"}),
        )
        .await;
    let rice = srv.product(&admin, "RICE", "30.00", 0).await;
    let (oil_id, rice_id) = (oil["id"].as_i64().unwrap(), rice["id"].as_i64().unwrap());
    // A draft may leave a cost open; ordering needs it.
    let (status, po) = srv
        .post(
            "/api/purchase-orders",
            &admin,
            json!({"supplier_id": sup, "lines": [
                {"product_id": oil_id, "quantity": 30, "unit_cost": "60.00"},
                {"product_id": rice_id, "quantity": 20}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{po}");
    assert_eq!(
        (po["status"].as_str(), po["number"].as_str()),
        (Some("draft"), Some("CG-00001"))
    );
    let id = po["id"].as_i64().unwrap();
    let status_path = format!("/api/purchase-orders/{id}/status");
    let (status, body) = srv.post(&status_path, &admin, json!({"status": "ordered"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = srv
        .patch(
            &format!("/api/purchase-orders/{id}"),
            &admin,
            json!({"lines": [
                {"product_id": oil_id, "quantity": 30, "unit_cost": "60.00"},
                {"product_id": rice_id, "quantity": 20, "unit_cost": "20.00"}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Receiving before ordering is refused.
    let draft_line = po["lines"][0]["id"].as_i64().unwrap();
    let receipts = format!("/api/purchase-orders/{id}/receipts");
    let (status, body) = srv
        .post(
            &receipts,
            &admin,
            json!({"lines": [{"line_id": draft_line, "quantity": 1}]}),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "purchase_order_status"));
    let (status, po) = srv.post(&status_path, &admin, json!({"status": "ordered"})).await;
    assert_eq!(
        (status, po["status"].as_str()),
        (StatusCode::OK, Some("ordered")),
        "{po}"
    );
    let lines = po["lines"].as_array().unwrap();
    let (oil_line, rice_line) = (
        lines.iter().find(|l| l["product_id"] == oil_id).unwrap()["id"]
            .as_i64()
            .unwrap(),
        lines.iter().find(|l| l["product_id"] == rice_id).unwrap()["id"]
            .as_i64()
            .unwrap(),
    );
    let (status, body) = srv.post(&status_path, &admin, json!({"status": "ordered"})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "already_in_status"));

    // Part of the oil: 10 at 50.00 in stock, 30 at 60.00 arrive: 2300 / 40 = 57.50.
    let (status, po) = srv
        .post(
            &receipts,
            &admin,
            json!({"lines": [{"line_id": oil_line, "quantity": 30}], "note": "第一批"}),
        )
        .await;
    assert_eq!(
        (status, po["status"].as_str()),
        (StatusCode::CREATED, Some("partially_received")),
        "{po}"
    );
    assert_eq!(product_row(&srv, oil_id), (40, Some(5750)));
    // More than is left is a 409, and nothing moves.
    let (status, body) = srv
        .post(
            &receipts,
            &admin,
            json!({"lines": [{"line_id": oil_line, "quantity": 1}]}),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "more_than_ordered"));
    assert_eq!(product_row(&srv, oil_id), (40, Some(5750)));
    // The rice had no cost: it takes the purchase cost. The order is then received.
    let (status, po) = srv
        .post(
            &receipts,
            &admin,
            json!({"lines": [{"line_id": rice_line, "quantity": 20}]}),
        )
        .await;
    assert_eq!((status, po["status"].as_str()), (StatusCode::CREATED, Some("received")));
    assert_eq!(product_row(&srv, rice_id), (20, Some(2000)));
    assert_eq!(po["receipts"].as_array().unwrap().len(), 2);
    // The ledger names the purchase order.
    let (_, ledger) = srv.get(&format!("/api/products/{oil_id}/movements"), &admin).await;
    assert_eq!(ledger["items"][0]["reason"], "purchase", "{ledger}");
    assert_eq!(ledger["items"][0]["purchase_order_id"], id);

    // Five bad bottles go back to the supplier: stock down, cost unchanged.
    let returns = format!("/api/purchase-orders/{id}/returns");
    let (status, po) = srv
        .post(
            &returns,
            &admin,
            json!({"lines": [{"line_id": oil_line, "quantity": 5}], "note": "破损"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{po}");
    assert_eq!(product_row(&srv, oil_id), (35, Some(5750)));
    let (status, body) = srv
        .post(
            &returns,
            &admin,
            json!({"lines": [{"line_id": oil_line, "quantity": 26}]}),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "more_than_received"));
    // A received order cannot be cancelled; an archived supplier is not offered.
    let (status, _) = srv.post(&status_path, &admin, json!({"status": "cancelled"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = srv
        .call(Method::DELETE, &format!("/api/suppliers/{sup}"), Some(&admin), None)
        .await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "supplier_in_use"));
    let (status, _) = srv
        .post(&format!("/api/suppliers/{sup}/archive"), &admin, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = srv
        .post(
            "/api/purchase-orders",
            &admin,
            json!({"supplier_id": sup, "lines": [{"product_id": oil_id, "quantity": 1, "unit_cost": "1.00"}]}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("supplier_id"))
    );
    check_is_ok(&srv, &admin).await;

    // `check` proves what was received against the receipts and the ledger: a line whose
    // count was changed behind the application's back is reported.
    srv.write_db(|c| {
        c.execute(
            "UPDATE purchase_order_lines SET received_quantity = received_quantity - 1 WHERE id = ?",
            [oil_line],
        )
    })
    .unwrap();
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], false, "{report}");
    let found = report["purchase_mismatches"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["line_id"], oil_line, "{report}");
}

#[tokio::test]
async fn reorder_suggestions_become_a_draft_and_margins_use_the_cost_at_sale() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let sup = supplier(&srv, &admin, "粮油批发").await;
    let (_, low) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "LOW", "name": "面粉", "price": "10.00", "stock_quantity": 2, "low_stock_threshold": 5,
                   "cost_price": "6.00"}),
        )
        .await;
    srv.product(&admin, "PLENTY", "10.00", 100).await;
    let unknown = srv.product(&admin, "NOCOST", "8.00", 50).await;
    let (_, suggestions) = srv.get("/api/purchase-orders/reorder-suggestions", &admin).await;
    let items = suggestions.as_array().unwrap();
    assert_eq!(items.len(), 1, "{suggestions}");
    assert_eq!(items[0]["suggested_quantity"], 8, "twice the threshold less the stock");
    let (status, draft) = srv
        .post(
            "/api/purchase-orders/from-suggestions",
            &admin,
            json!({"supplier_id": sup, "product_ids": [low["id"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(
        (draft["status"].as_str(), draft["lines"][0]["quantity"].as_i64()),
        (Some("draft"), Some(8))
    );
    assert_eq!(draft["lines"][0]["unit_cost"], "6.00");
    // On order now: no longer suggested.
    let (_, suggestions) = srv.get("/api/purchase-orders/reorder-suggestions", &admin).await;
    assert_eq!(suggestions, json!([]));

    // A sale keeps the cost at the time: 2 flour at 10.00 cost 6.00, 1 unknown-cost at 8.00.
    let (status, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": low["id"], "quantity": 2}, {"product_id": unknown["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let (status, _) = srv
        .post(
            &format!("/api/orders/{}/status", order["id"]),
            &admin,
            json!({"status": "confirmed"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A later cost change does not rewrite the sale.
    srv.patch(
        &format!("/api/products/{}", low["id"]),
        &admin,
        json!({"cost_price": "9.00"}),
    )
    .await;
    let (status, report) = srv.get("/api/reports/margins?by=product", &admin).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let total = &report["total"];
    assert_eq!(
        (total["revenue"].as_str(), total["cost"].as_str()),
        (Some("20.00"), Some("12.00")),
        "{report}"
    );
    assert_eq!(
        (total["gross_profit"].as_str(), total["margin_bp"].as_i64()),
        (Some("8.00"), Some(4000))
    );
    assert_eq!(total["revenue_without_cost"], "8.00", "unknown cost is not zero cost");
    let (_, by_day) = srv.get("/api/reports/margins", &admin).await;
    assert_eq!(by_day["rows"].as_array().unwrap().len(), 1, "{by_day}");
    // The CSV has the rows and the total, the margin as a percent.
    let (_, csv) = srv
        .get("/api/reports/margins?by=product&format=csv&lang=zh-CN", &admin)
        .await;
    let csv = csv.as_str().unwrap();
    assert!(csv.contains("毛利率%"), "{csv}");
    assert!(csv.contains("合计,,3,20.00,12.00,8.00,40.00,8.00"), "{csv}");
    let (_, stats) = srv.get("/api/stats", &admin).await;
    assert_eq!(stats["today"]["gross_profit"], "8.00", "{stats}");
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let (_, stats) = srv.get("/api/stats", &staff).await;
    assert_eq!(stats["today"]["gross_profit"], Value::Null, "admins only");
    check_is_ok(&srv, &admin).await;
}

#[tokio::test]
async fn customers_never_see_costs_suppliers_or_purchase_orders() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, p) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "SECRET", "name": "茶叶", "price": "50.00", "stock_quantity": 5, "cost_price": "31.00",
                   "barcode": "4006381333931"}),
        )
        .await;
    let (_, customer) = srv.user_token(&admin, "buyer", "customer").await;
    for path in [
        "/api/products".to_owned(),
        format!("/api/products/{}", p["id"]),
        "/api/products/by-code?code=4006381333931".to_owned(),
    ] {
        let (status, body) = srv.get(&path, &customer).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let text = body.to_string();
        assert!(!text.contains("cost") && !text.contains("31.00"), "{path}: {text}");
    }
    for path in [
        "/api/suppliers",
        "/api/purchase-orders",
        "/api/purchase-orders/reorder-suggestions",
        "/api/reports/margins",
    ] {
        let (status, _) = srv.get(path, &customer).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _) = srv.get("/api/exports/products.csv", &customer).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn csv_carries_category_unit_barcode_and_cost() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let csv = "sku,name,price,category,unit,barcode,cost_price\nC1,大米,30.00,粮油/大米,袋,6901234567892,21.50\nC2,盐,2.00,,包,,\n";
    let resp = srv
        .client
        .post(format!("{}/api/imports/products", srv.url))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{status} {body}");
    let (_, page) = srv.get("/api/products?q=C1", &admin).await;
    let p = &page["items"][0];
    assert_eq!(
        (p["unit"].as_str(), p["barcode"].as_str(), p["cost_price"].as_str()),
        (Some("袋"), Some("6901234567892"), Some("21.50")),
        "{page}"
    );
    let (_, cats) = srv.get("/api/categories", &admin).await;
    assert_eq!(
        cats.as_array().unwrap().len(),
        2,
        "粮油 and 大米 under it were made: {cats}"
    );
    let text = srv
        .client
        .get(format!("{}/api/exports/products.csv?lang=en", srv.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("category,unit,barcode,cost_price"), "{text}");
    assert!(text.contains("粮油/大米,袋,6901234567892,21.50"), "{text}");
}
