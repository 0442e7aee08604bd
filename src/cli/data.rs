//! The data commands: migrate, export, import, backup, restore, check and cleanup. Each opens
//! the data dir itself; backup and check are safe while the server runs.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use crate::audit::Who;
use crate::auth::password::PasswordHasher;
use crate::datadir::DataDir;
use crate::db::{Conn, Db, DbOptions, migrations};
use crate::error::AppError;
use crate::http::list::DateRange;
use crate::orders::store::OrderFilter;
use crate::orders::types::OrderStatus;
use crate::transfer::export::{Export, Format, Lang};
use crate::transfer::jobs::{ImportJob, Jobs, Kind, Upload};
use crate::{settings, transfer, users};

#[derive(Args)]
pub struct ExportArgs {
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
    /// The language of headers and values: en (as imports expect) or zh-CN.
    #[arg(long, default_value = "en", value_parser = ["en", "zh-CN"])]
    lang: String,
}

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Products from a CSV file (sku, name, price; stock_quantity, low_stock_threshold,
    /// status, description): new SKUs are added, known ones updated. All rows or none.
    Products(ImportArgs),
    /// Customers from a CSV file (name; phone, email, address, note). All rows or none.
    Customers(ImportArgs),
    /// Everything from the old system (FastAPI + PostgreSQL): its accounts with their
    /// passwords, products and stock, and orders, into a new, empty shop, in one transaction.
    Legacy(super::legacy::LegacyArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Check everything and report, writing nothing.
    #[arg(long)]
    dry_run: bool,
}

pub fn parse_days(s: &str) -> Result<u32, String> {
    let d = humantime::parse_duration(s).map_err(|e| format!("{e} (try 30d)"))?;
    let days = d.as_secs() / 86_400;
    if days == 0 || days > 36_500 {
        return Err("must be between 1 day and 100 years".into());
    }
    Ok(days as u32)
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ExportKind {
    /// One row per order, with its total.
    Orders,
    /// One row per order line, with its line total (no order total).
    OrderLines,
    Products,
    Customers,
}

#[derive(Subcommand)]
pub enum MigrateAction {
    /// List every migration and when it was applied.
    Status,
}

pub fn migrate(data_dir: &Path, action: Option<MigrateAction>) -> anyhow::Result<()> {
    let dir = DataDir::prepare(data_dir)?;
    let path = dir.db_path();
    match action {
        None => {
            let applied = migrations::apply(&path).with_context(|| format!("migrating {}", path.display()))?;
            dir.restrict_db_files()?;
            print_applied(&path.display().to_string(), &applied, migrations::latest_version());
        }
        Some(MigrateAction::Status) => print_status(migrations::status(&path)?),
    }
    Ok(())
}

fn print_applied(place: &str, applied: &[i32], latest: i32) {
    if applied.is_empty() {
        println!("{place}: up to date (schema version {latest})");
    } else {
        let list: Vec<String> = applied.iter().map(|v| format!("V{v}")).collect();
        println!("{place}: applied {}", list.join(", "));
    }
}

fn print_status(list: Vec<migrations::MigrationStatus>) {
    for m in list {
        let state = m
            .applied_on
            .map_or_else(|| "pending".to_owned(), |at| format!("applied {at}"));
        println!("V{:<4} {:<30} {state}", m.version, m.name);
    }
}

/// `migrate --database postgresql://...`: the PostgreSQL schema, under the migration lock. On
/// a blocking thread: the sync PostgreSQL client runs its own small runtime.
pub async fn migrate_postgres(url: String, action: Option<MigrateAction>) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || migrate_postgres_now(&url, action)).await?
}

fn migrate_postgres_now(url: &str, action: Option<MigrateAction>) -> anyhow::Result<()> {
    use crate::db::postgres;
    anyhow::ensure!(
        postgres::is_postgres_url(url),
        "--database takes a PostgreSQL URL (postgresql://user:password@host/dbname); the SQLite file is found with --data-dir"
    );
    let place = postgres::place(url);
    match action {
        None => {
            let applied = postgres::migrate(url).with_context(|| format!("migrating {place}"))?;
            print_applied(&place, &applied, postgres::latest_version());
        }
        Some(MigrateAction::Status) => print_status(postgres::status(url)?),
    }
    Ok(())
}

/// Refuses a `--database` that is not a PostgreSQL URL, or whose TLS settings are wrong.
pub fn check_url(url: &str) -> anyhow::Result<()> {
    if !crate::db::postgres::is_postgres_url(url) {
        bail!(
            "--database takes a PostgreSQL URL (postgresql://user:password@host/dbname); the SQLite file is found with --data-dir"
        );
    }
    crate::db::postgres::tls::split(url)?;
    Ok(())
}

/// Opens the database for a one-off command (the data dir's file, or `database` on
/// PostgreSQL), migrated, with the built-in administrator in place.
pub async fn open_db(data_dir: &Path, database: Option<&str>, hasher: &PasswordHasher) -> anyhow::Result<Db> {
    let dir = DataDir::prepare(data_dir)?;
    let path = dir.db_path();
    let mut options = DbOptions::new(&path);
    options.readers = 1;
    options.writers = 1;
    match database {
        Some(url) => {
            let url = url.to_owned();
            options.postgres = Some(url.clone());
            tokio::task::spawn_blocking(move || crate::db::postgres::migrate(&url)).await??;
        }
        None => {
            migrations::apply(&path).with_context(|| format!("cannot prepare the database {}", path.display()))?;
            dir.restrict_db_files()?;
        }
    }
    let db = Db::open(&options)?;
    users::bootstrap(&db, hasher, None).await?;
    Ok(db)
}

