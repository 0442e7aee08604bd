//! The service's Prometheus metrics. Everything lives in one [`Metrics`] value per server (no
//! global registry), so the figures of several servers in one process never mix.

use std::net::IpAddr;

use ipnet::IpNet;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};

use crate::db::{Db, migrations};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    /// The route template (`/api/orders/{id}`), never the raw path, so the label set stays small.
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: LatencyFamily,
    pub in_flight: Gauge,
    pub orders_created: Counter,
    pub failed_logins: Counter,
    writer_queue: Gauge,
    writer_requests: Gauge,
    writer_transactions: Gauge,
    last_backup_time: Gauge,
    last_backup_bytes: Gauge,
}

fn latency_histogram() -> Histogram {
    // 100 µs .. ~6.5 s
    Histogram::new(exponential_buckets(0.000_1, 2.0, 17))
}

impl Metrics {
    /// Registers the service's metrics and the database's own (commit latency, read waits).
    pub fn new(db: &Db) -> Self {
        let mut registry = Registry::with_prefix("order_system");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request",
            Unit::Seconds,
            latency.clone(),
        );
        let in_flight = Gauge::default();
        registry.register(
            "http_requests_in_flight",
            "HTTP requests being answered now",
            in_flight.clone(),
        );
        let orders_created = Counter::default();
        registry.register("orders_created", "Orders created since start", orders_created.clone());
        let failed_logins = Counter::default();
        registry.register("login_failures", "Failed sign-ins since start", failed_logins.clone());
        let writer_queue = Gauge::default();
        registry.register(
            "db_writer_queue_depth",
            "Write requests waiting for the writer",
            writer_queue.clone(),
        );
        let writer_requests = Gauge::default();
        registry.register(
            "db_writer_requests",
            "Write requests run since start",
            writer_requests.clone(),
        );
        let writer_transactions = Gauge::default();
        registry.register(
            "db_writer_transactions",
            "Transactions those requests were committed in (group commit makes this smaller)",
            writer_transactions.clone(),
        );
        let m = db.metrics();
        registry.register_with_unit(
            "db_commit_duration",
            "Time of each group COMMIT (the fsync)",
            Unit::Seconds,
            m.commit_seconds.clone(),
        );
        registry.register(
            "db_commit_batch_size",
            "Write requests per transaction",
            m.batch_size.clone(),
        );
        registry.register_with_unit(
            "db_read_wait",
            "Time a read waited for a free reader thread",
            Unit::Seconds,
            m.read_wait_seconds.clone(),
        );
        let last_backup_time = Gauge::default();
        registry.register(
            "last_backup_timestamp_seconds",
            "When the newest backup in the backup directory was taken (Unix time; 0 if none)",
            last_backup_time.clone(),
        );
        let last_backup_bytes = Gauge::default();
        registry.register_with_unit(
            "last_backup_size",
            "Size of the newest backup",
            Unit::Bytes,
            last_backup_bytes.clone(),
        );
        registry.register(
            "build",
            "Version of the running binary and the schema it expects",
            Info::new(vec![
                ("version".to_owned(), env!("CARGO_PKG_VERSION").to_owned()),
                ("schema_version".to_owned(), migrations::latest_version().to_string()),
            ]),
        );
        Self {
            registry,
            requests,
            latency,
            in_flight,
            orders_created,
            failed_logins,
            writer_queue,
            writer_requests,
            writer_transactions,
            last_backup_time,
            last_backup_bytes,
        }
    }

    /// The text exposition, with the gauges read at scrape time brought up to date first.
    pub fn render(&self, db: &Db, newest_backup: Option<&crate::backup::BackupInfo>) -> String {
        let stats = db.writer_stats();
        self.writer_queue.set(stats.queued as i64);
        self.writer_requests.set(stats.requests as i64);
        self.writer_transactions.set(stats.transactions as i64);
        let (time, bytes) = newest_backup.map_or((0, 0), |b| {
            let at = chrono::DateTime::parse_from_rfc3339(&b.created_at).map_or(0, |t| t.timestamp());
            (at, b.size_bytes as i64)
        });
        self.last_backup_time.set(time);
        self.last_backup_bytes.set(bytes);
        let mut out = String::with_capacity(16 * 1024);
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Who may read `/metrics`: clients from the allowed networks, or anyone with the token.
#[derive(Clone, Debug)]
pub struct MetricsAccess {
    pub allow: Vec<IpNet>,
    pub token: Option<String>,
}

impl Default for MetricsAccess {
    /// Loopback only: a Prometheus on the same machine.
    fn default() -> Self {
        Self {
            allow: vec!["127.0.0.0/8".parse().expect("valid"), "::1/128".parse().expect("valid")],
            token: None,
        }
    }
}

impl MetricsAccess {
    pub fn permits(&self, peer: Option<IpAddr>, bearer: Option<&str>) -> bool {
        let by_token = match (&self.token, bearer) {
            (Some(expected), Some(given)) => crate::digest::constant_time_eq(expected.as_bytes(), given.as_bytes()),
            _ => false,
        };
        // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d.
        let by_network = peer
            .map(|ip| ip.to_canonical())
            .is_some_and(|ip| self.allow.iter().any(|net| net.contains(&ip)));
        by_token || by_network
    }
}
