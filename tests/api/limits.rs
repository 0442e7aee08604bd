//! What one hostile or careless client can hold, on plain HTTP (what the HTTPS redirect
//! listener speaks too), against the real binary: slow headers, idle sockets past the cap,
//! bodies that never come, and the memory of many keep-alive connections.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::process::{Served, http_client, serve_with};

fn addr(served: &Served) -> String {
    served.url.trim_start_matches("http://").to_owned()
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

/// Whether the server has closed the connection (a read ends, or fails), within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

async fn health(client: &reqwest::Client, served: &Served) -> u16 {
    client
        .get(format!("{}/health", served.url))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_connections_are_cut_off_while_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve_with(&dir.path().join("data"), &["--header-timeout", "2"], &[]);
    let target = addr(&served);
    let mut slow = Vec::new();
    for i in 0..1500 {
        let target = target.clone();
        slow.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(&target).await.ok()?;
            s.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.ok()?;
            // One more header line every half second, never the blank line that ends them.
            let started = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if s.write_all(format!("X-Slow-{i}: {}\r\n", started.elapsed().as_millis()).as_bytes())
                    .await
                    .is_err()
                {
                    return Some(started.elapsed());
                }
                if started.elapsed() > Duration::from_secs(30) {
                    return None;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let client = http_client();
    assert_eq!(
        health(&client, &served).await,
        200,
        "a normal client is served meanwhile"
    );
    let mut cut = Vec::new();
    for task in slow {
        cut.push(
            task.await
                .unwrap()
                .expect("every slow client is cut off, none held 30 s"),
        );
    }
    cut.sort();
    eprintln!(
        "1500 slowloris connections cut off after {:?} (median), {:?} (max)",
        cut[750], cut[1499]
    );
    assert!(cut[1499] < Duration::from_secs(10), "{:?}", cut[1499]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sockets_past_the_cap_do_not_shut_out_real_clients() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve_with(&dir.path().join("data"), &["--max-connections", "200"], &[]);
    let target = addr(&served);
    let mut idle = Vec::new();
    for _ in 0..3000 {
        if let Ok(s) = TcpStream::connect(&target).await {
            idle.push(s);
        }
    }
    assert!(idle.len() > 2500, "{} idle sockets opened", idle.len());
    // A real client on fresh connections, each of which takes an idle one's place.
    order_system::tls::install_crypto_provider();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(health(&client, &served).await, 200);
    }
    eprintln!("20 requests beside 3000 idle sockets: {:?}", started.elapsed());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fds = open_fds(served.child.id());
    assert!(fds < 200 + 100, "the server holds {fds} files, not one per idle socket");
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_that_are_too_big_or_never_come_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve_with(&dir.path().join("data"), &["--body-timeout", "1"], &[]);
    let target = addr(&served);
    let answer = |head: &'static str| {
        let target = target.clone();
        async move {
            let mut s = TcpStream::connect(&target).await.unwrap();
            s.write_all(head.as_bytes()).await.unwrap();
            let started = Instant::now();
            let mut out = Vec::new();
            let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out)).await;
            (String::from_utf8_lossy(&out).into_owned(), started.elapsed())
        }
    };
    let (text, took) = answer(
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n",
    )
    .await;
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(
        took < Duration::from_secs(2),
        "a declared 10 GB body is refused at once: {took:?}"
    );
    let (text, took) = answer(
        "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    .await;
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(took < Duration::from_secs(5), "a stalled body is given up on: {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_of_many_keep_alive_connections_goes_back_once_they_close() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve_with(&dir.path().join("data"), &["--max-connections", "6000"], &[]);
    let (pid, target) = (served.child.id(), addr(&served));
    let client = http_client();
    for _ in 0..50 {
        health(&client, &served).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before = rss_kib(pid);
    let mut open = Vec::new();
    for _ in 0..5000 {
        let mut s = TcpStream::connect(&target).await.unwrap();
        s.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        open.push(s);
    }
    for s in &mut open {
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    }
    let peak = rss_kib(pid);
    for s in &mut open {
        let _ = s.shutdown().await;
    }
    drop(open);
    let mut after = peak;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        after = rss_kib(pid);
        if after < before + (peak - before) / 4 {
            break;
        }
    }
    eprintln!("RSS: {before} KiB idle, {peak} KiB with 5000 keep-alive connections, {after} KiB after they closed");
    assert!(peak > before, "the connections took memory");
    assert!(
        after < before + (peak - before) / 4,
        "at least three quarters of it goes back: {before} → {peak} → {after} KiB"
    );
    // Nothing was left behind: the server still answers, and holds no sockets.
    assert_eq!(health(&client, &served).await, 200);
    assert!(open_fds(pid) < 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_known_host_names_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve_with(&dir.path().join("data"), &["--allowed-host", "shop.lan"], &[]);
    let client = http_client();
    let with_host = |host: &'static str| client.get(format!("{}/health", served.url)).header("host", host).send();
    // A DNS-rebinding page: its own name, pointed at 127.0.0.1.
    let res = with_host("attacker.example").await.unwrap();
    assert_eq!(res.status(), 421);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_host");
    assert!(body["error"]["message"].as_str().unwrap().contains("--allowed-host"));
    for ok in ["shop.lan", "localhost:8080", "127.0.0.1", "SHOP.LAN."] {
        assert_eq!(with_host(ok).await.unwrap().status(), 200, "{ok}");
    }
}