pub async fn export(data_dir: &Path, database: Option<&str>, bcrypt_cost: u32, args: ExportArgs) -> anyhow::Result<()> {
    let ExportArgs {
        what,
        out,
        status,
        from,
        to,
        lang,
    } = args;
    let range = DateRange {
        date_from: from,
        date_to: to,
    };
    if let Some(path) = &out {
        let dir = DataDir::prepare(data_dir)?;
        dir.refuse_output(path)?;
        dir.refuse_output(&path.with_extension("csv.partial"))?;
    }
    let db = open_db(data_dir, database, &PasswordHasher::new(bcrypt_cost)).await?;
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
        payment_status: None,
        from,
        to,
    };
    let export = match what {
        ExportKind::Orders => Export::Orders(filter),
        ExportKind::OrderLines => Export::OrderLines(filter),
        ExportKind::Products => Export::Products(Default::default()),
        ExportKind::Customers => Export::Customers(Default::default()),
    };
    let lang = if lang == "zh-CN" { Lang::Chinese } else { Lang::English };
    let currency = settings.currency_code.clone();
    let reader = db.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let conn = reader.open_private_reader()?;
        let format = Format {
            lang,
            tz,
            currency: &currency,
        };
        match out {
            Some(path) => {
                // Written beside the target and renamed, so a half-written file never has its name.
                let tmp = path.with_extension("csv.partial");
                let file = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
                let mut buffered = std::io::BufWriter::new(file);
                transfer::export::write(&conn.conn(), &export, None, &format, &mut buffered)?;
                buffered.into_inner().map_err(|e| e.into_error())?.sync_all()?;
                std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
                eprintln!("wrote {}", path.display());
            }
            None => transfer::export::write(&conn.conn(), &export, None, &format, std::io::stdout().lock())?,
        }
        Ok(())
    })
    .await??;
    close(db).await
}

pub async fn import(data_dir: &Path, database: Option<&str>, bcrypt_cost: u32, what: ImportWhat) -> anyhow::Result<()> {
    let (kind, ImportArgs { file, dry_run }) = match what {
        ImportWhat::Products(args) => (Kind::Products, args),
        ImportWhat::Customers(args) => (Kind::Customers, args),
        ImportWhat::Legacy(_) if database.is_some() => bail!(
            "the old system is imported into SQLite (its staging area is an attached SQLite file): import it \
             without --database, check it, then move it with `order-system db copy --to postgresql://...`"
        ),
        ImportWhat::Legacy(args) => return super::legacy::import(data_dir, bcrypt_cost, args).await,
    };
    let file = file.as_path();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let db = open_db(data_dir, database, &PasswordHasher::new(bcrypt_cost)).await?;
    let upload = Upload {
        kind,
        bytes,
        dry_run,
        file_name: file.file_name().map(|n| n.to_string_lossy().into_owned()),
    };
    let jobs = std::sync::Arc::new(Jobs::default());
    let result = run_import(&db, &jobs, upload).await;
    close(db).await?;
    match result {
        Ok(r) => {
            let verb = if r.dry_run { "would import" } else { "imported" };
            println!(
                "{verb} {} rows: {} created, {} updated, {} unchanged",
                r.rows.unwrap_or(0),
                r.created,
                r.updated,
                r.unchanged
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

/// Runs an import job here, with a line of progress on a terminal now and then.
async fn run_import(db: &Db, jobs: &std::sync::Arc<Jobs>, upload: Upload) -> Result<ImportJob, AppError> {
    let id = transfer::jobs::start(db, jobs, Who::command_line(), upload).await?;
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    loop {
        let job = transfer::jobs::wait(db, jobs, id, std::time::Duration::from_secs(2)).await?;
        if job.status.finished() {
            if tty {
                eprint!("\r\x1b[K");
            }
            return job.outcome();
        }
        if tty {
            eprint!(
                "\r\x1b[K  {}: {} rows checked, {} written",
                job.status.as_str(),
                job.rows_checked,
                job.rows_written
            );
        }
    }
}

pub async fn close(db: Db) -> anyhow::Result<()> {
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

pub async fn backup(data_dir: &Path, out: Option<PathBuf>, backup_dir: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = existing(data_dir)?;
    if let Some(file) = &out {
        dir.refuse_output(file)?;
    }
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

pub async fn restore(data_dir: &Path, file: &Path, backup_dir: Option<PathBuf>) -> anyhow::Result<()> {
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

pub async fn check(data_dir: &Path, database: Option<&str>) -> anyhow::Result<()> {
    let report = match database {
        Some(url) => {
            let url = url.to_owned();
            tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let session = crate::db::postgres::session::Session::connect(&url)?;
                Ok(crate::maintenance::check(&Conn::from(&session))?)
            })
            .await??
        }
        None => {
            let dir = existing(data_dir)?;
            tokio::task::spawn_blocking(move || {
                let conn = crate::db::open_read_only(&dir.db_path())?;
                crate::maintenance::check(&Conn::from(&conn))
            })
            .await??
        }
    };
    for line in report.lines() {
        println!("{line}");
    }
    if !report.ok {
        bail!("the database has problems (see above)");
    }
    Ok(())
}

pub async fn cleanup(
    data_dir: &Path,
    database: Option<&str>,
    bcrypt_cost: u32,
    days: u32,
    dry_run: bool,
) -> anyhow::Result<()> {
    if database.is_none() {
        existing(data_dir)?;
    }
    let db = open_db(data_dir, database, &PasswordHasher::new(bcrypt_cost)).await?;
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
