//! The command line: `serve`, `migrate`, `user`, `version`. Every flag also reads an env var.
//! Errors are one line on stderr and a non-zero exit code.

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};

use crate::app;
use crate::audit::Who;
use crate::auth::password::PasswordHasher;
use crate::backup::schedule::{Schedule, When};
use crate::config::{Config, DEFAULT_BCRYPT_COST, DEFAULT_HTTP, DEFAULT_TOKEN_MINUTES};
use crate::datadir::DataDir;
use crate::db::{Db, DbOptions, migrations};
use crate::error::AppError;
use crate::http::list::DateRange;
use crate::orders::store::OrderFilter;
use crate::orders::types::OrderStatus;
use crate::transfer::export::Kind;
use crate::users::{self, Bootstrap, NewUser, store, types::Role};
use crate::{settings, tls, transfer};

#[derive(Parser)]
#[command(
    name = "order-system",
    version,
    about = "A small business's order desk: users, products, stock and orders, in one binary and one SQLite file."
)]
struct Cli {
    /// Where the database and generated secret live.
    #[arg(long, global = true, env = "ORDER_SYSTEM_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// bcrypt cost for new password hashes (4-31; each step doubles the time).
    #[arg(long, global = true, env = "ORDER_SYSTEM_BCRYPT_COST", default_value_t = DEFAULT_BCRYPT_COST,
          value_parser = clap::value_parser!(u32).range(4..=31))]
    bcrypt_cost: u32,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (creates the data dir and database on first start).
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations, or show their status.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Manage user accounts directly in the database.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write orders (with their items), products or customers as a CSV file for Excel.
    Export {
        #[arg(value_enum)]
        what: ExportKind,
        /// Write here instead of to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Orders only: only this status.
        #[arg(long)]
        status: Option<String>,
        /// Orders only: created on or after this date (YYYY-MM-DD, the shop's time zone) or time.
        #[arg(long)]
        from: Option<String>,
        /// Orders only: created on or before this date, or before this time.
        #[arg(long)]
        to: Option<String>,
    },
    /// Import products or customers from a CSV file: all rows or none.
    Import {
        #[arg(value_enum)]
        what: ImportKind,
        file: PathBuf,
        /// Check everything and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Take a verified backup now; safe while the server runs and takes orders.
    Backup {
        /// Write the backup to this file instead of into the backup directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The backup directory (default: DATA_DIR/backups).
        #[arg(long, env = "ORDER_SYSTEM_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
    },
    /// Replace the database with a backup (the server must be stopped); the current database
    /// is kept as a pre-restore backup first.
    Restore {
        file: PathBuf,
        #[arg(long, env = "ORDER_SYSTEM_BACKUP_DIR")]
        backup_dir: Option<PathBuf>,
    },
    /// Check the database: SQLite integrity and foreign keys, stock against the ledger, order
    /// totals against their items. Exits 1 when anything is off.
    Check,
    /// Delete cancelled orders older than a duration (e.g. 30d); their stock movements stay.
    Cleanup {
        #[arg(long, value_parser = parse_days)]
        cancelled_older_than: u32,
        /// Only print what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the version and the schema version this binary expects.
    Version,
}

/// "30d", "720h" and the like, as whole days.
fn parse_days(s: &str) -> Result<u32, String> {
    let d = humantime::parse_duration(s).map_err(|e| format!("{e} (try 30d)"))?;
    let days = d.as_secs() / 86_400;
    if days == 0 || days > 36_500 {
        return Err("must be between 1 day and 100 years".into());
    }
    Ok(days as u32)
}

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

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportKind {
    Orders,
    Products,
    Customers,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportKind {
    Products,
    Customers,
}

#[derive(Args)]
struct ServeArgs {
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
    /// At most this many open HTTPS connections.
    #[arg(long, env = "ORDER_SYSTEM_MAX_CONNECTIONS", default_value_t = 4096)]
    max_connections: usize,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// List every migration and when it was applied.
    Status,
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user; the password is read from stdin, or prompted for on a terminal.
    Create {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        full_name: Option<String>,
        /// Ask the user to choose their own password at first sign-in.
        #[arg(long)]
        must_change_password: bool,
    },
    /// Set a user's password (read from stdin, or prompted for); ends their sessions.
    SetPassword {
        username: String,
        /// Ask the user to choose their own password at next sign-in.
        #[arg(long)]
        must_change_password: bool,
    },
    /// List all users.
    List,
}

fn parse_role(s: &str) -> Result<Role, String> {
    match Role::parse(s) {
        Some(Role::Superadmin) => Err("superadmin is reserved for the built-in superAdmin account".into()),
        Some(role) => Ok(role),
        None => Err("must be one of admin, staff, customer".into()),
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(err) => return fail(anyhow::anyhow!("cannot start the async runtime: {err}")),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(err),
    }
}

fn fail(err: anyhow::Error) -> ExitCode {
    eprintln!("error: {err:#}");
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&cli.data_dir, cli.bcrypt_cost, *args).await,
        Command::Migrate { action } => migrate(&cli.data_dir, action),
        Command::User { action } => user(&cli.data_dir, cli.bcrypt_cost, action).await,
        Command::Export {
            what,
            out,
            status,
            from,
            to,
        } => {
            export(
                &cli.data_dir,
                cli.bcrypt_cost,
                what,
                out,
                status,
                DateRange {
                    date_from: from,
                    date_to: to,
                },
            )
            .await
        }
        Command::Import { what, file, dry_run } => import(&cli.data_dir, cli.bcrypt_cost, what, &file, dry_run).await,
        Command::Backup { out, backup_dir } => backup(&cli.data_dir, out, backup_dir).await,
        Command::Restore { file, backup_dir } => restore(&cli.data_dir, &file, backup_dir).await,
        Command::Check => check(&cli.data_dir).await,
        Command::Cleanup {
            cancelled_older_than,
            dry_run,
        } => cleanup(&cli.data_dir, cli.bcrypt_cost, cancelled_older_than, dry_run).await,
        Command::Version => {
            println!(
                "order-system {} (schema version {})",
                env!("CARGO_PKG_VERSION"),
                migrations::latest_version()
            );
            Ok(())
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn serve(data_dir: &std::path::Path, bcrypt_cost: u32, args: ServeArgs) -> anyhow::Result<()> {
    init_logging();
    let mut config = Config::new(data_dir);
    config.http = args.http;
    config.jwt_secret = args.jwt_secret;
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
    config.https = match (source, args.https) {
        (Some(source), addr) => Some(tls::HttpsConfig {
            addr: addr.unwrap_or_else(|| default_https.parse().expect("valid address")),
            source,
            limits: tls::serve::Limits {
                max_connections: args.max_connections.max(1),
                ..Default::default()
            },
        }),
        (None, Some(_)) => bail!("--https needs a certificate: --tls-cert and --tls-key, or --tls-self-signed"),
        (None, None) => None,
    };
    let signals = StopSignals::register()?;
    let server = app::start(&config).await?;
    let url = server.https_url().unwrap_or_else(|| server.url());
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
        Bootstrap::CreatedWithDefault => println!(
            "  First sign-in: open {url} and sign in as superAdmin with password admin123;\n  \
             you will be asked to choose a new password before anything else."
        ),
        Bootstrap::SetFromFlag => {
            println!("  Sign in as superAdmin with the password given by --admin-password.")
        }
        Bootstrap::Existing => println!("  Sign in with your account."),
    }
    println!("  Stop with Ctrl-C (or SIGTERM).");
    signals.wait().await;
    tracing::info!("stopping: finishing in-flight requests");
    server.stop().await?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// SIGTERM and SIGINT, registered before the server announces itself, so a signal sent the
/// moment the banner appears is a clean stop rather than the default abrupt exit.
struct StopSignals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn register() -> anyhow::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate()).context("cannot handle SIGTERM")?,
            int: signal(SignalKind::interrupt()).context("cannot handle SIGINT")?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
        }
    }
}

