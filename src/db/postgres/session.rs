//! One PostgreSQL connection as the store uses it: through [`crate::db::Conn`], with the
//! store's SQL translated once per statement ([`crate::db::dialect`]) and kept prepared.
//!
//! The postgres client wants `&mut` for every query; the store's functions take a shared
//! `&Conn` (as rusqlite's do), so the client sits in a `RefCell`. A session belongs to one
//! thread at a time (a reader, a writer), so the cell is never contended; a query that tried
//! to run while another's rows were still borrowed would be a bug, reported as an error.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use postgres::Client;
use postgres::error::SqlState;
use rusqlite::ToSql;
use rusqlite::types::Value;

use crate::db::Table;
use crate::db::conn::{Error, Result};
use crate::db::dialect;
use crate::db::pg_value::{self, PgParam};

/// The most statements a session keeps prepared. The store has a few hundred distinct
/// statements; lists with optional filters add a few variants each.
const CACHE: usize = 1024;

pub struct Session {
    client: RefCell<Client>,
    prepared: RefCell<HashMap<String, Statement>>,
    /// The SQLSTATE of the last statement that failed, for the writer to decide on a retry
    /// (the store has turned the error into an `AppError` by the time the writer sees it).
    failure: RefCell<Option<SqlState>>,
    /// Whether a statement wrote a table the in-memory caches watch, since the last
    /// [`Session::take_written`].
    written: Cell<[bool; 2]>,
}

/// A prepared statement, with the watched table it writes (for the caches' generations).
#[derive(Clone)]
pub struct Statement {
    stmt: postgres::Statement,
    writes: Option<Table>,
}

impl Session {
    pub fn new(client: Client) -> Self {
        Self {
            client: RefCell::new(client),
            prepared: RefCell::default(),
            failure: RefCell::default(),
            written: Cell::default(),
        }
    }

    /// True once the connection has gone (the server restarted, the network failed): the
    /// session is then dropped and a new one made.
    pub fn is_closed(&self) -> bool {
        self.client.try_borrow().is_ok_and(|c| c.is_closed())
    }

    /// The SQLSTATE of the last failed statement, cleared.
    pub fn take_failure(&self) -> Option<SqlState> {
        self.failure.borrow_mut().take()
    }

    /// Which watched tables were written since the last call: `[users, products]`.
    pub fn take_written(&self) -> [bool; 2] {
        self.written.take()
    }

    fn noted<T>(&self, result: std::result::Result<T, postgres::Error>) -> Result<T> {
        result.map_err(|err| {
            *self.failure.borrow_mut() = err.code().cloned();
            Error::from(err)
        })
    }

    fn wrote(&self, stmt: &Statement) {
        if let Some(table) = stmt.writes {
            let mut written = self.written.get();
            written[table as usize] = true;
            self.written.set(written);
        }
    }

    /// Connects as the URL says (TLS included, see [`super::tls`]).
    pub fn connect(url: &str) -> anyhow::Result<Self> {
        Ok(Self::new(super::connect(url, "cannot open the database")?))
    }

    fn client(&self) -> Result<std::cell::RefMut<'_, Client>> {
        self.client
            .try_borrow_mut()
            .map_err(|_| Error::Engine("a PostgreSQL query ran while another was still open".into()))
    }

    /// The statement for `sql` (the store's text, in SQLite's words), prepared once.
    pub fn prepare(&self, sql: &str) -> Result<Statement> {
        if let Some(stmt) = self.prepared.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let result = self.client()?.prepare(&dialect::to_postgres(sql));
        let stmt = Statement {
            stmt: self.noted(result)?,
            writes: written_table(sql),
        };
        let mut prepared = self.prepared.borrow_mut();
        if prepared.len() >= CACHE {
            prepared.clear();
        }
        prepared.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub fn execute(&self, stmt: &Statement, params: &[&dyn ToSql]) -> Result<usize> {
        let values = bind(params)?;
        let refs = refs(&values);
        let result = self.client()?.execute(&stmt.stmt, &refs);
        let changed = self.noted(result)?;
        if changed > 0 {
            self.wrote(stmt);
        }
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    /// Every row, as the values SQLite would have given ([`pg_value::value`]).
    pub fn query(&self, stmt: &Statement, params: &[&dyn ToSql]) -> Result<Vec<Vec<Value>>> {
        let values = bind(params)?;
        let refs = refs(&values);
        let result = self.client()?.query(&stmt.stmt, &refs);
        let rows = self.noted(result)?;
        if !rows.is_empty() {
            // An INSERT .. RETURNING is a query too.
            self.wrote(stmt);
        }
        rows.iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        pg_value::value(row, i).map_err(|e| Error::Conversion {
                            column: i,
                            message: e.to_string(),
                        })
                    })
                    .collect()
            })
            .collect()
    }

    pub fn batch_execute(&self, sql: &str) -> Result<()> {
        let result = self.client()?.batch_execute(sql);
        self.noted(result)
    }

    /// The payloads of the notifications that arrived on this session's LISTEN channels, waiting
    /// up to `wait` for the first (see [`super::listener`]).
    pub fn notifications(&self, wait: std::time::Duration) -> Result<Vec<String>> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut client = self.client()?;
        let mut notifications = client.notifications();
        let mut payloads = Vec::new();
        let first = notifications.timeout_iter(wait).next();
        if let Some(n) = self.noted(first)? {
            payloads.push(n.payload().to_owned());
            let mut pending = notifications.iter();
            while let Some(n) = self.noted(pending.next())? {
                payloads.push(n.payload().to_owned());
            }
        }
        Ok(payloads)
    }

    /// The id the last INSERT into a table with a generated id took in this session.
    pub fn last_insert_id(&self) -> Result<i64> {
        let result = self.client()?.query_one("SELECT lastval()", &[]);
        Ok(self.noted(result)?.try_get(0)?)
    }
}

/// The table an INSERT, UPDATE or DELETE writes ("INSERT INTO products ..."), if it is one the
/// caches watch. Triggers write only the order totals, which no cache holds.
fn written_table(sql: &str) -> Option<Table> {
    let mut words = sql.split_whitespace().map(str::to_ascii_lowercase);
    let table = match words.next()?.as_str() {
        "insert" | "delete" => {
            let mut rest = words.skip_while(|w| w != "into" && w != "from");
            rest.next();
            rest.next()?
        }
        "update" => words.next()?,
        _ => return None,
    };
    Table::of(table.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next()?)
}

/// The store's parameters as PostgreSQL parameters: each is asked for its SQLite value once,
/// then written as the type the server inferred for its placeholder.
fn bind<'p>(params: &'p [&'p dyn ToSql]) -> Result<Vec<PgParam<'p>>> {
    params
        .iter()
        .map(|p| p.to_sql().map(PgParam).map_err(Error::from))
        .collect()
}

fn refs<'v>(values: &'v [PgParam<'_>]) -> Vec<&'v (dyn postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::written_table;
    use crate::db::Table;

    #[test]
    fn the_written_table_is_read_from_the_statement() {
        assert_eq!(
            written_table("INSERT INTO products (sku) VALUES (?)"),
            Some(Table::Products)
        );
        assert_eq!(written_table("  update users SET x = 1"), Some(Table::Users));
        assert_eq!(
            written_table("DELETE FROM revoked_tokens WHERE expires_at < ?"),
            Some(Table::Users)
        );
        assert_eq!(
            written_table("INSERT INTO products(id) VALUES (1)"),
            Some(Table::Products)
        );
        assert_eq!(written_table("UPDATE orders SET status = ?"), None);
        assert_eq!(written_table("SELECT * FROM products"), None);
    }
}
