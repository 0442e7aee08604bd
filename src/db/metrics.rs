//! What the database threads measure about themselves, exported on `/metrics`.
//!
//! The histograms are plain atomics owned by the [`super::Db`] handle (no global registry), so
//! several servers in one process (the tests) keep their own figures.

use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};

pub struct DbMetrics {
    /// How long each group COMMIT took: the fsync a write request waits for.
    pub commit_seconds: Histogram,
    /// How many write requests shared each transaction.
    pub batch_size: Histogram,
    /// How long a read waited in the queue for a free reader thread.
    pub read_wait_seconds: Histogram,
}

impl Default for DbMetrics {
    fn default() -> Self {
        Self {
            // 50 µs .. ~3 s
            commit_seconds: Histogram::new(exponential_buckets(0.000_05, 2.0, 16)),
            batch_size: Histogram::new(exponential_buckets(1.0, 2.0, 8)),
            // 10 µs .. ~0.6 s
            read_wait_seconds: Histogram::new(exponential_buckets(0.000_01, 2.0, 16)),
        }
    }
}
