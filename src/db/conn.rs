//! The store's handle on the database: what every store function takes instead of a
//! `rusqlite::Connection`, so that one body serves both engines (docs/postgresql.md, step 3).
//!
//! It mirrors the part of rusqlite the store uses (`prepare_cached(..)?.query_row(..)`,
//! `query_map`, `execute`, `optional()`), so a store function reads as it always did; only the
//! types at its edges name [`Conn`], [`Row`] and [`Error`]. Values keep rusqlite's model
//! (`ToSql`, `FromSql`): the store's types say once how they are stored, and on PostgreSQL
//! they are carried by [`super::pg_value`].
//!
//! Code that is about SQLite itself (pragmas, backups, the WAL, the writer's transaction)
//! keeps the `rusqlite::Connection` it has, or asks [`Conn::as_sqlite`] for it.

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlError, Value, ValueRef};

use super::postgres::session::Session;

use crate::error::{AppError, AppResult};

/// A borrowed connection, cheap to copy.
#[derive(Clone, Copy)]
pub struct Conn<'a> {
    engine: Engine<'a>,
}

#[derive(Clone, Copy)]
enum Engine<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a Session),
}

impl<'a> From<&'a Session> for Conn<'a> {
    fn from(session: &'a Session) -> Self {
        Self {
            engine: Engine::Postgres(session),
        }
    }
}

impl<'a> From<&'a rusqlite::Connection> for Conn<'a> {
    fn from(conn: &'a rusqlite::Connection) -> Self {
        Self {
            engine: Engine::Sqlite(conn),
        }
    }
}

impl<'a> Conn<'a> {
    /// The SQLite connection underneath, for what only SQLite has (pragmas, `ATTACH`, the
    /// WAL); `None` on another engine.
    pub fn as_sqlite(&self) -> Option<&'a rusqlite::Connection> {
        match self.engine {
            Engine::Sqlite(c) => Some(c),
            Engine::Postgres(_) => None,
        }
    }

    /// True on PostgreSQL, for the few places where the engines differ in more than SQL
    /// (how a transaction begins, what a backup is).
    pub fn is_postgres(&self) -> bool {
        matches!(self.engine, Engine::Postgres(_))
    }

    /// [`Conn::as_sqlite`] for work that exists only on SQLite (an integrity check of the file,
    /// a WAL checkpoint): an error on another engine, whose callers should not have asked.
    pub fn sqlite(&self) -> AppResult<&'a rusqlite::Connection> {
        self.as_sqlite()
            .ok_or_else(|| AppError::Internal("this works on the SQLite database only".into()))
    }

    /// A statement from the connection's cache: parsed once, reused by every later call.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'a>> {
        match self.engine {
            Engine::Sqlite(c) => Ok(Statement {
                inner: Prepared::Cached(c.prepare_cached(sql)?),
            }),
            Engine::Postgres(session) => Ok(Statement {
                inner: Prepared::Postgres(session, session.prepare(sql)?),
            }),
        }
    }

    /// A statement parsed for this use only (one whose text varies, such as a filtered list).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'a>> {
        match self.engine {
            Engine::Sqlite(c) => Ok(Statement {
                inner: Prepared::Plain(c.prepare(sql)?),
            }),
            // Prepared once per text all the same: a round trip saved on every later use.
            Engine::Postgres(session) => Ok(Statement {
                inner: Prepared::Postgres(session, session.prepare(sql)?),
            }),
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare(sql)?.execute(params)
    }

    /// Runs a query that must return a row and maps its first row.
    pub fn query_row<T>(&self, sql: &str, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.prepare(sql)?.query_row(params, f)
    }

    /// Runs statements without parameters, separated by semicolons.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.engine {
            Engine::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Engine::Postgres(session) => session.batch_execute(sql),
        }
    }

    /// The id of the row the last INSERT on this connection created. On PostgreSQL that is
    /// `lastval()`: the last value any identity column took in this session, which is the
    /// INSERT's own as long as no trigger of that INSERT fills another identity column (ours
    /// fill only tables keyed by day and status).
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match self.engine {
            Engine::Sqlite(c) => Ok(c.last_insert_rowid()),
            Engine::Postgres(session) => session.last_insert_id(),
        }
    }

    /// Runs `f` in a transaction of its own: committed if it returns `Ok`, rolled back
    /// otherwise. For commands that write outside the writer thread (demo data, repairs).
    pub fn in_transaction<T>(&self, f: impl FnOnce(&Conn<'a>) -> AppResult<T>) -> AppResult<T> {
        // SQLite: take the write lock now, so the transaction cannot fail half-way on
        // another writer's lock.
        self.execute_batch(if self.is_postgres() { "BEGIN" } else { "BEGIN IMMEDIATE" })?;
        match f(self) {
            Ok(value) => {
                self.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(err) => {
                if let Err(rollback) = self.execute_batch("ROLLBACK") {
                    tracing::warn!(error = %rollback, "rolling back failed");
                }
                Err(err)
            }
        }
    }
}

/// A prepared statement.
pub struct Statement<'a> {
    inner: Prepared<'a>,
}

