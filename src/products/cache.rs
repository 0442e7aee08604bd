//! Pages of the product list, kept as the JSON they were sent as.
//!
//! The list is read on every page of the UI and changes rarely, yet building a page (twenty
//! rows decoded, allocated and serialised) was most of its cost under load. A page is reused
//! while the database's products generation and the settings' version (the low-stock flag
//! depends on a setting) are the ones it was built at: both change after a commit and before
//! its request is answered, so a change shows at once. They are read before the page, so a
//! page built from an older snapshot is never stored under newer ones.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;

/// Beyond this many distinct queries the cache starts over (searches are many and rare).
const MAX_PAGES: usize = 512;
/// Longer query strings are not cached.
const MAX_KEY: usize = 512;

/// What a page was built from: the products generation and the settings version.
pub type Built = (u64, u64);

#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, (Built, Bytes)>>,
}

impl PageCache {
    pub fn get(&self, key: &str, built: Built) -> Option<Bytes> {
        let pages = self.pages.lock().ok()?;
        let (built_at, body) = pages.get(key)?;
        (*built_at == built).then(|| body.clone())
    }

    pub fn put(&self, key: String, built: Built, body: Bytes) {
        if key.len() > MAX_KEY {
            return;
        }
        let Ok(mut pages) = self.pages.lock() else { return };
        if pages.len() >= MAX_PAGES {
            pages.clear();
        }
        pages.insert(key, (built, body));
    }
}
