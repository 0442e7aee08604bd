//! Pages of the product list, kept as the JSON they were sent as.
//!
//! The list is read on every page of the UI and changes rarely, yet building a page (twenty
//! rows decoded, allocated and serialised) was most of its cost under load. A page is reused
//! while the database's products generation and the settings' version (the low-stock flag
//! depends on a setting) are the ones it was built at: both change after a commit and before
//! its request is answered, so a change shows at once.

use axum::body::Bytes;

use crate::db::stamped::StampedCache;

/// Longer query strings are not cached.
pub const MAX_KEY: usize = 512;

/// Query → ((products generation, settings version), JSON body). Searches are many and rare,
/// so the cache starts over past 512 pages.
pub type PageCache = StampedCache<String, (u64, u64), Bytes>;

pub fn new() -> PageCache {
    StampedCache::new(512, None)
}
