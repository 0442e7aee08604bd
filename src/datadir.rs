//! The data directory: the database and the generated secret, readable only by the service's
//! user (0700 for the directory, 0600 for files, whatever the umask).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

pub const DB_FILE: &str = "order-system.db";
const SECRET_FILE: &str = "jwt-secret";

#[derive(Clone, Debug)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// Creates the directory if needed and makes it private to this user.
    pub fn prepare(root: &Path) -> anyhow::Result<Self> {
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
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
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
