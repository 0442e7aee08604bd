//! Schema migrations of the SQLite database, embedded from `migrations/sqlite` and applied with
//! refinery (PostgreSQL has its own folder and runner: see [`super::postgres`]).

use std::path::Path;

use rusqlite::Connection;

use super::open_read_write;
use crate::error::{AppError, AppResult};

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

/// One migration and whether this database has it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MigrationStatus {
    pub version: i32,
    pub name: String,
    pub applied_on: Option<String>,
}

/// Applies every pending migration; returns the versions it applied.
pub fn apply(path: &Path) -> AppResult<Vec<i32>> {
    let mut conn = open_read_write(path)?;
    apply_on(&mut conn)
}

pub fn apply_on(conn: &mut Connection) -> AppResult<Vec<i32>> {
    let report = without_foreign_keys(conn, |conn| embedded::migrations::runner().run(conn))?;
    fill_keys(conn)?;
    fill_derived(conn)?;
    Ok(report.applied_migrations().iter().map(|m| m.version()).collect())
}

/// What V9 cannot do in SQL: the sort keys, phone digits and reversed order numbers of rows
/// older than it (see maintenance::derived).
fn fill_derived(conn: &Connection) -> AppResult<()> {
    let has_columns: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('orders') WHERE name = 'number_reversed')",
        [],
        |r| r.get(0),
    )?;
    if has_columns {
        let started = std::time::Instant::now();
        let filled = crate::maintenance::derived::fill(&conn.into())?;
        if filled > 0 {
            tracing::info!(rows = filled, took = ?started.elapsed(), "filled the sort keys and search columns of older rows");
        }
    }
    Ok(())
}

/// What V8 cannot do in SQL: the look-alike keys of rows older than it (see
/// maintenance::keys). Rows that would clash are logged here and listed by `check`.
fn fill_keys(conn: &Connection) -> AppResult<()> {
    let has_keys: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('products') WHERE name = 'sku_key')",
        [],
        |r| r.get(0),
    )?;
    if !has_keys {
        return Ok(());
    }
    for l in crate::maintenance::keys::fill(&conn.into())? {
        tracing::warn!(
            kind = l.kind,
            id = l.id,
            value = %l.value,
            like_id = l.like_id,
            like = %l.like_value,
            "two records look alike; rename one of them (order-system check lists them)"
        );
    }
    Ok(())
}

/// Every migration the binary knows, with the time each was applied to this database.
pub fn status(path: &Path) -> AppResult<Vec<MigrationStatus>> {
    let mut conn = open_read_write(path)?;
    let runner = embedded::migrations::runner();
    let applied = runner
        .get_applied_migrations(&mut conn)
        .map_err(|e| AppError::Internal(format!("reading migration history failed: {e}")))?;
    Ok(statuses(runner.get_migrations(), &applied))
}

/// Each of `known` with when it is in `applied` (either engine's runner).
pub fn statuses(known: &[refinery::Migration], applied: &[refinery::Migration]) -> Vec<MigrationStatus> {
    known
        .iter()
        .map(|m| MigrationStatus {
            version: m.version(),
            name: m.name().to_owned(),
            applied_on: applied
                .iter()
                .find(|a| a.version() == m.version())
                .and_then(|a| a.applied_on().map(|t| t.to_string())),
        })
        .collect()
}

/// The newest schema version this binary knows.
pub fn latest_version() -> i32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}

/// The migrations this binary would apply to the database at `path` (none for a new file).
pub fn pending(path: &Path) -> AppResult<Vec<i32>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(status(path)?
        .into_iter()
        .filter(|m| m.applied_on.is_none())
        .map(|m| m.version)
        .collect())
}

/// Applies migrations up to and including `version` only; for tests of upgrades from an old schema.
pub fn apply_up_to(path: &Path, version: i32) -> AppResult<Vec<i32>> {
    let mut conn = open_read_write(path)?;
    apply_to(&mut conn, version)
}

/// Applies migrations up to and including `version` to `conn` (also an in-memory reference,
/// see [`super::schema`]).
pub fn apply_to(conn: &mut Connection, version: i32) -> AppResult<Vec<i32>> {
    let report = without_foreign_keys(conn, |conn| {
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(version))
            .run(conn)
    })?;
    Ok(report.applied_migrations().iter().map(|m| m.version()).collect())
}

/// Runs the migrations with foreign keys off, as SQLite's documented way of changing a table
/// it cannot ALTER requires (create the new table, copy, drop the old, rename: with foreign
/// keys on, the drop would cascade into every order's lines). The keys are checked once the
/// migrations are done and turned back on whatever happened; a violation fails the upgrade.
fn without_foreign_keys(
    conn: &mut Connection,
    run: impl FnOnce(&mut Connection) -> Result<refinery::Report, refinery::Error>,
) -> AppResult<refinery::Report> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let report = run(conn).map_err(|e| AppError::Internal(format!("migration failed: {e}")));
    let violations: rusqlite::Result<i64> =
        conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0));
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let report = report?;
    match violations? {
        0 => Ok(report),
        n => Err(AppError::Internal(format!(
            "migration left {n} row(s) pointing at rows that do not exist; the upgrade is not safe"
        ))),
    }
}
