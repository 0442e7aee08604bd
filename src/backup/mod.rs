//! Backups: consistent copies taken while the server runs and takes writes, verified before
//! they get their name, listed, downloaded, pruned, and restored safely.
//!
//! A backup is written under a temporary name, fsynced, then opened and checked (integrity,
//! foreign keys, schema version); only a copy that passes is renamed into place, with a small
//! JSON file beside it recording what the check found.

pub mod restore;
pub mod routes;
pub mod schedule;
pub mod store;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::Utc;
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock;
use crate::error::{AppError, AppResult};

pub const PREFIX: &str = "order-system-";
pub const SUFFIX: &str = ".db";

/// One verified backup file.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BackupInfo {
    /// The file name, e.g. order-system-20261128-053800.db.
    pub name: String,
    pub size_bytes: u64,
    pub created_at: String,
    pub schema_version: i32,
    /// "ok" when the copy passed integrity and foreign-key checks.
    pub verification: String,
    /// Why it was taken: manual, scheduled, pre-migration, pre-restore.
    pub reason: String,
    pub duration_ms: u64,
}

/// A name this service could have given a backup: no paths, nothing else.
pub fn valid_name(name: &str) -> bool {
    name.starts_with(PREFIX)
        && name.ends_with(SUFFIX)
        && name.len() <= 120
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        && !name.contains("..")
}

/// Takes a verified backup of the database at `db_path` into `dir`. Safe while the server
/// runs: it reads a snapshot over its own read-only connection.
///
/// The name carries the time in the shop's time zone (read from the database being copied, so
/// the CLI, the schedule and the API agree), matching the time the UI shows beside it.
pub fn create(db_path: &Path, dir: &Path, reason: &str) -> AppResult<BackupInfo> {
    let tz = shop_time_zone(db_path);
    let stamp = Utc::now()
        .with_timezone(&tz)
        .format("%Y%m%d-%H%M%S%.3f")
        .to_string()
        .replace('.', "-");
    let name = format!("{PREFIX}{stamp}-{reason}{SUFFIX}");
    create_named(db_path, dir, &name, reason)
}

/// The shop's time zone as the database says, or the default one for a database that cannot
/// say (the copy that follows reports what is wrong with it).
fn shop_time_zone(db_path: &Path) -> chrono_tz::Tz {
    Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()
    .and_then(|conn| crate::settings::store::load(&(&conn).into()).ok())
    .unwrap_or_default()
    .tz()
}

fn create_named(db_path: &Path, dir: &Path, name: &str, reason: &str) -> AppResult<BackupInfo> {
    let started = Instant::now();
    make_private_dir(dir)?;
    clean_stale_partials(dir);
    let final_path = dir.join(name);
    let tmp = dir.join(format!(".{name}{PARTIAL}"));
    // Locked while it is written, so a cleaner elsewhere (another process's backup, a start)
    // can tell a copy in progress from one a killed backup left behind. VACUUM INTO accepts
    // an existing empty file.
    let in_progress = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io_error)?;
    in_progress.lock().map_err(io_error)?;
    let result = (|| {
        let source = Connection::open_with_flags(
            db_path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        source.busy_timeout(std::time::Duration::from_secs(5))?;
        store::vacuum_into(&source, &tmp)?;
        drop(source);
        restrict(&tmp)?;
        File::open(&tmp).and_then(|f| f.sync_all()).map_err(io_error)?;
        let check = store::check_file(&tmp)?;
        if !check.is_ok() {
            return Err(AppError::Internal(format!(
                "the backup copy failed verification ({}; {} foreign key problems)",
                check.integrity, check.foreign_key_violations
            )));
        }
        Ok(check)
    })();
    let check = match result {
        Ok(check) => check,
        Err(err) => {
            let _ = fs::remove_file(&tmp);
            return Err(err);
        }
    };
    fs::rename(&tmp, &final_path).map_err(io_error)?;
    drop(in_progress);
    sync_dir(dir)?;
    let info = BackupInfo {
        name: name.to_owned(),
        size_bytes: fs::metadata(&final_path).map_err(io_error)?.len(),
        created_at: clock::now(),
        schema_version: check.schema_version,
        verification: check.integrity,
        reason: reason.to_owned(),
        duration_ms: started.elapsed().as_millis() as u64,
    };
    write_sidecar(dir, &info)?;
    Ok(info)
}