fn migrate(data_dir: &std::path::Path, action: Option<MigrateAction>) -> anyhow::Result<()> {
    let dir = DataDir::prepare(data_dir)?;
    let path = dir.db_path();
    match action {
        None => {
            let applied = migrations::apply(&path).with_context(|| format!("migrating {}", path.display()))?;
            dir.restrict_db_files()?;
            if applied.is_empty() {
                println!(
                    "{}: up to date (schema version {})",
                    path.display(),
                    migrations::latest_version()
                );
            } else {
                let list: Vec<String> = applied.iter().map(|v| format!("V{v}")).collect();
                println!("{}: applied {}", path.display(), list.join(", "));
            }
        }
        Some(MigrateAction::Status) => {
            for m in migrations::status(&path)? {
                let state = m
                    .applied_on
                    .map_or_else(|| "pending".to_owned(), |at| format!("applied {at}"));
                println!("V{:<4} {:<30} {state}", m.version, m.name);
            }
        }
    }
    Ok(())
}

/// Opens the database for a one-off command, with the built-in administrator in place.
async fn open_db(data_dir: &std::path::Path, hasher: &PasswordHasher) -> anyhow::Result<Db> {
    let dir = DataDir::prepare(data_dir)?;
    let path = dir.db_path();
    migrations::apply(&path).with_context(|| format!("cannot prepare the database {}", path.display()))?;
    dir.restrict_db_files()?;
    let mut options = DbOptions::new(&path);
    options.readers = 1;
    let db = Db::open(&options)?;
    users::bootstrap(&db, hasher, None).await?;
    Ok(db)
}

