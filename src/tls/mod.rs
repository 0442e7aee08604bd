//! HTTPS without nginx: rustls (ring provider) with certificate files or a self-signed trial
//! certificate, TLS 1.2 and 1.3 only, HTTP/2 by ALPN, the server's cipher order, reload on
//! SIGHUP or when the files change, and a plain HTTP listener that only redirects.

pub mod acme;
pub mod certs;
pub mod redirect;
pub mod self_signed;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rustls::ServerConfig;

/// Where the HTTPS certificate comes from.
#[derive(Clone, Debug)]
pub enum Source {
    Files {
        cert: PathBuf,
        key: PathBuf,
    },
    /// Made once into the data dir, for trials.
    SelfSigned,
    /// Obtained and renewed automatically.
    Acme(acme::AcmeSettings),
}

#[derive(Clone, Debug)]
pub struct HttpsConfig {
    pub addr: SocketAddr,
    pub source: Source,
}

/// Uses the ring provider everywhere in the process (tests call this too).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// What a running HTTPS listener needs besides its configuration.
pub struct Prepared {
    pub server_config: Arc<ServerConfig>,
    /// Certificate files to watch for changes (files and trial certificates).
    pub reloadable: Option<Arc<certs::Reloadable>>,
    /// The ACME state to drive (automatic certificates), with its resolver for http-01.
    pub acme: Option<(acme::State, Arc<rustls_acme::ResolvesServerCertAcme>)>,
}

/// Loads or arranges the certificate and builds the TLS configuration.
pub fn prepare(https: &HttpsConfig, data_dir: &Path) -> anyhow::Result<Prepared> {
    install_crypto_provider();
    let (resolver, reloadable, acme): (Arc<dyn rustls::server::ResolvesServerCert>, _, _) = match &https.source {
        Source::Acme(settings) => {
            let state = acme::prepare(settings, &data_dir.join("acme"))?;
            let resolver = acme::resolver(&state);
            (resolver.clone(), None, Some((state, resolver)))
        }
        source => {
            let (cert, key) = match source {
                Source::Files { cert, key } => (cert.clone(), key.clone()),
                _ => self_signed::ensure(&data_dir.join("tls"))?,
            };
            let loaded = certs::load(&cert, &key)?;
            certs::warn_if_expiring(&loaded, &cert);
            tracing::info!(names = ?loaded.names, expires = %loaded.not_after, "TLS certificate loaded");
            let reloadable = Arc::new(certs::Reloadable::new(&loaded, cert, key));
            (reloadable.clone(), Some(reloadable), None)
        }
    };
    let mut config = ServerConfig::builder_with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .with_no_client_auth()
        .with_cert_resolver(resolver);
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    if acme.is_some() {
        // tls-alpn-01 validation connections ask for this protocol.
        config.alpn_protocols.push(b"acme-tls/1".to_vec());
    }
    // Our cipher suite order (rustls's, strongest first) wins over the client's.
    config.ignore_client_order = true;
    Ok(Prepared {
        server_config: Arc::new(config),
        reloadable,
        acme,
    })
}

/// Reloads the certificate on SIGHUP and whenever its files change.
pub async fn watch_for_reload(resolver: Arc<certs::Reloadable>) {
    let mut hup = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(s) => s,
        Err(err) => {
            tracing::warn!(error = %err, "cannot watch for SIGHUP; certificate reloads only on file changes");
            return;
        }
    };
    let stamp = |r: &certs::Reloadable| (modified(&r.cert_path), modified(&r.key_path));
    let mut seen = stamp(&resolver);
    loop {
        let why = tokio::select! {
            _ = hup.recv() => "SIGHUP",
            _ = tokio::time::sleep(Duration::from_secs(2)) => {
                let now = stamp(&resolver);
                if now == seen { continue }
                "the certificate files changed"
            }
        };
        seen = stamp(&resolver);
        let r = resolver.clone();
        match tokio::task::spawn_blocking(move || r.reload()).await {
            Ok(Ok(loaded)) => {
                tracing::info!(reason = why, names = ?loaded.names, expires = %loaded.not_after, "TLS certificate reloaded")
            }
            Ok(Err(err)) => {
                tracing::error!(reason = why, error = %err, "TLS certificate reload failed; still serving the previous one")
            }
            Err(err) => tracing::error!(error = %err, "TLS certificate reload task failed"),
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
