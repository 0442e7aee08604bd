//! Running it like a product, with the real binary: the config file, request logs, systemd's
//! notify protocol, `--open`, a stop under load, and demo data.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::process::{BIN, Served, cmd, run, serve_with, signal, text, wait_exit};
use serde_json::{Value, json};

const PASSWORD: &str = "Operator-Passw0rd-7";

fn write(path: &Path, contents: &str) {
    std::fs::write(path, contents).unwrap();
}

fn runtime() -> tokio::runtime::Runtime {
    order_system::tls::install_crypto_provider();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn token(client: &reqwest::Client, url: &str) -> String {
    common::process::sign_in(client, url, PASSWORD).await
}

fn stop(served: &mut Served) {
    signal(&served.child, "-TERM");
    assert!(wait_exit(&mut served.child, Duration::from_secs(15)).success());
}

#[test]
fn config_file_comes_after_flags_and_env_and_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    write(
        &file,
        r#"
http = "127.0.0.1:9999"
token-minutes = 60
backup-keep = 3
backup-at = "03:30"
jwt-secret = "file-secret-file-secret-file-secret-42"
domain = ["shop.example.com", "www.shop.example.com"]
log-format = "json"
"#,
    );
    let out = cmd(dir.path())
        .env("ORDER_SYSTEM_BACKUP_KEEP", "5")
        .args([
            "--config",
            file.to_str().unwrap(),
            "config",
            "check",
            "--token-minutes",
            "30",
        ])
        .output()
        .unwrap();
    let printed = text(&out.stdout);
    assert!(out.status.success(), "{printed}{}", text(&out.stderr));
    let line = |key: &str| {
        printed
            .lines()
            .find(|l| l.starts_with(&format!("{key} =")))
            .unwrap_or_else(|| panic!("no {key} in\n{printed}"))
            .to_owned()
    };
    assert!(line("token-minutes").contains("30") && line("token-minutes").ends_with("# flag"));
    assert!(line("backup-keep").contains("5") && line("backup-keep").ends_with("# env"));
    assert!(line("http").contains("127.0.0.1:9999") && line("http").ends_with("# file"));
    assert!(line("backup-at").contains("03:30"));
    assert!(line("domain").contains(r#"["shop.example.com", "www.shop.example.com"]"#));
    assert!(line("max-connections").ends_with("# default"));
    assert!(line("jwt-secret").contains("********"));
    assert!(!printed.contains("file-secret"), "secret printed:\n{printed}");
    assert!(printed.contains("OK"));

    // An unknown key is an error that names it; so is a bad value, with the file's name.
    let with_config = |args: &[&str]| cmd(dir.path()).arg("--config").arg(&file).args(args).output().unwrap();
    write(&file, "http = \"127.0.0.1:9999\"\nhttp-port = 80\n");
    let out = with_config(&["serve"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("unknown key `http-port`") && err.contains("config.toml"),
        "{err}"
    );
    write(&file, "backup-at = \"25:99\"\n");
    let out = with_config(&["config", "check"]);
    let err = text(&out.stderr);
    assert!(
        !out.status.success() && err.contains("backup-at") && err.contains("config.toml"),
        "{err}"
    );
    // Checks that need more than one setting run too.
    write(&file, "https = \"127.0.0.1:8443\"\n");
    let out = with_config(&["config", "check"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--https needs a certificate"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn serve_takes_its_data_dir_and_address_from_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("from-file");
    let port = common::process::free_port();
    let file = dir.path().join("config.toml");
    write(
        &file,
        &format!(
            "data-dir = \"{}\"\nhttp = \"127.0.0.1:{port}\"\nbcrypt-cost = 4\nadmin-password = \"{PASSWORD}\"\n",
            data.display()
        ),
    );
    let mut child = Command::new(BIN)
        .env_clear()
        .args(["--config", file.to_str().unwrap(), "serve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let rt = runtime();
    let deadline = Instant::now() + Duration::from_secs(15);
    let signed_in = rt.block_on(async {
        let client = reqwest::Client::new();
        loop {
            if let Ok(res) = client.get(format!("http://127.0.0.1:{port}/health")).send().await
                && res.status() == 200
            {
                return token(&client, &format!("http://127.0.0.1:{port}")).await;
            }
            assert!(Instant::now() < deadline, "no answer on the configured port");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    assert!(!signed_in.is_empty(), "the admin password came from the file");
    assert!(data.join("order-system.db").exists(), "the data dir came from the file");
    signal(&child, "-TERM");
    assert!(wait_exit(&mut child, Duration::from_secs(15)).success());
}

#[test]
fn one_log_line_per_request_with_id_route_status_latency_and_user_but_no_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("logs");
    let mut served = serve_with(&data, &["--log-format", "json", "--admin-password", PASSWORD], &[]);
    let rt = runtime();
    let wrong = "Not-The-Passw0rd-123";
    let (request_id, token) = rt.block_on(async {
        let client = reqwest::Client::new();
        let _ = client
            .post(format!("{}/api/auth/login", served.url))
            .json(&json!({"username": "superAdmin", "password": wrong}))
            .send()
            .await
            .unwrap();
        let token = token(&client, &served.url).await;
        let res = client
            .get(format!("{}/api/products?page=1", served.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        (id, token)
    });
    stop(&mut served);
    let log = std::fs::read_to_string(data.with_extension("log")).unwrap();
    let lines: Vec<Value> = log.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(!lines.is_empty(), "JSON log lines expected:\n{log}");
    let line = lines
        .iter()
        .find(|l| l["request_id"] == request_id.as_str())
        .unwrap_or_else(|| panic!("no line for request {request_id}:\n{log}"));
    assert_eq!(line["route"], "/api/products");
    assert_eq!(line["method"], "GET");
    assert_eq!(line["status"], 200);
    assert_eq!(line["user_id"], 1);
    assert!(line["latency_ms"].as_f64().unwrap() >= 0.0);
    let requests = lines.iter().filter(|l| l["target"] == "request").count();
    assert_eq!(requests, 3, "one line per request:\n{log}");
    for secret in [PASSWORD, wrong, token.as_str()] {
        assert!(!log.contains(secret), "a secret reached the log:\n{log}");
    }
}

/// The datagrams `serve` sends to `$NOTIFY_SOCKET`, as systemd would receive them.
#[test]
fn tells_systemd_it_is_ready_pings_the_watchdog_and_says_when_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let mut served = serve_with(
        &dir.path().join("notify"),
        &[],
        &[
            ("NOTIFY_SOCKET", socket_path.to_str().unwrap()),
            ("WATCHDOG_USEC", "400000"),
        ],
    );
    let mut buf = [0u8; 512];
    let mut receive = || {
        let n = socket.recv(&mut buf).expect("a notification");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    };
    let first = receive();
    assert!(first.contains("READY=1"), "{first}");
    assert!(first.contains(&format!("STATUS=serving on {}", served.url)), "{first}");
    let started = Instant::now();
    let mut pings = 0;
    while pings < 3 {
        assert_eq!(receive().trim_end(), "WATCHDOG=1");
        pings += 1;
    }
    assert!(started.elapsed() < Duration::from_secs(3), "pings every 200 ms");
    signal(&served.child, "-TERM");
    let mut stopping = false;
    while let Ok(n) = socket.recv(&mut buf) {
        if String::from_utf8_lossy(&buf[..n]).contains("STOPPING=1") {
            stopping = true;
            break;
        }
    }
    assert!(stopping);
    assert!(wait_exit(&mut served.child, Duration::from_secs(15)).success());
}

#[test]
fn serve_open_hands_the_url_to_the_desktop_browser() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let opened = dir.path().join("opened.txt");
    // Stands in for the desktop's launcher, which `open` runs on Linux.
    let launcher = bin.join("xdg-open");
    write(&launcher, &format!("#!/bin/sh\necho \"$1\" > {}\n", opened.display()));
    std::fs::set_permissions(&launcher, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut served = serve_with(&dir.path().join("open"), &["--open"], &[("PATH", &path)]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !opened.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = std::fs::read_to_string(&opened).expect("the launcher ran");
    assert_eq!(url.trim(), served.url);
    stop(&mut served);
}

#[test]
fn sigterm_under_load_finishes_in_flight_requests_without_5xx() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("load");
    let mut served = serve_with(&data, &["--admin-password", PASSWORD, "--shutdown-grace", "10"], &[]);
    let rt = runtime();
    let url = served.url.clone();
    let stop_flag = Arc::new(AtomicBool::new(false));
    let client = reqwest::Client::new();
    let (token, product) = rt.block_on(async {
        let token = token(&client, &url).await;
        let product = common::process::create_product(&client, &url, &token, "LOAD-1", "Load").await;
        (token, product)
    });
    let workers: Vec<_> = (0..16)
        .map(|i| {
            let (client, url, token, stop_flag) = (client.clone(), url.clone(), token.clone(), stop_flag.clone());
            rt.spawn(async move {
                let (mut ok, mut created, mut refused, mut server_errors) = (0, 0, 0, Vec::new());
                while !stop_flag.load(Ordering::Relaxed) {
                    let req = if i % 2 == 0 {
                        client
                            .post(format!("{url}/api/orders"))
                            .json(&json!({"items": [{"product_id": product, "quantity": 1}]}))
                    } else {
                        client.get(format!("{url}/api/orders?per_page=50"))
                    };
                    match req.bearer_auth(&token).send().await {
                        Ok(res) if res.status().is_server_error() => server_errors.push(res.status().as_u16()),
                        Ok(res) if res.status() == 201 => created += 1,
                        Ok(res) if res.status().is_success() => ok += 1,
                        Ok(res) => panic!("unexpected {}", res.status()),
                        // After the stop: connection refused or closed before a request began.
                        Err(_) => {
                            refused += 1;
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                    }
                }
                (ok, created, refused, server_errors)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    signal(&served.child, "-TERM");
    let status = wait_exit(&mut served.child, Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(300));
    stop_flag.store(true, Ordering::Relaxed);
    let (mut ok, mut created, mut refused) = (0, 0, 0);
    for w in workers {
        let (o, c, r, errors) = rt.block_on(w).unwrap();
        assert!(errors.is_empty(), "5xx during shutdown: {errors:?}");
        (ok, created, refused) = (ok + o, created + c, refused + r);
    }
    eprintln!("before and during the stop: {created} orders created, {ok} reads, {refused} refused after");
    assert!(status.success(), "clean exit: {status:?}");
    assert!(created > 0 && ok > 0 && refused > 0);
    // Every acknowledged order is in the database.
    let conn = rusqlite::Connection::open(data.join("order-system.db")).unwrap();
    let stored: i64 = conn.query_row("SELECT count(*) FROM orders", [], |r| r.get(0)).unwrap();
    assert!(stored >= created, "{stored} stored, {created} acknowledged");
}

#[test]
fn demo_data_killed_half_way_finishes_when_run_again() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let args = [
        "demo-data",
        "--orders",
        "200000",
        "--products",
        "50",
        "--customers",
        "100",
    ];
    let mut child = cmd(&data)
        .args(args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Killed (SIGKILL) once a few chunks are committed.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().expect("a progress line").unwrap();
    assert!(first.contains("of 200000 orders"), "{first}");
    child.kill().unwrap();
    child.wait().unwrap();
    let count = |sql: &str| -> i64 {
        rusqlite::Connection::open(data.join("order-system.db"))
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    };
    let partial = count("SELECT count(*) FROM orders");
    assert!(partial > 0 && partial < 200_000, "{partial} orders before the kill");
    // Another plan is refused, naming the one that finishes the run.
    let other = run(&data, &["demo-data", "--orders", "10"], None);
    assert_eq!(other.status.code(), Some(1));
    assert!(
        text(&other.stderr).contains("--orders 200000 --products 50 --customers 100"),
        "{}",
        text(&other.stderr)
    );
    // The same plan finishes it.
    let out = run(&data, &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(count("SELECT count(*) FROM orders"), 200_000);
    assert_eq!(count("SELECT count(*) FROM products"), 50);
    assert_eq!(count("SELECT count(DISTINCT order_number) FROM orders"), 200_000);
    assert_eq!(count("SELECT count(*) FROM settings WHERE key = 'demo_data_run'"), 0);
    let check = run(&data, &["check"], None);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let again = run(&data, &args, None);
    assert!(
        text(&again.stderr).contains("empty database"),
        "a finished run is not run twice"
    );
}

#[test]
fn demo_data_fills_an_empty_database_once_and_real_orders_continue_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let out = run(
        &data,
        &[
            "demo-data",
            "--orders",
            "3000",
            "--products",
            "60",
            "--customers",
            "120",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3000 orders"), "{}", text(&out.stdout));
    let conn = rusqlite::Connection::open(data.join("order-system.db")).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM orders"), 3000);
    assert_eq!(count("SELECT count(*) FROM products"), 60);
    assert_eq!(count("SELECT count(*) FROM customers"), 120);
    assert!(
        count("SELECT count(*) FROM products WHERE name GLOB '*[一-龥]*'") > 0,
        "Chinese names"
    );
    assert!(
        count("SELECT count(*) FROM products WHERE name NOT GLOB '*[一-龥]*'") > 0,
        "English names"
    );
    assert!(count("SELECT count(DISTINCT status) FROM orders") >= 4);
    // The catalogue and purchasing are filled in too: every product in a category with a unit
    // and an EAN-13 barcode, most with a cost price kept on their sold lines; purchase orders in
    // every state, received goods in the ledger.
    assert_eq!(
        count("SELECT count(*) FROM products WHERE category_id IS NULL OR unit IS NULL OR barcode IS NULL"),
        0
    );
    assert!(count("SELECT count(*) FROM categories WHERE parent_id IS NOT NULL") >= 4);
    assert!(count("SELECT count(*) FROM products WHERE cost_minor IS NULL") > 0);
    assert!(count("SELECT count(*) FROM order_items WHERE cost_minor IS NOT NULL") > 0);
    assert_eq!(count("SELECT count(DISTINCT status) FROM purchase_orders"), 5);
    assert!(count("SELECT count(*) FROM inventory_movements WHERE reason = 'purchase'") > 0);
    assert!(count("SELECT count(*) FROM inventory_movements WHERE reason = 'purchase_return'") > 0);
    assert!(count("SELECT count(*) FROM suppliers") >= 3);
    drop(conn);
    let check = run(&data, &["check"], None);
    assert!(check.status.success(), "{}", text(&check.stdout));

    let again = run(&data, &["demo-data", "--orders", "10"], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("empty database"),
        "{}",
        text(&again.stderr)
    );

    // A real order today takes the next number after the demo's.
    let mut served = serve_with(&data, &[], &[]);
    let rt = runtime();
    let (status, order) = rt.block_on(async {
        let client = reqwest::Client::new();
        // The demo left superAdmin with the default password, which must be changed first.
        let first = common::process::sign_in(&client, &served.url, "admin123").await;
        let res = client
            .post(format!("{}/api/auth/password", served.url))
            .bearer_auth(&first)
            .json(&json!({"current_password": "admin123", "new_password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
        let token = token(&client, &served.url).await;
        let res = client
            .post(format!("{}/api/orders", served.url))
            .bearer_auth(&token)
            .json(&json!({"customer_id": 1, "items": [{"product_id": 2, "quantity": 1}]}))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json::<Value>().await.unwrap())
    });
    stop(&mut served);
    // Product 2 may be sold out in the demo; then the answer is a clean 409.
    assert!(status == 201 || status == 409, "{status} {order}");
    if status == 201 {
        let number = order["order_number"].as_str().unwrap();
        let conn = rusqlite::Connection::open(data.join("order-system.db")).unwrap();
        let same: i64 = conn
            .query_row("SELECT count(*) FROM orders WHERE order_number = ?", [number], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(same, 1);
    }
}

/// `systemctl reload` sends SIGHUP: without certificates there is nothing to reload, and the
/// server must keep serving (the signal's default action would end it).
#[test]
fn sighup_without_certificates_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let mut served = serve_with(&dir.path().join("hup"), &[], &[]);
    signal(&served.child, "-HUP");
    std::thread::sleep(Duration::from_millis(300));
    assert!(served.child.try_wait().unwrap().is_none(), "SIGHUP ended the server");
    assert_eq!(
        common::process::get_status(&format!("{}/health", served.url)),
        Some(200)
    );
    stop(&mut served);
}
