//! The process's memory: mimalloc as the global allocator (set in main.rs), tuned to stay
//! small when idle, and handing start-up garbage back once the server is ready.
//!
//! Why mimalloc: with glibc's malloc, taking orders cost the writer thread ~150 us each and the
//! box ~5.3k orders/s; with mimalloc ~115 us and ~7k/s (scripts/bench.py, create order at 64
//! connections). Requests allocate on tokio workers and are freed on the writer thread and
//! back again, which glibc's per-thread arenas handle poorly. SQLite keeps glibc's malloc.

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

/// Hands freed memory back to the system: what start-up (migrations, the OpenAPI document, the
/// first password hash) left behind, so an idle server stays small.
pub fn release_free_memory() {
    // SAFETY: both only release memory their allocator no longer uses: malloc_trim for glibc's
    // (SQLite's allocations), mi_collect for mimalloc's (everything Rust allocates).
    unsafe {
        libc::malloc_trim(0);
        libmimalloc_sys::mi_collect(true);
    }
}

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
