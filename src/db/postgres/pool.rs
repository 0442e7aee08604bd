//! The server's threads on PostgreSQL: readers and writers, each owning one session.
//!
//! The shape is SQLite's (see `db::readers` and `db::writer`): no database call runs on an
//! async worker; handlers send closures and await the answer. What differs is the writer:
//! PostgreSQL takes concurrent writers, so there are several, each running one request per
//! transaction. A transaction that loses a conflict with another (a deadlock, a serialization
//! failure, a unique key another transaction took meanwhile) is rolled back and tried again, a
//! bounded number of times; the store's lock order (products by id, then counters, then the
//! order) keeps such conflicts rare.
//!
//! A session whose connection broke (the server restarted, a failover) is dropped and a new one
//! made for the next request; while none can be made, requests get a 503 at once.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use postgres::error::SqlState;
use tokio::sync::oneshot;

use super::listener::Listener;
use super::session::Session;
use crate::db::watcher::Hooks;
use crate::db::writer::{Counters, Generations, Table, WriterStats};
use crate::db::{Conn, DbMetrics};
use crate::error::{AppError, AppResult};

/// Tries a write transaction gets before its conflict is the client's 503.
const ATTEMPTS: u32 = 5;

type Job = Box<dyn FnOnce(&mut Link) + Send>;

/// A thread's session, made when first needed and again after the connection broke.
pub struct Link {
    url: Arc<str>,
    session: Option<Session>,
}

impl Link {
    fn session(&mut self) -> AppResult<&Session> {
        if self.session.as_ref().is_some_and(Session::is_closed) {
            self.session = None;
        }
        if self.session.is_none() {
            let session = Session::connect(&self.url)
                .map_err(|e| AppError::Unavailable(format!("the database cannot be reached: {e:#}")))?;
            self.session = Some(session);
        }
        self.session
            .as_ref()
            .ok_or_else(|| AppError::Unavailable("the database cannot be reached".into()))
    }
}

/// Threads taking jobs from one queue.
struct Workers {
    tx: flume::Sender<Option<Job>>,
    threads: std::sync::Mutex<Vec<JoinHandle<()>>>,
    closed: AtomicBool,
}

impl Workers {
    fn start(name: &str, count: usize, url: &Arc<str>) -> AppResult<Self> {
        let (tx, rx) = flume::bounded::<Option<Job>>(4096);
        let mut threads = Vec::with_capacity(count);
        for i in 0..count.max(1) {
            let rx = rx.clone();
            let mut link = Link {
                url: url.clone(),
                session: None,
            };
            let thread = std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || {
                    while let Ok(Some(job)) = rx.recv() {
                        job(&mut link);
                    }
                })
                .map_err(AppError::internal)?;
            threads.push(thread);
        }
        Ok(Self {
            tx,
            threads: std::sync::Mutex::new(threads),
            closed: AtomicBool::new(false),
        })
    }

    async fn send(&self, job: Job) -> AppResult<()> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(stopped());
        }
        self.tx.send_async(Some(job)).await.map_err(|_| stopped())
    }

    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        crate::db::stop_threads(&self.tx, &self.threads);
    }
}

pub struct Pool {
    readers: Workers,
    writers: Workers,
    /// Hears the other servers' changes to what the caches hold.
    listener: Listener,
    counters: Arc<Counters>,
    generations: Arc<Generations>,
    metrics: Arc<DbMetrics>,
}

