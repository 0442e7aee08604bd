//! One PostgreSQL connection as the store uses it: through [`crate::db::Conn`], with the
//! store's SQL translated once per statement ([`crate::db::dialect`]) and kept prepared.
//!
//! The postgres client wants `&mut` for every query; the store's functions take a shared
//! `&Conn` (as rusqlite's do), so the client sits in a `RefCell`. A session belongs to one
//! thread at a time (a reader, a writer), so the cell is never contended; a query that tried
//! to run while another's rows were still borrowed would be a bug, reported as an error.

use std::cell::RefCell;
use std::collections::HashMap;

use postgres::Client;
use rusqlite::ToSql;
use rusqlite::types::Value;

use crate::db::conn::{Error, Result};
use crate::db::dialect;
use crate::db::pg_value::{self, PgParam};

/// The most statements a session keeps prepared. The store has a few hundred distinct
/// statements; lists with optional filters add a few variants each.
const CACHE: usize = 1024;

pub struct Session {
    client: RefCell<Client>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
}

impl Session {
    pub fn new(client: Client) -> Self {
        Self {
            client: RefCell::new(client),
            prepared: RefCell::default(),
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
    pub fn prepare(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(stmt) = self.prepared.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client()?.prepare(&dialect::to_postgres(sql))?;
        let mut prepared = self.prepared.borrow_mut();
        if prepared.len() >= CACHE {
            prepared.clear();
        }
        prepared.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub fn execute(&self, stmt: &postgres::Statement, params: &[&dyn ToSql]) -> Result<usize> {
        let values = bind(params)?;
        let refs = refs(&values);
        let changed = self.client()?.execute(stmt, &refs)?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    /// Every row, as the values SQLite would have given ([`pg_value::value`]).
    pub fn query(&self, stmt: &postgres::Statement, params: &[&dyn ToSql]) -> Result<Vec<Vec<Value>>> {
        let values = bind(params)?;
        let refs = refs(&values);
        let rows = self.client()?.query(stmt, &refs)?;
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
        Ok(self.client()?.batch_execute(sql)?)
    }

    /// The id the last INSERT into a table with a generated id took in this session.
    pub fn last_insert_id(&self) -> Result<i64> {
        let row = self.client()?.query_one("SELECT lastval()", &[])?;
        Ok(row.try_get(0)?)
    }
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
