//! The writer thread: the only owner of the read-write connection.
//!
//! Group commit: the thread takes the first queued request, then whatever else is already
//! queued (up to [`MAX_BATCH`]), and runs them all in one `BEGIN IMMEDIATE` transaction, each in
//! its own SAVEPOINT. A request that fails rolls back to its savepoint alone. Every request is
//! answered only after the shared COMMIT has returned, so an acknowledged write is durable;
//! with synchronous=FULL the batch costs one fsync instead of one per request.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::{DbMetrics, DbOptions, open_read_write};
use crate::error::{AppError, AppResult};

/// Called with the fate of the batch's COMMIT: `None` if it succeeded.
type Finish = Box<dyn FnOnce(Option<&AppError>) + Send>;

/// What running one request left behind: how to answer it, and its error if it failed.
struct Ran {
    finish: Finish,
    failed: Option<AppError>,
}

/// A queued request. Given the connection inside an open transaction, it runs; given the
/// error that kept the transaction from opening, it only prepares that answer.
type Job = Box<dyn FnOnce(Result<&Connection, &AppError>) -> Ran + Send>;

enum Msg {
    Job(Job),
    Stop,
}

/// Counters of the writer's work, for metrics and for tests that check batching.
#[derive(Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub transactions: AtomicU64,
}

/// A snapshot of the writer's counters.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriterStats {
    /// Write requests run.
    pub requests: u64,
    /// Transactions they were committed in; fewer than requests means group commit worked.
    pub transactions: u64,
    /// Requests waiting in the queue now.
    pub queued: usize,
}

/// Tables whose changes in-memory caches must see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// users rows (the cache of bearer-token checks).
    Users,
    /// products rows. (The update hook never fires for WITHOUT ROWID tables, such as
    /// settings: caches that depend on settings also key on their version.)
    Products,
}

impl Table {
    /// The watched table a SQL table's rows belong to, if any.
    pub fn of(sql_table: &str) -> Option<Self> {
        match sql_table {
            // A revoked bearer token changes what the users cache must answer.
            "users" | "revoked_tokens" => Some(Table::Users),
            "products" => Some(Table::Products),
            _ => None,
        }
    }
}

/// One counter per [`Table`], bumped after every transaction that changed its rows, before the
/// transaction's requests are answered.
#[derive(Default)]
pub struct Generations {
    counters: [AtomicU64; 2],
    touched: [AtomicBool; 2],
}

impl Generations {
    pub fn get(&self, table: Table) -> u64 {
        self.counters[table as usize].load(Ordering::SeqCst)
    }

    fn touch(&self, sql_table: &str) {
        if let Some(table) = Table::of(sql_table) {
            self.touched[table as usize].store(true, Ordering::Relaxed);
        }
    }

