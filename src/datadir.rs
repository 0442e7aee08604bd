//! The data directory: the database and the generated secret, readable only by the service's
//! user (0700 for the directory, 0600 for files, whatever the umask).

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::error::AppError;

pub const DB_FILE: &str = "order-system.db";
const LOCK_FILE: &str = "order-system.lock";
const BACKUP_DIR: &str = "backups";
const SECRET_FILE: &str = "jwt-secret";

#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Creates the directory if needed and makes it private to this user. From here on the
    /// process creates every file private too (umask 077): database, WAL, secrets, backups,
    /// certificates and the ACME cache, whatever umask the service was started with.
    pub fn prepare(root: &Path) -> anyhow::Result<Self> {
        // SAFETY: umask only sets this process's file creation mask; it cannot fail.
        unsafe {
            libc::umask(0o077);
        }
        fs::create_dir_all(root).with_context(|| format!("cannot create the data directory {}", root.display()))?;
        fs::set_permissions(root, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot set permissions on {}", root.display()))?;
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    /// Where backups go unless told otherwise.
    pub fn default_backup_dir(&self) -> PathBuf {
        self.root.join(BACKUP_DIR)
    }

    /// Takes the data dir's lock, held by a running server for its whole life, so that a
    /// restore cannot swap the database under it. The lock ends when the file is dropped
    /// (or the process dies, even by SIGKILL).
    pub fn try_lock(&self) -> Result<File, AppError> {
        let path = self.root.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| AppError::Internal(format!("cannot open {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => Err(AppError::Conflict {
                code: "data_dir_in_use",
                message: format!(
                    "an order-system server is running on {}; stop it first (e.g. systemctl stop order-system)",
                    self.root.display()
                ),
                details: serde_json::json!({}),
            }),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(AppError::Internal(format!("cannot lock {}: {e}", path.display())))
            }
        }
    }

    /// Makes the database and its WAL files private, since SQLite creates them with the umask.
    pub fn restrict_db_files(&self) -> anyhow::Result<()> {
        for suffix in ["", "-wal", "-shm"] {
            let path = self.root.join(format!("{DB_FILE}{suffix}"));
            if path.exists() {
                fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
                    .with_context(|| format!("cannot set permissions on {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Refuses a file a command would write (`backup --out`, `export --out`) that is, or would
    /// land, inside the data dir: the database, its WAL, the secret or anything beside them.
    /// Only the database itself writes there. Symlinks and `..` are resolved, and a hard link
    /// elsewhere to a file in the data dir is recognised by its device and inode.
    pub fn refuse_output(&self, target: &Path) -> anyhow::Result<()> {
        use std::os::unix::fs::MetadataExt;
        let root = fs::canonicalize(&self.root).with_context(|| format!("cannot resolve {}", self.root.display()))?;
        let refuse = |why: String| {
            anyhow::anyhow!(
                "refusing to write {}: {why}; write it outside the data directory",
                target.display()
            )
        };
        let meta = fs::symlink_metadata(target).ok();
        if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) && fs::metadata(target).is_err() {
            return Err(refuse("it is a symbolic link to nowhere".into()));
        }
        // A path that does not exist yet: its nearest existing ancestor, resolved, with the
        // rest of the path after it.
        let resolved = match fs::canonicalize(target) {
            Ok(path) => path,
            Err(_) => {
                let mut rest = Vec::new();
                let mut at = target;
                loop {
                    match fs::canonicalize(if at.as_os_str().is_empty() { Path::new(".") } else { at }) {
                        Ok(found) => break rest.iter().rev().fold(found, |p, part| p.join(part)),
                        Err(_) => {
                            rest.push(
                                at.file_name()
                                    .ok_or_else(|| refuse("it names no file".into()))?
                                    .to_owned(),
                            );
                            at = at.parent().unwrap_or(Path::new("."));
                        }
                    }
                }
            }
        };
        if resolved.starts_with(&root) {
            let what = match resolved.strip_prefix(&root).ok().and_then(|p| p.to_str()) {
                Some(DB_FILE) => "it is the live database".to_owned(),
                Some(name) if name.starts_with(DB_FILE) => format!("it is the database's {name}"),
                Some(SECRET_FILE) => "it is the token secret".to_owned(),
                _ => format!("it is inside the data directory {}", root.display()),
            };
            return Err(refuse(what));
        }
        if let Ok(found) = fs::metadata(&resolved) {
            let id = (found.dev(), found.ino());
            if let Some(same) = find_file(&root, id) {
                return Err(refuse(format!(
                    "it is another name (a hard link) for {}",
                    same.display()
                )));
            }
        }
        Ok(())
    }

    /// The token secret kept in the data dir, generated (64 random bytes, hex) on first use.
    pub fn load_or_create_secret(&self) -> anyhow::Result<String> {
        let path = self.root.join(SECRET_FILE);
        match fs::read_to_string(&path) {
            Ok(secret) if secret.trim().len() >= 32 => return Ok(secret.trim().to_owned()),
            Ok(_) => bail!(
                "{} is too short to be a secret; delete it to generate a new one",
                path.display()
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no OS randomness: {e}"))?;
        let secret = crate::digest::hex(&bytes);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(secret.as_bytes())?;
        file.sync_all()?;
        Ok(secret)
    }
}

/// A file under `dir` with this (device, inode), if any.
fn find_file(dir: &Path, id: (u64, u64)) -> Option<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    for entry in fs::read_dir(dir).ok()?.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            if let Some(found) = find_file(&entry.path(), id) {
                return Some(found);
            }
        } else if (meta.dev(), meta.ino()) == id {
            return Some(entry.path());
        }
    }
    None
}
