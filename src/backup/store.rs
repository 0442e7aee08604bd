//! The SQL of backups: the consistent copy and the checks of a database file.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::AppResult;

/// Writes a consistent, compacted copy of the database to `dest` (which must not exist).
/// It reads one snapshot, like any reader: writers go on unhindered meanwhile (WAL mode).
pub fn vacuum_into(conn: &Connection, dest: &Path) -> AppResult<()> {
    conn.execute("VACUUM INTO ?", [dest.to_string_lossy()])?;
    Ok(())
}

/// What checking a database file found.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FileCheck {
    /// "ok", or SQLite's list of problems.
    pub integrity: String,
    /// Rows whose foreign keys point nowhere.
    pub foreign_key_violations: i64,
    /// The newest migration applied to it (0 if it has none).
    pub schema_version: i32,
}

impl FileCheck {
    pub fn is_ok(&self) -> bool {
        self.integrity == "ok" && self.foreign_key_violations == 0
    }
}

/// Opens a database file read-only and checks it: integrity, foreign keys, schema version.
pub fn check_file(path: &Path) -> AppResult<FileCheck> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    check(&conn)
}

pub fn check(conn: &Connection) -> AppResult<FileCheck> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let integrity = problems.join("; ");
    let foreign_key_violations = conn
        .prepare("PRAGMA foreign_key_check")?
        .query_map([], |_| Ok(()))?
        .count() as i64;
    Ok(FileCheck {
        integrity,
        foreign_key_violations,
        schema_version: schema_version(&conn.into())?,
    })
}

/// The newest applied migration recorded by refinery, or 0 for a database without history.
pub fn schema_version(conn: &crate::db::Conn) -> AppResult<i32> {
    let has_history: bool = conn.query_row(
        if conn.is_postgres() {
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL"
        } else {
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'refinery_schema_history')"
        },
        [],
        |r| r.get(0),
    )?;
    if !has_history {
        return Ok(0);
    }
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )?)
}

/// Folds the WAL into the database file and empties it, so the file alone is the database.
pub fn checkpoint(conn: &Connection) -> AppResult<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
