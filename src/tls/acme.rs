//! Automatic certificates over ACME (Let's Encrypt, or any RFC 8555 CA), with rustls-acme:
//! ordered at start when the cache has none, renewed in the background at two thirds of their
//! life, and cached in the data dir (mode 0700), so a server whose CA cannot be reached still
//! starts with the certificate it has. Challenges: http-01 answered on the plain HTTP port,
//! tls-alpn-01 on the HTTPS port.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use rustls::ClientConfig;
use rustls_acme::caches::DirCache;
use rustls_acme::{AcmeConfig, AcmeState, ResolvesServerCertAcme, UseChallenge};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

pub const LETS_ENCRYPT: &str = "https://acme-v02.api.letsencrypt.org/directory";

#[derive(Clone, Debug)]
pub struct AcmeSettings {
    pub domains: Vec<String>,
    pub email: Option<String>,
    /// The ACME directory URL (Let's Encrypt production by default).
    pub directory: String,
    /// An extra root to trust for the directory's own HTTPS (a private or test CA).
    pub ca_root: Option<PathBuf>,
}

pub type State = AcmeState<std::io::Error, std::io::Error>;

/// Builds the ACME state (its resolver serves the certificates) over a cache in `cache_dir`.
pub fn prepare(settings: &AcmeSettings, cache_dir: &Path) -> anyhow::Result<State> {
    if settings.domains.is_empty() {
        anyhow::bail!("--domain is needed for automatic certificates");
    }
    crate::backup::make_private_dir(cache_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &settings.ca_root {
        let pem =
            std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read the ACME CA root {}: {e}", path.display()))?;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| anyhow::anyhow!("{} is not a PEM certificate: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        }
    }
    let client = Arc::new(
        ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    );
    let mut config = AcmeConfig::new_with_client_config(&settings.domains, client)
        .directory(&settings.directory)
        .challenge_type(UseChallenge::Http01)
        .cache(DirCache::new(cache_dir.to_path_buf()));
    if let Some(email) = &settings.email {
        config = config.contact_push(format!("mailto:{email}"));
    }
    Ok(config.state())
}

pub fn resolver(state: &State) -> Arc<ResolvesServerCertAcme> {
    state.resolver()
}

/// Drives ordering and renewal for the life of the server, logging what happens.
pub async fn run(mut state: State) {
    while let Some(event) = state.next().await {
        match event {
            Ok(ok) => tracing::info!(event = ?ok, "ACME"),
            Err(err) => tracing::error!(error = ?err, "ACME: could not get or renew a certificate; will retry"),
        }
    }
}
