//! `order-system db copy`: a whole shop from one engine to the other (SQLite ⇄ PostgreSQL),
//! all or nothing.
//!
//! Both sides are at the same schema version, so they have the same tables and columns
//! (tests/api/postgres_schema.rs holds the two migration folders equal). The SQLite side's
//! schema says which tables there are, their columns, their keys and the order foreign keys
//! need. Every row goes across with its id; the totals that triggers keep (order_status_totals,
//! order_daily_totals) are not copied but rebuilt by the target's own triggers as its orders
//! arrive, and the migrations' history stays each side's own. The target must hold no data.
//! Everything is written in one transaction on the target, which `check` must find clean
//! before it commits; PostgreSQL's identity sequences are then set past the copied ids.

use std::collections::BTreeMap;

use rusqlite::types::Value;

use super::{Conn, params_from_iter};
use crate::error::{AppError, AppResult};

/// Tables that are not copied: each side's migration history, and totals its triggers keep.
const NOT_COPIED: &[&str] = &["refinery_schema_history", "order_status_totals", "order_daily_totals"];

/// A table as the copy needs it.
struct Table {
    name: String,
    columns: Vec<String>,
    /// Primary key columns, the order rows are read in (ids ascending, so a row that refers to
    /// an earlier row of its own table comes after it).
    key: Vec<String>,
}

/// The copy of one table: its name and how many rows went across.
pub type Copied = Vec<(String, u64)>;

/// Copies every row of `from` into `to` (one of them SQLite, the other PostgreSQL); `progress`
/// hears each table as it is done. Nothing is written when anything fails.
pub fn copy(from: &Conn, to: &Conn, mut progress: impl FnMut(&str, u64)) -> AppResult<Copied> {
    let sqlite = from
        .as_sqlite()
        .or_else(|| to.as_sqlite())
        .ok_or_else(|| AppError::Internal("a copy runs between SQLite and PostgreSQL".into()))?;
    let (have, want) = (
        crate::backup::store::schema_version(from)?,
        crate::backup::store::schema_version(to)?,
    );
    if have != want {
        return Err(refused(format!(
            "the source is at schema version {have} and the target at {want}: run `order-system migrate` on the older one first"
        )));
    }
    let source = crate::maintenance::check(from)?;
    if !source.ok {
        return Err(refused(format!(
            "`check` finds problems in the source; fix them first, so that what arrives is clean:\n{}",
            source.lines().join("\n")
        )));
    }
    let tables = in_key_order(sqlite)?;
    to.in_transaction(|to| {
        let mut holding = Vec::new();
        for table in &tables {
            if has_rows(to, &table.name)? {
                holding.push(table.name.as_str());
            }
        }
        if !holding.is_empty() {
            return Err(refused(format!(
                "the target already holds data (in {}): copy into a new database, or a file that does not exist yet",
                holding.join(", ")
            )));
        }
        if !to.is_postgres() {
            // Checked at COMMIT rather than row by row.
            to.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        }
        let mut copied = Vec::with_capacity(tables.len());
        for table in &tables {
            let rows = copy_table(from, to, table)?;
            progress(&table.name, rows);
            copied.push((table.name.clone(), rows));
        }
        if to.is_postgres() {
            reset_sequences(to)?;
        }
        let report = crate::maintenance::check(to)?;
        if !report.ok {
            return Err(AppError::Internal(format!(
                "the copy is not clean, so nothing of it was kept:\n{}",
                report.lines().join("\n")
            )));
        }
        Ok(copied)
    })
}

fn refused(message: String) -> AppError {
    AppError::conflict("copy_refused", message, serde_json::json!({}))
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn has_rows(conn: &Conn, table: &str) -> AppResult<bool> {
    let found: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) AS t", quoted(table)),
        [],
        |r| r.get(0),
    )?;
    Ok(found > 0)
}

fn copy_table(from: &Conn, to: &Conn, table: &Table) -> AppResult<u64> {
    let columns = table.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let order = table.key.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let marks = vec!["?"; table.columns.len()].join(", ");
    let name = quoted(&table.name);
    let mut insert = to.prepare(&format!("INSERT INTO {name} ({columns}) VALUES ({marks})"))?;
    let mut select = from.prepare(&format!("SELECT {columns} FROM {name} ORDER BY {order}"))?;
    let mut rows = select.query([])?;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let values = (0..table.columns.len())
            .map(|i| row.get::<_, Value>(i))
            .collect::<Result<Vec<_>, _>>()?;
        insert.execute(params_from_iter(values))?;
        count += 1;
    }
    Ok(count)
}

/// Sets each identity column's sequence past the highest copied id, so the next row a server
/// inserts does not take one of them.
fn reset_sequences(to: &Conn) -> AppResult<()> {
    let mut identities = to.prepare(
        "SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name",
    )?;
    let found = identities
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (table, column) in found {
        let (t, c) = (quoted(&table), quoted(&column));
        to.query_row(
            &format!("SELECT setval(pg_get_serial_sequence(?, ?), (SELECT COALESCE(MAX({c}), 0) + 1 FROM {t}), false)"),
            [table.as_str(), column.as_str()],
            |r| r.get::<_, i64>(0),
        )?;
    }
    Ok(())
}

/// The tables to copy, each after every table its foreign keys point at.
fn in_key_order(sqlite: &rusqlite::Connection) -> AppResult<Vec<Table>> {
    let names: Vec<String> = sqlite
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut pending: BTreeMap<String, (Table, Vec<String>)> = BTreeMap::new();
    for name in names.into_iter().filter(|n| !NOT_COPIED.contains(&n.as_str())) {
        let mut columns = Vec::new();
        let mut key: Vec<(i64, String)> = Vec::new();
        let mut info = sqlite.prepare("SELECT name, pk FROM pragma_table_info(?)")?;
        for column in info.query_map([&name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (column, pk) = column?;
            if pk > 0 {
                key.push((pk, column.clone()));
            }
            columns.push(column);
        }
        key.sort();
        let key = match key.is_empty() {
            true => columns.clone(),
            false => key.into_iter().map(|(_, c)| c).collect(),
        };
        let parents: Vec<String> = sqlite
            .prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)")?
            .query_map([&name], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?
            .into_iter()
            .filter(|p| *p != name)
            .collect();
        let table = Table {
            name: name.clone(),
            columns,
            key,
        };
        pending.insert(name, (table, parents));
    }
    let mut ordered: Vec<Table> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready: Vec<String> = pending
            .iter()
            .filter(|(_, (_, parents))| parents.iter().all(|p| !pending.contains_key(p)))
            .map(|(name, _)| name.clone())
            .collect();
        if ready.is_empty() {
            return Err(AppError::Internal(format!(
                "the tables' foreign keys go round in a circle: {:?}",
                pending.keys().collect::<Vec<_>>()
            )));
        }
        for name in ready {
            if let Some((table, _)) = pending.remove(&name) {
                ordered.push(table);
            }
        }
    }
    Ok(ordered)
}
