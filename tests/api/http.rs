//! The HTTP surface: error format, limits, the embedded UI, the API docs and health.

use crate::common;

use std::collections::BTreeSet;

use common::{TestServer, code};
use reqwest::{Method, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn malformed_and_mistyped_bodies_get_clear_errors() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let url = format!("{}/api/products", srv.url);
    let send = |body: &'static str, content_type: &'static str| {
        srv.client
            .post(&url)
            .bearer_auth(&admin)
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
    };
    let resp = send("{\"sku\": \"A\", ", "application/json").await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(code(&body), "malformed_json");

    let resp = send("{\"sku\": 1}", "text/plain").await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code(&resp.json().await.unwrap()), "unsupported_media_type");

    let resp = send("[1,2,3]", "application/json").await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = send(
        "{\"sku\":\"A\",\"name\":\"n\",\"price\":\"1\",\"stock_quantity\":1} trailing",
        "application/json",
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // Deeply nested JSON is refused, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let resp = srv
        .client
        .post(&url)
        .bearer_auth(&admin)
        .header(header::CONTENT_TYPE, "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error(), "{}", resp.status());
}

#[tokio::test]
async fn huge_bodies_get_413() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let huge = json!({"sku": "BIG", "name": "x".repeat(2 * 1024 * 1024), "price": "1", "stock_quantity": 1});
    let (status, body) = srv.post("/api/products", &admin, huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(code(&body), "payload_too_large");
    let (status, _) = srv.login("superAdmin", &"p".repeat(3 * 1024 * 1024)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, body) = srv.get("/api/nothing/here", &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code(&body), "not_found");
    let (status, body) = srv.call(Method::DELETE, "/api/orders", Some(&admin), None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(code(&body), "method_not_allowed");
    let (status, body) = srv.get("/api/products/not-a-number", &admin).await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
        "{status}"
    );
    assert!(body["error"]["code"].is_string(), "{body}");
    let (status, body) = srv.call(Method::POST, "/some/page", None, Some(json!({}))).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "pages only answer GET: {body}");
}

