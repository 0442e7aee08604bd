//! TLS to PostgreSQL as libpq's `sslmode` means it, with rustls.
//!
//! tokio-postgres understands `disable`, `prefer` and `require` only, and with a TLS connector
//! it always checks the certificate. libpq's modes, which every PostgreSQL user and managed
//! service documents, are kept instead:
//!
//! | sslmode | encrypted | certificate checked | name checked |
//! |---|---|---|---|
//! | disable | no | | |
//! | prefer (default) | if the server offers it | no | no |
//! | require | yes | no | no |
//! | verify-ca | yes | against `sslrootcert` (else the public roots) | no |
//! | verify-full | yes | against `sslrootcert` (else the public roots) | yes |
//!
//! (Debian's own server starts with a self-signed "snakeoil" certificate: `prefer` and
//! `require` reach it; `verify-full` needs its CA in `sslrootcert`.)

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

/// libpq's sslmode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// A connection string with the TLS settings tokio-postgres does not know taken out.
#[derive(Debug, PartialEq)]
pub struct Split {
    /// What tokio-postgres parses: `sslmode` as disable, prefer or require, no `sslrootcert`.
    pub url: String,
    pub mode: Mode,
    pub root_cert: Option<PathBuf>,
}

/// Takes `sslmode` and `sslrootcert` out of a URL (`postgresql://...?sslmode=verify-full`,
/// values percent-decoded) or a key=value string (`host=a,b dbname=shop sslmode=require`,
/// values quoted as libpq quotes them: `password='a b'`).
pub fn split(conn: &str) -> anyhow::Result<Split> {
    let is_url = conn.starts_with("postgres://") || conn.starts_with("postgresql://");
    // (key, value, the pair as written), in order.
    let (head, pairs): (&str, Vec<(String, String, String)>) = if is_url {
        let (head, query) = conn.split_once('?').unwrap_or((conn, ""));
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                let value = percent_encoding::percent_decode_str(v).decode_utf8_lossy().into_owned();
                (k.to_owned(), value, p.to_owned())
            })
            .collect();
        (head, pairs)
    } else {
        ("", key_values(conn)?)
    };
    let (mut mode, mut root_cert) = (Mode::Prefer, None);
    let mut kept: Vec<String> = Vec::new();
    for (key, value, written) in pairs {
        match key.as_str() {
            "sslmode" => {
                mode = match value.as_str() {
                    "disable" => Mode::Disable,
                    "allow" | "prefer" => Mode::Prefer,
                    "require" => Mode::Require,
                    "verify-ca" => Mode::VerifyCa,
                    "verify-full" => Mode::VerifyFull,
                    other => {
                        anyhow::bail!("sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full")
                    }
                }
            }
            "sslrootcert" => root_cert = Some(PathBuf::from(value)),
            _ => kept.push(written),
        }
    }
    let passed = match mode {
        Mode::Disable => "disable",
        Mode::Prefer => "prefer",
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => "require",
    };
    kept.push(format!("sslmode={passed}"));
    let url = if is_url {
        format!("{head}?{}", kept.join("&"))
    } else {
        kept.join(" ")
    };
    Ok(Split { url, mode, root_cert })
}

/// The pairs of a key=value connection string: spaces may surround `=`; a value is a word or
/// single-quoted, with `\'` and `\\` for a quote and a backslash.
fn key_values(conn: &str) -> anyhow::Result<Vec<(String, String, String)>> {
    let chars: Vec<char> = conn.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let skip_spaces = |i: &mut usize| {
        while chars.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    loop {
        skip_spaces(&mut i);
        if i >= chars.len() {
            return Ok(out);
        }
        let start = i;
        while chars.get(i).is_some_and(|c| !c.is_whitespace() && *c != '=') {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        skip_spaces(&mut i);
        anyhow::ensure!(
            chars.get(i) == Some(&'='),
            "the connection string has {key} without = and a value"
        );
        i += 1;
        skip_spaces(&mut i);
        let mut value = String::new();
        if chars.get(i) == Some(&'\'') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => anyhow::bail!("the connection string's value of {key} has no closing quote"),
                    Some('\'') => break,
                    Some('\\') => {
                        value.extend(chars.get(i + 1));
                        i += 1;
                    }
                    Some(c) => value.push(*c),
                }
                i += 1;
            }
            i += 1;
        } else {
            while let Some(c) = chars.get(i).filter(|c| !c.is_whitespace()) {
                if *c == '\\' {
                    value.extend(chars.get(i + 1));
                    i += 1;
                } else {
                    value.push(*c);
                }
                i += 1;
            }
        }
        out.push((key, value, chars[start..i].iter().collect()));
    }
}

