//! The settings of a running server, whatever set them (flags, env vars, defaults).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// Holds the database and the generated secret.
    pub data_dir: PathBuf,
    /// Where plain HTTP listens.
    pub http: SocketAddr,
    /// The token signing secret; generated into the data dir when not given.
    pub jwt_secret: Option<String>,
    /// A PostgreSQL connection string: the database lives there, not in the data dir.
    pub database: Option<String>,
    pub token_ttl: Duration,
    pub bcrypt_cost: u32,
    /// Sets the built-in superAdmin's password up front (skips the must-change step).
    pub admin_password: Option<String>,
    /// Reader threads: one per core, at least two. On 2 cores, 4 readers answered orders and
    /// the dashboard no faster than 2 (8.5k and 17.6k req/s against 8.4k and 19.5k) and kept
    /// 0.6 MB more resident.
    pub db_readers: usize,
    /// How long in-flight requests may take to finish once shutdown begins.
    pub shutdown_grace: Duration,
    /// Mark session cookies Secure; on whenever the server speaks HTTPS.
    pub secure_cookies: bool,
    /// Where backups go; `data_dir/backups` when not set.
    pub backup_dir: Option<PathBuf>,
    /// Scheduled backups, if any.
    pub backup_schedule: Option<crate::backup::schedule::Schedule>,
    /// HTTPS, when on; plain HTTP then only redirects.
    pub https: Option<crate::tls::HttpsConfig>,
    /// Who may read `/metrics`.
    pub metrics_access: crate::observe::MetricsAccess,
    /// Open the UI in the desktop's browser once ready (`serve --open`).
    pub open_browser: bool,
    /// When failed sign-ins start to be refused with 429.
    pub login_limits: crate::auth::throttle::Limits,
    /// Host names to answer besides the automatic ones (see http::hosts).
    pub allowed_hosts: Vec<String>,
    /// What one client can hold, on plain HTTP and HTTPS alike.
    pub limits: crate::http::serve::Limits,
}

pub const DEFAULT_HTTP: &str = "127.0.0.1:8080";
pub const DEFAULT_TOKEN_MINUTES: u64 = 480;
pub const DEFAULT_BCRYPT_COST: u32 = 12;

impl Config {
    /// The defaults of `serve` with no flags, for a data dir.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            http: DEFAULT_HTTP.parse().expect("valid default address"),
            jwt_secret: None,
            database: None,
            token_ttl: Duration::from_secs(DEFAULT_TOKEN_MINUTES * 60),
            bcrypt_cost: DEFAULT_BCRYPT_COST,
            admin_password: None,
            db_readers: crate::http::threads::count().max(2),
            shutdown_grace: Duration::from_secs(10),
            secure_cookies: false,
            backup_dir: None,
            backup_schedule: None,
            https: None,
            metrics_access: Default::default(),
            open_browser: false,
            login_limits: Default::default(),
            allowed_hosts: Vec::new(),
            limits: Default::default(),
        }
    }
}
