//! Several servers on one PostgreSQL database: no single writer to hide behind. Stock is taken
//! by a conditional UPDATE .. RETURNING, rows are locked in one order (products by id, the
//! day's counter, the order), unique-key races are upserts or wait on an advisory lock, and
//! a write that read what it changes checks it did not change meanwhile.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use order_system::auth::throttle::{Limits, Rule};
use order_system::config::Config;

use crate::common::postgres::Cluster;
use crate::common::{ADMIN_PASSWORD, TestServer, code};

/// Three servers on one database, started at once (their migrations wait on one another).
async fn three_servers(cluster: &Cluster, db: &str) -> [Arc<TestServer>; 3] {
    three_servers_with(cluster, db, |_| {}).await
}

async fn three_servers_with(cluster: &Cluster, db: &str, tweak: impl Fn(&mut Config) + Clone) -> [Arc<TestServer>; 3] {
    cluster.create_db(db);
    let url = cluster.url(db);
    let start = || {
        let (url, tweak) = (url.clone(), tweak.clone());
        TestServer::start_with(move |c| {
            c.admin_password = Some(ADMIN_PASSWORD.into());
            c.database = Some(url);
            tweak(c);
        })
    };
    let (a, b, c) = tokio::join!(start(), start(), start());
    [Arc::new(a), Arc::new(b), Arc::new(c)]
}

async fn order_with_key(srv: &TestServer, token: &str, key: &str, body: &Value) -> (StatusCode, Value) {
    let resp = srv
        .client
        .post(format!("{}/api/orders", srv.url))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    (resp.status(), resp.json().await.unwrap())
}