#[tokio::test]
async fn the_ui_is_embedded_with_spa_fallback_and_cache_headers() {
    let srv = TestServer::start().await;
    let index = srv.client.get(format!("{}/", srv.url)).send().await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(index.headers()[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(index.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(index.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        index.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let etag = index.headers()[header::ETAG].clone();
    let html = index.text().await.unwrap();

    // A deep link into the UI gets the same page, for the UI's router.
    let deep = srv.client.get(format!("{}/orders/42", srv.url)).send().await.unwrap();
    assert_eq!(deep.status(), StatusCode::OK);
    assert_eq!(deep.text().await.unwrap(), html);

    let again = srv
        .client
        .get(format!("{}/", srv.url))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Every asset index.html names is served with its type and a year-long cache.
    let assets: Vec<&str> = html.split('"').filter(|s| s.starts_with("/assets/")).collect();
    assert!(!assets.is_empty(), "index.html references hashed assets");
    for asset in assets {
        let resp = srv.client.get(format!("{}{asset}", srv.url)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{asset}");
        let ct = resp.headers()[header::CONTENT_TYPE].to_str().unwrap().to_owned();
        let expected = if asset.ends_with(".js") {
            "javascript"
        } else {
            "text/css"
        };
        assert!(ct.contains(expected), "{asset}: {ct}");
        assert_eq!(
            resp.headers()[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    let missing = srv
        .client
        .get(format!("{}/assets/missing-123.js", srv.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let traversal = srv
        .client
        .get(format!("{}/..%2f..%2fCargo.toml", srv.url))
        .send()
        .await
        .unwrap();
    assert!(
        !traversal.text().await.unwrap().contains("[package]"),
        "no file outside ui/dist is served"
    );
}

#[tokio::test]
async fn openapi_documents_every_route_with_a_policy() {
    let srv = TestServer::start().await;
    let doc: serde_json::Value = srv
        .client
        .get(format!("{}/api/openapi.json", srv.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(op["security"].is_array(), "{method} {path} has no security declaration");
            assert!(op["responses"].is_object(), "{method} {path}");
            // The answers of the shared plumbing are documented too (schemathesis checks them).
            let public = op["security"][0].as_object().is_some_and(|r| r.is_empty());
            let statuses = op["responses"].as_object().unwrap();
            assert!(public || statuses.contains_key("401"), "{method} {path}: 401");
            assert!(
                !path.contains('{') || statuses.contains_key("400"),
                "{method} {path}: 400"
            );
            // A report that answers CSV with ?format=csv says so (schemathesis checks it).
            let takes_format = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == "format" && p["in"] == "query"));
            if takes_format {
                assert!(
                    op["responses"]["200"]["content"]["text/csv"].is_object(),
                    "{method} {path}: its CSV answer is documented"
                );
            }
            documented.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let expected = [
        "GET /health",
        "POST /api/auth/login",
        "GET /api/auth/me",
        "POST /api/auth/password",
        "GET /api/users",
        "POST /api/users",
        "GET /api/users/{id}",
        "PATCH /api/users/{id}",
        "DELETE /api/users/{id}",
        "POST /api/users/{id}/password",
        "GET /api/products",
        "POST /api/products",
        "GET /api/products/{id}",
        "PATCH /api/products/{id}",
        "POST /api/products/{id}/archive",
        "POST /api/products/{id}/restore",
        "GET /api/orders",
        "POST /api/orders",
        "GET /api/orders/{id}",
        "POST /api/orders/{id}/status",
        "GET /api/stats",
        "PATCH /api/orders/{id}",
        "GET /api/customers",
        "POST /api/customers",
        "GET /api/customers/{id}",
        "PATCH /api/customers/{id}",
        "DELETE /api/customers/{id}",
        "POST /api/customers/{id}/archive",
        "POST /api/customers/{id}/restore",
        "POST /api/products/{id}/stock-adjustments",
        "GET /api/products/{id}/movements",
        "GET /api/audit",
        "GET /api/settings",
        "PATCH /api/settings",
        "GET /api/reports/sales",
        "GET /api/reports/products",
        "GET /api/reports/orders-by-status",
        "GET /api/reports/top-customers",
        "GET /api/reports/low-stock",
        "GET /api/exports/orders.csv",
        "GET /api/exports/products.csv",
        "GET /api/exports/customers.csv",
        "POST /api/imports/products",
        "POST /api/imports/customers",
        "POST /api/auth/session",
        "DELETE /api/auth/session",
        "GET /api/system",
    ];
    for route in expected {
        assert!(documented.contains(route), "{route} is not documented");
    }
    for schema in [
        "Product",
        "OrderDetail",
        "ErrorBody",
        "TokenResponse",
        "User",
        "Stats",
        "Customer",
        "AuditEntry",
        "Settings",
        "SalesReport",
        "ImportJob",
        "Movement",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema} missing"
        );
    }
    // The policy table is built from the same document; a route without one fails start-up.
    let (_, doc) = order_system::app::api();
    let table = order_system::auth::policy::PolicyTable::from_openapi(&doc).unwrap();
    assert_eq!(table.iter().count(), documented.len());

    let docs = srv.client.get(format!("{}/api/docs/", srv.url)).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger-ui"));
    // The document is served pre-serialised (app::openapi_json); the docs page must load it.
    let init = srv
        .client
        .get(format!("{}/api/docs/swagger-initializer.js", srv.url))
        .send()
        .await
        .unwrap();
    assert_eq!(init.status(), StatusCode::OK);
    assert!(init.text().await.unwrap().contains("\"/api/openapi.json\""));
    let json = srv
        .client
        .get(format!("{}/api/openapi.json", srv.url))
        .send()
        .await
        .unwrap();
    assert_eq!(json.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn health_reports_the_database() {
    let srv = TestServer::start().await;
    let resp = srv.client.get(format!("{}/health", srv.url)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");

    // With the database closed under it, health says so with 503, and the API too.
    let db = srv.server().db().clone();
    tokio::task::spawn_blocking(move || db.close()).await.unwrap();
    let resp = srv.client.get(format!("{}/health", srv.url)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    let (status, body) = srv.login("superAdmin", common::ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
}

#[tokio::test]
async fn stats_sum_the_original_maintenance_queries() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let a = srv.product(&admin, "S1", "10.00", 100).await;
    srv.product(&admin, "S2", "1.00", 3).await;
    let mut ids = Vec::new();
    for q in [1, 2, 3] {
        let (_, o) = srv
            .post(
                "/api/orders",
                &admin,
                json!({"items": [{"product_id": a["id"], "quantity": q}]}),
            )
            .await;
        ids.push(o["id"].clone());
    }
    for s in ["confirmed", "shipped", "completed"] {
        srv.post(&format!("/api/orders/{}/status", ids[0]), &admin, json!({"status": s}))
            .await;
    }
    srv.post(
        &format!("/api/orders/{}/status", ids[1]),
        &admin,
        json!({"status": "cancelled"}),
    )
    .await;
    let (status, stats) = srv.get("/api/stats", &admin).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert_eq!(
        stats["totals"],
        json!({"users": 1, "orders": 3, "products": 2, "completed_orders": 1})
    );
    let by: std::collections::HashMap<String, (i64, String)> = stats["orders_by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["status"].as_str().unwrap().to_owned(),
                (
                    s["count"].as_i64().unwrap(),
                    s["total_amount"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    assert_eq!(by["completed"], (1, "10.00".into()));
    assert_eq!(by["cancelled"], (1, "20.00".into()));
    assert_eq!(by["pending"], (1, "30.00".into()));
    assert_eq!(by["shipped"], (0, "0.00".into()));
    assert_eq!(stats["recent_orders"].as_array().unwrap().len(), 3);
    assert_eq!(stats["recent_orders"][0]["id"], ids[2]);
    let low: Vec<&str> = stats["low_stock_products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sku"].as_str().unwrap())
        .collect();
    assert_eq!(low, ["S2"]);
}
