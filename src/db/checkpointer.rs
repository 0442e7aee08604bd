//! The database's background thread: moves WAL checkpoints off the writer, keeps the WAL
//! file small, and notices commits by other processes (see watcher.rs), on one connection.
//!
//! By default SQLite checkpoints inside whichever commit pushes the WAL past 1000 pages, so
//! every thousandth write waits for the database file to be updated and fsynced. Here the
//! writer never checkpoints (`wal_autocheckpoint=0`); this thread runs a PASSIVE checkpoint,
//! which waits for no reader or writer, a few times a second on its own connection.
//!
//! A WAL file keeps the size of its biggest burst: SQLite reuses it from the start rather than
//! shrinking it. The writer truncates it to [`WAL_SIZE_LIMIT`] when it starts over
//! (`journal_size_limit`, writer.rs), which needs a next write; and once a checkpoint has
//! copied everything and the file is still bigger than that, this thread empties it with a
//! TRUNCATE checkpoint that waits for nobody (busy_timeout 0: if a reader or the writer is
//! active it just tries again next time).

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::watcher::{self, Watch};
use super::{DbOptions, open_read_write};
use crate::error::{AppError, AppResult};

const EVERY: Duration = Duration::from_millis(250);

/// The size the WAL is brought back to after a burst.
pub const WAL_SIZE_LIMIT: i64 = 16 << 20;

pub struct Checkpointer {
    stop: std::sync::Mutex<Option<mpsc::Sender<()>>>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Checkpointer {
    pub fn start(
        options: &DbOptions,
        watch: impl FnOnce(&rusqlite::Connection) -> Watch + Send + 'static,
    ) -> AppResult<Self> {
        let conn = open_read_write(&options.path)?;
        conn.busy_timeout(Duration::ZERO)?;
        // This connection reads nothing but the WAL's header: no lookaside buffers for it.
        // SAFETY: set right after opening, before any statement exists on the connection.
        unsafe {
            rusqlite::ffi::sqlite3_db_config(
                conn.handle(),
                rusqlite::ffi::SQLITE_DBCONFIG_LOOKASIDE,
                std::ptr::null_mut::<std::ffi::c_void>(),
                0 as std::ffi::c_int,
                0 as std::ffi::c_int,
            );
        }
        let wal = {
            let mut p = options.path.clone().into_os_string();
            p.push("-wal");
            std::path::PathBuf::from(p)
        };
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("db-background".into())
            .spawn(move || {
                let mut watch = watch(&conn);
                let per_checkpoint = (EVERY.as_millis() / watcher::EVERY.as_millis()).max(1);
                let mut tick = 0u128;
                while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(watcher::EVERY) {
                    watch.poll(&conn);
                    tick += 1;
                    if !tick.is_multiple_of(per_checkpoint) {
                        continue;
                    }
                    let checkpoint = |mode: &str| {
                        conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
                            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
                        })
                    };
                    match checkpoint("PASSIVE") {
                        Ok((0, log, done)) if log > 0 && log == done => {
                            let size = std::fs::metadata(&wal).map_or(0, |m| m.len() as i64);
                            if size > WAL_SIZE_LIMIT {
                                let _ = checkpoint("TRUNCATE");
                            }
                        }
                        Ok(_) => {}
                        Err(err) => tracing::warn!(error = %err, "WAL checkpoint failed; it will be retried"),
                    }
                }
            })
            .map_err(AppError::internal)?;
        Ok(Self {
            stop: std::sync::Mutex::new(Some(tx)),
            thread: std::sync::Mutex::new(Some(thread)),
        })
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