enum Prepared<'a> {
    Cached(rusqlite::CachedStatement<'a>),
    Plain(rusqlite::Statement<'a>),
    Postgres(&'a Session, super::postgres::session::Statement),
}

impl<'a> Statement<'a> {
    /// Runs the statement; returns how many rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        match &mut self.inner {
            Prepared::Cached(stmt) => Ok(params.with(|p| stmt.execute(p))?),
            Prepared::Plain(stmt) => Ok(params.with(|p| stmt.execute(p))?),
            Prepared::Postgres(session, stmt) => params.with(|p| session.execute(stmt, p)),
        }
    }

    /// Maps the first row; [`Error::NoRows`] if there is none.
    pub fn query_row<T>(&mut self, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(Error::NoRows),
        }
    }

    /// Maps every row, lazily.
    pub fn query_map<T, F>(&mut self, params: impl Params, f: F) -> Result<MappedRows<'_, F>>
    where
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            f,
        })
    }

    /// The rows, to step through with [`Rows::next`].
    pub fn query(&mut self, params: impl Params) -> Result<Rows<'_>> {
        let inner = match &mut self.inner {
            Prepared::Cached(stmt) => RowsInner::Sqlite(params.with(move |p| stmt.query(p))?),
            Prepared::Plain(stmt) => RowsInner::Sqlite(params.with(move |p| stmt.query(p))?),
            // All rows at once: the store's queries are paged or bounded, and a session can run
            // nothing else while a cursor is open.
            Prepared::Postgres(session, stmt) => RowsInner::Values {
                rows: params.with(|p| session.query(stmt, p))?.into_iter(),
                current: None,
            },
        };
        Ok(Rows { inner })
    }

    /// Whether the query returns any row.
    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        Ok(self.query(params)?.next()?.is_some())
    }
}

/// The rows of a query, stepped through one at a time.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Values {
        rows: std::vec::IntoIter<Vec<Value>>,
        current: Option<Vec<Value>>,
    },
}

impl Rows<'_> {
    /// The next row, or `None` after the last.
    #[allow(clippy::should_implement_trait)] // A row borrows the cursor: not an Iterator.
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        Ok(match &mut self.inner {
            RowsInner::Sqlite(rows) => rows.next()?.map(|r| Row {
                inner: RowInner::Sqlite(r),
            }),
            RowsInner::Values { rows, current } => {
                *current = rows.next();
                current.as_deref().map(|values| Row {
                    inner: RowInner::Values(values),
                })
            }
        })
    }
}

/// [`Statement::query_map`]'s rows.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(err) => Some(Err(err)),
        }
    }
}

/// One row of a result.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    /// A row from another engine, as the values SQLite would have given.
    Values(&'r [Value]),
}

impl Row<'_> {
    /// Column `idx` (from 0) as a `T`.
    pub fn get<I: ColumnIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let column = idx.index();
        match self.inner {
            RowInner::Sqlite(r) => Ok(r.get(column)?),
            RowInner::Values(values) => {
                let value = values.get(column).ok_or_else(|| Error::Conversion {
                    column,
                    message: format!("the row has {} columns", values.len()),
                })?;
                T::column_result(ValueRef::from(value)).map_err(|e| Error::Conversion {
                    column,
                    message: match e {
                        FromSqlError::InvalidType => format!("{:?} is not of the type read", value.data_type()),
                        other => other.to_string(),
                    },
                })
            }
        }
    }
}

/// A column's position (the store reads columns by position only).
pub trait ColumnIndex {
    fn index(&self) -> usize;
}

impl ColumnIndex for usize {
    fn index(&self) -> usize {
        *self
    }
}

