//! Restoring a backup: refused while a server runs on the data dir, the file verified first,
//! the current database kept as a pre-restore backup, the files swapped atomically, and the
//! restored database migrated forward to this binary's schema.

use std::fs;
use std::path::Path;

use serde::Serialize;

use super::{io_error, store, sync_dir};
use crate::datadir::{DB_FILE, DataDir};
use crate::db::{migrations, open_read_write};
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RestoreReport {
    pub restored_from: String,
    /// Where the database it replaced was kept, if there was one.
    pub pre_restore_backup: Option<String>,
    pub backup_schema_version: i32,
    /// Migrations applied to bring the restored database up to date.
    pub migrated: Vec<i32>,
}

fn staging(data_dir: &DataDir) -> std::path::PathBuf {
    data_dir.root().join(format!("{DB_FILE}.restoring"))
}

/// Deletes the copy an interrupted restore left; call with the data dir's lock held.
pub fn clean_staging(data_dir: &DataDir) {
    let _ = fs::remove_file(staging(data_dir));
}

pub fn restore(data_dir: &DataDir, file: &Path, backup_dir: &Path) -> AppResult<RestoreReport> {
    let _lock = data_dir.try_lock()?;
    restore_locked(data_dir, file, backup_dir)
}

/// [`restore`] by a process that holds the data dir's lock itself (the server, in maintenance
/// mode, with its database closed).
pub fn restore_locked(data_dir: &DataDir, file: &Path, backup_dir: &Path) -> AppResult<RestoreReport> {
    let check = store::check_file(file)
        .map_err(|e| AppError::validation("file", format!("{} is not a readable database: {e}", file.display())))?;
    if !check.is_ok() {
        return Err(AppError::validation(
            "file",
            format!(
                "{} fails verification ({}; {} foreign key problems)",
                file.display(),
                check.integrity,
                check.foreign_key_violations
            ),
        ));
    }
    let latest = migrations::latest_version();
    if check.schema_version > latest {
        return Err(AppError::validation(
            "file",
            format!(
                "{} comes from a newer order-system (schema version {}; this binary knows up to {latest}): upgrade order-system first",
                file.display(),
                check.schema_version
            ),
        ));
    }
    if check.schema_version == 0 {
        return Err(AppError::validation(
            "file",
            format!("{} is not an order-system database", file.display()),
        ));
    }
    let conn = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    crate::db::schema::refuse_if_foreign(&conn, check.schema_version, &file.display().to_string())?;
    drop(conn);

    let db_path = data_dir.db_path();
    let pre_restore_backup = if db_path.exists() {
        // Fold the WAL in first, so the file alone holds everything that was committed.
        let conn = open_read_write(&db_path)?;
        store::checkpoint(&conn)?;
        drop(conn);
        Some(super::create(&db_path, backup_dir, "pre-restore")?.name)
    } else {
        None
    };

    let staging = staging(data_dir);
    fs::copy(file, &staging).map_err(io_error)?;
    fs::File::open(&staging).and_then(|f| f.sync_all()).map_err(io_error)?;
    for suffix in ["-wal", "-shm"] {
        let side = data_dir.root().join(format!("{DB_FILE}{suffix}"));
        match fs::remove_file(&side) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(err)),
        }
    }
    fs::rename(&staging, &db_path).map_err(io_error)?;
    sync_dir(data_dir.root())?;
    let migrated = migrations::apply(&db_path)?;
    data_dir.restrict_db_files().map_err(AppError::internal)?;
    Ok(RestoreReport {
        restored_from: file.display().to_string(),
        pre_restore_backup,
        backup_schema_version: check.schema_version,
        migrated,
    })
}
