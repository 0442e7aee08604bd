//! Backup of a large database while a writer keeps committing: prints a table.
//!
//!     cargo bench --bench backup            # 1 GB database (default)
//!     BACKUP_BENCH_MB=200 cargo bench --bench backup
//!
//! It builds a database of the requested size (orders with items, ledger rows and history),
//! then measures the latency of small durable writes through the real writer thread, first
//! alone (baseline) and then while `backup::create` runs. The longest stall is the number that
//! matters: a backup must never hold writers up for more than a few milliseconds.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use order_system::backup;
use order_system::db::{Db, DbOptions, migrations};

fn build(path: &Path, target_mb: u64) {
    migrations::apply(path).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;")
        .unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, username, role, password_hash, created_at, updated_at) VALUES (1, 'bench', 'admin', 'x', 't', 't');
         WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000)
         INSERT INTO products (id, sku, name, price_minor, stock_quantity, status, created_at, updated_at)
         SELECT x, 'SKU-' || x, '商品 ' || x, 100 + x, 1000000000, 'active', '2026-01-01T00:00:00.000Z', 't' FROM n;",
    )
    .unwrap();
    let batch = 50_000;
    let mut next = 1i64;
    loop {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) / (1024 * 1024);
        if size >= target_mb {
            break;
        }
        conn.execute_batch("BEGIN").unwrap();
        conn.execute(
            "WITH RECURSIVE n(x) AS (SELECT ?1 UNION ALL SELECT x + 1 FROM n WHERE x < ?1 + ?2 - 1)
             INSERT INTO orders (id, order_number, user_id, status, total_amount_minor, note, created_at, updated_at)
             SELECT x, 'SO-BENCH-' || x, 1, 'completed', 3 * (100 + x % 1000), '门店订单 ' || hex(randomblob(16)),
                    strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (x % 31536000) || ' seconds'), 't' FROM n",
            [next, batch],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor)
             SELECT id, 1 + id % 1000, '商品', 'SKU', 3, 100 + id % 1000, 3 * (100 + id % 1000) FROM orders WHERE id >= ?1",
            [next],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO order_status_history (order_id, to_status, user_id, created_at) SELECT id, 'completed', 1, created_at FROM orders WHERE id >= ?1",
            [next],
        )
        .unwrap();
        conn.execute_batch("COMMIT").unwrap();
        next += batch;
    }
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
}

/// Latencies of small durable writes through the writer until `stop`, in microseconds.
fn write_loop(db: Db, stop: Arc<AtomicBool>) -> Vec<u64> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut lat = Vec::new();
        let mut i = 0u64;
        while !stop.load(Ordering::Relaxed) {
            i += 1;
            let key = format!("bench-{i}");
            let started = Instant::now();
            db.write(move |c| {
                c.execute("INSERT INTO order_number_counters (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = last + 1", [&key])?;
                Ok(())
            })
            .await
            .unwrap();
            lat.push(started.elapsed().as_micros() as u64);
        }
        lat
    })
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p) as usize] as f64 / 1000.0
}

fn main() {
    let mb: u64 = std::env::var("BACKUP_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    let dir = tempfile::tempdir_in(std::env::var("BACKUP_BENCH_DIR").unwrap_or_else(|_| "/var/tmp".into())).unwrap();
    let path = dir.path().join("bench.db");
    let t = Instant::now();
    build(&path, mb);
    let size = std::fs::metadata(&path).unwrap().len();
    eprintln!(
        "built a {:.0} MB database in {:.1} s",
        size as f64 / 1048576.0,
        t.elapsed().as_secs_f64()
    );

    let db = Db::open(&DbOptions::new(&path)).unwrap();
    // Baseline: the same writes with no backup running, for as long as a backup is expected to take.
    let stop = Arc::new(AtomicBool::new(false));
    let handle = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || write_loop(db, stop))
    };
    std::thread::sleep(Duration::from_secs(5));
    stop.store(true, Ordering::Relaxed);
    let mut baseline = handle.join().unwrap();
    baseline.sort_unstable();

    let stop = Arc::new(AtomicBool::new(false));
    let handle = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || write_loop(db, stop))
    };
    let out = dir.path().join("backups");
    let t = Instant::now();
    let info = backup::create(&path, &out, "bench").unwrap();
    let backup_time = t.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut during = handle.join().unwrap();
    during.sort_unstable();
    db.close();

    println!();
    println!("| backup of a {:.0} MB database | value |", size as f64 / 1048576.0);
    println!("|---|---|");
    println!(
        "| backup time (VACUUM INTO + fsync + integrity/foreign-key verification) | {:.1} s |",
        backup_time.as_secs_f64()
    );
    println!("| backup size | {:.0} MB |", info.size_bytes as f64 / 1048576.0);
    println!(
        "| verification | {} (schema {}) |",
        info.verification, info.schema_version
    );
    println!();
    println!("| durable writes (synchronous=FULL) | n | p50 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|");
    for (label, l) in [
        ("no backup running (baseline)", &baseline),
        ("during the backup", &during),
    ] {
        println!(
            "| {label} | {} | {:.2} | {:.2} | {:.2} |",
            l.len(),
            pct(l, 0.5),
            pct(l, 0.99),
            pct(l, 1.0)
        );
    }
    println!();
    println!(
        "longest writer stall during the backup: {:.2} ms (baseline max {:.2} ms)",
        pct(&during, 1.0),
        pct(&baseline, 1.0)
    );
}
