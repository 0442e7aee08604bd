//! Columns the application derives from others, because SQL cannot (migration V9): the
//! pinyin sort keys and initials of names, a customer phone's digits, an order number reversed. Every store
//! function that writes the source column writes the derived one too; rows older than V9 get
//! theirs here, after migrating, a batch per transaction.

use rusqlite::params;

use crate::db::Conn;
use crate::error::AppResult;
use crate::validate::{initials, phone_digits, sort_key};

struct Derived {
    table: &'static str,
    source: &'static str,
    column: &'static str,
    /// Never NULL for a non-NULL source, so a filled row is never selected again.
    derive: fn(&str) -> String,
}

pub fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

pub fn digits(phone: &str) -> String {
    phone_digits(phone).unwrap_or_default()
}

const DERIVED: [Derived; 5] = [
    Derived {
        table: "products",
        source: "name",
        column: "name_sort",
        derive: sort_key,
    },
    Derived {
        table: "products",
        source: "name",
        column: "name_initials",
        derive: initials,
    },
    Derived {
        table: "customers",
        source: "name",
        column: "name_sort",
        derive: sort_key,
    },
    Derived {
        table: "customers",
        source: "phone",
        column: "phone_digits",
        derive: digits,
    },
    Derived {
        table: "orders",
        source: "order_number",
        column: "number_reversed",
        derive: reversed,
    },
];

const BATCH: usize = 10_000;

/// Fills every derived column still empty; returns how many rows it filled.
pub fn fill(conn: &Conn) -> AppResult<usize> {
    let mut filled = 0;
    for d in &DERIVED {
        let select = format!(
            "SELECT id, {src} FROM {t} WHERE {col} IS NULL AND {src} IS NOT NULL LIMIT {BATCH}",
            src = d.source,
            t = d.table,
            col = d.column
        );
        let update = format!("UPDATE {} SET {} = ? WHERE id = ?", d.table, d.column);
        loop {
            let done = conn.in_transaction(|tx| {
                let rows: Vec<(i64, String)> = tx
                    .prepare(&select)?
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                let mut set = tx.prepare(&update)?;
                for (id, source) in &rows {
                    set.execute(params![(d.derive)(source), id])?;
                }
                Ok(rows.len())
            })?;
            filled += done;
            if done < BATCH {
                break;
            }
        }
    }
    Ok(filled)
}
