//! The catalogue: validation, uniqueness, lists, archive.

use crate::common;

use common::{TestServer, code};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn create_read_update_archive() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, p) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "TEA-001", "name": "西湖龙井 250g 🍵", "price": "19.90", "stock_quantity": 12, "low_stock_threshold": 5}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["name"], "西湖龙井 250g 🍵");
    assert_eq!(p["price"], "19.90");
    assert_eq!(p["status"], "active");
    assert_eq!(p["is_low_stock"], false);
    let id = p["id"].as_i64().unwrap();
    let stored: i64 = srv
        .with_db(|c| c.query_row("SELECT price_minor FROM products WHERE id = ?", [id], |r| r.get(0)))
        .unwrap();
    assert_eq!(stored, 1990, "money is stored as integer minor units");

    let (status, got) = srv.get(&format!("/api/products/{id}"), &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, p);

    let (status, up) = srv
        .patch(
            &format!("/api/products/{id}"),
            &admin,
            json!({"price": 25, "stock_quantity": 3}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{up}");
    assert_eq!(up["price"], "25.00");
    assert_eq!(up["stock_quantity"], 3);
    assert_eq!(up["is_low_stock"], true);
    assert_eq!(up["name"], "西湖龙井 250g 🍵", "fields not given stay");

    let (status, archived) = srv
        .post(&format!("/api/products/{id}/archive"), &admin, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(archived["status"], "archived");
    let (status, restored) = srv
        .post(&format!("/api/products/{id}/restore"), &admin, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(restored["status"], "active");
    srv.assert_ledger_consistent();
    let reasons: Vec<String> = srv
        .with_db(|c| {
            c.prepare(
                "SELECT reason || ':' || quantity_delta FROM inventory_movements WHERE product_id = ? ORDER BY id",
            )?
            .query_map([id], |r| r.get(0))?
            .collect()
        })
        .unwrap();
    assert_eq!(reasons, ["initial:12", "correction:-9"]);

    let (status, body) = srv.get("/api/products/99999", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code(&body), "not_found");
}

#[tokio::test]
async fn duplicate_sku_is_a_conflict() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let a = srv.product(&admin, "DUP-1", "1.00", 1).await;
    srv.product(&admin, "DUP-2", "1.00", 1).await;
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "DUP-1", "name": "x", "price": "1", "stock_quantity": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code(&body), "sku_taken");
    let (status, _) = srv
        .patch(&format!("/api/products/{}", a["id"]), &admin, json!({"sku": "DUP-2"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn invalid_fields_get_422_naming_the_field() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let good = json!({"sku": "OK-1", "name": "ok", "price": "1.00", "stock_quantity": 1});
    let cases = [
        ("price", json!("-1.00")),
        ("price", json!("1.999")),
        ("price", json!("abc")),
        ("price", json!(true)),
        ("stock_quantity", json!(-1)),
        ("stock_quantity", json!("ten")),
        ("stock_quantity", json!(1.5)),
        ("name", json!("   ")),
        ("name", json!(42)),
        ("sku", json!("has space")),
        ("low_stock_threshold", json!(-3)),
    ];
    for (field, value) in cases {
        let mut body = good.clone();
        body[field] = value.clone();
        let (status, resp) = srv.post("/api/products", &admin, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}: {resp}");
        assert_eq!(resp["error"]["details"]["field"], field, "{field}={value}: {resp}");
    }
    for missing in ["sku", "name", "price", "stock_quantity"] {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(missing);
        let (status, resp) = srv.post("/api/products", &admin, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{missing}: {resp}");
        assert_eq!(resp["error"]["details"]["field"], missing, "{resp}");
    }
    let mut unknown = good.clone();
    unknown["colour"] = json!("red");
    let (status, resp) = srv.post("/api/products", &admin, unknown).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp["error"]["message"].as_str().unwrap().contains("colour"), "{resp}");
    let count: i64 = srv
        .with_db(|c| c.query_row("SELECT COUNT(*) FROM products", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(count, 0, "nothing half-written");
}

#[tokio::test]
async fn lists_page_search_filter_and_sort() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    for i in 1..=25 {
        srv.product(&admin, &format!("SKU-{i:02}"), &format!("{i}.50"), i).await;
    }
    let (status, tea) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "CHA-1", "name": "普洱茶", "price": "88", "stock_quantity": 100}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    srv.post(&format!("/api/products/{}/archive", tea["id"]), &admin, json!({}))
        .await;

    // Sorted by SKU, CHA-1 comes first, so page 2 holds SKU-10..19.
    let (status, page) = srv.get("/api/products?page=2&per_page=10&sort=sku", &admin).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 26);
    assert_eq!(page["page"], 2);
    assert_eq!(page["per_page"], 10);
    let skus: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap())
        .collect();
    assert_eq!(skus, (10..=19).map(|i| format!("SKU-{i:02}")).collect::<Vec<_>>());

    let (_, page) = srv.get("/api/products?sort=-price&per_page=1", &admin).await;
    assert_eq!(page["items"][0]["sku"], "CHA-1");
    let (_, page) = srv.get(&format!("/api/products?q={}", urlencode("普洱")), &admin).await;
    assert_eq!(page["total"], 1);
    let (_, page) = srv.get("/api/products?q=sku-2", &admin).await;
    assert_eq!(page["total"], 6, "SKU-02 and SKU-20..25, case-insensitive");
    let (_, page) = srv.get("/api/products?status=archived", &admin).await;
    assert_eq!(page["total"], 1);
    // Stock below 10 (the default threshold): SKU-01..09.
    let (_, page) = srv.get("/api/products?low_stock=true&status=active", &admin).await;
    assert_eq!(page["total"], 9);
    let (_, page) = srv.get("/api/products?q=%25", &admin).await;
    assert_eq!(page["total"], 0, "LIKE wildcards in q are literal");

    for bad in [
        "per_page=201",
        "per_page=0",
        "page=0",
        "sort=password",
        "page=abc",
        "status=gone",
        "low_stock=maybe",
    ] {
        let (status, body) = srv.get(&format!("/api/products?{bad}"), &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
}

#[tokio::test]
async fn customers_see_only_active_products_and_cannot_edit() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, customer) = srv.user_token(&admin, "buyer", "customer").await;
    let kept = srv.product(&admin, "A-1", "1.00", 5).await;
    let gone = srv.product(&admin, "A-2", "1.00", 5).await;
    srv.post(&format!("/api/products/{}/archive", gone["id"]), &admin, json!({}))
        .await;

    let (status, page) = srv.get("/api/products?status=archived", &customer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], kept["id"]);
    assert_eq!(
        srv.get(&format!("/api/products/{}", gone["id"]), &customer).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = srv
        .post(
            "/api/products",
            &customer,
            json!({"sku": "X", "name": "x", "price": "1", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(code(&body), "forbidden");
    assert_eq!(
        srv.patch(
            &format!("/api/products/{}", kept["id"]),
            &customer,
            json!({"price": "0"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Product list pages are served from memory while no product changes; every kind of change
/// (an edit, stock taken by an order, archiving, a setting behind the low-stock flag) shows at
/// once, and staff and customers keep their own pages.
#[tokio::test]
async fn cached_product_pages_never_go_stale() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, customer) = srv.user_token(&admin, "page-customer", "customer").await;
    let p = srv.product(&admin, "PAGE-1", "5.00", 12).await;
    let id = p["id"].as_i64().unwrap();
    let list = |token: String| {
        let srv = &srv;
        async move {
            let (status, page) = srv.get("/api/products?sort=sku", &token).await;
            assert_eq!(status, StatusCode::OK);
            page["items"][0].clone()
        }
    };
    // The product alone (GET /api/products/{id}) is cached the same way: it must agree with
    // the list at every step.
    let list = |token: String| {
        let srv = &srv;
        async move {
            let item = list(token.clone()).await;
            let (status, one) = srv.get(&format!("/api/products/{id}"), &token).await;
            if item["id"] == id {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(one, item, "the product alone is the list's row");
            } else {
                assert_eq!(status, StatusCode::NOT_FOUND);
            }
            item
        }
    };
    assert_eq!(list(admin.clone()).await["name"], "商品 PAGE-1");
    assert_eq!(list(admin.clone()).await["is_low_stock"], false, "served again");

    let (status, _) = srv
        .patch(&format!("/api/products/{id}"), &admin, json!({"name": "改名"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list(admin.clone()).await["name"], "改名");

    let (status, _) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": id, "quantity": 3}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let item = list(admin.clone()).await;
    assert_eq!(item["stock_quantity"], 9);
    assert_eq!(item["is_low_stock"], true, "9 is below the default threshold of 10");

    let (status, _) = srv
        .patch("/api/settings", &admin, json!({"default_low_stock_threshold": 5}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list(admin.clone()).await["is_low_stock"],
        false,
        "a setting change shows too"
    );

    assert_eq!(list(customer.clone()).await["id"], id);
    let (status, _) = srv
        .post(&format!("/api/products/{id}/archive"), &admin, json!({}))
        .await;
    assert!(status.is_success());
    assert!(list(customer.clone()).await.is_null(), "customers no longer see it");
    assert_eq!(list(admin.clone()).await["id"], id, "staff still do");
}
