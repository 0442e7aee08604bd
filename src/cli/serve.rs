//! `serve` and `config check`: turning flags into a [`Config`], starting the server, telling
//! systemd about it, and stopping cleanly.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;

use super::config_file::{Loaded, Report};
use crate::app;
use crate::backup::schedule::{Schedule, When};
use crate::config::{Config, DEFAULT_HTTP, DEFAULT_TOKEN_MINUTES};
use crate::observe::MetricsAccess;
use crate::tls;
use crate::users::Bootstrap;

fn parse_every(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s).map_err(|e| format!("{e} (try 6h or 1d)"))?;
    if d < Duration::from_secs(60) {
        return Err("must be at least 1m".into());
    }
    Ok(d)
}

fn parse_time_of_day(s: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| "must be a time of day like 03:00".into())
}

#[derive(Args)]
pub struct ServeArgs {
    /// Address and port for plain HTTP.
    #[arg(long, env = "ORDER_SYSTEM_HTTP", default_value = DEFAULT_HTTP)]
    http: SocketAddr,
    /// Token signing secret (the original system's SECRET_KEY); generated into the data dir if unset.
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Minutes until a sign-in expires (the original system's ACCESS_TOKEN_EXPIRE_MINUTES).
    #[arg(long, env = "ACCESS_TOKEN_EXPIRE_MINUTES", default_value_t = DEFAULT_TOKEN_MINUTES,
          value_parser = clap::value_parser!(u64).range(1..=525_600))]
    token_minutes: u64,
    /// Sets the built-in superAdmin's password on first start instead of admin123, with no forced change.
    #[arg(long, env = "ORDER_SYSTEM_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: Option<String>,
    /// Seconds that in-flight requests may take to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "ORDER_SYSTEM_SHUTDOWN_GRACE", default_value_t = 10)]
    shutdown_grace: u64,
    /// Take a verified backup at this interval (e.g. 6h, 1d).
    #[arg(long, env = "ORDER_SYSTEM_BACKUP_EVERY", value_parser = parse_every, conflicts_with = "backup_at")]
    backup_every: Option<Duration>,
    /// Take a verified backup every day at this time (HH:MM, the shop's time zone).
    #[arg(long, env = "ORDER_SYSTEM_BACKUP_AT", value_parser = parse_time_of_day)]
    backup_at: Option<chrono::NaiveTime>,
    /// How many scheduled backups to keep.
    #[arg(long, env = "ORDER_SYSTEM_BACKUP_KEEP", default_value_t = 14)]
    backup_keep: usize,
    /// The backup directory (default: DATA_DIR/backups).
    #[arg(long, env = "ORDER_SYSTEM_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// Serve HTTPS here (default 127.0.0.1:8443 when a certificate is given); plain HTTP then
    /// only redirects to it.
    #[arg(long, env = "ORDER_SYSTEM_HTTPS")]
    https: Option<SocketAddr>,
    /// PEM certificate chain for HTTPS.
    #[arg(
        long,
        env = "ORDER_SYSTEM_TLS_CERT",
        requires = "tls_key",
        conflicts_with = "tls_self_signed"
    )]
    tls_cert: Option<PathBuf>,
    /// PEM private key (PKCS#8, RSA or ECDSA) for HTTPS.
    #[arg(long, env = "ORDER_SYSTEM_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// HTTPS with a self-signed certificate for localhost and this machine's names (trials).
    #[arg(long, env = "ORDER_SYSTEM_TLS_SELF_SIGNED")]
    tls_self_signed: bool,
    /// Get and renew certificates automatically (ACME) for this domain (repeatable).
    #[arg(long = "domain", env = "ORDER_SYSTEM_DOMAINS", value_delimiter = ',', conflicts_with_all = ["tls_cert", "tls_self_signed"])]
    domains: Vec<String>,
    /// Contact email for the ACME account (expiry notices).
    #[arg(long, env = "ORDER_SYSTEM_ACME_EMAIL")]
    acme_email: Option<String>,
    /// ACME directory URL.
    #[arg(long, env = "ORDER_SYSTEM_ACME_DIRECTORY", default_value = tls::acme::LETS_ENCRYPT)]
    acme_directory: String,
    /// An extra CA certificate to trust for the ACME directory's own HTTPS (private or test CAs).
    #[arg(long, env = "ORDER_SYSTEM_ACME_CA_ROOT")]
    acme_ca_root: Option<PathBuf>,
    /// At most this many open connections, on HTTP and on HTTPS each; past it a new one takes
    /// the place of the longest-idle connection, or is refused if all are busy.
    #[arg(long, env = "ORDER_SYSTEM_MAX_CONNECTIONS", default_value_t = 4096)]
    max_connections: usize,
    /// Seconds a client has to send a request's headers; for HTTP/1.1 also how long a
    /// keep-alive connection may sit idle between requests.
    #[arg(long, env = "ORDER_SYSTEM_HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a connection may go without a request in flight (HTTP/2 keep-alive).
    #[arg(long, env = "ORDER_SYSTEM_IDLE_TIMEOUT", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    idle_timeout: u64,
    /// Seconds a request body may stop arriving before the request gets 408.
    #[arg(long, env = "ORDER_SYSTEM_BODY_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
    /// Open the web UI in the desktop's browser once the server is ready (a trial on a PC).
    #[arg(long, env = "ORDER_SYSTEM_OPEN")]
    open: bool,
    /// Networks allowed to read /metrics without a token (CIDRs, repeatable; default loopback).
    #[arg(long, env = "ORDER_SYSTEM_METRICS_ALLOW", value_delimiter = ',')]
    metrics_allow: Vec<ipnet::IpNet>,
    /// Also answer requests for this host name (repeatable), e.g. the name the shop's other
    /// computers use or a reverse proxy's; IP addresses, localhost, --domain names and this
    /// machine's name are answered anyway. Others get 421 (DNS-rebinding protection).
    #[arg(long = "allowed-host", env = "ORDER_SYSTEM_ALLOWED_HOSTS", value_delimiter = ',')]
    allowed_hosts: Vec<String>,
    /// A bearer token that opens /metrics from anywhere.
    #[arg(long, env = "ORDER_SYSTEM_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
}

