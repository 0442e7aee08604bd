//! Faults that must not lose or corrupt an order: SIGKILL mid-write, and a full disk.
//! Both run the real binary against a real SQLite file.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::process::{Served, check, free_port, http_client, serve_on};
use serde_json::{Value, json};

const PASSWORD: &str = "Fault-Passw0rd";

fn start(data: &Path, port: u16) -> Served {
    serve_on(data, port, &["--admin-password", PASSWORD], &[])
}

async fn token(client: &reqwest::Client, url: &str) -> String {
    common::process::sign_in(client, url, PASSWORD).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_orders_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let client = http_client();
    let mut proc = start(&data, port);
    let admin = token(&client, &proc.url).await;
    let pid = common::process::create_product(&client, &proc.url, &admin, "CRASH", "崩溃测试").await;
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    eprintln!("crash test seed {seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let iterations = 20;
    for i in 0..iterations {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut clients = Vec::new();
        for _ in 0..4 {
            let (client, url, admin, acked, stop) = (
                client.clone(),
                proc.url.clone(),
                admin.clone(),
                acknowledged.clone(),
                stop.clone(),
            );
            clients.push(tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let sent = client
                        .post(format!("{url}/api/orders"))
                        .bearer_auth(&admin)
                        .json(&json!({"items": [{"product_id": pid, "quantity": 1}]}))
                        .send()
                        .await;
                    match sent {
                        Ok(resp) if resp.status() == 201 => {
                            if let Ok(body) = resp.json::<Value>().await {
                                acked
                                    .lock()
                                    .unwrap()
                                    .push(body["order_number"].as_str().unwrap().to_owned());
                            }
                        }
                        Ok(resp) => panic!("unexpected answer {}", resp.status()),
                        Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(30 + rng.u64(0..250))).await;
        proc.child.kill().unwrap(); // SIGKILL
        proc.child.wait().unwrap();
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        for c in clients {
            c.await.unwrap();
        }
        proc = start(&data, port);
        let stored: Vec<String> = {
            let conn = rusqlite::Connection::open_with_flags(
                data.join("order-system.db"),
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .unwrap();
            let mut stmt = conn.prepare("SELECT order_number FROM orders").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        };
        let stored: std::collections::HashSet<String> = stored.into_iter().collect();
        let acked = acknowledged.lock().unwrap().clone();
        let missing: Vec<&String> = acked.iter().filter(|n| !stored.contains(*n)).collect();
        assert!(
            missing.is_empty(),
            "iteration {i}: acknowledged orders lost: {missing:?}"
        );
        let (ok, report) = check(&data);
        assert!(ok, "iteration {i}: check failed:\n{report}");
    }
    let total = acknowledged.lock().unwrap().len();
    eprintln!("{iterations} SIGKILLs, {total} acknowledged orders, none lost, check passed each time");
    assert!(total > iterations, "the clients really wrote: {total}");
    proc.child.kill().unwrap();
    proc.child.wait().unwrap();
}

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_cleanly_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=3m", "tmpfs"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!(
            "SKIPPED a_full_disk_refuses_writes_cleanly_and_recovers: mounting a tmpfs needs root (CI runs it as root)"
        );
        return;
    }
    let _mount = Mount(mnt.clone());
    let data = mnt.join("data");
    let port = free_port();
    let client = http_client();
    let mut proc = start(&data, port);
    let admin = token(&client, &proc.url).await;
    let url = proc.url.clone();
    // (proc is killed at the end; the tmpfs is unmounted by _mount.)
    let post = |path: &str, body: Value| {
        client
            .post(format!("{url}{path}"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };
    let product: Value = post(
        "/api/products",
        json!({"sku": "FULL", "name": "满盘", "price": "1.00", "stock_quantity": 100000}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let pid = product["id"].as_i64().unwrap();

    // Fill the file system to the last byte.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
    }
    let note = "x".repeat(900);
    let mut acked = 0;
    let mut refused = None;
    for _ in 0..3000 {
        let resp = post(
            "/api/orders",
            json!({"items": [{"product_id": pid, "quantity": 1}], "note": note}),
        )
        .await
        .unwrap();
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        match status {
            201 => acked += 1,
            507 | 503 => {
                refused = Some((status, body));
                break;
            }
            other => panic!("a full disk must give 507 or 503, not {other}: {body}"),
        }
    }
    let (status, body) = refused.expect("writes are refused once the disk is full");
    eprintln!("full disk after {acked} orders: {status} {body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("disk is full") || status == 503,
        "{body}"
    );
    // Reads keep working.
    let read = client
        .get(format!("{url}/api/products/{pid}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200, "reads work on a full disk");
    let health = client.get(format!("{url}/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    // Space freed: writes work again, nothing acknowledged was lost, nothing is corrupt.
    std::fs::remove_file(&filler).unwrap();
    let resp = post("/api/orders", json!({"items": [{"product_id": pid, "quantity": 1}]}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "writes work again once space is freed");
    let count: i64 = client
        .get(format!("{url}/api/orders?per_page=1"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(count, acked + 1);
    proc.child.kill().unwrap();
    proc.child.wait().unwrap();
    let (ok, report) = check(&data);
    assert!(ok, "{report}");
}
