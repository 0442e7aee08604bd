//! Opening connections with the settings every connection of the service shares.

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::AppResult;

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
const STATEMENT_CACHE: usize = 64;

/// How much of a statement journal SQLite keeps in memory before it spills to a temporary file.
///
/// Every write request runs in its own SAVEPOINT (group commit, see writer.rs), so SQLite keeps
/// a journal of each page a request first changes, ~100 KiB for an order. Past the default
/// 64 KiB that journal went to a file, a pwrite per page: a quarter of the writer's CPU when
/// taking orders. In memory it is one buffer of this size (`temp_store=MEMORY` would instead
/// allocate it 1 KiB at a time, which costs nearly as much in malloc).
///
/// At most 128 KiB - 1: when the journal spills, SQLite writes the buffer to the file in one
/// call, and its unix VFS masks every write's length to 17 bits (`nBuf &= 0x1ffff` in
/// seekAndWriteFd). With the 1 MiB this once was, the spill wrote 0 bytes and failed as
/// SQLITE_FULL: a dry-run import of 500 rows on a large database answered "disk full" with
/// 73 GB free (and at 256 KiB the journal came back as garbage: "database disk image is
/// malformed"). A request whose journal outgrows this spills correctly, page by page.
const STATEMENT_JOURNAL_SPILL: std::ffi::c_int = 0x1ffff;

/// Process-wide SQLite settings, before the first connection opens SQLite.
///
/// Memory statistics off: with them on, every allocation inside SQLite takes one global
/// mutex, which all reader threads share (SQLite's own advice for multi-threaded use).
/// Allocations through mimalloc, like the rest of the process (see `crate::memory`).
fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let methods = crate::memory::sqlite_mem_methods();
        // SAFETY: before any connection exists, as below; SQLITE_CONFIG_MALLOC takes a pointer
        // to an sqlite3_mem_methods, which SQLite copies before returning.
        let rc = unsafe { rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MALLOC, &raw const methods) };
        if rc != rusqlite::ffi::SQLITE_OK {
            tracing::debug!(rc, "SQLite was initialised already; it keeps the C library's malloc");
        }
        // SAFETY: sqlite3_config is called before any connection exists in this process (this
        // runs before the first open below); SQLITE_CONFIG_MEMSTATUS takes one int. If SQLite
        // was already initialised, the call returns SQLITE_MISUSE and changes nothing.
        let rc = unsafe { rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int) };
        if rc != rusqlite::ffi::SQLITE_OK {
            tracing::debug!(rc, "SQLite was initialised already; memory statistics stay on");
        }
        // SAFETY: as above; SQLITE_CONFIG_STMTJRNL_SPILL takes one int.
        let rc = unsafe {
            rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_STMTJRNL_SPILL, STATEMENT_JOURNAL_SPILL)
        };
        if rc != rusqlite::ffi::SQLITE_OK {
            tracing::debug!(rc, "SQLite was initialised already; statement journals spill at 64 KiB");
        }
    });
}

/// Opens (creating if needed) the database for writing, in WAL mode with foreign keys on and
/// synchronous=FULL: every acknowledged commit survives power loss.
pub fn open_read_write(path: &Path) -> AppResult<Connection> {
    configure_sqlite();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

/// Opens a read-only connection; the file must exist and be in WAL mode already.
pub fn open_read_only(path: &Path) -> AppResult<Connection> {
    configure_sqlite();
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> AppResult<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    super::functions::register(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Lists use `LIMIT ? OFFSET ?`; without the query planner stability guarantee SQLite
    // re-plans such statements whenever the bound values change.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    if std::env::var_os(SQL_LOG).is_some() {
        conn.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT, Some(log_statement));
    }
    Ok(())
}

/// The environment variable naming a file to which every distinct statement this process
/// runs is appended, one per line, as written in the code (placeholders, not values). CI sets
/// it for the test suite, then prepares every logged statement on PostgreSQL
/// (tests/api/postgres_schema.rs): the store's SQL must stay SQL both engines accept.
pub const SQL_LOG: &str = "ORDER_SYSTEM_SQL_LOG";

fn log_statement(event: rusqlite::trace::TraceEvent<'_>) {
    use std::collections::HashSet;
    use std::io::Write;
    use std::sync::{Mutex, OnceLock};
    let rusqlite::trace::TraceEvent::Stmt(_, sql) = event else {
        return;
    };
    /// The file, and the statements this process has written to it already.
    type Log = Mutex<(std::fs::File, HashSet<String>)>;
    static LOG: OnceLock<Option<Log>> = OnceLock::new();
    let log = LOG.get_or_init(|| {
        let path = std::env::var_os(SQL_LOG)?;
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).ok()?;
        Some(Mutex::new((file, HashSet::new())))
    });
    let Some(Ok(mut log)) = log.as_ref().map(Mutex::lock) else {
        return;
    };
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if log.1.insert(one_line.clone()) {
        // One write per line: other processes (the commands tests run) append to it too.
        let _ = log.0.write_all(format!("{one_line}\n").as_bytes());
    }
}