/// A statement's parameters: `params![..]`, an array such as `[id]`, `[]`, or
/// [`params_from_iter`].
pub trait Params {
    /// Calls `f` with the parameters as a slice.
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Params for &[&dyn ToSql] {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self)
    }
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(&[])
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                f(&self.each_ref().map(|p| p as &dyn ToSql))
            }
        }
    )*};
}

array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Parameters from an iterator (a list's filter values).
pub struct ParamsFromIter<I>(I);

/// Parameters from an iterator, as rusqlite's function of that name.
pub fn params_from_iter<I>(iter: I) -> ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    ParamsFromIter(iter)
}

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator,
    I::Item: ToSql,
{
    fn with<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        let values: Vec<I::Item> = self.0.into_iter().collect();
        let refs: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
        f(&refs)
    }
}

/// A database failure, whichever engine it came from.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query that must return a row returned none.
    #[error("the query returned no row")]
    NoRows,
    #[error(transparent)]
    Sqlite(rusqlite::Error),
    #[error("{}", super::postgres::one_line(.0))]
    Postgres(postgres::Error),
    /// A column whose value is not what the store reads there.
    #[error("column {column}: {message}")]
    Conversion { column: usize, message: String },
    /// The engine was used in a way it cannot serve.
    #[error("{0}")]
    Engine(String),
}

impl From<postgres::Error> for Error {
    fn from(err: postgres::Error) -> Self {
        Self::Postgres(err)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Self {
        match err {
            rusqlite::Error::QueryReturnedNoRows => Self::NoRows,
            other => Self::Sqlite(other),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `.optional()` on a single-row query: no row is `Ok(None)`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::NoRows) => Ok(None),
            Err(err) => Err(err),
        }
    }
}

impl From<Error> for AppError {
    fn from(err: Error) -> Self {
        match err {
            Error::Sqlite(e) => e.into(),
            Error::Postgres(e) => super::postgres::app_error(&e),
            Error::NoRows | Error::Conversion { .. } | Error::Engine(_) => Self::Internal(format!("database: {err}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_table(f: impl FnOnce(Conn<'_>)) {
        let raw = rusqlite::Connection::open_in_memory().unwrap();
        raw.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            .unwrap();
        f(Conn::from(&raw));
    }

    #[test]
    fn every_kind_of_parameter_list_binds() {
        with_table(|conn| {
            conn.execute("INSERT INTO t (name) VALUES (?)", ["a"]).unwrap();
            conn.execute("INSERT INTO t (id, name) VALUES (?, ?)", rusqlite::params![5, "b"])
                .unwrap();
            conn.execute(
                "INSERT INTO t (name) VALUES (?)",
                params_from_iter(vec!["c".to_owned()]),
            )
            .unwrap();
            let n: i64 = conn.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0)).unwrap();
            assert_eq!(n, 3);
            assert_eq!(conn.last_insert_rowid().unwrap(), 6);
        });
    }

    #[test]
    fn a_missing_row_is_no_rows_and_optional_makes_it_none() {
        with_table(|conn| {
            let missing = conn.query_row("SELECT name FROM t WHERE id = ?", [1], |r| r.get::<_, String>(0));
            assert!(matches!(missing, Err(Error::NoRows)));
            let none = conn
                .prepare_cached("SELECT name FROM t WHERE id = ?")
                .unwrap()
                .query_row([1], |r| r.get::<_, String>(0))
                .optional()
                .unwrap();
            assert_eq!(none, None);
        });
    }

    #[test]
    fn a_wrong_parameter_count_is_an_error_not_a_partial_bind() {
        with_table(|conn| {
            let err = conn.execute("INSERT INTO t (id, name) VALUES (?, ?)", [1]).unwrap_err();
            assert!(err.to_string().contains("parameter"), "{err}");
        });
    }

    #[test]
    fn a_failed_transaction_leaves_nothing() {
        with_table(|conn| {
            let failed: AppResult<()> = conn.in_transaction(|c| {
                c.execute("INSERT INTO t (name) VALUES ('x')", [])?;
                Err(AppError::Internal("stop".into()))
            });
            assert!(failed.is_err());
            conn.in_transaction(|c| Ok(c.execute("INSERT INTO t (name) VALUES ('y')", [])?))
                .unwrap();
            let names: Vec<String> = conn
                .prepare("SELECT name FROM t")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_>>()
                .unwrap();
            assert_eq!(names, ["y"]);
        });
    }
}
