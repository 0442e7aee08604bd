//! Access to the database: the one SQLite file, or a PostgreSQL server (see
//! [`postgres::pool`]; docs/postgresql.md).
//!
//! SQLite has a single writer, so the service gives it a single owner: one writer thread with
//! its own connection, fed through a channel, which commits queued requests together (group
//! commit, see [`writer`]). Reads go to a few reader threads that each own a read-only
//! connection. No rusqlite call ever runs on an async worker thread: handlers send closures
//! and await the answer.

mod checkpointer;
pub mod conditions;
pub mod conn;
pub(crate) mod connection;
pub mod constraint;
pub mod copy;
pub mod dialect;
pub mod functions;
pub mod metrics;
pub mod migrations;
pub mod pg_value;
pub mod postgres;
mod readers;
pub mod schema;
pub mod stamped;
mod watcher;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;

pub use conditions::Conditions;
pub use conn::{Conn, Error, OptionalExtension, Result, Row, params_from_iter};
pub use connection::{SQL_LOG, open_read_only, open_read_write};
pub use metrics::DbMetrics;
pub use writer::{Table, WriterStats};

use crate::error::{AppError, AppResult};

/// How the database is opened.
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// The SQLite file (also where a PostgreSQL server's data dir keeps its own files).
    pub path: PathBuf,
    pub readers: usize,
    /// A PostgreSQL connection string: the database is there instead of in the file.
    pub postgres: Option<String>,
    /// Writer threads on PostgreSQL (SQLite has one).
    pub writers: usize,
}

impl DbOptions {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            readers: 4,
            postgres: None,
            writers: 4,
        }
    }
}

/// A cheap-to-clone handle to the writer and the readers.
#[derive(Clone)]
pub struct Db {
    shared: Arc<Shared>,
}

/// What outlives a restore: the caches' generations, the outside-change hooks, the metrics.
struct Shared {
    lasting: Lasting,
    /// The running threads; replaced whole when a restore swaps the file under them.
    threads: std::sync::RwLock<Arc<Threads>>,
}

struct Lasting {
    options: DbOptions,
    generations: Arc<writer::Generations>,
    hooks: watcher::Hooks,
    metrics: Arc<DbMetrics>,
}

enum Threads {
    Sqlite(SqliteThreads),
    Postgres(postgres::pool::Pool),
}

struct SqliteThreads {
    writer: writer::WriterHandle,
    readers: readers::ReaderPool,
    checkpointer: checkpointer::Checkpointer,
}

impl Threads {
    fn start(s: &Lasting) -> AppResult<Self> {
        match &s.options.postgres {
            Some(url) => Ok(Self::Postgres(postgres::pool::Pool::start(
                url,
                s.options.readers,
                s.options.writers,
                s.generations.clone(),
                s.hooks.clone(),
                s.metrics.clone(),
            )?)),
            None => SqliteThreads::start(s).map(Self::Sqlite),
        }
    }

    fn close(&self) {
        match self {
            Self::Sqlite(t) => t.close(),
            Self::Postgres(pool) => pool.close(),
        }
    }
}

impl SqliteThreads {
    fn start(s: &Lasting) -> AppResult<Self> {
        let writer = writer::WriterHandle::start(&s.options, s.metrics.clone(), s.generations.clone())?;
        let readers = readers::ReaderPool::start(&s.options, s.metrics.clone())?;
        let (watched, hooks) = (s.generations.clone(), s.hooks.clone());
        let checkpointer =
            checkpointer::Checkpointer::start(&s.options, move |conn| watcher::Watch::new(conn, watched, hooks))?;
        Ok(Self {
            writer,
            readers,
            checkpointer,
        })
    }

    fn close(&self) {
        self.readers.close();
        self.checkpointer.close();
        self.writer.close();
    }
}

impl Db {
    /// Opens the database (which must already be migrated) and starts its threads.
    pub fn open(options: &DbOptions) -> AppResult<Self> {
        let lasting = Lasting {
            options: options.clone(),
            generations: Arc::default(),
            hooks: watcher::Hooks::default(),
            metrics: Arc::default(),
        };
        let threads = std::sync::RwLock::new(Arc::new(Threads::start(&lasting)?));
        Ok(Self {
            shared: Arc::new(Shared { lasting, threads }),
        })
    }