    fn after_commit(&self) {
        for (touched, counter) in self.touched.iter().zip(&self.counters) {
            if touched.swap(false, Ordering::Relaxed) {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    /// Bumps one table's generation at once: a PostgreSQL writer's own commit (several run at
    /// a time there, so they cannot share the touched flags above).
    pub fn bump(&self, table: Table) {
        self.counters[table as usize].fetch_add(1, Ordering::SeqCst);
    }

    /// Some other connection committed something (see [`super::watcher`]): every table may
    /// have changed.
    pub fn bump_all(&self) {
        for counter in &self.counters {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    }
}

pub struct WriterHandle {
    tx: flume::Sender<Msg>,
    alive: Arc<AtomicBool>,
    counters: Arc<Counters>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl WriterHandle {
    pub fn start(options: &DbOptions, metrics: Arc<DbMetrics>, generations: Arc<Generations>) -> AppResult<Self> {
        let conn = open_read_write(&options.path)?;
        // Checkpoints run on their own thread (see checkpointer.rs), never inside a commit; when
        // this connection starts the WAL over, it cuts the file back to the limit.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", super::checkpointer::WAL_SIZE_LIMIT)?;
        // Another process (a CLI import while the server runs) may hold the write lock for
        // seconds; queued requests would rather wait for it, as long as a request may take,
        // than fail as busy after the 5 s every other connection waits.
        conn.busy_timeout(WAIT_FOR_LOCK)?;
        // A change to a watched table bumps its generation once the transaction ends, so the
        // in-memory caches (auth::cache, products::cache) know their entries are stale.
        let hook = generations.clone();
        conn.update_hook(Some(move |_, _: &str, table: &str, _| hook.touch(table)))?;
        let bump = generations.clone();
        let after_commit = move || bump.after_commit();
        let (tx, rx) = flume::bounded::<Msg>(4096);
        let alive = Arc::new(AtomicBool::new(true));
        let thread_alive = alive.clone();
        let counters = Arc::new(Counters::default());
        let thread_counters = counters.clone();
        let thread = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                run(conn, rx, &thread_counters, &metrics, &after_commit);
                thread_alive.store(false, Ordering::SeqCst);
            })
            .map_err(AppError::internal)?;
        Ok(Self {
            tx,
            alive,
            counters,
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    pub fn alive(&self) -> bool {
        self.alive.load(Ordering::SeqCst)
    }

    pub fn stats(&self) -> WriterStats {
        WriterStats {
            requests: self.counters.requests.load(Ordering::Relaxed),
            transactions: self.counters.transactions.load(Ordering::Relaxed),
            queued: self.tx.len(),
        }
    }

    /// Runs `f` in its own savepoint; with `keep` false its changes are always rolled back
    /// (a rehearsal: everything is checked against the real data, nothing is written).
    pub async fn run<T, F>(&self, f: F, keep: bool) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&super::Conn) -> AppResult<T> + Send + 'static,
    {
        let (reply_tx, reply_rx) = oneshot::channel::<AppResult<T>>();
        let job: Job = Box::new(move |conn: Result<&Connection, &AppError>| {
            let outcome = match conn {
                Ok(conn) => run_in_savepoint(conn, f, keep),
                Err(err) => Err(err.clone()),
            };
            let failed = outcome.as_ref().err().cloned();
            let finish: Finish = Box::new(move |commit_error: Option<&AppError>| {
                let answer = match (outcome, commit_error) {
                    (Ok(_), Some(err)) => Err(err.clone()),
                    (outcome, _) => outcome,
                };
                let _ = reply_tx.send(answer);
            });
            Ran { finish, failed }
        });
        self.tx.send_async(Msg::Job(job)).await.map_err(|_| stopped())?;
        reply_rx.await.map_err(|_| stopped())?
    }

    /// Asks the thread to finish what is queued, then waits for it to close the connection.
    pub fn close(&self) {
        let _ = self.tx.send(Msg::Stop);
        if let Some(thread) = self.thread.lock().ok().and_then(|mut t| t.take()) {
            let _ = thread.join();
        }
    }
}

fn stopped() -> AppError {
    AppError::Unavailable("the database writer has stopped".into())
}

/// How long the writer waits for another process's write lock.
const WAIT_FOR_LOCK: std::time::Duration = std::time::Duration::from_secs(30);

/// The most write requests committed together in one transaction.
const MAX_BATCH: usize = 64;

fn run(conn: Connection, rx: flume::Receiver<Msg>, counters: &Counters, metrics: &DbMetrics, after_commit: &dyn Fn()) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    let (mut stopping, mut shrunk) = (false, true);
    while !stopping {
        match rx.recv_timeout(super::IDLE) {
            Ok(Msg::Job(job)) => batch.push(job),
            Err(flume::RecvTimeoutError::Timeout) => {
                if !shrunk {
                    super::release_cache(&conn);
                    shrunk = true;
                }
                continue;
            }
            Ok(Msg::Stop) | Err(flume::RecvTimeoutError::Disconnected) => break,
        }
        shrunk = false;
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(Msg::Job(job)) => batch.push(job),
                Ok(Msg::Stop) => {
                    stopping = true;
                    break;
                }
                Err(_) => break,
            }
        }
        counters.requests.fetch_add(batch.len() as u64, Ordering::Relaxed);
        metrics.batch_size.observe(batch.len() as f64);
        let transactions = commit_batch(&conn, &mut batch, metrics, after_commit);
        counters.transactions.fetch_add(transactions, Ordering::Relaxed);
    }
    // Anything still queued after Stop is answered as refused, never silently dropped.
    drop(rx);
    finish(conn);
}

/// Runs a batch; returns how many transactions it took (more than one only when SQLite rolled
/// a transaction back under it).
fn commit_batch(conn: &Connection, batch: &mut Vec<Job>, metrics: &DbMetrics, after_commit: &dyn Fn()) -> u64 {
    let mut queue: std::collections::VecDeque<Job> = batch.drain(..).collect();
    let mut transactions = 0;
    while !queue.is_empty() {
        transactions += 1;
        if let Err(err) = exec(conn, "BEGIN IMMEDIATE") {
            let err = AppError::from(err);
            tracing::error!(error = %err, "could not begin a write transaction");
            for job in queue.drain(..) {
                (job(Err(&err)).finish)(None);
            }
            return transactions;
        }
        let mut ran: Vec<Ran> = Vec::with_capacity(queue.len());
        let mut aborted = None;
        while let Some(job) = queue.pop_front() {
            let result = job(Ok(conn));
            // Some errors (disk full, I/O) make SQLite roll back the whole transaction, not just
            // the statement. The earlier requests of the batch are then lost and must be told so;
            // the rest of the queue starts over in a new transaction.
            if conn.is_autocommit() {
                aborted =
                    Some(
                        result.failed.as_ref().cloned().unwrap_or_else(|| {
                            AppError::Unavailable("the database rolled back the transaction".into())
                        }),
                    );
                ran.push(result);
                break;
            }
            ran.push(result);
        }
        let commit_error = match aborted {
            Some(err) => Some(err),
            None => timed_commit(conn, metrics).err().map(|err| {
                let err = AppError::from(err);
                tracing::error!(error = %err, "commit failed; the batch was rolled back");
                let _ = exec(conn, "ROLLBACK");
                err
            }),
        };
        // Before anyone hears back: a password change must end old tokens at once.
        after_commit();
        for result in ran {
            (result.finish)(commit_error.as_ref());
        }
    }
    transactions
}

fn timed_commit(conn: &Connection, metrics: &DbMetrics) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    let result = exec(conn, "COMMIT");
    metrics.commit_seconds.observe(started.elapsed().as_secs_f64());
    result
}

fn run_in_savepoint<T>(conn: &Connection, f: impl FnOnce(&super::Conn) -> AppResult<T>, keep: bool) -> AppResult<T> {
    exec(conn, "SAVEPOINT request")?;
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&super::Conn::from(conn))))
        .unwrap_or_else(|_| Err(AppError::Internal("a write request panicked".into())));
    match outcome {
        Ok(value) if !keep => {
            roll_back_request(conn)?;
            Ok(value)
        }
        Ok(value) => {
            exec(conn, "RELEASE request")?;
            Ok(value)
        }
        Err(err) => {
            // If SQLite already rolled the transaction back, the savepoint is gone too; the
            // request's own error is the one worth reporting.
            if !conn.is_autocommit() {
                roll_back_request(conn)?;
            }
            Err(err)
        }
    }
}

fn roll_back_request(conn: &Connection) -> rusqlite::Result<()> {
    exec(conn, "ROLLBACK TO request")?;
    exec(conn, "RELEASE request")
}

/// Runs one statement from the connection's statement cache: the writer runs these four or
/// five times per request, and parsing them anew each time showed in its profile.
fn exec(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([])?;
    Ok(())
}

fn finish(conn: Connection) {
    if let Err(err) = conn.execute_batch("PRAGMA optimize") {
        tracing::warn!(error = %err, "PRAGMA optimize failed at close");
    }
    if let Err((_, err)) = conn.close() {
        tracing::error!(error = %err, "closing the database failed");
    }
}
