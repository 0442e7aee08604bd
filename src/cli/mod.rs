//! The command line. Every flag also reads an env var and a key of the config file (see
//! [`config_file`]); errors are one line on stderr and a non-zero exit code.

mod config_file;
mod copy;
mod data;
mod demo;
mod legacy;
mod readiness;
mod serve;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::DEFAULT_BCRYPT_COST;
use crate::db::migrations;
use crate::observe::logging::{self, LogFormat};

#[derive(Parser)]
#[command(
    name = "order-system",
    version,
    about = "A small business's order desk: users, products, stock and orders, in one binary and one SQLite file."
)]
struct Cli {
    /// TOML file whose keys are these flags' long names (default /etc/order-system/config.toml
    /// when it exists). Flags and env vars win over it; `--config /dev/null` ignores it.
    #[arg(long, global = true, env = "ORDER_SYSTEM_CONFIG")]
    config: Option<PathBuf>,
    /// Where the database and generated secret live.
    #[arg(long, global = true, env = "ORDER_SYSTEM_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// Keep the data in this PostgreSQL database instead of the data dir's SQLite file:
    /// postgresql://user:password@host:5432/dbname (sslmode=require or verify-full for TLS).
    /// Every command that opens the database takes it; `serve` then needs the token secret set.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    database: Option<String>,
    /// bcrypt cost for new password hashes (4-31; each step doubles the time).
    #[arg(long, global = true, env = "ORDER_SYSTEM_BCRYPT_COST", default_value_t = DEFAULT_BCRYPT_COST,
          value_parser = clap::value_parser!(u32).range(4..=31))]
    bcrypt_cost: u32,
    /// Log lines as text (pretty) or one JSON object per line (json).
    #[arg(long, global = true, env = "ORDER_SYSTEM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    log_format: LogFormat,
    /// Log filter, e.g. info, warn or "info,request=warn" (default: RUST_LOG, else info).
    #[arg(long, global = true, env = "ORDER_SYSTEM_LOG_LEVEL")]
    log_level: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (creates the data dir and database on first start).
    Serve(Box<serve::ServeArgs>),
    /// Check the configuration (file, env vars, flags) and print the one `serve` would use.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Apply pending database migrations, or show their status.
    Migrate {
        #[command(subcommand)]
        action: Option<data::MigrateAction>,
    },
    /// Manage user accounts directly in the database.
    User {
        #[command(subcommand)]
        action: user::UserAction,
    },
    /// Write orders (with their items), products or customers as a CSV file for Excel.
    Export(data::ExportArgs),
    /// Import products or customers from CSV, or everything from the old system.
    Import {
        #[command(subcommand)]
        what: data::ImportWhat,
    },
    /// Move the shop between SQLite and PostgreSQL (`db copy --to URL` or `--from URL`).
    Db {
        #[command(subcommand)]
        action: copy::DbAction,
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
        #[arg(long, value_parser = data::parse_days)]
        cancelled_older_than: u32,
        /// Only print what would be deleted.
        #[arg(long)]
        dry_run: bool,
    },
    /// Fill an empty database with realistic demo products, customers and orders (Chinese and
    /// English), for a trial or a benchmark.
    DemoData(demo::DemoArgs),
    /// Print the version and the schema version this binary expects.
    Version,
    /// Print the API's OpenAPI document (what /api/openapi.json serves), for generating clients.
    Openapi,
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Validate the configuration and print the effective one (secrets masked); exits 1 on errors.
    Check(Box<serve::ServeArgs>),
}

pub fn main() -> ExitCode {
    let parsed = match config_file::parse(std::env::args_os().collect()) {
        Ok(parsed) => parsed,
        Err(err) => return fail(err),
    };
    let cli = parsed.cli;
    let default_level = if matches!(cli.command, Command::Serve(_)) {
        "info"
    } else {
        "warn"
    };
    if let Err(err) = logging::init(cli.log_format, cli.log_level.as_deref(), default_level) {
        return fail(err);
    }
    if let Some(file) = &parsed.file {
        tracing::debug!(path = %file.path.display(), keys = file.applied.len(), "read the config file");
    }
    // Requests have their own threads (http::threads) and the database its own; this runtime
    // keeps only start-up, the accept loops, background work and the stop, for which the main
    // thread is plenty. Start-up's blocking threads go once idle for a second.
    let mut builder = tokio::runtime::Builder::new_current_thread();
    builder.thread_keep_alive(std::time::Duration::from_secs(1));
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(err) => return fail(anyhow::anyhow!("cannot start the async runtime: {err}")),
    };
    match runtime.block_on(run(cli, parsed.file, parsed.report)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(err),
    }
}

fn fail(err: anyhow::Error) -> ExitCode {
    eprintln!("error: {err:#}");
    ExitCode::FAILURE
}

async fn run(cli: Cli, file: Option<config_file::Loaded>, report: config_file::Report) -> anyhow::Result<()> {
    let data_dir = cli.data_dir.as_path();
    if let Some(url) = &cli.database {
        data::check_url(url)?;
        if matches!(cli.command, Command::Backup { .. } | Command::Restore { .. }) {
            anyhow::bail!(
                "a PostgreSQL database is backed up and restored with its own tools: pg_dump and pg_restore, \
                 pgBackRest, or a managed service's point-in-time recovery (docs/postgresql.md)"
            );
        }
    }
    let database = cli.database.as_deref();
    match cli.command {
        Command::Serve(args) => serve::serve(data_dir, cli.bcrypt_cost, cli.database, *args).await,
        Command::Config {
            action: ConfigAction::Check(args),
        } => serve::check_config(data_dir, cli.bcrypt_cost, cli.database, *args, file.as_ref(), &report),
        Command::Migrate { action } => match cli.database {
            Some(url) => data::migrate_postgres(url, action).await,
            None => data::migrate(data_dir, action),
        },
        Command::User { action } => user::user(data_dir, database, cli.bcrypt_cost, action).await,
        Command::Export(args) => data::export(data_dir, database, cli.bcrypt_cost, args).await,
        Command::Import { what } => data::import(data_dir, database, cli.bcrypt_cost, what).await,
        Command::Db { action } => copy::run(data_dir, database, action).await,
        Command::Backup { out, backup_dir } => data::backup(data_dir, out, backup_dir).await,
        Command::Restore { file, backup_dir } => data::restore(data_dir, &file, backup_dir).await,
        Command::Check => data::check(data_dir, database).await,
        Command::Cleanup {
            cancelled_older_than,
            dry_run,
        } => data::cleanup(data_dir, database, cli.bcrypt_cost, cancelled_older_than, dry_run).await,
        Command::DemoData(args) => demo::run(data_dir, database, cli.bcrypt_cost, args).await,
        Command::Openapi => {
            let (_, doc) = crate::app::api();
            println!("{}", serde_json::to_string_pretty(&doc)?);
            Ok(())
        }
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
