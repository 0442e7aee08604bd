//! A self-signed certificate for trials on a LAN: made once with rcgen for localhost and this
//! machine's names, kept in the data dir (key 0600), and reused until it nears expiry.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Returns (cert, key) paths of the trial certificate, making it if needed.
pub fn ensure(dir: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let cert_path = dir.join("self-signed-cert.pem");
    let key_path = dir.join("self-signed-key.pem");
    if let Ok(loaded) = super::certs::load(&cert_path, &key_path)
        && loaded.not_after - chrono::Utc::now() > chrono::Duration::days(30)
    {
        return Ok((cert_path, key_path));
    }
    crate::backup::make_private_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    if let Ok(host) = fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        if !host.is_empty() {
            names.push(host.to_owned());
            if !host.contains('.') {
                names.push(format!("{host}.local"));
            }
        }
    }
    let mut params = rcgen::CertificateParams::new(names)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "order-system trial");
    params
        .distinguished_name
        .push(rcgen::DnType::OrganizationName, "order-system (self-signed)");
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - std::time::Duration::from_secs(3600);
    params.not_after = now + std::time::Duration::from_secs(3650 * 86_400);
    let key = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    write_private(&key_path, key.serialize_pem().as_bytes())?;
    write_private(&cert_path, cert.pem().as_bytes())?;
    tracing::info!(cert = %cert_path.display(), "made a self-signed certificate for a trial; browsers will warn about it");
    Ok((cert_path, key_path))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)?;
    Ok(())
}
