//! Reads the old system's tables straight from its PostgreSQL: every table of the `public`
//! schema, each streamed with `COPY ... TO STDOUT` (the same text format a dump holds), all
//! inside one read-only REPEATABLE READ transaction, so the tables agree with each other even
//! if the old shop is still taking orders.

use std::io::{BufRead, BufReader};
use std::sync::Arc;

use anyhow::Context;
use postgres::config::SslMode;
use postgres::{Client, Config, IsolationLevel};

use super::source::{Sink, decode_copy_line};
use super::staging::ident;

/// Connects with TLS when the server offers it (`sslmode=prefer`, the default) or the URL
/// demands it (`sslmode=require`), checked against the usual public roots.
fn connect(url: &str) -> anyhow::Result<Client> {
    let config: Config = url
        .parse()
        .map_err(|e| anyhow::anyhow!("the PostgreSQL URL is not valid: {e}"))?;
    let place = describe(&config);
    crate::tls::install_crypto_provider();
    let result = if config.get_ssl_mode() == SslMode::Disable {
        config.connect(postgres::NoTls)
    } else {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let tls = rustls::ClientConfig::builder()
            .with_root_certificates(Arc::new(roots))
            .with_no_client_auth();
        config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
    };
    result.map_err(|e| anyhow::anyhow!("cannot read the old database at {place}: {}", one_line(&e)))
}

/// host:port/dbname, without the password.
fn describe(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}/{}", config.get_dbname().unwrap_or("postgres"))
}

/// A driver error as one line: its cause's message where it has one ("password authentication
/// failed for user ...", "Connection refused").
fn one_line(err: &postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return db.message().to_owned();
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    text
}

/// Reads every table into `sink`; `rows` is told each table's size first, for the progress bar.
pub fn read(url: &str, sink: &mut dyn Sink, mut sizes: impl FnMut(&str, u64)) -> anyhow::Result<()> {
    let mut client = connect(url)?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| anyhow::anyhow!("cannot start reading: {}", one_line(&e)))?;
    let tables: Vec<String> = tx
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
            &[],
        )
        .map_err(|e| anyhow::anyhow!("cannot list the tables: {}", one_line(&e)))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for table in tables {
        let columns: Vec<String> = tx
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                &[&table],
            )
            .map_err(|e| anyhow::anyhow!("cannot read the columns of {table}: {}", one_line(&e)))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let count: i64 = tx
            .query_one(&format!("SELECT count(*) FROM public.{}", ident(&table)), &[])
            .map_err(|e| anyhow::anyhow!("cannot count {table}: {}", one_line(&e)))?
            .get(0);
        sizes(&table, count as u64);
        sink.table(&table, &columns)?;
        let list: Vec<String> = columns.iter().map(|c| ident(c)).collect();
        let copy = format!("COPY public.{} ({}) TO STDOUT", ident(&table), list.join(", "));
        let reader = tx
            .copy_out(copy.as_str())
            .map_err(|e| anyhow::anyhow!("cannot read {table}: {}", one_line(&e)))?;
        let mut lines = BufReader::with_capacity(256 * 1024, reader);
        let mut line = String::new();
        loop {
            line.clear();
            if lines
                .read_line(&mut line)
                .with_context(|| format!("reading {table} was cut off"))?
                == 0
            {
                break;
            }
            let text = line.strip_suffix('\n').unwrap_or(&line);
            sink.row(decode_copy_line(text, columns.len()).with_context(|| format!("table {table}"))?)?;
        }
    }
    tx.commit().ok();
    Ok(())
}
