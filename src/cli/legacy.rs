//! `order-system import legacy SOURCE`: the move from the old system, at the terminal.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use indicatif::{MultiProgress, ProgressDrawTarget};

use super::data::open_db;
use crate::auth::password::PasswordHasher;
use crate::datadir::DataDir;
use crate::legacy::{self, Options};

#[derive(Args)]
pub struct LegacyArgs {
    /// The old database: postgresql://postgres:PASSWORD@HOST:5432/order_system, or a plain
    /// pg_dump file (backup_YYYYMMDD.sql, or .sql.gz).
    source: String,
    /// Read and check everything, print the report, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// A TOML file naming tables, columns, statuses or roles the old system spelled
    /// differently (see the README).
    #[arg(long)]
    map: Option<PathBuf>,
    /// The time zone of the old system's times (its columns have none): the shop's by default.
    #[arg(long)]
    source_time_zone: Option<chrono_tz::Tz>,
    /// Where the backup taken first goes (default: DATA_DIR/backups).
    #[arg(long, env = "ORDER_SYSTEM_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
}

pub async fn import(data_dir: &Path, bcrypt_cost: u32, args: LegacyArgs) -> anyhow::Result<()> {
    // Created and migrated as `serve` would, with its superAdmin: what the import fills.
    let db = open_db(data_dir, None, &PasswordHasher::new(bcrypt_cost)).await?;
    let db_path = db.path().to_path_buf();
    db.close();
    let dir = DataDir::prepare(data_dir)?;
    let backups = args.backup_dir.unwrap_or_else(|| dir.default_backup_dir());
    let options = Options {
        source: args.source,
        dry_run: args.dry_run,
        map: args.map,
        source_time_zone: args.source_time_zone,
    };
    let report = tokio::task::spawn_blocking(move || {
        let progress = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        legacy::run(&db_path, &backups, &options, &progress)
    })
    .await
    .context("the import stopped unexpectedly")??;
    for line in report.lines() {
        println!("{line}");
    }
    Ok(())
}