/// The rustls client configuration for a mode other than `disable`.
pub fn client_config(mode: Mode, root_cert: Option<&PathBuf>) -> anyhow::Result<rustls::ClientConfig> {
    crate::tls::install_crypto_provider();
    let provider = CryptoProvider::get_default()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no TLS crypto provider"))?;
    let builder =
        rustls::ClientConfig::builder_with_provider(provider.clone()).with_safe_default_protocol_versions()?;
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        Mode::Disable | Mode::Prefer | Mode::Require => Arc::new(Unchecked(provider.signature_verification_algorithms)),
        Mode::VerifyCa | Mode::VerifyFull => {
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots(root_cert)?), provider).build()?;
            if mode == Mode::VerifyCa {
                Arc::new(AnyName(webpki))
            } else {
                webpki
            }
        }
    };
    Ok(builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

fn roots(root_cert: Option<&PathBuf>) -> anyhow::Result<RootCertStore> {
    let Some(path) = root_cert else {
        return Ok(RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        });
    };
    let mut store = RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| anyhow::anyhow!("cannot read sslrootcert {}: {e}", path.display()))?;
    for cert in certs {
        let cert = cert.map_err(|e| anyhow::anyhow!("sslrootcert {}: {e}", path.display()))?;
        store.add(cert)?;
    }
    anyhow::ensure!(!store.is_empty(), "sslrootcert {} holds no certificate", path.display());
    Ok(store)
}

/// `prefer` and `require`: encrypted, the certificate not checked (as libpq), the handshake's
/// signatures still verified.
#[derive(Debug)]
struct Unchecked(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// `verify-ca`: the chain checked against the roots, the server's name not.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end_entity, intermediates, name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::{Mode, split};

    #[test]
    fn our_tls_settings_are_taken_out_of_urls_and_key_value_strings() {
        let s = split("postgresql://u:p@db.example/shop?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=5")
            .unwrap();
        assert_eq!(
            s.url,
            "postgresql://u:p@db.example/shop?connect_timeout=5&sslmode=require"
        );
        assert_eq!(
            (s.mode, s.root_cert.unwrap().to_str().unwrap()),
            (Mode::VerifyFull, "/etc/ca.pem")
        );
        let s = split("postgresql://db.example/shop").unwrap();
        assert_eq!(
            (s.url.as_str(), s.mode),
            ("postgresql://db.example/shop?sslmode=prefer", Mode::Prefer)
        );
        let s = split("host=a,b dbname=shop target_session_attrs=read-write sslmode=verify-ca").unwrap();
        assert_eq!(
            s.url,
            "host=a,b dbname=shop target_session_attrs=read-write sslmode=require"
        );
        assert_eq!(s.mode, Mode::VerifyCa);
        assert_eq!(split("postgresql://h/d?sslmode=disable").unwrap().mode, Mode::Disable);
        let err = split("postgresql://h/d?sslmode=verify").unwrap_err().to_string();
        assert!(err.contains("not one of disable, prefer, require"), "{err}");
    }

    #[test]
    fn values_are_read_as_libpq_writes_them() {
        // Percent-encoded in a URL.
        let s = split("postgresql://h/d?sslrootcert=%2Fsrv%2Fmy%20ca.pem&sslmode=verify-ca").unwrap();
        assert_eq!(s.root_cert.unwrap().to_str().unwrap(), "/srv/my ca.pem");
        // Quoted, with spaces around =, and escapes, in a key=value string; the other pairs
        // pass on as written.
        let s =
            split(r"host=db password = 'it''s' user='shop owner' sslrootcert='/srv/my ca.pem' sslmode = verify-full")
                .unwrap_err()
                .to_string();
        assert!(
            s.contains("without = and a value"),
            "a quote is escaped with a backslash: {s}"
        );
        let s = split(
            r"host=db password='it\'s a secret' user=shop\ owner sslrootcert='/srv/my ca.pem' sslmode = verify-full",
        )
        .unwrap();
        assert_eq!(
            s.url,
            r"host=db password='it\'s a secret' user=shop\ owner sslmode=require"
        );
        assert_eq!(
            (s.mode, s.root_cert.unwrap().to_str().unwrap()),
            (Mode::VerifyFull, "/srv/my ca.pem")
        );
        let err = split("host=db password='open").unwrap_err().to_string();
        assert!(err.contains("no closing quote"), "{err}");
    }
}
