//! The server itself on PostgreSQL (`serve --database`): real HTTP against a server whose data
//! is in Debian's PostgreSQL, through the same routes, store and caches as on SQLite.

use reqwest::StatusCode;
use serde_json::json;

use crate::common::postgres::Cluster;
use crate::common::process::{run, text};
use crate::common::{ADMIN_PASSWORD, TestServer, code};

async fn on_postgres(cluster: &Cluster, db: &str) -> TestServer {
    cluster.create_db(db);
    let url = cluster.url(db);
    TestServer::start_with(move |c| {
        c.admin_password = Some(ADMIN_PASSWORD.into());
        c.database = Some(url);
    })
    .await
}

#[tokio::test]
async fn the_order_desk_works_on_postgresql() {
    let cluster = Cluster::start();
    let srv = on_postgres(&cluster, "desk").await;
    let admin = srv.admin().await;
    let tea = srv.product(&admin, "TEA-1", "12.50", 10).await;

    let (status, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": tea["id"], "quantity": 3}], "note": "门店自提"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    assert_eq!(order["total_amount"], "37.50");
    let (status, list) = srv.get("/api/orders?search=门店", &admin).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1);

    // Too many: a 409, and the stock is what the first order left.
    let (status, body) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": tea["id"], "quantity": 8}]}),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "insufficient_stock"),
        "{body}"
    );
    let id = tea["id"].as_i64().unwrap();
    let (_, got) = srv.get(&format!("/api/products/{id}"), &admin).await;
    assert_eq!(got["stock_quantity"], 7);

    // A price change is seen at once: the product caches follow PostgreSQL writes too.
    let (status, _) = srv
        .patch(&format!("/api/products/{id}"), &admin, json!({"price": "13.00"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, got) = srv.get(&format!("/api/products/{id}"), &admin).await;
    assert_eq!(got["price"], "13.00");
    let (_, page) = srv.get("/api/products", &admin).await;
    assert_eq!(page["items"][0]["price"], "13.00", "{page}");

    // The health check and `check` see the PostgreSQL database.
    let (status, health) = srv.get("/health", "").await;
    assert_eq!(status, StatusCode::OK, "{health}");
    let (status, report) = srv.get("/api/maintenance/check", &admin).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");

    // Backups there are PostgreSQL's own tools' job: the page says so instead of failing.
    let (status, body) = srv.get("/api/backups", &admin).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "backups_by_postgresql"),
        "{body}"
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("pg_dump"));
}

#[tokio::test]
async fn a_password_change_ends_old_tokens_on_postgresql() {
    let cluster = Cluster::start();
    let srv = on_postgres(&cluster, "auth").await;
    let (_, token) = srv.user_token(&srv.admin().await, "clerk", "staff").await;
    let (status, body) = srv
        .post(
            "/api/auth/password",
            &token,
            json!({"current_password": "clerk-pass-123", "new_password": "Better-Pass-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = srv.get("/api/auth/me", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let new_token = body["access_token"].as_str().unwrap();
    let (status, _) = srv.get("/api/auth/me", new_token).await;
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn serve_on_postgresql_refuses_to_start_without_a_shared_token_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["config", "check", "--database", "postgresql://u:p@127.0.0.1:1/shop"],
        None,
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("token secret must be set") && err.contains("every server"),
        "{err}"
    );
}

#[test]
fn the_commands_work_on_postgresql_with_database() {
    let cluster = Cluster::start();
    cluster.create_db("cli");
    let url = cluster.url("cli");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let on_pg = |args: &[&str], stdin: Option<&str>| {
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        run(&data, &all, stdin)
    };
    let out = on_pg(
        &["demo-data", "--products", "12", "--customers", "8", "--orders", "60"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = on_pg(
        &["user", "create", "cashier", "--role", "staff"],
        Some("cashier-pass-1\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = on_pg(&["user", "list"], None);
    assert!(text(&out.stdout).contains("cashier"), "{}", text(&out.stdout));
    let out = on_pg(&["export", "orders"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).lines().count() > 60, "{}", text(&out.stdout));
    let out = on_pg(&["check"], None);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        text(&out.stdout).contains("stock vs ledger:    0 mismatch"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        cluster.sql("cli", "SELECT COUNT(*) FROM orders").trim(),
        "60",
        "the orders are in PostgreSQL"
    );

    // Backups there are pg_dump's job, and nothing went into a SQLite file.
    let out = on_pg(&["backup"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("pg_dump"), "{}", text(&out.stderr));
    assert!(!data.join("order-system.db").exists());

    // Not a PostgreSQL URL: said at once.
    let out = run(&data, &["--database", "mysql://x/y", "check"], None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("takes a PostgreSQL URL"),
        "{}",
        text(&out.stderr)
    );
}
