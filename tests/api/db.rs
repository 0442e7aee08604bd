//! The writer's group commit and the readers, on a real SQLite file.

use std::sync::Arc;

use order_system::db::{Db, DbOptions, migrations};
use order_system::error::AppError;

fn open(dir: &tempfile::TempDir) -> Db {
    let path = dir.path().join("t.db");
    migrations::apply(&path).unwrap();
    Db::open(&DbOptions::new(&path)).unwrap()
}

fn insert_counter(conn: &order_system::db::Conn, day: &str) -> Result<(), AppError> {
    conn.execute("INSERT INTO order_number_counters (day, last) VALUES (?, 1)", [day])?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_request_rolls_back_alone_and_batches_share_commits() {
    let dir = tempfile::tempdir().unwrap();
    let db = open(&dir);
    let mut tasks = Vec::new();
    for i in 0..400 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.write(move |conn| {
                insert_counter(conn, &format!("k{i}"))?;
                if i % 5 == 0 {
                    // Its own insert must vanish; the others in its batch must not.
                    return Err(AppError::validation("i", "refused on purpose"));
                }
                if i % 97 == 0 {
                    panic!("a bug in one request");
                }
                Ok(i)
            })
            .await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        if t.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    let expected_ok = (0..400).filter(|i| i % 5 != 0 && i % 97 != 0).count();
    assert_eq!(ok, expected_ok);
    let stored: i64 = db
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM order_number_counters", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert_eq!(
        stored as usize, expected_ok,
        "exactly the successful requests are stored"
    );
    let stats = db.writer_stats();
    assert_eq!(stats.requests, 400);
    assert!(
        stats.transactions < stats.requests,
        "group commit shared transactions: {stats:?}"
    );
    assert!(db.writer_alive(), "a panic in one request does not kill the writer");

    // Durable and visible to a fresh connection the moment the answer arrives.
    db.write(|c| insert_counter(c, "visible")).await.unwrap();
    let other = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
    let n: i64 = other
        .query_row(
            "SELECT COUNT(*) FROM order_number_counters WHERE day = 'visible'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(other);
    db.close();
    let err = db.write(|c| insert_counter(c, "after-close")).await.unwrap_err();
    assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
}

#[tokio::test]
async fn constraint_errors_surface_and_the_database_enforces_its_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(open(&dir));
    // Negative stock is refused by the CHECK constraint even if code forgot to check.
    let err = db
        .write(|c| {
            c.execute(
                "INSERT INTO products (sku, name, price_minor, stock_quantity, status, created_at, updated_at)
                 VALUES ('X', 'x', 100, -1, 'active', 'now', 'now')",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Internal(_)), "{err:?}");
    // Foreign keys are on for the writer.
    let err = db
        .write(|c| {
            c.execute(
                "INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor)
                 VALUES (999, 999, 'x', 'x', 1, 1, 1)",
                [],
            )?;
            Ok(())
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    let (journal, sync, fk): (String, i64, i64) = db
        .write(|c| {
            Ok((
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA synchronous", [], |r| r.get(0))?,
                c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(
        (journal.as_str(), sync, fk),
        ("wal", 2, 1),
        "WAL, synchronous=FULL, foreign keys on"
    );
    // Readers cannot write.
    let err = db.read(|c| insert_counter(c, "nope")).await.unwrap_err();
    assert!(
        matches!(&err, AppError::Unavailable(m) if m.contains("attempt to write a readonly database")),
        "{err:?}"
    );
}
