//! Security: the role matrix over every documented route, throttled sign-ins, username
//! normalisation, hostile bodies, token variants, headers and private files.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{ADMIN_PASSWORD, SECRET, TestServer, code};
use order_system::auth::policy::{Policy, PolicyTable};
use order_system::auth::throttle::{Limits, Rule};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// Role ranks for "too weak" (the pending user is below every role for non-pending routes).
fn rank(role: &str) -> u8 {
    match role {
        "customer" => 1,
        "staff" => 2,
        "admin" => 3,
        "superadmin" => 4,
        _ => 0,
    }
}

fn required_rank(policy: Policy) -> u8 {
    match policy {
        Policy::Public => 0,
        Policy::Pending | Policy::User => 1,
        Policy::Staff => 2,
        Policy::Admin => 3,
        Policy::Superadmin => 4,
    }
}

/// A request to a route template: ids that exist nowhere, so no call changes real data, and an
/// empty JSON object as the body.
async fn call(srv: &TestServer, method: &Method, template: &str, token: Option<&str>) -> StatusCode {
    let path = template
        .replace("{id}", "987654")
        .replace("{payment_id}", "987654")
        .replace("{product_id}", "987654")
        .replace("{address_id}", "987654")
        .replace("{name}", "no-such-backup.db");
    assert!(
        !path.contains('{'),
        "a path parameter the matrix does not fill: {template}"
    );
    let mut req = srv.client.request(method.clone(), format!("{}{path}", srv.url));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if *method == Method::POST || *method == Method::PATCH || *method == Method::PUT {
        req = req.json(&json!({}));
    }
    req.send().await.unwrap().status()
}

const POLICIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/policies.txt");

fn policy_name(policy: Policy) -> &'static str {
    match policy {
        Policy::Public => "public",
        Policy::Pending => "pending",
        Policy::User => "user",
        Policy::Staff => "staff",
        Policy::Admin => "admin",
        Policy::Superadmin => "superadmin",
    }
}

/// tests/api/policies.txt: one "METHOD PATH POLICY" line per route, reviewed like code.
fn reviewed_policies() -> Vec<(Method, String, Policy)> {
    let all = [
        Policy::Public,
        Policy::Pending,
        Policy::User,
        Policy::Staff,
        Policy::Admin,
        Policy::Superadmin,
    ];
    std::fs::read_to_string(POLICIES)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            let policy = all.into_iter().find(|p| policy_name(*p) == parts[2]).expect(l);
            (parts[0].parse().unwrap(), parts[1].to_owned(), policy)
        })
        .collect()
}

fn snapshot_lines(routes: &[(Method, String, Policy)]) -> Vec<String> {
    let mut lines: Vec<String> = routes
        .iter()
        .map(|(m, p, pol)| format!("{m} {p} {}", policy_name(*pol)))
        .collect();
    lines.sort_by(|a, b| {
        let key = |l: &str| l.split_whitespace().nth(1).map(|p| p.to_owned()).unwrap_or_default();
        key(a).cmp(&key(b)).then(a.cmp(b))
    });
    lines
}

/// A changed policy must show in review: the server's policies (from the handlers'
/// annotations) must equal the committed snapshot. To accept a deliberate change, run the
/// tests with UPDATE_POLICIES=1 and commit the file.
#[test]
fn route_policies_match_the_reviewed_snapshot() {
    let (_, doc) = order_system::app::api();
    let table = PolicyTable::from_openapi(&doc).unwrap();
    let actual: Vec<(Method, String, Policy)> =
        table.iter().map(|(m, p, pol)| (m.clone(), p.to_owned(), pol)).collect();
    let actual = snapshot_lines(&actual);
    if std::env::var_os("UPDATE_POLICIES").is_some() {
        let header = "# Who may call each route: METHOD PATH POLICY (public, pending, user, staff, admin, superadmin).\n\
                      # Reviewed like code; tests/api/security.rs checks the server against it.\n";
        std::fs::write(POLICIES, format!("{header}{}\n", actual.join("\n"))).unwrap();
    }
    let reviewed = snapshot_lines(&reviewed_policies());
    let added: Vec<&String> = actual.iter().filter(|l| !reviewed.contains(l)).collect();
    let removed: Vec<&String> = reviewed.iter().filter(|l| !actual.contains(l)).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "route policies differ from tests/api/policies.txt (UPDATE_POLICIES=1 rewrites it)\n  the server: {added:?}\n  the snapshot: {removed:?}"
    );
}

