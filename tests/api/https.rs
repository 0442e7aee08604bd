//! HTTPS with real TLS handshakes: a client that trusts a test CA, HTTP/2 by ALPN, TLS 1.1
//! refused, the redirect and HSTS, certificate reloads, trial certificates, slow clients and
//! the connection limit.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use common::TestServer;
use order_system::http::serve::Limits;
use order_system::tls::{HttpsConfig, Source};
use reqwest::{StatusCode, header};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A test CA and leaf certificates it signs.
struct Ca {
    cert: rcgen::Certificate,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pem: String,
}

impl Ca {
    fn new(name: &str) -> Self {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let pem = cert.pem();
        Self {
            issuer: rcgen::Issuer::new(params, key),
            cert,
            pem,
        }
    }

    /// Writes a leaf for localhost/127.0.0.1 into `dir`; returns (cert, key) paths and the DER.
    fn leaf(&self, dir: &Path, tag: &str, expired: bool) -> (PathBuf, PathBuf, Vec<u8>) {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, format!("order-system test {tag}"));
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        let (c, k) = (dir.join(format!("{tag}.crt")), dir.join(format!("{tag}.key")));
        std::fs::write(&c, format!("{}{}", cert.pem(), self.cert.pem())).unwrap();
        std::fs::write(&k, key.serialize_pem()).unwrap();
        (c, k, cert.der().to_vec())
    }
}

fn https(source: Source) -> HttpsConfig {
    HttpsConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        source,
    }
}

fn client(ca: &Ca) -> reqwest::Client {
    order_system::tls::install_crypto_provider();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The leaf certificate a fresh handshake gets.
async fn served_cert(port: u16, ca: &Ca) -> Vec<u8> {
    order_system::tls::install_crypto_provider();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls_pki_types::CertificateDer::from(ca.cert.der().to_vec()))
        .unwrap();
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    tls.get_ref().1.peer_certificates().unwrap()[0].to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_serves_h2_with_hsts_and_http_redirects() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("order-system test CA");
    let (cert, key, _) = ca.leaf(dir.path(), "a", false);
    let srv = TestServer::start_with(|c| {
        c.admin_password = Some(common::ADMIN_PASSWORD.into());
        c.https = Some(https(Source::Files { cert, key }));
        c.allowed_hosts = vec!["shop.example".into()];
    })
    .await;
    let port = srv.server().https_addr.unwrap().port();
    let client = client(&ca);
    let resp = client
        .get(format!("https://localhost:{port}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.version(), reqwest::Version::HTTP_2, "HTTP/2 negotiated by ALPN");
    assert_eq!(resp.headers()[header::STRICT_TRANSPORT_SECURITY], "max-age=63072000");
    let h1 = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem.as_bytes()).unwrap())
        .http1_only()
        .build()
        .unwrap();
    let resp = h1.get(format!("https://localhost:{port}/")).send().await.unwrap();
    assert_eq!(
        (resp.status(), resp.version()),
        (StatusCode::OK, reqwest::Version::HTTP_11)
    );

    // A sign-in over HTTPS gets a Secure cookie.
    let resp = client
        .post(format!("https://localhost:{port}/api/auth/session"))
        .header("X-Requested-With", "order-system")
        .json(&serde_json::json!({"username": "superAdmin", "password": common::ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(
        resp.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );

    // Plain HTTP only redirects, keeping path and query, with 308.
    let resp = client.post(format!("{}/api/orders?x=1", srv.url)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::PERMANENT_REDIRECT);
    let http_port = srv.server().addr.port();
    assert_eq!(
        resp.headers()[header::LOCATION],
        format!("https://127.0.0.1:{port}/api/orders?x=1")
    );
    assert!(
        resp.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "no HSTS over plain HTTP"
    );
    let resp = client
        .get(format!("http://localhost:{http_port}/"))
        .header(header::HOST, "shop.example:80")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()[header::LOCATION],
        format!("https://shop.example:{port}/")
    );
    // A name the server was not told about is not redirected to (DNS rebinding).
    let resp = client
        .get(format!("http://localhost:{http_port}/"))
        .header(header::HOST, "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::MISDIRECTED_REQUEST);

    // TLS 1.1 is refused, TLS 1.2 accepted (openssl's client, allowed to try old versions).
    let s_client = |version: &'static str| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new("openssl")
                .args([
                    "s_client",
                    "-connect",
                    &format!("127.0.0.1:{port}"),
                    version,
                    "-cipher",
                    "DEFAULT@SECLEVEL=0",
                ])
                .stdin(std::process::Stdio::null())
                .output()
                .unwrap()
        })
    };
    let old = s_client("-tls1_1").await.unwrap();
    let text = String::from_utf8_lossy(&old.stdout).to_string() + &String::from_utf8_lossy(&old.stderr);
    assert!(
        text.contains("Cipher is (NONE)") && text.contains("alert"),
        "TLS 1.1 must be refused:\n{text}"
    );
    let ok = s_client("-tls1_2").await.unwrap();
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("Protocol  : TLSv1.2"),
        "TLS 1.2 works"
    );
}

