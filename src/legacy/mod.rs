//! Moving in from the old system (FastAPI + PostgreSQL): `order-system import legacy SOURCE`
//! brings its users (with their bcrypt hashes), products and stock, and orders with their lines
//! into a new shop, in one transaction.
//!
//! The steps: read every table of the source (a PostgreSQL URL, or a plain `pg_dump` file,
//! gzipped or not) into a temporary staging database (staging.rs), find our tables and columns
//! in it by name (mapping.rs), then write ours from it (apply.rs), check the result with the
//! same check `order-system check` runs, and commit, or, in a dry run, roll back. A backup of
//! the target is taken first.

mod apply;
pub mod dump;
pub mod mapping;
mod pg;
pub mod report;
pub mod source;
pub mod staging;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono_tz::Tz;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::audit::{self, Event, Who};
use crate::clock;
use crate::db::Conn;
use crate::db::connection::open_read_write;
pub use report::Report;

pub struct Options {
    /// A `postgresql://` URL, or the path of a plain-SQL dump (`.sql` or `.sql.gz`).
    pub source: String,
    pub dry_run: bool,
    pub map: Option<PathBuf>,
    /// The zone of the source's `timestamp without time zone` columns; the shop's by default.
    pub source_time_zone: Option<Tz>,
}

fn is_url(source: &str) -> bool {
    source.starts_with("postgresql://") || source.starts_with("postgres://")
}

/// The source as the report names it: a URL without its password.
fn describe(source: &str) -> String {
    if !is_url(source) {
        return source.to_owned();
    }
    match (source.find("://"), source.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &source[scheme + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &source[..scheme + 3], &source[at + 1..])
        }
        _ => source.to_owned(),
    }
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:>18} [{bar:30}] {pos}/{len} ({per_sec}, {eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Imports into the database at `db_path`, taking a backup into `backups` first.
pub fn run(db_path: &Path, backups: &Path, options: &Options, progress: &MultiProgress) -> anyhow::Result<Report> {
    let map = match &options.map {
        Some(path) => mapping::MapFile::load(path)?,
        None => mapping::MapFile::default(),
    };
    let raw = open_read_write(db_path).context("cannot open the database")?;
    let conn = Conn::from(&raw);
    apply::Apply::check_empty(&conn)?;
    let tz = match options.source_time_zone {
        Some(tz) => tz,
        None => crate::settings::store::load(&conn)?.tz(),
    };
    let staged = stage(&raw, &options.source, progress)?;
    let found = mapping::resolve(&staged, &map)?;
    let mut report = Report {
        dry_run: options.dry_run,
        source: describe(&options.source),
        source_time_zone: tz.name().to_owned(),
        unused_tables: found.unused_tables.clone(),
        unused_columns: found.unused_columns.clone(),
        ..Report::default()
    };
    if !options.dry_run {
        let backup = crate::backup::create(db_path, backups, "before-import")?;
        report.backup = Some(backups.join(&backup.name).display().to_string());
    }
    let bar = |name: &str, len: u64| {
        progress.add(
            ProgressBar::new(len)
                .with_style(bar_style())
                .with_message(name.to_owned()),
        )
    };
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let outcome = (|| -> anyhow::Result<()> {
        let now = clock::now();
        let mut step = apply::Apply {
            conn: &conn,
            found: &found,
            map: &map,
            tz,
            now: now.clone(),
            report: &mut report,
            problems: Vec::new(),
            bar: &bar,
        };
        step.create_maps()?;
        step.users()?;
        step.products()?;
        step.give_up()?;
        step.customers()?;
        step.orders()?;
        step.give_up()?;
        step.missing_products()?;
        step.order_items()?;
        step.give_up()?;
        step.totals()?;
        step.shipments()?;
        step.counters()?;
        let counts = serde_json::to_string(&report.counts)?;
        let event = Event {
            action: "legacy.import",
            entity_type: "database",
            entity_id: None,
            before: None,
            after: Some(format!(
                "{{\"source\":{},\"counts\":{counts}}}",
                serde_json::to_string(&report.source)?
            )),
        };
        audit::store::record(&conn, &Who::command_line(), &event, &now)?;
        let check = crate::maintenance::check(&conn)?;
        report.check = check.lines();
        report.check_ok = check.ok;
        if !check.ok {
            bail!(
                "the imported data fails the consistency check, so nothing was imported:\n  {}",
                check.lines().join("\n  ")
            );
        }
        Ok(())
    })();
    let end = if outcome.is_ok() && !options.dry_run {
        "COMMIT"
    } else {
        "ROLLBACK"
    };
    conn.execute_batch(end)?;
    conn.execute_batch("DETACH DATABASE staging").ok();
    outcome?;
    Ok(report)
}

/// Reads the whole source into the staging database.
fn stage(
    conn: &rusqlite::Connection,
    source: &str,
    progress: &MultiProgress,
) -> anyhow::Result<std::collections::HashMap<String, staging::Staged>> {
    let current: RefCell<Option<ProgressBar>> = RefCell::new(None);
    if is_url(source) {
        let mut sink = staging::Staging::attach(conn, |_, rows| {
            if let Some(bar) = current.borrow().as_ref() {
                bar.set_position(rows);
            }
        })?;
        pg::read(source, &mut sink, |table, rows| {
            if let Some(done) = current.borrow_mut().take() {
                done.finish_and_clear();
            }
            let bar = ProgressBar::new(rows)
                .with_style(bar_style())
                .with_message(format!("reading {table}"));
            *current.borrow_mut() = Some(progress.add(bar));
        })?;
        if let Some(done) = current.borrow_mut().take() {
            done.finish_and_clear();
        }
        return sink.finish();
    }
    let path = Path::new(source);
    let file = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        bail!("{} is a directory, not a dump file", path.display());
    }
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress.add(
        ProgressBar::new(size)
            .with_style(
                ProgressStyle::with_template("{msg:>18} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            )
            .with_message("reading the dump"),
    );
    let mut sink = staging::Staging::attach(conn, |_, _| {})?;
    let input = dump::open(bar.wrap_read(file))?;
    let read = dump::read(input, &mut sink).with_context(|| format!("{} cannot be imported", path.display()));
    bar.finish_and_clear();
    read?;
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_never_shows_the_password() {
        assert_eq!(
            describe("postgresql://postgres:s3cret@db.example:5432/order_system"),
            "postgresql://postgres@db.example:5432/order_system"
        );
        assert_eq!(describe("backup_20240101.sql"), "backup_20240101.sql");
    }

    #[test]
    fn old_times_are_read_in_the_source_zone() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(
            apply::to_utc("2024-01-15 10:30:00", tz).unwrap(),
            "2024-01-15T02:30:00.000Z"
        );
        assert_eq!(
            apply::to_utc("2024-01-15 10:30:00.123456", tz).unwrap(),
            "2024-01-15T02:30:00.123Z"
        );
        assert_eq!(
            apply::to_utc("2024-01-15 10:30:00+00", tz).unwrap(),
            "2024-01-15T10:30:00.000Z"
        );
        assert_eq!(apply::to_utc("2024-01-15", tz).unwrap(), "2024-01-14T16:00:00.000Z");
        assert!(apply::to_utc("yesterday", tz).is_none());
    }
}
