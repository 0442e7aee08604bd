//! `order-system db copy --to URL` / `--from URL`: moves a shop between the data dir's SQLite
//! file and a PostgreSQL database, all or nothing (see [`crate::db::copy`]).

use std::path::Path;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use crate::datadir::DataDir;
use crate::db::Conn;
use crate::db::postgres::{self, session::Session};

#[derive(Subcommand)]
pub enum DbAction {
    /// Copy the whole shop between the data dir's SQLite file and PostgreSQL, all or nothing:
    /// ids kept, `check` clean on both sides. Stop the servers first: orders taken during the
    /// copy are not in it.
    Copy(CopyArgs),
}

#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct CopyArgs {
    /// From the data dir's SQLite file into this PostgreSQL database (new or empty; migrated
    /// here).
    #[arg(long, value_name = "POSTGRESQL_URL")]
    to: Option<String>,
    /// From this PostgreSQL database into the data dir's SQLite file (which must not hold a
    /// shop yet).
    #[arg(long, value_name = "POSTGRESQL_URL")]
    from: Option<String>,
}

pub async fn run(data_dir: &Path, database: Option<&str>, action: DbAction) -> anyhow::Result<()> {
    let DbAction::Copy(args) = action;
    if database.is_some() {
        bail!("`db copy` names its PostgreSQL database with --to or --from, not --database");
    }
    let (url, to_postgres) = match (args.to, args.from) {
        (Some(url), None) => (url, true),
        (None, Some(url)) => (url, false),
        _ => bail!("give one of --to or --from"),
    };
    super::data::check_url(&url)?;
    let dir = DataDir::prepare(data_dir)?;
    let path = dir.db_path();
    if to_postgres && !path.exists() {
        bail!("no database at {} to copy (is --data-dir right?)", path.display());
    }
    let place = postgres::place(&url);
    let copied = tokio::task::spawn_blocking(move || -> anyhow::Result<crate::db::copy::Copied> {
        let say = |table: &str, rows: u64| eprintln!("  {table}: {rows} rows");
        if to_postgres {
            postgres::migrate(&url)?;
            let sqlite = crate::db::open_read_only(&path)?;
            // One read transaction: the copy is the file as of one moment.
            sqlite.execute_batch("BEGIN")?;
            let target = Session::connect(&url)?;
            Ok(crate::db::copy::copy(&Conn::from(&sqlite), &Conn::from(&target), say)?)
        } else {
            crate::db::migrations::apply(&path).with_context(|| format!("cannot prepare {}", path.display()))?;
            dir.restrict_db_files()?;
            let sqlite = crate::db::connection::open_read_write(&path)?;
            let source = Session::connect(&url)?;
            source.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            Ok(crate::db::copy::copy(&Conn::from(&source), &Conn::from(&sqlite), say)?)
        }
    })
    .await??;
    let rows: u64 = copied.iter().map(|(_, n)| n).sum();
    let (from, to) = match to_postgres {
        true => (data_dir.display().to_string(), place),
        false => (place, data_dir.display().to_string()),
    };
    println!(
        "copied {rows} rows in {} tables from {from} to {to}; `check` is clean on both sides",
        copied.len()
    );
    Ok(())
}
