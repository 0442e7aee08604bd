//! Notices commits made outside this process's writer: a CLI `import` or `user` command while
//! the server runs, or (later) another server. What this process keeps in memory (product
//! pages, token checks, settings) is stamped by table generations that only its own writer
//! bumps; without this, a CLI import left the list showing old prices while orders charged
//! new ones.
//!
//! `PRAGMA data_version` changes whenever another connection has committed since the last
//! call on the same connection; in WAL mode it reads the shared-memory header (two fcntl
//! calls, a few microseconds). This thread polls it every [`EVERY`] on a read-only connection
//! of its own and, on a change, bumps every generation and runs the hooks. It cannot tell our
//! writer's commits from others' (both are "another connection" to it), so our own writes also
//! invalidate everything once more, shortly after: cheap, and never stale.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;

use super::open_read_only;
use super::writer::Generations;
use crate::error::{AppError, AppResult};

/// How stale an outside change may be seen: at most this long.
pub const EVERY: Duration = Duration::from_millis(50);

type Hook = Box<dyn Fn(&Connection) + Send>;

pub struct Watcher {
    hooks: Arc<Mutex<Vec<Hook>>>,
    stop: Mutex<Option<mpsc::Sender<()>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Watcher {
    pub fn start(path: &std::path::Path, generations: Arc<Generations>) -> AppResult<Self> {
        let conn = open_read_only(path)?;
        let hooks: Arc<Mutex<Vec<Hook>>> = Arc::default();
        let thread_hooks = hooks.clone();
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("db-watcher".into())
            .spawn(move || {
                let version = |conn: &Connection| conn.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0));
                let mut seen = version(&conn).ok();
                while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(EVERY) {
                    let now = match version(&conn) {
                        Ok(v) => Some(v),
                        Err(err) => {
                            tracing::warn!(error = %err, "cannot read the database's data_version");
                            continue;
                        }
                    };
                    if now != seen {
                        seen = now;
                        generations.bump_all();
                        if let Ok(hooks) = thread_hooks.lock() {
                            for hook in hooks.iter() {
                                hook(&conn);
                            }
                        }
                    }
                }
            })
            .map_err(AppError::internal)?;
        Ok(Self {
            hooks,
            stop: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    pub fn add_hook(&self, hook: Hook) {
        if let Ok(mut hooks) = self.hooks.lock() {
            hooks.push(hook);
        }
    }

    pub fn close(&self) {
        if let Ok(mut stop) = self.stop.lock() {
            stop.take();
        }
        if let Some(thread) = self.thread.lock().ok().and_then(|mut t| t.take()) {
            let _ = thread.join();
        }
    }
}