/// The server's settings from the parsed flags; everything that can be checked without
/// starting is checked here, so `config check` and `serve` refuse the same mistakes.
fn to_config(data_dir: &Path, bcrypt_cost: u32, database: Option<String>, args: ServeArgs) -> anyhow::Result<Config> {
    let mut config = Config::new(data_dir);
    config.http = args.http;
    config.jwt_secret = args.jwt_secret;
    if let Some(url) = database {
        if config.jwt_secret.is_none() {
            bail!(
                "on PostgreSQL the token secret must be set (--jwt-secret or SECRET_KEY), the same on every server: \
                 a sign-in made on one server must be accepted by the others, and a secret generated into one \
                 server's data dir would not be"
            );
        }
        config.database = Some(url);
    }
    config.token_ttl = Duration::from_secs(args.token_minutes * 60);
    config.bcrypt_cost = bcrypt_cost;
    config.admin_password = args.admin_password;
    config.shutdown_grace = Duration::from_secs(args.shutdown_grace);
    config.backup_dir = args.backup_dir;
    let when = match (args.backup_every, args.backup_at) {
        (Some(every), _) => Some(When::Every(every)),
        (None, Some(at)) => Some(When::DailyAt(at)),
        (None, None) => None,
    };
    config.backup_schedule = when.map(|when| Schedule {
        when,
        keep: args.backup_keep.max(1),
    });
    let acme = !args.domains.is_empty();
    let source = match (args.tls_cert, args.tls_key, args.tls_self_signed) {
        _ if acme => Some(tls::Source::Acme(tls::acme::AcmeSettings {
            domains: args.domains,
            email: args.acme_email,
            directory: args.acme_directory,
            ca_root: args.acme_ca_root,
        })),
        (Some(cert), Some(key), _) => Some(tls::Source::Files { cert, key }),
        (_, _, true) => Some(tls::Source::SelfSigned),
        _ => None,
    };
    if acme && args.http == DEFAULT_HTTP.parse::<SocketAddr>()? {
        // ACME's http-01 challenge and the redirect live on the standard port.
        config.http = "0.0.0.0:80".parse()?;
    }
    let default_https = if acme { "0.0.0.0:443" } else { "127.0.0.1:8443" };
    config.limits = crate::http::serve::Limits {
        max_connections: args.max_connections.max(1),
        header_timeout: Duration::from_secs(args.header_timeout),
        idle_timeout: Duration::from_secs(args.idle_timeout),
        body_timeout: Duration::from_secs(args.body_timeout),
        ..Default::default()
    };
    config.https = match (source, args.https) {
        (Some(source), addr) => Some(tls::HttpsConfig {
            addr: addr.unwrap_or_else(|| default_https.parse().expect("valid address")),
            source,
        }),
        (None, Some(_)) => bail!("--https needs a certificate: --tls-cert and --tls-key, or --tls-self-signed"),
        (None, None) => None,
    };
    let mut access = MetricsAccess::default();
    if !args.metrics_allow.is_empty() {
        access.allow = args.metrics_allow;
    }
    access.token = args.metrics_token;
    if access.token.as_ref().is_some_and(|t| t.len() < 16) {
        bail!("--metrics-token must be at least 16 characters");
    }
    config.metrics_access = access;
    config.open_browser = args.open;
    config.allowed_hosts = args.allowed_hosts;
    Ok(config)
}