    fn threads(&self) -> Arc<Threads> {
        match self.shared.threads.read() {
            Ok(t) => t.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.shared.lasting.options.path
    }

    /// True when the database is a PostgreSQL server.
    pub fn is_postgres(&self) -> bool {
        self.shared.lasting.options.postgres.is_some()
    }

    /// The PostgreSQL connection string, when the database is there.
    pub fn postgres_url(&self) -> Option<&str> {
        self.shared.lasting.options.postgres.as_deref()
    }

    /// Runs `f` on a read-only connection.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Conn) -> AppResult<T> + Send + 'static,
    {
        match &*self.threads() {
            Threads::Sqlite(t) => t.readers.run(f).await,
            Threads::Postgres(pool) => pool.read(f).await,
        }
    }

    /// Runs `f` inside the writer's transaction and answers once its commit is durable.
    ///
    /// `f` runs in its own savepoint: if it returns an error, its changes alone are rolled back
    /// and other requests committed in the same batch are unaffected.
    ///
    /// `f` may run more than once: on PostgreSQL a transaction that lost a conflict with
    /// another (a deadlock, a unique key taken meanwhile) is rolled back and `f` tried again, so
    /// it must not give away what it captured.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnMut(&Conn) -> AppResult<T> + Send + 'static,
    {
        match &*self.threads() {
            Threads::Sqlite(t) => t.writer.run(f, true).await,
            Threads::Postgres(pool) => pool.write(f, true).await,
        }
    }

    /// Runs `f` like [`Db::write`], then rolls its changes back whatever it returns: a dry run
    /// that checks everything against the real data and writes nothing.
    pub async fn rehearse<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnMut(&Conn) -> AppResult<T> + Send + 'static,
    {
        match &*self.threads() {
            Threads::Sqlite(t) => t.writer.run(f, false).await,
            Threads::Postgres(pool) => pool.write(f, false).await,
        }
    }

    /// A new read-only connection of its own, for long reads such as exports that should not
    /// hold one of the shared readers. Use it on a blocking thread.
    pub fn open_private_reader(&self) -> AppResult<PrivateReader> {
        Ok(match &self.shared.lasting.options.postgres {
            Some(url) => PrivateReader::Postgres(Box::new(
                postgres::session::Session::connect(url)
                    .map_err(|e| AppError::Unavailable(format!("the database cannot be reached: {e:#}")))?,
            )),
            None => PrivateReader::Sqlite(connection::open_read_only(self.path())?),
        })
    }

    /// True while the writer thread is running and able to take requests.
    pub fn writer_alive(&self) -> bool {
        match &*self.threads() {
            Threads::Sqlite(t) => t.writer.alive(),
            Threads::Postgres(pool) => pool.alive(),
        }
    }

    /// Bumped after every transaction of ours that changed the table's rows (see [`writer`]),
    /// and after any commit by another process (see [`watcher`]).
    pub fn generation(&self, table: Table) -> u64 {
        self.shared.lasting.generations.get(table)
    }

    /// Runs `hook` (on the background thread, with its connection) whenever another
    /// connection has committed, e.g. to reload what this process keeps in memory.
    pub fn on_outside_change(&self, hook: impl Fn(&Conn) + Send + 'static) {
        self.shared.lasting.hooks.add(Box::new(hook));
    }

    pub fn writer_stats(&self) -> WriterStats {
        match &*self.threads() {
            Threads::Sqlite(t) => t.writer.stats(),
            Threads::Postgres(pool) => pool.stats(),
        }
    }

    pub fn metrics(&self) -> &DbMetrics {
        &self.shared.lasting.metrics
    }

    /// Finishes queued writes, stops all threads and closes every connection.
    ///
    /// Other clones of the handle stop working: their requests get a 503.
    pub fn close(&self) {
        self.threads().close();
    }

    /// Starts the threads again on the file now at the path (after [`Db::close`] and a restore
    /// swapped the file): every handle works again, and every cache's generation moves on, so
    /// nothing read from the old file is served.
    pub fn reopen(&self) -> AppResult<()> {
        let threads = Arc::new(Threads::start(&self.shared.lasting)?);
        match self.shared.threads.write() {
            Ok(mut t) => *t = threads,
            Err(poisoned) => *poisoned.into_inner() = threads,
        }
        self.shared.lasting.generations.bump_all();
        Ok(())
    }
}

/// A connection of a caller's own (see [`Db::open_private_reader`]).
pub enum PrivateReader {
    Sqlite(Connection),
    Postgres(Box<postgres::session::Session>),
}

impl PrivateReader {
    pub fn conn(&self) -> Conn<'_> {
        match self {
            Self::Sqlite(c) => Conn::from(c),
            Self::Postgres(s) => Conn::from(&**s),
        }
    }
}

/// Stops threads that take `Option<job>` from one queue: each takes exactly one `None`; then
/// waits for all of them.
fn stop_threads<J>(tx: &flume::Sender<Option<J>>, threads: &std::sync::Mutex<Vec<std::thread::JoinHandle<()>>>) {
    let Ok(mut threads) = threads.lock() else {
        return;
    };
    for _ in threads.iter() {
        let _ = tx.send(None);
    }
    for thread in threads.drain(..) {
        let _ = thread.join();
    }
}

/// How long a database thread waits without work before it gives its page cache back.
const IDLE: std::time::Duration = std::time::Duration::from_secs(1);

/// Hands a connection's page cache back (`PRAGMA shrink_memory`), once its thread has been
/// idle for [`IDLE`]: an idle server then keeps no database pages of its own (the OS page
/// cache still has them, so the next request reads them back in microseconds). A quiet shop
/// is most of a day.
fn release_cache(conn: &Connection) {
    if let Err(err) = conn.execute_batch("PRAGMA shrink_memory") {
        tracing::debug!(error = %err, "could not release the page cache");
    }
}

/// Reads a TEXT column holding one of a closed set of values (a role, a status). Anything else
/// is an error naming the column's meaning and the value: a corrupt row fails loudly (a logged
/// 500, a failed `check`) instead of silently becoming some default.
pub fn text_enum<T>(
    value: rusqlite::types::ValueRef<'_>,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> rusqlite::types::FromSqlResult<T> {
    let text = value.as_str()?;
    parse(text)
        .ok_or_else(|| rusqlite::types::FromSqlError::Other(format!("unknown {what} {text:?} in the database").into()))
}

/// Maps the "no row" case of a single-row query to a 404 for `what`.
pub fn not_found_as(what: &'static str) -> impl FnOnce(Error) -> AppError {
    move |err| match err {
        Error::NoRows => AppError::not_found(what),
        other => other.into(),
    }
}
