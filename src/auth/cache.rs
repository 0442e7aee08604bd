//! The users rows behind bearer tokens, kept in memory so an API request costs no database
//! read to authenticate.
//!
//! An entry is used only while the database's users generation is the one it was read at:
//! the writer bumps it after every transaction that touched a users row, before answering
//! that transaction's requests, so a password change, a role change or a disabled account
//! ends old tokens at once. The generation is read before the row, so a row read from an
//! older snapshot is never stored under a newer generation. Changes made by another process
//! (the `user` command while the server runs) are seen within [`TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::users::store::AuthRow;

pub const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 10_000;

struct Entry {
    generation: u64,
    read_at: Instant,
    row: AuthRow,
}

#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<i64, Entry>>,
}

impl AuthCache {
    pub fn get(&self, user_id: i64, generation: u64) -> Option<AuthRow> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&user_id)?;
        (entry.generation == generation && entry.read_at.elapsed() < TTL).then(|| entry.row.clone())
    }

    pub fn put(&self, user_id: i64, generation: u64, row: AuthRow) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            user_id,
            Entry {
                generation,
                read_at: Instant::now(),
                row,
            },
        );
    }
}