#[tokio::test]
async fn certificate_files_reload_without_dropping_connections() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("order-system test CA");
    let (cert, key, first) = ca.leaf(dir.path(), "a", false);
    let srv = TestServer::start_with(|c| {
        c.admin_password = Some(common::ADMIN_PASSWORD.into());
        c.https = Some(https(Source::Files {
            cert: cert.clone(),
            key: key.clone(),
        }));
    })
    .await;
    let port = srv.server().https_addr.unwrap().port();
    assert_eq!(served_cert(port, &ca).await, first);
    let client = client(&ca);
    assert_eq!(
        client
            .get(format!("https://localhost:{port}/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // New files in place: new handshakes get the new certificate within a few seconds.
    let (new_cert, new_key, second) = ca.leaf(dir.path(), "b", false);
    std::fs::copy(&new_key, &key).unwrap();
    std::fs::copy(&new_cert, &cert).unwrap();
    let mut served = Vec::new();
    for _ in 0..50 {
        served = served_cert(port, &ca).await;
        if served == second {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(served, second, "the changed files are served");
    // The connection the client kept open still works.
    assert_eq!(
        client
            .get(format!("https://localhost:{port}/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // A broken file is not taken: the last good certificate stays.
    std::fs::write(&cert, "garbage").unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(served_cert(port, &ca).await, second);
}

#[tokio::test]
async fn bad_certificates_are_clear_startup_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("order-system test CA");
    let (cert, key, _) = ca.leaf(dir.path(), "good", false);
    let (_, other_key, _) = ca.leaf(dir.path(), "other", false);
    let (old_cert, old_key, _) = ca.leaf(dir.path(), "old", true);
    let missing = dir.path().join("missing.crt");
    let cases = [
        (missing.clone(), key.clone(), "missing.crt"),
        (cert.clone(), other_key.clone(), "does not belong"),
        (old_cert.clone(), old_key.clone(), "expired"),
        (key.clone(), key.clone(), "good.key"),
    ];
    for (c, k, needle) in cases {
        let config = https(Source::Files { cert: c, key: k });
        let err = order_system::tls::prepare(&config, dir.path())
            .map(|_| ())
            .expect_err("refused")
            .to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
    // And from the command line: one line, non-zero exit.
    let out = common::process::cmd(&dir.path().join("d"))
        .args(["serve", "--http", "127.0.0.1:0", "--https", "127.0.0.1:0"])
        .args([
            "--tls-cert",
            old_cert.to_str().unwrap(),
            "--tls-key",
            old_key.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.trim_end()
            .lines()
            .last()
            .unwrap()
            .contains("old.crt expired on 2021-01-01"),
        "{err}"
    );
}

#[tokio::test]
async fn a_self_signed_trial_certificate_is_made_once() {
    let srv = TestServer::start_with(|c| {
        c.admin_password = Some(common::ADMIN_PASSWORD.into());
        c.https = Some(https(Source::SelfSigned));
    })
    .await;
    let tls_dir = srv.data_dir().join("tls");
    use std::os::unix::fs::PermissionsExt;
    let key = tls_dir.join("self-signed-key.pem");
    assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    let cert_pem = std::fs::read_to_string(tls_dir.join("self-signed-cert.pem")).unwrap();
    let port = srv.server().https_addr.unwrap().port();
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    assert_eq!(
        client
            .get(format!("https://localhost:{port}/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let (cert, key) = order_system::tls::self_signed::ensure(&tls_dir).unwrap();
    assert_eq!(std::fs::read_to_string(cert).unwrap(), cert_pem, "reused, not remade");
    assert!(key.exists());
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_connections_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("order-system test CA");
    let (cert, key, _) = ca.leaf(dir.path(), "a", false);
    let limits = Limits {
        max_connections: 3,
        handshake_timeout: Duration::from_secs(1),
        header_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let srv = TestServer::start_with(|c| {
        c.admin_password = Some(common::ADMIN_PASSWORD.into());
        c.https = Some(https(Source::Files { cert, key }));
        c.limits = limits;
    })
    .await;
    let port = srv.server().https_addr.unwrap().port();

    // A client that never finishes its handshake is dropped.
    let mut idle = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut buf))
        .await
        .expect("closed by the server")
        .unwrap_or(0);
    assert_eq!(n, 0);

    // A client that sends its headers slowly is cut off.
    order_system::tls::install_crypto_provider();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls_pki_types::CertificateDer::from(ca.cert.der().to_vec()))
        .unwrap();
    let mut config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut tls = connector
        .connect(rustls_pki_types::ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .unwrap();
    tls.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the slow client was cut off");
    assert!(!String::from_utf8_lossy(&out).contains("200 OK"));

    // At the cap, a new connection takes the place of an idle one...
    let connect = || async {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        connector
            .connect(rustls_pki_types::ServerName::try_from("localhost").unwrap(), tcp)
            .await
    };
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect().await.unwrap());
    }
    let mut fourth = connect().await.expect("an idle connection made room");
    fourth
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    fourth.read_to_end(&mut answer).await.unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
    drop(held);
    // ...but when every connection has a request in flight (a body still on its way), the
    // next one is refused.
    let mut busy = Vec::new();
    for _ in 0..3 {
        let mut tls = connect().await.unwrap();
        tls.write_all(b"POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            .await
            .unwrap();
        busy.push(tls);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = tokio::time::timeout(Duration::from_secs(3), connect()).await;
    assert!(matches!(refused, Ok(Err(_))), "the fourth connection is refused");
    drop(busy);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_makes_the_binary_serve_the_new_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new("order-system test CA");
    let (cert, key, first) = ca.leaf(dir.path(), "a", false);
    let (new_cert, new_key, second) = ca.leaf(dir.path(), "b", false);
    let port = common::process::free_port();
    let https = format!("127.0.0.1:{port}");
    let (cert_arg, key_arg) = (cert.to_str().unwrap(), key.to_str().unwrap());
    // serve_on returns once the banner is printed, i.e. both listeners are bound.
    let mut server = common::process::serve_on(
        &dir.path().join("data"),
        common::process::free_port(),
        &["--https", &https, "--tls-cert", cert_arg, "--tls-key", key_arg],
        &[],
    );
    assert_eq!(served_cert(port, &ca).await, first);

    // Swap the files but keep their old modification times, so only SIGHUP can trigger the reload.
    let stamp = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
    let (cert_time, key_time) = (stamp(&cert), stamp(&key));
    std::fs::copy(&new_key, &key).unwrap();
    std::fs::copy(&new_cert, &cert).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&cert)
        .unwrap()
        .set_modified(cert_time)
        .unwrap();
    std::fs::File::options()
        .write(true)
        .open(&key)
        .unwrap()
        .set_modified(key_time)
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(served_cert(port, &ca).await, first, "no reload without SIGHUP");
    common::process::signal(&server.child, "-HUP");
    let mut served = Vec::new();
    for _ in 0..40 {
        served = served_cert(port, &ca).await;
        if served == second {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(served, second, "after SIGHUP the new certificate is served");
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "SIGHUP does not stop the server"
    );
    common::process::signal(&server.child, "-TERM");
    let status = common::process::wait_exit(&mut server.child, Duration::from_secs(15));
    assert!(status.success(), "{status:?}");
}