pub async fn serve(data_dir: &Path, bcrypt_cost: u32, database: Option<String>, args: ServeArgs) -> anyhow::Result<()> {
    let config = to_config(data_dir, bcrypt_cost, database, args)?;
    let signals = StopSignals::register()?;
    let server = app::start(&config).await?;
    let url = server.https_url().unwrap_or_else(|| server.url());
    announce(&config, &server, &url);
    let watchdog = super::readiness::ready(&server);
    // Here, on the thread that started the server: mimalloc frees only the calling thread's
    // cached pages, and start-up allocated on this one. The serving threads trim their own;
    // this thread trims again whenever the server goes quiet (after start-up's helper threads
    // have left, and after the accept loops' own bursts).
    crate::memory::release_free_memory();
    let trimmer = tokio::spawn(crate::memory::trim_when_idle());
    if config.open_browser
        && let Err(err) = open::that_detached(&url)
    {
        tracing::warn!(error = %err, "could not open a browser; open {url} yourself");
    }
    signals.wait(server.https_addr.is_some()).await;
    if let Some(task) = watchdog {
        task.abort();
    }
    trimmer.abort();
    super::readiness::stopping();
    tracing::info!("stopping: finishing in-flight requests");
    server.stop().await?;
    tracing::info!("stopped cleanly");
    Ok(())
}

fn announce(config: &Config, server: &app::Server, url: &str) {
    println!("order-system {} is running at {url}", env!("CARGO_PKG_VERSION"));
    if server.https_addr.is_some() {
        println!("  plain HTTP on {} redirects to HTTPS", server.url());
    }
    println!(
        "  data:     {}",
        config.data_dir.join(crate::datadir::DB_FILE).display()
    );
    println!("  API docs: {url}/api/docs");
    match server.prepared_bootstrap {
        Bootstrap::CreatedWithDefault | Bootstrap::StillDefault => println!(
            "  First sign-in: open {url} and sign in as superAdmin with password admin123;\n  \
             you will be asked to choose a new password before anything else."
        ),
        Bootstrap::SetFromFlag => {
            println!("  Sign in as superAdmin with the password given by --admin-password.")
        }
        Bootstrap::Existing => println!("  Sign in with your account."),
    }
    println!("  Stop with Ctrl-C (or SIGTERM).");
}

/// `config check`: the effective settings, then every check that needs no server.
pub fn check_config(
    data_dir: &Path,
    bcrypt_cost: u32,
    database: Option<String>,
    args: ServeArgs,
    file: Option<&Loaded>,
    report: &Report,
) -> anyhow::Result<()> {
    match file {
        Some(file) => println!("# config file: {}", file.path.display()),
        None => println!("# no config file (flags, env vars and defaults only)"),
    }
    print!("{}", report.to_toml());
    let config = to_config(data_dir, bcrypt_cost, database, args)?;
    if let Some(https) = &config.https
        && let tls::Source::Files { cert, key } = &https.source
    {
        tls::certs::load(cert, key).context("the certificate files")?;
    }
    println!("# OK: the configuration is valid");
    Ok(())
}

/// SIGTERM and SIGINT, registered before the server announces itself, so a signal sent the
/// moment the banner appears is a clean stop rather than the default abrupt exit. SIGHUP
/// (`systemctl reload`) is handled too: it reloads certificates when there are any (see
/// [`tls::watch_for_reload`]) and otherwise is only logged; its default action would end the
/// process, and systemd would not restart a process that exited on SIGHUP.
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn register() -> anyhow::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate()).context("cannot handle SIGTERM")?,
            int: signal(SignalKind::interrupt()).context("cannot handle SIGINT")?,
            hup: signal(SignalKind::hangup()).context("cannot handle SIGHUP")?,
        })
    }

    async fn wait(mut self, tls: bool) {
        loop {
            tokio::select! {
                _ = self.term.recv() => return,
                _ = self.int.recv() => return,
                _ = self.hup.recv() => {
                    if !tls {
                        tracing::info!("SIGHUP: nothing to reload (no certificate files); the config file is read at start");
                    }
                }
            }
        }
    }
}
