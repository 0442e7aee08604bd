//! The users rows behind bearer tokens, kept in memory so an API request costs no database
//! read to authenticate.
//!
//! An entry is used only while the database's users generation is the one it was read at:
//! the writer bumps it after every transaction that touched a users row (or revoked a token),
//! before answering that transaction's requests, so a password change, a role change or a
//! disabled account ends old tokens at once. Changes made by another process (the `user`
//! command while the server runs) bump every generation within db::watcher's 50 ms.

use crate::db::stamped::StampedCache;
use crate::users::store::AuthRow;

/// User id → (users generation, row).
pub type AuthCache = StampedCache<i64, u64, AuthRow>;

pub fn new() -> AuthCache {
    StampedCache::new(10_000)
}
