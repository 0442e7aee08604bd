//! Moves WAL checkpoints off the writer.
//!
//! By default SQLite checkpoints inside whichever commit pushes the WAL past 1000 pages, so
//! every thousandth write waits for the database file to be updated and fsynced. Here the
//! writer never checkpoints (`wal_autocheckpoint=0`); this thread runs a PASSIVE checkpoint,
//! which waits for no reader or writer, a few times a second on its own connection.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::{DbOptions, open_read_write};
use crate::error::{AppError, AppResult};

const EVERY: Duration = Duration::from_millis(250);

pub struct Checkpointer {
    stop: std::sync::Mutex<Option<mpsc::Sender<()>>>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Checkpointer {
    pub fn start(options: &DbOptions) -> AppResult<Self> {
        let conn = open_read_write(&options.path)?;
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("db-checkpoint".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(EVERY) {
                    if let Err(err) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                        tracing::warn!(error = %err, "WAL checkpoint failed; it will be retried");
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
