//! The real binary: its commands, its first start, and its clean stop on SIGTERM/SIGINT.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::process::{get_status, run, serve, signal, text, wait_exit};

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--help"], None);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for command in ["serve", "migrate", "user", "version"] {
        assert!(help.contains(command), "{help}");
    }
    let out = run(dir.path(), &["serve", "--help"], None);
    let help = text(&out.stdout);
    for flag in [
        "--data-dir",
        "--http",
        "--admin-password",
        "ORDER_SYSTEM_HTTP",
        "SECRET_KEY",
        "ACCESS_TOKEN_EXPIRE_MINUTES",
    ] {
        assert!(help.contains(flag), "{flag} missing from serve --help");
    }
    let out = run(dir.path(), &["version"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with(&format!("order-system {}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn migrate_applies_then_reports_status() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = run(&data, &["migrate"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("applied V1"), "{}", text(&out.stdout));
    let out = run(&data, &["migrate"], None);
    assert!(text(&out.stdout).contains("up to date"));
    let out = run(&data, &["migrate", "status"], None);
    let status = text(&out.stdout);
    assert!(
        status.contains("V1") && status.contains("init") && status.contains("applied"),
        "{status}"
    );
}

/// The `user` command while the server runs: the server sees the change at once, though its
/// token checks are cached in memory.
#[tokio::test]
async fn a_password_set_from_the_command_line_ends_tokens_on_the_running_server() {
    let srv = crate::common::TestServer::start().await;
    let admin = srv.admin().await;
    let (_, token) = srv.user_token(&admin, "night-shift", "staff").await;
    assert_eq!(
        srv.get("/api/auth/me", &token).await.0,
        200,
        "the token is cached as good"
    );
    let out = srv.cli(&["user", "set-password", "night-shift"], Some("brand-new-pass-1\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let started = std::time::Instant::now();
    while srv.get("/api/auth/me", &token).await.0 != 401 {
        assert!(started.elapsed() < Duration::from_secs(1), "the old token still works");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(srv.login("night-shift", "brand-new-pass-1").await.0, 200);
}

#[test]
fn user_commands_read_passwords_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = run(
        &data,
        &["user", "create", "cashier", "--role", "staff", "--full-name", "收银员"],
        Some("cashier-pass-1\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created user cashier"));

    let out = run(&data, &["user", "list"], None);
    let list = text(&out.stdout);
    assert!(
        list.contains("superAdmin") && list.contains("cashier") && list.contains("staff"),
        "{list}"
    );

    let out = run(&data, &["user", "set-password", "cashier"], Some("another-pass-2\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Errors: one line on stderr and a non-zero exit code.
    for (args, stdin, needle) in [
        (
            vec!["user", "create", "shorty", "--role", "staff"],
            "short\n",
            "at least 8",
        ),
        (
            vec!["user", "create", "cashier", "--role", "staff"],
            "cashier-pass-1\n",
            "already taken",
        ),
        (vec!["user", "create", "nopass", "--role", "staff"], "", "no password"),
        (
            vec!["user", "set-password", "ghost"],
            "whatever-123\n",
            "no user named ghost",
        ),
    ] {
        let out = run(&data, &args, Some(stdin));
        assert!(!out.status.success(), "{args:?} should fail");
        let err = text(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("error: ") && err.contains(needle), "{args:?}: {err}");
    }
    let out = run(
        &data,
        &["user", "create", "root2", "--role", "superadmin"],
        Some("root-pass-12\n"),
    );
    assert!(!out.status.success());
}

#[test]
fn first_serve_creates_a_private_data_dir_and_stops_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fresh");
    let started = Instant::now();
    let mut served = serve(&data, &[]);
    let mut first_ok = None;
    while started.elapsed() < Duration::from_secs(10) {
        if get_status(&format!("{}/health", served.url)) == Some(200) {
            first_ok = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let first_ok = first_ok.expect("health answered 200");
    eprintln!("start to first 200: {first_ok:?}");
    assert!(served.banner.contains(&served.url), "{}", served.banner);
    assert!(
        served.banner.contains("superAdmin") && served.banner.contains("admin123"),
        "{}",
        served.banner
    );
    assert!(served.banner.contains("/api/docs"));

    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("jwt-secret")), 0o600);
    assert_eq!(mode(&data.join("order-system.db")), 0o600);
    assert!(std::fs::read_to_string(data.join("jwt-secret")).unwrap().len() >= 64);

    signal(&served.child, "-TERM");
    let status = wait_exit(&mut served.child, Duration::from_secs(10));
    assert!(status.success(), "SIGTERM exits 0: {status:?}");
    // Closed cleanly: the WAL was checkpointed and removed by the last connection.
    let log = std::fs::read_to_string(data.with_extension("log")).unwrap();
    assert!(
        !data.join("order-system.db-wal").exists(),
        "WAL left behind; server log:\n{log}"
    );

    // A second start reuses the secret and the database, and SIGINT stops it too.
    let secret = std::fs::read_to_string(data.join("jwt-secret")).unwrap();
    // Nobody has signed in yet, so the first sign-in is explained again.
    let mut again = serve(&data, &[]);
    assert!(again.banner.contains("First sign-in"), "{}", again.banner);
    assert_eq!(std::fs::read_to_string(data.join("jwt-secret")).unwrap(), secret);
    signal(&again.child, "-INT");
    assert!(wait_exit(&mut again.child, Duration::from_secs(10)).success());
}

#[test]
fn the_original_env_names_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("env");
    let mut served = serve(
        &data,
        &[
            ("SECRET_KEY", "an-operator-chosen-secret-of-enough-length"),
            ("ACCESS_TOKEN_EXPIRE_MINUTES", "5"),
            ("ORDER_SYSTEM_ADMIN_PASSWORD", "Chosen-Passw0rd"),
        ],
    );
    assert!(!data.join("jwt-secret").exists(), "SECRET_KEY given: nothing generated");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body: serde_json::Value = rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{}/api/auth/login", served.url))
            .json(&serde_json::json!({"username": "superAdmin", "password": "Chosen-Passw0rd"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["user"]["must_change_password"], false);
    let token = body["access_token"].as_str().unwrap();
    let claims = token.split('.').nth(1).unwrap();
    let check = jsonwebtoken::decode::<serde_json::Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(b"an-operator-chosen-secret-of-enough-length"),
        &jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256),
    );
    assert!(check.is_ok(), "token signed with SECRET_KEY ({claims})");
    signal(&served.child, "-TERM");
    assert!(wait_exit(&mut served.child, Duration::from_secs(10)).success());
}

#[test]
fn startup_errors_are_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let out = run(&blocker.join("data"), &["serve", "--http", "127.0.0.1:0"], None);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    let last = err.trim_end().lines().last().unwrap_or_default().to_owned();
    assert!(last.starts_with("error: cannot create the data directory"), "{err}");

    // Port already in use.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let out = run(&dir.path().join("d2"), &["serve", "--http", &addr], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("error: cannot listen on {addr}")),
        "{}",
        text(&out.stderr)
    );

    let out = run(dir.path(), &["serve", "--http", "not-an-address"], None);
    assert!(!out.status.success());
}