async fn check_is_clean(srv: &TestServer, admin: &str) -> Value {
    let (status, report) = srv.get("/api/maintenance/check", admin).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["balance_mismatches"], 0, "{report}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_buyers_on_three_servers_share_a_stock_of_fifty() {
    let cluster = Cluster::start();
    let servers = three_servers(&cluster, "shop").await;
    let admin = servers[0].admin().await;
    let hot = servers[0].product(&admin, "HOT", "1.00", 50).await;
    let cold = servers[0].product(&admin, "COLD", "2.00", 1000).await;
    let (hot, cold) = (hot["id"].as_i64().unwrap(), cold["id"].as_i64().unwrap());

    // Half the buyers list the products the other way round: every server still locks them by
    // id, so no two transactions wait on each other in a circle.
    let mut tasks = Vec::new();
    for n in 0..500 {
        let (srv, admin) = (servers[n % 3].clone(), admin.clone());
        let items = if n % 2 == 0 {
            json!([{"product_id": hot, "quantity": 1}, {"product_id": cold, "quantity": 1}])
        } else {
            json!([{"product_id": cold, "quantity": 1}, {"product_id": hot, "quantity": 1}])
        };
        tasks.push(tokio::spawn(async move {
            srv.post("/api/orders", &admin, json!({ "items": items })).await
        }));
    }
    let (mut created, mut refused) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT if code(&body) == "insufficient_stock" => refused += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((created, refused), (50, 450));

    for srv in &servers {
        let (_, p) = srv.get(&format!("/api/products/{hot}"), &admin).await;
        assert_eq!(p["stock_quantity"], 0, "{p}");
    }
    let (numbers, distinct, cold_left): (i64, i64, i64) = servers[1]
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*), COUNT(DISTINCT order_number),
                        (SELECT stock_quantity FROM products WHERE sku = 'COLD') FROM orders",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
        })
        .unwrap();
    assert_eq!((numbers, distinct), (50, 50), "order numbers are unique");
    assert_eq!(cold_left, 950, "a refused order took nothing");
    servers[2].assert_ledger_consistent();
    check_is_clean(&servers[2], &admin).await;

    // The check would see a ledger whose running balance did not follow its movements (what
    // a stock read before another server's change would have written).
    servers[0]
        .write_db(|c| {
            c.execute(
                "UPDATE inventory_movements SET balance_after = balance_after + 1
                 WHERE id = (SELECT MAX(id) FROM inventory_movements WHERE product_id = ?)",
                [hot],
            )
            .map(|_| ())
        })
        .unwrap();
    let (_, report) = servers[0].get("/api/maintenance/check", &admin).await;
    assert_eq!(
        (report["ok"].clone(), report["balance_mismatches"].clone()),
        (json!(false), json!(1)),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_idempotency_key_sent_to_two_servers_makes_one_order() {
    let cluster = Cluster::start();
    let [a, b, _] = three_servers(&cluster, "keys").await;
    let admin = a.admin().await;
    for round in 0..15 {
        // One unit in stock: had both servers taken it, the later would have been refused
        // (insufficient stock) instead of replaying the first order.
        let p = a.product(&admin, &format!("ONE-{round}"), "5.00", 1).await;
        let body = json!({"items": [{"product_id": p["id"], "quantity": 1}]});
        let key = format!("till-7-sale-{round}");
        let ((sa, va), (sb, vb)) = tokio::join!(
            order_with_key(&a, &admin, &key, &body),
            order_with_key(&b, &admin, &key, &body)
        );
        assert!(sa.is_success() && sb.is_success(), "{sa} {va} / {sb} {vb}");
        assert_eq!(va["id"], vb["id"], "both answered the same order");
    }
    let orders: i64 = a
        .with_db(|c| c.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(orders, 15);
    a.assert_ledger_consistent();
    check_is_clean(&b, &admin).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_customers_first_orders_on_two_servers_make_one_customer_record() {
    let cluster = Cluster::start();
    let [a, b, _] = three_servers(&cluster, "customers").await;
    let admin = a.admin().await;
    let p = a.product(&admin, "TEA", "5.00", 100).await;
    let body = json!({"items": [{"product_id": p["id"], "quantity": 1}]});
    for n in 0..5 {
        let (_, buyer) = a.user_token(&admin, &format!("buyer{n}"), "customer").await;
        let ((sa, va), (sb, vb)) = tokio::join!(
            a.post("/api/orders", &buyer, body.clone()),
            b.post("/api/orders", &buyer, body.clone())
        );
        assert_eq!((sa, sb), (StatusCode::CREATED, StatusCode::CREATED), "{va} / {vb}");
        assert_eq!(va["customer_id"], vb["customer_id"], "{va} / {vb}");
    }
    let (records, with_orders): (i64, i64) = a
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*), COUNT(DISTINCT o.customer_id) FROM customers c JOIN orders o ON o.customer_id = c.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!((records, with_orders), (10, 5), "ten orders of five customer records");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_edit_and_a_cancel_racing_on_two_servers_leave_the_stock_right() {
    let cluster = Cluster::start();
    let [a, b, _] = three_servers(&cluster, "edits").await;
    let admin = a.admin().await;
    let p = a.product(&admin, "RICE", "9.00", 1000).await;
    let pid = p["id"].as_i64().unwrap();
    for _ in 0..15 {
        let (_, order) = a
            .post(
                "/api/orders",
                &admin,
                json!({"items": [{"product_id": pid, "quantity": 5}]}),
            )
            .await;
        let id = order["id"].as_i64().unwrap();
        let edit = json!({"items": [{"product_id": pid, "quantity": 1}]});
        let cancel = json!({"status": "cancelled"});
        let (order_path, status_path) = (format!("/api/orders/{id}"), format!("/api/orders/{id}/status"));
        let ((se, ve), (sc, vc)) =
            tokio::join!(a.patch(&order_path, &admin, edit), b.post(&status_path, &admin, cancel));
        // Either may lose (409, told to reload); neither answers with anything else.
        for (s, v) in [(se, &ve), (sc, &vc)] {
            assert!(s == StatusCode::OK || s == StatusCode::CONFLICT, "{s} {v}");
        }
    }
    // The stock is what the orders that stand hold, whichever won each race.
    let (stock, held): (i64, i64) = a
        .with_db(|c| {
            c.query_row(
                "SELECT (SELECT stock_quantity FROM products WHERE id = ?1),
                        (SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
                         WHERE o.status <> 'cancelled' AND i.product_id = ?1)",
                [pid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
        .unwrap();
    assert_eq!(stock, 1000 - held);
    a.assert_ledger_consistent();
    check_is_clean(&b, &admin).await;
}

/// Asks `srv` until `seen` holds for what `path` answers, up to 3 s; how long it took.
async fn seen_within(srv: &TestServer, token: &str, path: &str, seen: impl Fn(StatusCode, &Value) -> bool) -> Duration {
    let started = Instant::now();
    loop {
        let (status, body) = srv.get(path, token).await;
        if seen(status, &body) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{path} still answers {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn what_one_server_changes_the_others_caches_show_within_a_second() {
    let cluster = Cluster::start();
    let [a, b, _] = three_servers(&cluster, "caches").await;
    let admin = a.admin().await;
    let p = a.product(&admin, "SOAP", "3.00", 10).await;
    let path = format!("/api/products/{}", p["id"]);

    // A price changed on A, while B has the product and its page in its caches.
    let mut waits = Vec::new();
    for n in 1..=5 {
        let price = format!("{}.50", 3 + n);
        let _ = (b.get(&path, &admin).await, b.get("/api/products", &admin).await);
        let (status, _) = a.patch(&path, &admin, json!({ "price": price })).await;
        assert_eq!(status, StatusCode::OK);
        waits.push(seen_within(&b, &admin, &path, |_, v| v["price"] == price).await);
        seen_within(&b, &admin, "/api/products", |_, v| v["items"][0]["price"] == price).await;
    }
    // Told at once (NOTIFY), not found at the next poll of the WAL position (every second).
    waits.sort();
    assert!(waits[2] < Duration::from_millis(500), "{waits:?}");

    // A password changed on A ends the old token on B.
    let (_, cashier) = a.user_token(&admin, "cashier", "staff").await;
    assert_eq!(b.get("/api/products", &cashier).await.0, StatusCode::OK);
    let (status, body) = a
        .post(
            "/api/auth/password",
            &cashier,
            json!({"current_password": "cashier-pass-123", "new_password": "Another-Pass-9"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let wait = seen_within(&b, &cashier, "/api/products", |s, _| s == StatusCode::UNAUTHORIZED).await;
    assert!(wait < Duration::from_secs(1), "{wait:?}");

    // Settings changed on A are B's within a second.
    let (status, _) = a
        .patch("/api/settings", &admin, json!({"business_name": "张记杂货"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let wait = seen_within(&b, &admin, "/api/settings", |_, v| v["business_name"] == "张记杂货").await;
    assert!(wait < Duration::from_secs(1), "{wait:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_notifications_lost_the_caches_still_follow_within_the_poll() {
    let cluster = Cluster::start();
    let [a, b, _] = three_servers(&cluster, "lost").await;
    let admin = a.admin().await;
    let p = a.product(&admin, "LAMP", "30.00", 10).await;
    let path = format!("/api/products/{}", p["id"]);
    // As behind a pooler in transaction mode: the triggers say nothing.
    cluster.sql(
        "lost",
        "CREATE OR REPLACE FUNCTION order_system_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
    );
    let _ = b.get(&path, &admin).await;
    let (status, _) = a.patch(&path, &admin, json!({"price": "31.00"})).await;
    assert_eq!(status, StatusCode::OK);
    let wait = seen_within(&b, &admin, &path, |_, v| v["price"] == "31.00").await;
    assert!(wait < Duration::from_millis(2500), "{wait:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_sign_ins_spread_over_servers_meet_one_count() {
    let rule = |free| Rule {
        free,
        first_wait: Duration::from_secs(30),
        max_wait: Duration::from_secs(60),
    };
    let cluster = Cluster::start();
    let servers = three_servers_with(&cluster, "throttle", move |c| {
        c.login_limits = Limits {
            per_pair: rule(3),
            per_ip: rule(100),
            per_user: rule(100),
            forget_after: Duration::from_secs(3600),
        };
    })
    .await;
    // Three free failures, one on each server; the fourth (on the first again) starts a wait.
    for srv in servers.iter().chain([&servers[0]]) {
        let (status, body) = srv.login("superAdmin", "wrong-password-1").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    // Every server makes the guesser wait, even for the right password.
    for srv in &servers {
        let (status, body) = srv.login("superAdmin", ADMIN_PASSWORD).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["error"]["details"]["retry_after_secs"], 30, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_starting_fails_only_the_imports_whose_server_stopped() {
    let cluster = Cluster::start();
    let [a, ..] = three_servers(&cluster, "jobs").await;
    // One import another server is writing now (it said so a moment ago), one whose server
    // went quiet ten minutes ago.
    a.write_db(|c| {
        c.execute_batch(
            "INSERT INTO import_jobs (kind, file_sha256, dry_run, status, created_at, heartbeat_at)
             VALUES ('products', 'running', 0, 'writing', '2026-01-01T00:00:00.000Z', CAST(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS TEXT)),
                    ('products', 'stopped', 0, 'writing', '2026-01-01T00:00:00.000Z',
                     CAST(to_char((now() - interval '10 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS TEXT))",
        )
    })
    .unwrap();
    let url = cluster.url("jobs");
    let _fourth = TestServer::start_with(move |c| {
        c.admin_password = Some(ADMIN_PASSWORD.into());
        c.database = Some(url);
    })
    .await;
    let statuses: String = a
        .with_db(|c| {
            c.query_row(
                "SELECT string_agg(file_sha256 || '=' || status, ',' ORDER BY file_sha256) FROM import_jobs",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(statuses, "running=writing,stopped=failed");
}