async fn user(data_dir: &std::path::Path, bcrypt_cost: u32, action: UserAction) -> anyhow::Result<()> {
    let hasher = PasswordHasher::new(bcrypt_cost);
    let db = open_db(data_dir, &hasher).await?;
    let result = user_action(&db, &hasher, action).await;
    let closing = db.clone();
    tokio::task::spawn_blocking(move || closing.close()).await?;
    result
}

async fn user_action(db: &Db, hasher: &PasswordHasher, action: UserAction) -> anyhow::Result<()> {
    match action {
        UserAction::Create {
            username,
            role,
            email,
            full_name,
            must_change_password,
        } => {
            let password = read_password(&format!("Password for {username}: "))?;
            let input = NewUser {
                username,
                password,
                role,
                email,
                full_name,
                must_change_password: Some(must_change_password),
            };
            let user = users::create(db, hasher, None, input).await?;
            println!(
                "created user {} (id {}, role {})",
                user.username,
                user.id,
                user.role.as_str()
            );
        }
        UserAction::SetPassword {
            username,
            must_change_password,
        } => {
            let name = username.clone();
            let found = db.read(move |conn| store::credentials_by_username(conn, &name)).await?;
            let Some(creds) = found else {
                bail!("no user named {username}")
            };
            let password = read_password(&format!("New password for {username}: "))?;
            users::reset_password(db, hasher, None, creds.id, &password, must_change_password).await?;
            println!("password set for {username}; their existing sessions have ended");
        }
        UserAction::List => {
            let all = db
                .read(|conn| {
                    let paging = crate::http::list::Paging {
                        page: 1,
                        per_page: u32::MAX,
                        search: None,
                        sort: None,
                    };
                    store::list(
                        conn,
                        &store::UserFilter {
                            role: None,
                            is_active: None,
                        },
                        &paging,
                        "id ASC",
                    )
                })
                .await?
                .0;
            println!("{:<6} {:<24} {:<11} {:<8} CREATED", "ID", "USERNAME", "ROLE", "ACTIVE");
            for u in all {
                println!(
                    "{:<6} {:<24} {:<11} {:<8} {}",
                    u.id,
                    u.username,
                    u.role.as_str(),
                    if u.is_active { "yes" } else { "no" },
                    u.created_at
                );
            }
        }
    }
    Ok(())
}

/// A password from a hidden prompt (asked twice) on a terminal, else the first line of stdin.
/// Never from argv, where other users of the machine could read it.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(prompt)?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the two passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password on stdin");
    }
    Ok(password)
}

async fn export(
    data_dir: &Path,
    bcrypt_cost: u32,
    what: ExportKind,
    out: Option<PathBuf>,
    status: Option<String>,
    range: DateRange,
) -> anyhow::Result<()> {
    let db = open_db(data_dir, &PasswordHasher::new(bcrypt_cost)).await?;
    let settings = db.read(settings::store::load).await?;
    let tz = settings.tz();
    let status = status
        .map(|s| {
            OrderStatus::parse(&s)
                .with_context(|| format!("unknown status {s}; use pending, confirmed, shipped, completed or cancelled"))
        })
        .transpose()?;
    let (from, to) = range.resolve(tz).map_err(|e| anyhow::anyhow!("{e}"))?;
    let filter = OrderFilter {
        status,
        customer_id: None,
        from,
        to,
    };
    let kind = match what {
        ExportKind::Orders => Kind::Orders,
        ExportKind::Products => Kind::Products,
        ExportKind::Customers => Kind::Customers,
    };
    let currency = settings.currency_code.clone();
    let reader = db.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let conn = reader.open_private_reader()?;
        match out {
            Some(path) => {
                // Written beside the target and renamed, so a half-written file never has its name.
                let tmp = path.with_extension("csv.partial");
                let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
                let mut buffered = std::io::BufWriter::new(file);
                transfer::export::write(&conn, kind, &filter, tz, &currency, &mut buffered)?;
                buffered.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
            None => transfer::export::write(&conn, kind, &filter, tz, &currency, std::io::stdout().lock())?,
        }
        Ok(())
    })
    .await??;
    close(db).await
}

