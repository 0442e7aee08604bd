//! The process's memory: mimalloc as the global allocator (set in main.rs), tuned to stay
//! small when idle, and handing start-up garbage back once the server is ready.
//!
//! Why mimalloc: with glibc's malloc, taking orders cost the writer thread ~150 us each and the
//! box ~5.3k orders/s; with mimalloc ~115 us and ~7k/s (scripts/bench.py, create order at 64
//! connections). Requests allocate on tokio workers and are freed on the writer thread and
//! back again, which glibc's per-thread arenas handle poorly.
//!
//! SQLite allocates through mimalloc too ([`sqlite_mem_methods`]): with glibc's malloc each
//! database thread grew its own glibc arena next to its mimalloc heap, two allocators' worth of
//! idle memory per thread.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// mimalloc's option number for eager arena commits, from `mi_option_e` in mimalloc v3's
/// mimalloc.h. The crate does not export it; the test below fails if an upgrade renumbers it.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
/// Its neighbour `purge_delay`, only to pin the numbering down from two sides in the test.
#[cfg(test)]
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Commit arena memory only as it is used. mimalloc's default commits whole arenas up front on
/// Linux, which left an idle server with ~19 MB of anonymous memory instead of ~9 MB.
pub fn tune_allocator() {
    // SAFETY: mi_option_set only stores an integer in mimalloc's option table. It is called
    // from .init_array before main, while no other thread exists (it is not thread-safe).
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
}

/// Requests seen, for [`trim_when_idle`]. Relaxed: it only needs to tell "some" from "none".
static ACTIVITY: AtomicU64 = AtomicU64::new(0);

/// Counts a request (called by the request layer).
pub fn note_activity() {
    ACTIVITY.fetch_add(1, Ordering::Relaxed);
}

/// How long the server must have had no requests before it hands memory back.
const QUIET: Duration = Duration::from_secs(1);

/// Hands memory back to the system each time the server goes quiet (start-up's is released by
/// `serve` itself, on its own thread).
///
/// mimalloc holds freed memory for a while (its `purge_delay`, 1 s) so that busy threads can
/// reuse it, and purges it the next time a thread allocates; a server that went quiet never
/// allocates again, so ~1 MB stayed resident for good. Purging at once instead
/// (`purge_delay=0`) halved the orders per second. One wake-up per second costs nothing.
pub async fn trim_when_idle() {
    let mut tick = tokio::time::interval(QUIET);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let (mut seen, mut trimmed) = (ACTIVITY.load(Ordering::Relaxed), true);
    loop {
        tick.tick().await;
        let now = ACTIVITY.load(Ordering::Relaxed);
        if now != seen {
            (seen, trimmed) = (now, false);
        } else if !trimmed {
            release_free_memory();
            trimmed = true;
        }
    }
}

/// Hands freed memory back to the system: what start-up (migrations, the OpenAPI document, the
/// first password hash) or the last burst of requests left behind, so an idle server stays small.
pub fn release_free_memory() {
    // SAFETY: both only release memory their allocator no longer uses: malloc_trim for glibc's
    // (what the C library allocates for itself), mi_collect for mimalloc's (everything else).
    // mi_collect(true) purges every thread's freed memory, though it frees only the calling
    // thread's cached pages.
    unsafe {
        libc::malloc_trim(0);
        libmimalloc_sys::mi_collect(true);
    }
}

/// SQLite's allocator hooks, backed by mimalloc, for `SQLITE_CONFIG_MALLOC` before SQLite
/// initialises (see `db::connection`). SQLite keeps a copy of the struct.
pub fn sqlite_mem_methods() -> rusqlite::ffi::sqlite3_mem_methods {
    rusqlite::ffi::sqlite3_mem_methods {
        xMalloc: Some(sqlite_malloc),
        xFree: Some(sqlite_free),
        xRealloc: Some(sqlite_realloc),
        xSize: Some(sqlite_size),
        xRoundup: Some(sqlite_roundup),
        xInit: Some(sqlite_init),
        xShutdown: Some(sqlite_shutdown),
        pAppData: std::ptr::null_mut(),
    }
}

// SQLite never passes a negative size (its allocation sizes are checked positive ints), and
// mimalloc's blocks are 16-byte aligned, more than the 8 SQLite needs.
unsafe extern "C" fn sqlite_malloc(size: c_int) -> *mut c_void {
    // SAFETY: mi_malloc accepts any size and returns null on failure, as SQLite expects.
    unsafe { libmimalloc_sys::mi_malloc(size.max(0) as usize) }
}

unsafe extern "C" fn sqlite_free(p: *mut c_void) {
    // SAFETY: SQLite frees only what sqlite_malloc/sqlite_realloc returned (or null).
    unsafe { libmimalloc_sys::mi_free(p) }
}

unsafe extern "C" fn sqlite_realloc(p: *mut c_void, size: c_int) -> *mut c_void {
    // SAFETY: as for sqlite_free; on failure mi_realloc returns null and keeps `p`.
    unsafe { libmimalloc_sys::mi_realloc(p, size.max(0) as usize) }
}

unsafe extern "C" fn sqlite_size(p: *mut c_void) -> c_int {
    // SAFETY: `p` is a live block of ours; SQLite's blocks stay far below c_int::MAX.
    unsafe { libmimalloc_sys::mi_usable_size(p) as c_int }
}

unsafe extern "C" fn sqlite_roundup(size: c_int) -> c_int {
    // SAFETY: a pure size computation.
    let good = unsafe { libmimalloc_sys::mi_good_size(size.max(0) as usize) };
    c_int::try_from(good).unwrap_or(size)
}

unsafe extern "C" fn sqlite_init(_: *mut c_void) -> c_int {
    rusqlite::ffi::SQLITE_OK
}

unsafe extern "C" fn sqlite_shutdown(_: *mut c_void) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_numbers_are_mimallocs() {
        // Untouched in this process, both options still have their defaults (options.c).
        // SAFETY: reads of mimalloc's option table.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT) }, 2);
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 1000);
    }
}
