//! A line's own price and percentage off, customer price levels (会员价), tax, and the
//! invoice details on customers and orders.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestServer, code};

fn line_of(order: &Value, i: usize) -> [&str; 6] {
    let l = &order["items"][i];
    [
        "list_price",
        "unit_price",
        "discount_percent",
        "line_total",
        "tax_rate",
        "tax",
    ]
    .map(|k| l[k].as_str().unwrap_or("?"))
}

#[tokio::test]
async fn staff_set_a_lines_price_or_percentage_and_the_regular_price_stays() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA", "9.99", 100).await;
    let cup = srv.product(&admin, "CUP", "12.00", 100).await;
    let body = json!({"items": [
        {"product_id": tea["id"], "quantity": 3, "discount_percent": "10"},
        {"product_id": cup["id"], "quantity": 2, "unit_price": "8.00"},
    ]});

    // The quote and the order agree, to the fen: 3 × 9.99 less 10% is 26.967, half-up 26.97.
    let (status, quote) = srv.post("/api/orders/quote", &admin, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let (status, order) = srv.post("/api/orders", &admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    for doc in [&quote, &order] {
        assert_eq!(line_of(doc, 0), ["9.99", "9.99", "10", "26.97", "0", "0.00"]);
        assert_eq!(line_of(doc, 1), ["12.00", "8.00", "0", "16.00", "0", "0.00"]);
        assert_eq!(doc["subtotal"], "42.97");
        assert_eq!(doc["total_amount"], "42.97");
    }
    let (_, products) = srv.get("/api/orders?per_page=5", &admin).await;
    assert_eq!(products["total"], 1, "a quote writes nothing");

    // Two more tea without a percentage: the three keep theirs, the two are at the regular price.
    let id = order["id"].as_i64().unwrap();
    let (status, edited) = srv
        .patch(
            &format!("/api/orders/{id}"),
            &admin,
            json!({"items": [
                {"product_id": tea["id"], "quantity": 5},
                {"product_id": cup["id"], "quantity": 2, "unit_price": "8.00"},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(line_of(&edited, 0), ["9.99", "9.99", "10", "26.97", "0", "0.00"]);
    assert_eq!(edited["items"][1]["quantity"], 2);
    assert_eq!(line_of(&edited, 1), ["9.99", "9.99", "0", "19.98", "0", "0.00"]);
    assert_eq!(edited["total_amount"], "62.95");
    // A percentage given in the edit is the whole line's: one line of five.
    let (_, edited) = srv
        .patch(
            &format!("/api/orders/{id}"),
            &admin,
            json!({"items": [{"product_id": tea["id"], "quantity": 5, "discount_percent": "12.5"}]}),
        )
        .await;
    assert_eq!(edited["items"].as_array().unwrap().len(), 1, "{edited}");
    // 49.95 × 87.5% = 43.70625 → 43.71.
    assert_eq!(line_of(&edited, 0), ["9.99", "9.99", "12.5", "43.71", "0", "0.00"]);
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], true, "{report}");

    // Someone edits a line's total behind the server's back: check names it.
    srv.write_db(|c| {
        c.execute(
            "UPDATE order_items SET line_total_minor = 4370 WHERE order_id = ?",
            [id],
        )
    })
    .unwrap();
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["pricing_mismatches"][0]["problem"], "line_total", "{report}");
}

#[tokio::test]
async fn bad_line_prices_are_refused_and_customers_cannot_set_them() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA", "10.00", 100).await;
    let one = |extra: Value| {
        let mut line = json!({"product_id": tea["id"], "quantity": 1});
        line.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        json!({"items": [line]})
    };
    for extra in [
        json!({"discount_percent": "100.01"}),
        json!({"discount_percent": "-5"}),
        json!({"discount_percent": "1.234"}),
        json!({"unit_price": "-1"}),
        json!({"unit_price": "10000000.01"}),
    ] {
        let (status, err) = srv.post("/api/orders", &admin, one(extra.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {err}");
    }
    let (status, err) = srv.post("/api/orders", &admin, one(json!({"unit_price": "-1"}))).await;
    assert_eq!(
        err["error"]["details"]["field"], "items[0].unit_price",
        "{status} {err}"
    );
    let (status, err) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [
                {"product_id": tea["id"], "quantity": 1},
                {"product_id": tea["id"], "quantity": 1, "unit_price": "5"},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["details"]["field"], "items[1].product_id");

    let (_, buyer) = srv.user_token(&admin, "buyer", "customer").await;
    for path in ["/api/orders", "/api/orders/quote"] {
        let (status, err) = srv.post(path, &buyer, one(json!({"unit_price": "1"}))).await;
        assert_eq!(
            (status, code(&err)),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{path}: {err}"
        );
        let (status, err) = srv.post(path, &buyer, one(json!({"discount_percent": "50"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {err}");
    }
    let (_, orders) = srv.get("/api/orders?per_page=5", &admin).await;
    assert_eq!(orders["total"], 0, "nothing half-written by the refusals");
}

#[tokio::test]
async fn a_customers_price_level_prices_their_new_orders() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA", "10.00", 100).await;
    let cup = srv.product(&admin, "CUP", "8.00", 100).await;
    let (status, level) = srv
        .post(
            "/api/price-levels",
            &admin,
            json!({"name": "批发", "discount_percent": "15"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{level}");
    let lid = level["id"].as_i64().unwrap();
    let (status, level) = srv
        .call(
            Method::PUT,
            &format!("/api/price-levels/{lid}/prices/{}", cup["id"]),
            Some(&admin),
            Some(json!({"price": "5.00"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{level}");
    assert_eq!(level["prices"][0]["price"], "5.00");
    assert_eq!(level["prices"][0]["regular_price"], "8.00");
    let (status, dup) = srv.post("/api/price-levels", &admin, json!({"name": "批发"})).await;
    assert_eq!((status, code(&dup)), (StatusCode::CONFLICT, "price_level_exists"));

    // A customer with a login, in the level.
    let (buyer_id, buyer) = srv.user_token(&admin, "wholesale", "customer").await;
    let (status, customer) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "批发商", "user_id": buyer_id, "price_level_id": lid,
                   "invoice_title": "上海某某贸易有限公司", "invoice_tax_id": "91310000ma1fl0xx0x"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    assert_eq!(customer["price_level_name"], "批发");
    assert_eq!(customer["invoice_tax_id"], "91310000MA1FL0XX0X", "upper-cased");
    let cid = customer["id"].as_i64().unwrap();

    let items = json!([{"product_id": tea["id"], "quantity": 2}, {"product_id": cup["id"], "quantity": 1}]);
    for token in [&admin, &buyer] {
        let mut body = json!({"items": items});
        if token == &admin {
            body["customer_id"] = json!(cid);
        }
        let (status, order) = srv.post("/api/orders", token, body).await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        assert_eq!(line_of(&order, 0), ["10.00", "10.00", "15", "17.00", "0", "0.00"]);
        assert_eq!(line_of(&order, 1), ["8.00", "5.00", "0", "5.00", "0", "0.00"]);
        assert_eq!(order["total_amount"], "22.00");
        assert_eq!(
            order["invoice_title"], "上海某某贸易有限公司",
            "copied from the customer"
        );
        assert_eq!(order["invoice_tax_id"], "91310000MA1FL0XX0X");
    }
    let (_, quote) = srv.post("/api/orders/quote", &buyer, json!({"items": items})).await;
    assert_eq!(quote["price_level_name"], "批发", "{quote}");
    // A walk-in sale pays the regular price.
    let (_, walk_in) = srv.post("/api/orders", &admin, json!({"items": items})).await;
    assert_eq!(walk_in["total_amount"], "28.00");

    // Staff see levels but only admins change them.
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let (status, _) = srv.get("/api/price-levels", &staff).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = srv
        .patch(
            &format!("/api/price-levels/{lid}"),
            &staff,
            json!({"discount_percent": "50"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Deleting the level sends its customers back to regular prices; orders keep theirs.
    let (status, _) = srv
        .call(Method::DELETE, &format!("/api/price-levels/{lid}"), Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, customer) = srv.get(&format!("/api/customers/{cid}"), &admin).await;
    assert_eq!(customer["price_level_id"], Value::Null);
    let (_, again) = srv.post("/api/orders", &buyer, json!({"items": items})).await;
    assert_eq!(again["total_amount"], "28.00");
    let (status, err) = srv
        .patch(&format!("/api/customers/{cid}"), &admin, json!({"price_level_id": lid}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, err) = srv
        .patch(
            &format!("/api/customers/{cid}"),
            &admin,
            json!({"invoice_tax_id": "123"}),
        )
        .await;
    assert_eq!(err["error"]["details"]["field"], "invoice_tax_id", "{status} {err}");
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], true, "{report}");
}

#[tokio::test]
async fn tax_is_kept_per_line_at_the_rate_and_rule_the_order_was_taken_with() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, s) = srv
        .patch("/api/settings", &admin, json!({"default_tax_rate": "13"}))
        .await;
    assert_eq!(
        (status, s["prices_include_tax"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{s}"
    );
    let tea = srv.product(&admin, "TEA", "113.00", 100).await;
    let (status, book) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "BOOK", "name": "书", "price": "106.00", "stock_quantity": 10, "tax_rate": "6"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{book}");
    let items = json!([{"product_id": tea["id"], "quantity": 1}, {"product_id": book["id"], "quantity": 1}]);

    // Prices include tax: the tax is the part of the total that is tax.
    let (_, included) = srv.post("/api/orders", &admin, json!({"items": items})).await;
    assert_eq!(
        line_of(&included, 0),
        ["113.00", "113.00", "0", "113.00", "13", "13.00"]
    );
    assert_eq!(line_of(&included, 1), ["106.00", "106.00", "0", "106.00", "6", "6.00"]);
    assert_eq!(
        [&included["subtotal"], &included["tax"], &included["total_amount"]],
        ["219.00", "19.00", "219.00"]
    );

    // Prices exclude tax: it is added.
    srv.patch("/api/settings", &admin, json!({"prices_include_tax": false}))
        .await;
    let (_, excluded) = srv
        .post("/api/orders", &admin, json!({"items": items, "shipping_fee": "5"}))
        .await;
    assert_eq!(
        line_of(&excluded, 0),
        ["113.00", "113.00", "0", "113.00", "13", "14.69"]
    );
    assert_eq!(
        [
            &excluded["subtotal"],
            &excluded["tax"],
            &excluded["shipping_fee"],
            &excluded["total_amount"]
        ],
        ["219.00", "21.05", "5.00", "245.05"]
    );
    assert_eq!(excluded["prices_include_tax"], false);

    // The first order keeps its rule and rates through an edit, whatever the settings say now.
    srv.patch("/api/settings", &admin, json!({"default_tax_rate": "9"}))
        .await;
    let id = included["id"].as_i64().unwrap();
    let (_, edited) = srv
        .patch(
            &format!("/api/orders/{id}"),
            &admin,
            json!({"items": [{"product_id": tea["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(edited["prices_include_tax"], true, "{edited}");
    assert_eq!([&edited["tax"], &edited["total_amount"]], ["13.00", "113.00"]);

    // The report: tax per rate over the sales.
    for order in [&included, &excluded] {
        let oid = order["id"].as_i64().unwrap();
        let (status, _) = srv
            .post(
                &format!("/api/orders/{oid}/status"),
                &admin,
                json!({"status": "confirmed"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, rows) = srv.get("/api/reports/tax", &admin).await;
    let rows: Vec<[&str; 5]> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            ["tax_rate", "net_amount", "tax_amount", "gross_amount", "orders"].map(|k| r[k].as_str().unwrap_or("n"))
        })
        .collect();
    // 6%: 106.00 excluding (6.36 tax); 13%: 100.00 incl. (13.00) + 113.00 excl. (14.69).
    assert_eq!(
        rows,
        [
            ["6", "106.00", "6.36", "112.36", "n"],
            ["13", "213.00", "27.69", "240.69", "n"]
        ],
    );
    let (_, csv) = srv.get("/api/reports/tax?format=csv&lang=zh-CN", &admin).await;
    assert!(
        csv.as_str()
            .unwrap()
            .contains("税率(%),订单数,不含税金额,税额,含税金额"),
        "{csv}"
    );

    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], true, "{report}");
    srv.write_db(|c| c.execute("UPDATE orders SET tax_minor = tax_minor + 1 WHERE id = ?", [id]))
        .unwrap();
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["pricing_mismatches"][0]["problem"], "order_tax", "{report}");
}
