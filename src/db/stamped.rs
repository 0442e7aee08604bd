//! A small in-memory cache whose entries are valid only under the stamp they were stored with
//! (the database's table generations, see [`super::Table`]).
//!
//! Callers read the stamp before reading the data they cache, so an entry built from an older
//! snapshot is never stored under a newer stamp.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct StampedCache<K, S, V> {
    entries: Mutex<HashMap<K, (S, V)>>,
    /// Past this many entries the cache starts over.
    max_entries: usize,
}

impl<K: Eq + Hash, S: PartialEq, V: Clone> StampedCache<K, S, V> {
    pub fn new(max_entries: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries,
        }
    }

    pub fn get<Q>(&self, key: &Q, stamp: &S) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let entries = self.entries.lock().ok()?;
        let (stored, value) = entries.get(key)?;
        (stored == stamp).then(|| value.clone())
    }

    pub fn put(&self, key: K, stamp: S, value: V) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= self.max_entries {
            entries.clear();
        }
        entries.insert(key, (stamp, value));
    }
}
