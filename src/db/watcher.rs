//! Notices commits made outside this process's writer: a CLI `import` or `user` command while
//! the server runs, or (later) another server. What this process keeps in memory (product
//! pages, token checks, settings) is stamped by table generations that only its own writer
//! bumps; without this, a CLI import left the list showing old prices while orders charged
//! new ones.
//!
//! `PRAGMA data_version` changes whenever another connection has committed since the last
//! call on the same connection; in WAL mode it reads the shared-memory header (two fcntl
//! calls, a few microseconds). The checkpointer's thread polls it every [`EVERY`] on its
//! connection (see checkpointer.rs) and, on a change, bumps every generation and runs the
//! hooks. It cannot tell our writer's commits from others' (both are "another connection" to
//! it), so our own writes also invalidate everything once more, shortly after: cheap, and
//! never stale.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

use super::writer::Generations;

/// How stale an outside change may be seen: at most this long.
pub const EVERY: Duration = Duration::from_millis(50);

type Hook = Box<dyn Fn(&super::Conn) + Send>;

/// The hooks to run after an outside change; shared by the database handle (which adds them)
/// and the thread that polls.
#[derive(Clone, Default)]
pub struct Hooks(Arc<Mutex<Vec<Hook>>>);

impl Hooks {
    pub fn add(&self, hook: Hook) {
        if let Ok(mut hooks) = self.0.lock() {
            hooks.push(hook);
        }
    }

    /// Runs every hook on `conn` (after a change made elsewhere).
    pub fn run(&self, conn: &super::Conn) {
        if let Ok(hooks) = self.0.lock() {
            for hook in hooks.iter() {
                hook(conn);
            }
        }
    }
}

/// What the polling thread remembers between polls.
pub struct Watch {
    seen: Option<i64>,
    generations: Arc<Generations>,
    hooks: Hooks,
}

impl Watch {
    pub fn new(conn: &Connection, generations: Arc<Generations>, hooks: Hooks) -> Self {
        Self {
            seen: version(conn).ok(),
            generations,
            hooks,
        }
    }

    /// One poll: if anyone else has committed since the last, every cache is stale.
    pub fn poll(&mut self, conn: &Connection) {
        let now = match version(conn) {
            Ok(v) => Some(v),
            Err(err) => return tracing::warn!(error = %err, "cannot read the database's data_version"),
        };
        if now == self.seen {
            return;
        }
        self.seen = now;
        self.generations.bump_all();
        self.hooks.run(&super::Conn::from(conn));
    }
}

fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
}