/// The ending of a backup still being written (a hidden file: `.NAME.partial`).
const PARTIAL: &str = ".partial";

/// Deletes the hidden partial copies that killed backups left in `dir` (each would otherwise
/// take a database's size forever, unlisted). A partial that another backup is still writing
/// is locked, and kept.
pub fn clean_stale_partials(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&format!(".{PREFIX}")) && name.ends_with(PARTIAL)) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = fs::OpenOptions::new().write(true).open(&path) else {
            continue;
        };
        if file.try_lock().is_ok() {
            match fs::remove_file(&path) {
                Ok(()) => tracing::info!(file = %path.display(), "deleted the partial copy of an interrupted backup"),
                Err(err) => {
                    tracing::warn!(file = %path.display(), error = %err, "cannot delete an interrupted backup's partial copy")
                }
            }
        }
    }
}

fn sidecar(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.json"))
}

fn write_sidecar(dir: &Path, info: &BackupInfo) -> AppResult<()> {
    let path = sidecar(dir, &info.name);
    let json = serde_json::to_vec_pretty(info).map_err(AppError::internal)?;
    fs::write(&path, json).map_err(io_error)?;
    restrict(&path)
}

/// Every backup in `dir`, newest first. A file without its record (copied in by hand) is
/// listed with what can be read from the file itself.
pub fn list(dir: &Path) -> AppResult<Vec<BackupInfo>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(io_error(err)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !valid_name(&name) {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let info = fs::read(sidecar(dir, &name))
            .ok()
            .and_then(|b| serde_json::from_slice::<BackupInfo>(&b).ok())
            .unwrap_or_else(|| BackupInfo {
                name: name.clone(),
                size_bytes: size,
                created_at: String::new(),
                schema_version: 0,
                verification: "not verified".into(),
                reason: "unknown".into(),
                duration_ms: 0,
            });
        out.push(BackupInfo {
            size_bytes: size,
            ..info
        });
    }
    // Newest first by when they were taken (names follow the shop's time zone, which can
    // change or jump at daylight saving); unverified files without a record go last.
    out.sort_by(|a, b| (&b.created_at, &b.name).cmp(&(&a.created_at, &a.name)));
    Ok(out)
}

pub fn delete(dir: &Path, name: &str) -> AppResult<()> {
    if !valid_name(name) {
        return Err(AppError::not_found("backup"));
    }
    match fs::remove_file(dir.join(name)) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(AppError::not_found("backup")),
        Err(err) => return Err(io_error(err)),
    }
    let _ = fs::remove_file(sidecar(dir, name));
    Ok(())
}

/// Keeps the newest `keep` backups taken for `reason`, deleting older ones.
pub fn prune(dir: &Path, reason: &str, keep: usize) -> AppResult<Vec<String>> {
    let old: Vec<String> = list(dir)?
        .into_iter()
        .filter(|b| b.reason == reason)
        .skip(keep)
        .map(|b| b.name)
        .collect();
    for name in &old {
        delete(dir, name)?;
    }
    Ok(old)
}

/// The outcome of the latest backup attempts, for the admin API and the metrics.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct BackupStatus {
    pub last_success_at: Option<String>,
    pub last_success_name: Option<String>,
    pub last_success_bytes: Option<u64>,
    pub last_failure_at: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Clone, Default)]
pub struct SharedStatus(Arc<Mutex<BackupStatus>>);

impl SharedStatus {
    pub fn get(&self) -> BackupStatus {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn record(&self, outcome: &AppResult<BackupInfo>) {
        let Ok(mut status) = self.0.lock() else { return };
        match outcome {
            Ok(info) => {
                status.last_success_at = Some(info.created_at.clone());
                status.last_success_name = Some(info.name.clone());
                status.last_success_bytes = Some(info.size_bytes);
            }
            Err(err) => {
                status.last_failure_at = Some(clock::now());
                status.last_error = Some(err.to_string());
            }
        }
    }
}

pub fn make_private_dir(dir: &Path) -> AppResult<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(dir).map_err(io_error)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io_error)
}

fn restrict(path: &Path) -> AppResult<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io_error)
}

pub fn sync_dir(dir: &Path) -> AppResult<()> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io_error)
}

pub fn io_error(err: std::io::Error) -> AppError {
    if err.raw_os_error() == Some(28) {
        return AppError::StorageFull;
    }
    AppError::Internal(format!("file system: {err}"))
}