#[tokio::test]
async fn every_route_refuses_the_anonymous_and_the_too_weak_and_admits_the_rest() {
    let srv = TestServer::start().await;
    let superadmin = srv.admin().await;
    let (_, admin) = srv.user_token(&superadmin, "m-admin", "admin").await;
    let (_, staff) = srv.user_token(&superadmin, "m-staff", "staff").await;
    let (_, customer) = srv.user_token(&superadmin, "m-customer", "customer").await;
    // A user who must still choose a password may only do that (and see who they are).
    let (status, _) = srv
        .post(
            "/api/users",
            &superadmin,
            json!({"username": "m-pending", "password": "m-pending-pass-1", "role": "admin", "must_change_password": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let pending = srv.token("m-pending", "m-pending-pass-1").await;
    let credentials = [
        ("pending", pending.as_str()),
        ("customer", customer.as_str()),
        ("staff", staff.as_str()),
        ("admin", admin.as_str()),
        ("superadmin", superadmin.as_str()),
    ];

    // The expected policy of each route comes from the reviewed snapshot, not from the
    // annotations the server enforces (which the next test compares with it).
    let mut routes = reviewed_policies();
    // Signing out and password changes last, so they cannot disturb the other checks.
    routes.sort_by_key(|(m, p, _)| (p.contains("/auth/"), p.clone(), m.to_string()));
    let mut checked = 0;
    let mut failures = Vec::new();
    for (method, path, policy) in &routes {
        let anonymous = call(&srv, method, path, None).await;
        checked += 1;
        if *policy != Policy::Public && anonymous != StatusCode::UNAUTHORIZED {
            failures.push(format!("{method} {path} without a token: {anonymous}"));
        }
        for (role, token) in credentials {
            let status = call(&srv, method, path, Some(token)).await;
            checked += 1;
            let allowed = if role == "pending" {
                matches!(policy, Policy::Public | Policy::Pending)
            } else {
                rank(role) >= required_rank(*policy)
            };
            let refused = status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN;
            if allowed == refused || status.is_server_error() {
                failures.push(format!("{method} {path} as {role} ({policy:?}): {status}"));
            }
        }
    }
    eprintln!("role matrix: {} routes × 6 callers = {checked} checks", routes.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        routes.len() >= 50,
        "the matrix covers the API ({} routes)",
        routes.len()
    );
}

#[tokio::test]
async fn the_first_superadmin_can_do_nothing_but_change_the_password() {
    let srv = TestServer::fresh().await;
    let token = srv.token("superAdmin", "admin123").await;
    let (_, doc) = order_system::app::api();
    let table = PolicyTable::from_openapi(&doc).unwrap();
    for (method, path, policy) in table.iter() {
        if matches!(policy, Policy::Public | Policy::Pending) {
            continue;
        }
        let status = call(&srv, method, path, Some(&token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
    }
}

fn quick_limits() -> Limits {
    let rule = |free| Rule {
        free,
        first_wait: Duration::from_secs(1),
        max_wait: Duration::from_secs(2),
    };
    Limits {
        per_pair: rule(3),
        per_ip: rule(1000),
        per_user: rule(1000),
        forget_after: Duration::from_secs(3600),
    }
}

/// A client whose connections come from another loopback address (Linux answers all of
/// 127.0.0.0/8), to stand for a second machine.
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn login_from(client: &reqwest::Client, srv: &TestServer, name: &str, password: &str) -> StatusCode {
    client
        .post(format!("{}/api/auth/login", srv.url))
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_thousand_failures_from_one_address_do_not_lock_the_owner_out_elsewhere() {
    // The real limits: nobody can keep superAdmin locked by failing on purpose.
    let srv = TestServer::start().await;
    let attacker = client_from("127.0.0.3");
    let mut refused = 0;
    for _ in 0..1000 {
        match login_from(&attacker, &srv, "superAdmin", "not-the-password").await {
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            status => assert_eq!(status, StatusCode::UNAUTHORIZED),
        }
    }
    assert!(
        refused >= 990,
        "the guessing address is slowed: {refused} of 1000 refused"
    );
    let owner = client_from("127.0.0.4");
    assert_eq!(
        login_from(&owner, &srv, "superAdmin", ADMIN_PASSWORD).await,
        StatusCode::OK,
        "the right password from another address works"
    );
    // Many names from one address (a shop's NAT): a user who signed in there before still can.
    let (_, _) = srv.user_token(&srv.admin().await, "cashier", "staff").await;
    let shop = client_from("127.0.0.5");
    assert_eq!(
        login_from(&shop, &srv, "cashier", "cashier-pass-123").await,
        StatusCode::OK
    );
    for n in 0..30 {
        login_from(&shop, &srv, &format!("random-{n}"), "not-the-password").await;
    }
    assert_eq!(
        login_from(&shop, &srv, "someone-new", "not-the-password").await,
        StatusCode::TOO_MANY_REQUESTS,
        "guessing names from one address is slowed"
    );
    assert_eq!(
        login_from(&shop, &srv, "cashier", "cashier-pass-123").await,
        StatusCode::OK,
        "but not for the users known there"
    );
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled_alike_for_known_and_unknown_names() {
    let srv = TestServer::start_with(|c| {
        c.admin_password = Some(ADMIN_PASSWORD.into());
        c.login_limits = quick_limits();
    })
    .await;
    for name in ["superAdmin", "nobody-here"] {
        for _ in 0..3 {
            let (status, body) = srv.login(name, "wrong-password-1").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        }
        // The fourth failure starts a wait; during it even the right password is refused.
        let (status, _) = srv.login(name, "wrong-password-1").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let res = srv
            .client
            .post(format!("{}/api/auth/login", srv.url))
            .json(&json!({"username": name, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{name}");
        assert_eq!(res.headers()["retry-after"], "1");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(code(&body), "too_many_requests");
    }
    // The wait doubles with the next failure, up to the cap.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    srv.login("superAdmin", "wrong-password-1").await;
    let (status, body) = srv.login("superAdmin", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["details"]["retry_after_secs"], 2);
    // Never locked out for good: after the wait, the right password works and clears the count.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, _) = srv.login("superAdmin", ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = srv.login("superAdmin", "wrong-password-1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a fresh count after success");
}

#[tokio::test]
async fn usernames_are_normalised_so_look_alikes_are_one_account() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    // Fullwidth letters are the same name as plain ones.
    let (status, body) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "ｃａｓｈｉｅｒ", "password": "cashier-pass-1", "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["username"], "cashier");
    let (status, _) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "cashier", "password": "cashier-pass-2", "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(srv.login("ｃａｓｈｉｅｒ", "cashier-pass-1").await.0, StatusCode::OK);
    // A composed and a decomposed "é" are one name too.
    let (status, _) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "ren\u{e9}", "password": "rene-pass-123", "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(srv.login("rene\u{301}", "rene-pass-123").await.0, StatusCode::OK);
}

#[tokio::test]
async fn hostile_bodies_get_clear_4xx() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    let res = srv
        .client
        .post(format!("{}/api/products", srv.url))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(code(&body), "json_too_deep");
    // Brackets inside strings are text, not nesting.
    let name = "[".repeat(100);
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "DEEP-1", "name": &name[..100], "price": "1.00", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Over-long names and notes are refused by length.
    let (status, body) = srv
        .post(
            "/api/products",
            &admin,
            json!({"sku": "LONG-1", "name": "长".repeat(5000), "price": "1.00", "stock_quantity": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["field"], "name");
    let (status, _) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "客户", "note": "x".repeat(20_000)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_token_signed_with_another_algorithm_or_from_before_a_password_change_is_refused() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let now = chrono::Utc::now().timestamp();
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &json!({"sub": "1", "tv": 0, "iat": now, "exp": now + 600}),
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap();
    assert_eq!(srv.get("/api/products", &hs512).await.0, StatusCode::UNAUTHORIZED);

    let (id, old) = srv.user_token(&admin, "changer", "staff").await;
    assert_eq!(srv.get("/api/products", &old).await.0, StatusCode::OK);
    let (status, body) = srv
        .post(
            "/api/auth/password",
            &old,
            json!({"current_password": "changer-pass-123", "new_password": "changer-pass-456"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(srv.get("/api/products", &old).await.0, StatusCode::UNAUTHORIZED);
    let new = body["access_token"].as_str().unwrap();
    assert_eq!(srv.get("/api/products", new).await.0, StatusCode::OK);
    // An admin's reset ends the user's tokens too.
    let (status, _) = srv
        .post(
            &format!("/api/users/{id}/password"),
            &admin,
            json!({"password": "changer-pass-789"}),
        )
        .await;
    assert!(status.is_success());
    assert_eq!(srv.get("/api/products", new).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers_and_no_server_version() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let no_auth: Option<&str> = None;
    for (path, token) in [
        ("/", no_auth),
        ("/health", no_auth),
        ("/api/products", Some(admin.as_str())),
        ("/api/products", no_auth),
        ("/api/nothing-here", no_auth),
        ("/assets/does-not-exist.js", no_auth),
        ("/api/openapi.json", no_auth),
        ("/metrics", no_auth),
    ] {
        let mut req = srv.client.get(format!("{}{path}", srv.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        let h = res.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        assert!(!h.contains_key("server"), "{path} names its server");
        assert!(!h.contains_key("x-powered-by"), "{path}");
    }
    // No path escapes the embedded files, and there is no directory listing.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/",
        "/assets/..%2f..%2fsrc/main.rs",
    ] {
        let res = srv.client.get(format!("{}{path}", srv.url)).send().await.unwrap();
        let body = res.text().await.unwrap();
        assert!(
            !body.contains("[package]") && !body.contains("root:x:") && !body.contains("fn main"),
            "{path}"
        );
        assert!(!body.contains("Index of"), "{path}");
    }
}

#[test]
fn files_in_the_data_dir_are_private_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("private");
    // A careless umask of 000 would make every new file world-writable.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; {} --config /dev/null --data-dir {} --bcrypt-cost 4 demo-data --orders 10 --products 3 --customers 2 >/dev/null && \
             {} --config /dev/null --data-dir {} backup >/dev/null",
            common::process::BIN,
            data.display(),
            common::process::BIN,
            data.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    let mut seen = 0;
    let mut stack = vec![data.clone()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
        }
        seen += 1;
    }
    assert!(seen >= 5, "database, secret, lock, backups: {seen} entries");
}
