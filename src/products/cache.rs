//! Pages of the product list, and single products, kept as the JSON they were sent as.
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

/// What an entry is valid under: (products generation, settings version).
pub type Stamp = (u64, u64);

/// Query → (stamp, JSON body). Searches are many and rare, so the cache starts over past 512
/// pages.
pub type PageCache = StampedCache<String, Stamp, Bytes>;

pub fn new() -> PageCache {
    StampedCache::new(512)
}

/// (Seen by staff, product id) → (stamp, JSON body): single products, read on every product
/// page and order line, with the same lifetime as the pages. A shop has hundreds to a few
/// thousand products (~400 bytes each); past 4,096 the cache starts over.
pub type ProductCache = StampedCache<(bool, i64), Stamp, Bytes>;

pub fn new_products() -> ProductCache {
    StampedCache::new(4096)
}
