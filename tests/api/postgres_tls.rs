//! TLS to PostgreSQL with rustls, `sslmode` as libpq means it (db::postgres::tls), against a
//! real server that takes TCP logins over TLS only: `require` encrypts without checking the
//! certificate (Debian's self-signed "snakeoil" case), `verify-ca` checks the chain against
//! `sslrootcert`, `verify-full` the chain and the name, and `disable` is turned away.

use crate::common::postgres::{Cluster, PASSWORD};
use crate::common::process::{run, text};

/// A CA, and a server certificate it signs for the name `localhost` only (not 127.0.0.1).
fn certificates() -> (String, String, String) {
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name.push(rcgen::DnType::CommonName, "shop test CA");
    ca.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca, ca_key);
    let mut leaf = rcgen::CertificateParams::new(vec!["localhost".into()]).unwrap();
    leaf.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = leaf.signed_by(&key, &issuer).unwrap();
    (ca_cert.pem(), cert.pem(), key.serialize_pem())
}

#[test]
fn sslmode_means_what_libpq_says() {
    let (ca, cert, key) = certificates();
    let pg = Cluster::start_tls(&cert, &key);
    let ca_file = pg.dir().join("ca.pem");
    std::fs::write(&ca_file, &ca).unwrap();
    let url =
        |host: &str, db: &str, query: &str| format!("postgresql://postgres:{PASSWORD}@{host}:{}/{db}?{query}", pg.port);
    let root = format!("sslrootcert={}", ca_file.display());
    let migrate = |url: String| run(&pg.dir().join("data"), &["migrate", "--database", &url], None);
    let ok = |out: std::process::Output| {
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let refused = |out: std::process::Output| {
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
        text(&out.stderr)
    };
    for db in ["one", "two", "three"] {
        pg.sql("postgres", &format!("CREATE DATABASE {db}"));
    }

    // Certificate and name checked: the CA is ours and the name is localhost.
    let said = ok(migrate(url("localhost", "one", &format!("sslmode=verify-full&{root}"))));
    assert!(said.contains("localhost:"), "{said}");
    // The same certificate by address: the chain is good but the name is not.
    let err = refused(migrate(url("127.0.0.1", "one", &format!("sslmode=verify-full&{root}"))));
    assert!(
        err.contains("not valid for name") || err.contains("NotValidForName"),
        "{err}"
    );
    // verify-ca checks the chain only.
    ok(migrate(url("127.0.0.1", "two", &format!("sslmode=verify-ca&{root}"))));
    // Without our CA, a private certificate is not trusted.
    let err = refused(migrate(url("localhost", "one", "sslmode=verify-full")));
    assert!(err.contains("UnknownIssuer") || err.contains("unknown issuer"), "{err}");
    // require encrypts and trusts the certificate unchecked, as libpq does; prefer (the
    // default) takes TLS when offered.
    ok(migrate(url("127.0.0.1", "three", "sslmode=require")));
    ok(migrate(url("127.0.0.1", "three", "connect_timeout=5")));
    // Without TLS this server lets nobody in: the modes above really were encrypted.
    let err = refused(migrate(url("127.0.0.1", "three", "sslmode=disable")));
    assert!(
        err.contains("no pg_hba.conf entry") || err.contains("no encryption"),
        "{err}"
    );
    // A sslrootcert that is not there says so.
    let err = refused(migrate(url(
        "localhost",
        "one",
        "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
    )));
    assert!(err.contains("cannot read sslrootcert /nonexistent/ca.pem"), "{err}");
}
