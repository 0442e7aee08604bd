//! Is a database file's schema exactly what our migrations make? A restore (and `check`)
//! compares every table, column, index, trigger and view with a reference database built in
//! memory by the migrations up to the file's own version, and names each difference.
//!
//! Why: a restored file runs with the server's rights. An extra trigger can rewrite prices or
//! copy password hashes; a missing table turns every order into a 500. A file that passes
//! SQLite's integrity check can still be any of those.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::migrations;
use crate::error::{AppError, AppResult};

/// refinery's own table: its DDL is refinery's, which may change between its versions, so
/// only its columns are compared.
const HISTORY: &str = "refinery_schema_history";

/// (type, name) → SQL, without SQLite's own objects (statistics, autoindexes, sequences).
fn objects(conn: &Connection) -> AppResult<BTreeMap<(String, String), String>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, COALESCE(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), normalize(&r.get::<_, String>(2)?))))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whitespace does not matter; the words and their order do.
fn normalize(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A column: name, declared type, not null, default, place in the primary key.
type Column = (String, String, bool, Option<String>, i64);

fn columns(conn: &Connection, table: &str) -> AppResult<Vec<Column>> {
    let mut stmt = conn.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?)")?;
    let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every way the schema of `conn` differs from what migrations 1..=`version` make; empty when
/// it is ours.
pub fn differences(conn: &Connection, version: i32) -> AppResult<Vec<String>> {
    let mut reference = Connection::open_in_memory()?;
    migrations::apply_to(&mut reference, version)?;
    let (theirs, ours) = (objects(conn)?, objects(&reference)?);
    let mut found = Vec::new();
    for ((kind, name), sql) in &theirs {
        match ours.get(&(kind.clone(), name.clone())) {
            None => found.push(format!("an extra {kind} {name} ({})", excerpt(sql))),
            Some(expected) if kind == "table" => {
                let (have, want) = (columns(conn, name)?, columns(&reference, name)?);
                for column in have.iter().filter(|c| !want.iter().any(|w| w.0 == c.0)) {
                    found.push(format!("table {name} has an extra column {}", column.0));
                }
                for column in want.iter().filter(|w| !have.iter().any(|c| c.0 == w.0)) {
                    found.push(format!("table {name} lacks its column {}", column.0));
                }
                for column in have.iter().filter(|c| want.iter().any(|w| w.0 == c.0 && w != *c)) {
                    found.push(format!("column {name}.{} is declared differently", column.0));
                }
                if have == want && sql != expected && name != HISTORY {
                    found.push(format!("table {name} has other constraints ({})", excerpt(sql)));
                }
            }
            Some(expected) if sql != expected => {
                found.push(format!("{kind} {name} is defined differently ({})", excerpt(sql)))
            }
            Some(_) => {}
        }
    }
    for (kind, name) in ours.keys() {
        if !theirs.contains_key(&(kind.clone(), name.clone())) {
            found.push(format!("no {kind} {name}"));
        }
    }
    Ok(found)
}

fn excerpt(sql: &str) -> String {
    let short: String = sql.chars().take(80).collect();
    if short.len() < sql.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// `differences` as the one error a restore gives.
pub fn refuse_if_foreign(conn: &Connection, version: i32, what: &str) -> AppResult<()> {
    let found = differences(conn, version)?;
    if found.is_empty() {
        return Ok(());
    }
    let listed: Vec<&str> = found.iter().take(5).map(String::as_str).collect();
    let more = if found.len() > 5 {
        format!(" and {} more", found.len() - 5)
    } else {
        String::new()
    };
    Err(AppError::validation(
        "file",
        format!(
            "{what} is not an order-system database of schema version {version}: {}{more}",
            listed.join("; ")
        ),
    ))
}
