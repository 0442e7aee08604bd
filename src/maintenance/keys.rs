//! The keys look-alike identifiers are matched by (`products.sku_key`, `users.username_key`,
//! migration V8), filled in by the application because SQL has no NFKC or confusables.
//!
//! New and edited rows get their key when written. Rows older than V8 get theirs here, after
//! migrations, in id order: when two existing rows fold to the same key (`NF-550` and
//! `nf-550`), the first keeps it and the later one keeps an empty key, is reported, and stays
//! usable until someone renames it. Nothing is merged or renamed behind the shop's back.

use rusqlite::params;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::constraint::{Kind, broke};
use crate::db::{Conn, OptionalExtension};
use crate::error::AppResult;
use crate::products::types::sku_key;
use crate::users::types::Username;

/// Two rows whose identifiers look alike.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LookAlike {
    /// "product" or "user".
    pub kind: &'static str,
    /// The row left without a key, and its SKU or username.
    pub id: i64,
    pub value: String,
    /// The earlier row it looks like.
    pub like_id: i64,
    pub like_value: String,
}

struct Keyed {
    kind: &'static str,
    table: &'static str,
    column: &'static str,
    key_column: &'static str,
    key: fn(&str) -> String,
}

const KEYED: [Keyed; 2] = [
    Keyed {
        kind: "product",
        table: "products",
        column: "sku",
        key_column: "sku_key",
        key: sku_key,
    },
    Keyed {
        kind: "user",
        table: "users",
        column: "username",
        key_column: "username_key",
        key: Username::key,
    },
];

/// Gives every row without a key its key, unless an earlier row holds it; returns the rows
/// that could not get theirs. Cheap when there is nothing to do (one indexed lookup per table).
pub fn fill(conn: &Conn) -> AppResult<Vec<LookAlike>> {
    let mut found = Vec::new();
    for k in &KEYED {
        let rows = keyless(conn, k)?;
        let mut set = conn.prepare(&format!("UPDATE {} SET {} = ? WHERE id = ?", k.table, k.key_column))?;
        for (id, value) in rows {
            let key = (k.key)(&value);
            match set.execute(params![key, id]) {
                Ok(_) => {}
                Err(err) if broke(&err, Kind::Unique, k.key_column) => {
                    found.push(look_alike(conn, k, id, value, &key)?);
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
    Ok(found)
}

/// The rows still without a key, with the row they look like (for `check`).
pub fn look_alikes(conn: &Conn) -> AppResult<Vec<LookAlike>> {
    let mut found = Vec::new();
    for k in &KEYED {
        for (id, value) in keyless(conn, k)?.into_iter().take(1000) {
            let key = (k.key)(&value);
            found.push(look_alike(conn, k, id, value, &key)?);
        }
    }
    Ok(found)
}

/// (id, identifier) of the rows without a key, oldest first.
fn keyless(conn: &Conn, k: &Keyed) -> AppResult<Vec<(i64, String)>> {
    let sql = format!(
        "SELECT id, {col} FROM {t} WHERE {key} IS NULL ORDER BY id",
        col = k.column,
        t = k.table,
        key = k.key_column
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

fn look_alike(conn: &Conn, k: &Keyed, id: i64, value: String, key: &str) -> AppResult<LookAlike> {
    let like: Option<(i64, String)> = conn
        .prepare(&format!(
            "SELECT id, {col} FROM {t} WHERE {key_col} = ?",
            col = k.column,
            t = k.table,
            key_col = k.key_column
        ))?
        .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (like_id, like_value) = like.unwrap_or((0, String::new()));
    Ok(LookAlike {
        kind: k.kind,
        id,
        value,
        like_id,
        like_value,
    })
}
