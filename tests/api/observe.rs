//! /metrics: what it counts, and who may read it.

use crate::common;

use common::TestServer;
use order_system::observe::MetricsAccess;
use reqwest::StatusCode;
use serde_json::json;

async fn scrape(server: &TestServer, bearer: Option<&str>) -> (StatusCode, String) {
    let mut req = server.client.get(format!("{}/metrics", server.url));
    if let Some(token) = bearer {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.text().await.unwrap())
}

/// The value of the first sample line starting with `prefix`.
fn sample(text: &str, prefix: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no sample {prefix} in:\n{text}"))
}

#[tokio::test]
async fn metrics_count_requests_orders_logins_database_and_backups() {
    let server = TestServer::start().await;
    let admin = server.admin().await;
    let product = server.product(&admin, "M-1", "9.90", 10).await;
    let (status, order) = server
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": product["id"], "quantity": 2}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let (status, _) = server.get(&format!("/api/orders/{}", order["id"]), &admin).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.login("superAdmin", "wrong-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Backups are SQLite's (PostgreSQL has its own tools, and no backup metrics of ours).
    let backups = server.server().database().is_none();
    if backups {
        let (status, _) = server.post("/api/backups", &admin, json!({})).await;
        assert_eq!(status, StatusCode::CREATED);
    }

    let (status, text) = scrape(&server, None).await;
    assert_eq!(status, StatusCode::OK, "loopback may scrape by default");
    assert_eq!(sample(&text, "order_system_orders_created_total"), 1.0);
    assert!(sample(&text, "order_system_login_failures_total") >= 1.0);
    // Route templates, not raw paths, label the requests.
    assert!(
        text.contains(r#"order_system_http_requests_total{method="GET",route="/api/orders/{id}",status="200"} 1"#),
        "{text}"
    );
    assert!(!text.contains(&format!("/api/orders/{}\"", order["id"])));
    assert!(
        sample(
            &text,
            "order_system_http_request_duration_seconds_count{method=\"POST\",route=\"/api/orders\"}"
        ) >= 1.0
    );
    assert!(
        sample(&text, "order_system_http_requests_in_flight") >= 1.0,
        "the scrape itself"
    );
    assert_eq!(sample(&text, "order_system_db_writer_queue_depth"), 0.0);
    assert!(sample(&text, "order_system_db_commit_duration_seconds_count") >= 1.0);
    assert!(sample(&text, "order_system_db_read_wait_seconds_count") >= 1.0);
    if backups {
        assert!(sample(&text, "order_system_last_backup_size_bytes") > 0.0);
        let taken = sample(&text, "order_system_last_backup_timestamp_seconds");
        let now = chrono::Utc::now().timestamp() as f64;
        assert!((now - taken).abs() < 120.0, "backup time {taken} vs now {now}");
    }
    assert!(
        text.contains(&format!(
            "order_system_build_info{{version=\"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    assert!(text.trim_end().ends_with("# EOF"));
}

#[tokio::test]
async fn metrics_are_closed_to_other_networks_unless_the_token_is_given() {
    let token = "a-metrics-token-0123456789";
    let server = TestServer::start_with(|c| {
        c.metrics_access = MetricsAccess {
            allow: vec!["10.0.0.0/8".parse().unwrap()],
            token: Some(token.into()),
        };
    })
    .await;
    let (status, text) = scrape(&server, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(!text.contains("order_system_"));
    let (status, _) = scrape(&server, Some("a-metrics-token-wrong-guess")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, text) = scrape(&server, Some(token)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("order_system_http_requests_total"));
}

#[test]
fn access_rules() {
    let default = MetricsAccess::default();
    assert!(default.permits(Some("127.0.0.1".parse().unwrap()), None));
    assert!(default.permits(Some("::1".parse().unwrap()), None));
    assert!(
        default.permits(Some("::ffff:127.0.0.1".parse().unwrap()), None),
        "v4 on a v6 socket"
    );
    assert!(!default.permits(Some("192.168.1.20".parse().unwrap()), None));
    assert!(!default.permits(None, None));
    assert!(
        !default.permits(Some("192.168.1.20".parse().unwrap()), Some("anything")),
        "no token set"
    );
}
