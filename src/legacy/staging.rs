//! The staging database: every table of the source, as text, in a private temporary SQLite
//! database attached to the import's connection (`staging`), deleted when the import ends.
//!
//! Why stage: a dump lists tables alphabetically (order_items before orders before products
//! before users), and an order line needs its product's name and its order's new id. On disk,
//! the source can be any size and memory stays flat; the mapping step then reads it in the
//! order it needs, with SQL.

use std::collections::HashMap;

use anyhow::Context;
use rusqlite::Connection;

use super::source::Sink;

/// Rows per staging transaction: big enough that commits cost nothing, small enough that the
/// staging journal stays small.
const BATCH: usize = 20_000;

/// A source table as staged: its staging name and its source column names.
#[derive(Clone, Debug)]
pub struct Staged {
    pub source_name: String,
    pub staging_name: String,
    pub columns: Vec<String>,
    pub rows: u64,
}

type Progress<'c> = Box<dyn FnMut(&str, u64) + 'c>;

pub struct Staging<'c> {
    conn: &'c Connection,
    tables: HashMap<String, Staged>,
    current: Option<String>,
    pending: usize,
    /// Called with (table, rows so far) now and then, for the progress bar.
    progress: Progress<'c>,
}

/// A quoted SQL identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl<'c> Staging<'c> {
    /// Attaches an empty temporary database as `staging` to `conn`.
    pub fn attach(conn: &'c Connection, progress: impl FnMut(&str, u64) + 'c) -> anyhow::Result<Self> {
        conn.execute_batch(
            "ATTACH DATABASE '' AS staging;
             PRAGMA staging.journal_mode = OFF;
             PRAGMA staging.synchronous = OFF;",
        )
        .context("cannot create the staging database")?;
        Ok(Self {
            conn,
            tables: HashMap::new(),
            current: None,
            pending: 0,
            progress: Box::new(progress),
        })
    }

    /// Ends the last batch; returns the staged tables by lower-case source name.
    pub fn finish(mut self) -> anyhow::Result<HashMap<String, Staged>> {
        self.commit()?;
        Ok(self.tables)
    }

    fn commit(&mut self) -> anyhow::Result<()> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        self.pending = 0;
        Ok(())
    }
}

impl Sink for Staging<'_> {
    fn table(&mut self, name: &str, columns: &[String]) -> anyhow::Result<()> {
        let key = name.to_lowercase();
        if let Some(existing) = self.tables.get(&key) {
            if existing.columns != columns {
                anyhow::bail!("table {name} appears twice with different columns");
            }
        } else {
            let staging_name = format!("t{}", self.tables.len());
            let defs: Vec<String> = columns.iter().map(|c| format!("{} TEXT", ident(c))).collect();
            self.conn
                .execute_batch(&format!(
                    "CREATE TABLE staging.{staging_name} (_row INTEGER PRIMARY KEY, {})",
                    defs.join(", ")
                ))
                .with_context(|| format!("cannot stage table {name}"))?;
            self.tables.insert(
                key.clone(),
                Staged {
                    source_name: name.to_owned(),
                    staging_name,
                    columns: columns.to_vec(),
                    rows: 0,
                },
            );
        }
        self.current = Some(key);
        Ok(())
    }

    fn row(&mut self, values: Vec<Option<String>>) -> anyhow::Result<()> {
        let key = self.current.as_ref().context("a row before its table")?;
        let table = self.tables.get_mut(key).context("a row of an unknown table")?;
        if self.pending == 0 {
            self.conn.execute_batch("BEGIN")?;
        }
        let marks = vec!["?"; values.len()].join(", ");
        let columns: Vec<String> = table.columns.iter().map(|c| ident(c)).collect();
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO staging.{} ({}) VALUES ({marks})",
                table.staging_name,
                columns.join(", ")
            ))?
            .execute(rusqlite::params_from_iter(values.iter()))?;
        table.rows += 1;
        self.pending += 1;
        if table.rows % 5_000 == 0 {
            (self.progress)(&table.source_name, table.rows);
        }
        if self.pending >= BATCH {
            self.commit()?;
        }
        Ok(())
    }
}