impl Pool {
    /// Starts `readers` reader and `writers` writer threads; each connects on its first request.
    pub fn start(
        url: &str,
        readers: usize,
        writers: usize,
        generations: Arc<Generations>,
        hooks: Hooks,
        metrics: Arc<DbMetrics>,
    ) -> AppResult<Self> {
        let url: Arc<str> = url.into();
        Ok(Self {
            readers: Workers::start("pg-reader", readers, &url)?,
            writers: Workers::start("pg-writer", writers, &url)?,
            listener: Listener::start(url.clone(), generations.clone(), hooks).map_err(AppError::internal)?,
            counters: Arc::default(),
            generations,
            metrics,
        })
    }

    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Conn) -> AppResult<T> + Send + 'static,
    {
        let (reply_tx, reply_rx) = oneshot::channel();
        let (queued, metrics) = (std::time::Instant::now(), self.metrics.clone());
        self.readers
            .send(Box::new(move |link: &mut Link| {
                metrics.read_wait_seconds.observe(queued.elapsed().as_secs_f64());
                let outcome = link.session().and_then(|session| {
                    catch_unwind(AssertUnwindSafe(|| f(&Conn::from(session))))
                        .unwrap_or_else(|_| Err(AppError::Internal("a read request panicked".into())))
                });
                let _ = reply_tx.send(outcome);
            }))
            .await?;
        reply_rx.await.map_err(|_| stopped())?
    }

    /// Runs `f` in a transaction of its own, committed when `keep` (else rolled back), and
    /// answers once the COMMIT has returned.
    pub async fn write<T, F>(&self, mut f: F, keep: bool) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnMut(&Conn) -> AppResult<T> + Send + 'static,
    {
        let (reply_tx, reply_rx) = oneshot::channel();
        let (counters, generations, metrics) = (self.counters.clone(), self.generations.clone(), self.metrics.clone());
        self.writers
            .send(Box::new(move |link: &mut Link| {
                counters.requests.fetch_add(1, Ordering::Relaxed);
                let outcome = write_with_retries(link, &mut f, keep, &counters.transactions, &metrics);
                if let Ok((_, written)) = &outcome {
                    // Before the answer: a password change must end old tokens at once.
                    for (table, was_written) in [Table::Users, Table::Products].into_iter().zip(written) {
                        if *was_written {
                            generations.bump(table);
                        }
                    }
                }
                let _ = reply_tx.send(outcome.map(|(value, _)| value));
            }))
            .await?;
        reply_rx.await.map_err(|_| stopped())?
    }

    pub fn alive(&self) -> bool {
        !self.writers.closed.load(Ordering::SeqCst)
    }

    pub fn stats(&self) -> WriterStats {
        WriterStats {
            requests: self.counters.requests.load(Ordering::Relaxed),
            transactions: self.counters.transactions.load(Ordering::Relaxed),
            queued: self.writers.tx.len(),
        }
    }

    pub fn close(&self) {
        self.listener.close();
        self.readers.close();
        self.writers.close();
    }
}

/// One request's transaction, tried again after a conflict; answers what `f` returned and
/// which watched tables it wrote.
fn write_with_retries<T>(
    link: &mut Link,
    f: &mut impl FnMut(&Conn) -> AppResult<T>,
    keep: bool,
    transactions: &AtomicU64,
    metrics: &DbMetrics,
) -> AppResult<(T, [bool; 2])> {
    let mut attempt = 1;
    loop {
        let session = link.session()?;
        transactions.fetch_add(1, Ordering::Relaxed);
        let outcome = attempt_once(session, f, keep, metrics);
        let failure = session.take_failure();
        match outcome {
            Ok(value) => return Ok((value, session.take_written())),
            Err(err) if attempt < ATTEMPTS && retryable(failure.as_ref(), &err) => {
                tracing::debug!(attempt, error = %err, "a write transaction lost a conflict; trying again");
                // Apart, so that two transactions that collided do not collide again at once.
                std::thread::sleep(Duration::from_millis(u64::from(attempt) * fastrand::u64(1..=5)));
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

fn attempt_once<T>(
    session: &Session,
    f: &mut impl FnMut(&Conn) -> AppResult<T>,
    keep: bool,
    metrics: &DbMetrics,
) -> AppResult<T> {
    session.take_written();
    session.batch_execute("BEGIN")?;
    let conn = Conn::from(session);
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&conn)))
        .unwrap_or_else(|_| Err(AppError::Internal("a write request panicked".into())));
    match outcome {
        Ok(value) if keep => {
            let started = std::time::Instant::now();
            let committed = session.batch_execute("COMMIT");
            metrics.commit_seconds.observe(started.elapsed().as_secs_f64());
            committed?;
            Ok(value)
        }
        other => {
            // Rolled back whatever happened; a broken connection has rolled back already.
            if let Err(err) = session.batch_execute("ROLLBACK")
                && !session.is_closed()
            {
                tracing::warn!(error = %err, "rolling back a write transaction failed");
            }
            other
        }
    }
}

/// Whether a failed transaction may succeed if run again: it lost a deadlock or a
/// serialization check, or met a unique key that another transaction took meanwhile and
/// that the store did not answer as a conflict of its own (the idempotency key, a counter):
/// run again, it finds the other's row.
fn retryable(failure: Option<&SqlState>, err: &AppError) -> bool {
    match failure {
        Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED => true,
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => matches!(err, AppError::Internal(_)),
        _ => false,
    }
}

fn stopped() -> AppError {
    AppError::Unavailable("the database threads have stopped".into())
}