async fn import(data_dir: &Path, bcrypt_cost: u32, what: ImportKind, file: &Path, dry_run: bool) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = open_db(data_dir, &PasswordHasher::new(bcrypt_cost)).await?;
    let who = Who::command_line();
    let result = match what {
        ImportKind::Products => transfer::import::products(&db, who, bytes, dry_run).await,
        ImportKind::Customers => transfer::import::customers(&db, who, bytes, dry_run).await,
    };
    close(db).await?;
    match result {
        Ok(r) => {
            let verb = if r.dry_run { "would import" } else { "imported" };
            println!(
                "{verb} {} rows: {} created, {} updated, {} unchanged",
                r.rows, r.created, r.updated, r.unchanged
            );
            Ok(())
        }
        Err(AppError::Unprocessable { message, details, .. }) => {
            for e in details["errors"].as_array().into_iter().flatten() {
                let column = e["column"]
                    .as_str()
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default();
                eprintln!(
                    "  line {}{column}: {}",
                    e["line"],
                    e["message"].as_str().unwrap_or_default()
                );
            }
            bail!("{}: {message}", file.display())
        }
        Err(err) => Err(err.into()),
    }
}

async fn close(db: Db) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || db.close()).await?;
    Ok(())
}

/// The data dir of a command that needs an existing database.
fn existing(data_dir: &Path) -> anyhow::Result<DataDir> {
    let dir = DataDir::prepare(data_dir)?;
    if !dir.db_path().exists() {
        bail!("no database at {} (is --data-dir right?)", dir.db_path().display());
    }
    Ok(dir)
}

async fn backup(data_dir: &Path, out: Option<PathBuf>, backup_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = existing(data_dir)?;
    let info = tokio::task::spawn_blocking(move || -> anyhow::Result<crate::backup::BackupInfo> {
        let db = dir.db_path();
        match out {
            None => Ok(crate::backup::create(
                &db,
                &backup_dir.unwrap_or_else(|| dir.default_backup_dir()),
                "manual",
            )?),
            Some(file) => {
                // Taken into the target's directory, then given the name asked for.
                let parent = file
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf();
                let info = crate::backup::create(&db, &parent, "manual")?;
                std::fs::rename(parent.join(&info.name), &file)
                    .with_context(|| format!("cannot write {}", file.display()))?;
                let _ = std::fs::rename(
                    parent.join(format!("{}.json", info.name)),
                    file.with_extension("db.json"),
                );
                Ok(crate::backup::BackupInfo {
                    name: file.display().to_string(),
                    ..info
                })
            }
        }
    })
    .await??;
    println!(
        "backup {}: {} bytes, schema version {}, verified {}, {} ms",
        info.name, info.size_bytes, info.schema_version, info.verification, info.duration_ms
    );
    Ok(())
}

async fn restore(data_dir: &Path, file: &Path, backup_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = DataDir::prepare(data_dir)?;
    let file = file.to_path_buf();
    let report = tokio::task::spawn_blocking(move || {
        let backups = backup_dir.unwrap_or_else(|| dir.default_backup_dir());
        crate::backup::restore::restore(&dir, &file, &backups)
    })
    .await??;
    println!(
        "restored {} (schema version {})",
        report.restored_from, report.backup_schema_version
    );
    if let Some(pre) = report.pre_restore_backup {
        println!("the database it replaced is kept as backup {pre}");
    }
    if !report.migrated.is_empty() {
        println!(
            "migrated forward: {}",
            report
                .migrated
                .iter()
                .map(|v| format!("V{v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

async fn check(data_dir: &Path) -> anyhow::Result<()> {
    let dir = existing(data_dir)?;
    let report = tokio::task::spawn_blocking(move || {
        let conn = crate::db::open_read_only(&dir.db_path())?;
        crate::maintenance::check(&conn)
    })
    .await??;
    for line in report.lines() {
        println!("{line}");
    }
    if !report.ok {
        bail!("the database has problems (see above)");
    }
    Ok(())
}

async fn cleanup(data_dir: &Path, bcrypt_cost: u32, days: u32, dry_run: bool) -> anyhow::Result<()> {
    existing(data_dir)?;
    let db = open_db(data_dir, &PasswordHasher::new(bcrypt_cost)).await?;
    let who = Who::command_line();
    let report = db
        .write(move |conn| crate::maintenance::cleanup(conn, &who, days, dry_run))
        .await;
    close(db).await?;
    let report = report?;
    let verb = if dry_run { "would delete" } else { "deleted" };
    for o in &report.orders {
        println!(
            "{verb} {} (created {}, total {})",
            o.order_number,
            o.created_at,
            crate::money::Money::from_minor(o.total_minor)
        );
    }
    println!(
        "{verb} {} cancelled order(s) created before {}",
        report.orders.len(),
        report.before
    );
    Ok(())
}
