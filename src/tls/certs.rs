//! Certificates from PEM files: loaded, checked (readable, matching key, not expired) with
//! errors that name the file, and served through a resolver that can be swapped while
//! connections stay up.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::crypto::ring::sign::any_supported_type;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use x509_parser::prelude::{FromDer, X509Certificate};

/// A certificate chain with its key, ready to serve, and when its leaf expires.
pub struct Loaded {
    pub key: Arc<CertifiedKey>,
    pub not_after: chrono::DateTime<chrono::Utc>,
    pub names: Vec<String>,
}

/// Loads and checks a PEM chain and key. Every refusal names the file and says why.
pub fn load(cert_path: &Path, key_path: &Path) -> anyhow::Result<Loaded> {
    let cert_pem = std::fs::read(cert_path)
        .map_err(|e| anyhow::anyhow!("cannot read the certificate {}: {e}", cert_path.display()))?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{} is not a PEM certificate chain: {e}", cert_path.display()))?;
    let Some(leaf) = chain.first() else {
        anyhow::bail!("{} holds no certificate", cert_path.display());
    };
    let key_pem =
        std::fs::read(key_path).map_err(|e| anyhow::anyhow!("cannot read the key {}: {e}", key_path.display()))?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        anyhow::anyhow!(
            "{} is not a PEM private key (PKCS#8, RSA or EC): {e}",
            key_path.display()
        )
    })?;
    let signing = any_supported_type(&key)
        .map_err(|e| anyhow::anyhow!("{}: unsupported private key: {e}", key_path.display()))?;
    let certified = CertifiedKey::new(chain.clone(), signing);
    certified.keys_match().map_err(|e| {
        anyhow::anyhow!(
            "the key {} does not belong to the certificate {}: {e}",
            key_path.display(),
            cert_path.display()
        )
    })?;
    let (_, parsed) = X509Certificate::from_der(leaf.as_ref())
        .map_err(|e| anyhow::anyhow!("{}: the certificate cannot be parsed: {e}", cert_path.display()))?;
    let not_after = chrono::DateTime::from_timestamp(parsed.validity().not_after.timestamp(), 0).unwrap_or_default();
    if not_after < chrono::Utc::now() {
        anyhow::bail!(
            "the certificate {} expired on {}",
            cert_path.display(),
            not_after.format("%Y-%m-%d %H:%M UTC")
        );
    }
    let names = parsed
        .subject_alternative_name()
        .ok()
        .flatten()
        .map(|san| san.value.general_names.iter().map(|n| n.to_string()).collect())
        .unwrap_or_default();
    Ok(Loaded {
        key: Arc::new(certified),
        not_after,
        names,
    })
}

/// Logs a warning when a certificate expires within 14 days.
pub fn warn_if_expiring(loaded: &Loaded, what: &Path) {
    let left = loaded.not_after - chrono::Utc::now();
    if left < chrono::Duration::days(14) {
        tracing::warn!(
            certificate = %what.display(),
            expires = %loaded.not_after,
            days_left = left.num_days(),
            "the TLS certificate expires within 14 days: renew it"
        );
    }
}

/// Serves whatever certificate was loaded last; reloading swaps it for new handshakes while
/// existing connections carry on.
#[derive(Debug)]
pub struct Reloadable {
    current: RwLock<Arc<CertifiedKey>>,
    pub cert_path: PathBuf,
    pub key_path: PathBuf,
}

impl Reloadable {
    pub fn new(loaded: &Loaded, cert_path: PathBuf, key_path: PathBuf) -> Self {
        Self {
            current: RwLock::new(loaded.key.clone()),
            cert_path,
            key_path,
        }
    }

    /// Loads the files again; on any problem the current certificate stays and the error is
    /// returned.
    pub fn reload(&self) -> anyhow::Result<Loaded> {
        let loaded = load(&self.cert_path, &self.key_path)?;
        if let Ok(mut current) = self.current.write() {
            *current = loaded.key.clone();
        }
        warn_if_expiring(&loaded, &self.cert_path);
        Ok(loaded)
    }
}

impl ResolvesServerCert for Reloadable {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current.read().ok().map(|c| c.clone())
    }
}
