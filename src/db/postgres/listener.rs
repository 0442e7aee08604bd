//! Hears what other servers (and commands, and psql) change, so this server's caches follow.
//!
//! PostgreSQL's counterpart of [`crate::db::watcher`]. The V18 triggers NOTIFY
//! `order_system_changes` with a table's name when a transaction that wrote it commits; this
//! thread LISTENs on its own connection and bumps that table's generation (users, products) or
//! runs the outside-change hooks (settings), within milliseconds of the commit.
//!
//! A pooler in transaction mode (PgBouncer) drops notifications, and a connection that broke
//! may have missed some: so the thread also reads the WAL position every [`POLL`], and when it
//! moved, treats everything as changed (what SQLite's
//! `data_version` does). After every (re)connect it treats everything as changed too.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::session::Session;
use crate::db::watcher::Hooks;
use crate::db::writer::{Generations, Table};
use crate::db::{Conn, Error};

/// The channel the V18 triggers notify.
pub const CHANNEL: &str = "order_system_changes";

/// How often the WAL position is read: the longest a change is unseen when notifications are
/// lost.
pub const POLL: Duration = Duration::from_secs(1);

/// How long one wait for notifications lasts: the longest [`Listener::close`] leaves the
/// thread running.
const WAIT: Duration = Duration::from_millis(200);

pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Listener {
    pub fn start(url: Arc<str>, generations: Arc<Generations>, hooks: Hooks) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("pg-listener".into())
            .spawn(move || run(&url, &generations, &hooks, &flag))?;
        Ok(Self { stop })
    }

    /// Tells the thread to stop; it does within [`WAIT`], closing its connection. Not joined:
    /// nothing it does needs to finish.
    pub fn close(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn run(url: &str, generations: &Generations, hooks: &Hooks, stop: &AtomicBool) {
    let mut warned = false;
    while !stop.load(Ordering::SeqCst) {
        let session = match Session::connect(url).map_err(|e| format!("{e:#}")).and_then(|s| {
            s.batch_execute(&format!("LISTEN {CHANNEL}"))
                .map(|()| s)
                .map_err(|e| e.to_string())
        }) {
            Ok(session) => session,
            Err(err) => {
                if !warned {
                    tracing::warn!(error = %err, "cannot listen for other servers' changes; trying again");
                    warned = true;
                }
                sleep_unless_stopped(POLL, stop);
                continue;
            }
        };
        warned = false;
        // Whatever happened while this server was not listening is unknown: all may have changed.
        changed(&session, generations, hooks, None);
        if let Err(err) = listen(&session, generations, hooks, stop) {
            tracing::warn!(error = %err, "lost the connection that hears other servers' changes; reconnecting");
        }
    }
}

/// Waits for notifications until stopped or the connection fails.
fn listen(session: &Session, generations: &Generations, hooks: &Hooks, stop: &AtomicBool) -> Result<(), Error> {
    let mut position = wal_position(session)?;
    let mut polled = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let tables = session.notifications(WAIT)?;
        if !tables.is_empty() {
            changed(session, generations, hooks, Some(&tables));
        }
        if polled.elapsed() >= POLL {
            polled = Instant::now();
            let now = wal_position(session)?;
            // Moved: perhaps by a change whose notification was lost. (Our own writes move it
            // too; a cache refilled once a second under load is the price of never being stale.)
            if now != position {
                changed(session, generations, hooks, None);
            }
            position = now;
        }
    }
    Ok(())
}

/// Bumps what `tables` names, or everything when `None`.
fn changed(session: &Session, generations: &Generations, hooks: &Hooks, tables: Option<&[String]>) {
    let Some(tables) = tables else {
        generations.bump_all();
        return hooks.run(&Conn::from(session));
    };
    for table in tables {
        if let Some(watched) = Table::of(table) {
            generations.bump(watched);
        }
    }
    if tables.iter().any(|t| t == "settings") {
        hooks.run(&Conn::from(session));
    }
}

fn wal_position(session: &Session) -> Result<String, Error> {
    Conn::from(session).query_row("SELECT CAST(pg_current_wal_lsn() AS TEXT)", [], |r| r.get(0))
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let until = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) && Instant::now() < until {
        std::thread::sleep(WAIT.min(total));
    }
}
