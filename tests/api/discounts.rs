//! An amount off, 抹零 and a shipping fee on an order: the server computes the total from
//! them, staff give them, and `check` proves every total is its parts.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestServer, code};

fn amounts(o: &Value) -> [&str; 6] {
    [
        "subtotal",
        "discount",
        "rounding",
        "shipping_fee",
        "total_amount",
        "round_down",
    ]
    .map(|k| o[k].as_str().unwrap_or("?"))
}

#[tokio::test]
async fn discounts_rounding_and_fees_make_the_total() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA", "133.60", 100).await;
    let line = |q: i64| json!([{"product_id": tea["id"], "quantity": q}]);

    // 267.20 - 5.50 + 8.00 = 269.70, 抹零 to the yuan: 269.00.
    let (status, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": line(2), "discount": "5.50", "shipping_fee": "8", "round_down": "yuan"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(amounts(&order), ["267.20", "5.50", "0.70", "8.00", "269.00", "yuan"]);
    let id = order["id"].as_i64().unwrap();
    assert_eq!(order["balance_due"], "269.00", "what is due is the total");

    // One more unit: the same discount, fee and 抹零 apply to the new lines.
    let (status, order) = srv
        .patch(&format!("/api/orders/{id}"), &admin, json!({"items": line(3)}))
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert_eq!(amounts(&order), ["400.80", "5.50", "0.30", "8.00", "403.00", "yuan"]);
    // 抹零 to ten yuan, no fee.
    let (_, order) = srv
        .patch(
            &format!("/api/orders/{id}"),
            &admin,
            json!({"round_down": "ten_yuan", "shipping_fee": "0"}),
        )
        .await;
    assert_eq!(
        amounts(&order),
        ["400.80", "5.50", "5.30", "0.00", "390.00", "ten_yuan"]
    );
    let (_, trail) = srv
        .get(
            &format!("/api/audit?entity_type=order&entity_id={id}&action=order.update"),
            &admin,
        )
        .await;
    assert_eq!(
        trail["items"][0]["after"]["amounts"]["round_down"], "ten_yuan",
        "{trail}"
    );

    // An order without any of it is its lines, as before.
    let (_, plain) = srv.post("/api/orders", &admin, json!({"items": line(1)})).await;
    assert_eq!(amounts(&plain), ["133.60", "0.00", "0.00", "0.00", "133.60", "none"]);

    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], true, "{report}");
    // Someone changes the rounding behind the server's back: check names the order.
    srv.write_db(|c| c.execute("UPDATE orders SET rounding_minor = 0 WHERE id = ?", [id]))
        .unwrap();
    let (_, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["total_mismatches"][0]["order_id"], id, "{report}");
}

#[tokio::test]
async fn bad_adjustments_are_refused_and_customers_cannot_give_themselves_any() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let cup = srv.product(&admin, "CUP", "10.00", 100).await;
    let order = |extra: Value| {
        let mut body = json!({"items": [{"product_id": cup["id"], "quantity": 1}]});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    for (extra, field) in [
        (json!({"discount": "10.01"}), "discount"),
        (json!({"discount": "-1"}), "discount"),
        (json!({"shipping_fee": "-0.01"}), "shipping_fee"),
        (json!({"discount": "1.001"}), "discount"),
    ] {
        let (status, err) = srv.post("/api/orders", &admin, order(extra.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{extra}: {err}");
        assert_eq!(err["error"]["details"]["field"], field, "{extra}: {err}");
    }
    let (status, err) = srv
        .post("/api/orders", &admin, order(json!({"round_down": "fen"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    // Free is allowed: 10.00 off 10.00.
    let (status, free) = srv.post("/api/orders", &admin, order(json!({"discount": "10"}))).await;
    assert_eq!(
        (status, free["total_amount"].as_str()),
        (StatusCode::CREATED, Some("0.00"))
    );

    let (_, buyer) = srv.user_token(&admin, "buyer", "customer").await;
    let (status, err) = srv.post("/api/orders", &buyer, order(json!({"discount": "5"}))).await;
    assert_eq!((status, code(&err)), (StatusCode::FORBIDDEN, "forbidden"), "{err}");
    let (status, _) = srv
        .post(
            "/api/orders",
            &buyer,
            order(json!({"discount": "0", "round_down": "none"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "asking for nothing is not asking for a discount"
    );
    let (_, before) = srv.get("/api/orders?per_page=100", &admin).await;
    assert_eq!(before["total"], 2, "nothing half-written by the refusals");
}
