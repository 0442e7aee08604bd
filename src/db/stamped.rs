//! A small in-memory cache whose entries are valid only under the stamp they were stored with
//! (the database's table generations, see [`super::Table`]), and optionally for a time.
//!
//! Callers read the stamp before reading the data they cache, so an entry built from an older
//! snapshot is never stored under a newer stamp.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct StampedCache<K, S, V> {
    entries: Mutex<HashMap<K, (S, Instant, V)>>,
    /// Past this many entries the cache starts over.
    max_entries: usize,
    /// Entries older than this are not used, for changes no stamp can see.
    ttl: Option<Duration>,
}

impl<K: Eq + Hash, S: PartialEq, V: Clone> StampedCache<K, S, V> {
    pub fn new(max_entries: usize, ttl: Option<Duration>) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries,
            ttl,
        }
    }

    pub fn get<Q>(&self, key: &Q, stamp: &S) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let entries = self.entries.lock().ok()?;
        let (stored, at, value) = entries.get(key)?;
        let fresh = self.ttl.is_none_or(|ttl| at.elapsed() < ttl);
        (stored == stamp && fresh).then(|| value.clone())
    }

    pub fn put(&self, key: K, stamp: S, value: V) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= self.max_entries {
            entries.clear();
        }
        entries.insert(key, (stamp, Instant::now(), value));
    }
}
