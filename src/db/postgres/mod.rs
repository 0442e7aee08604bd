//! PostgreSQL: connecting (TLS with rustls, no libpq, so the release binary stays static) and
//! the schema's migrations, embedded from `migrations/postgres`.
//!
//! The store runs on a [`session::Session`] through [`crate::db::Conn`]; the server does not
//! yet (issue 21; docs/postgresql.md is the plan).

pub mod listener;
pub mod pool;
pub mod session;
pub mod tls;

use postgres::{Client, Config};

use super::migrations::MigrationStatus;

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// The advisory lock every server and `migrate` takes around migrating, so that two starting
/// at once cannot both apply a migration: the second waits, then finds nothing to do. ("ordersys"
/// in ASCII.)
const MIGRATION_LOCK: i64 = 0x6f72_6465_7273_7973;

/// Whether a database URL names PostgreSQL (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Connects as the connection string says, TLS included (`sslmode` as libpq means it, see
/// [`tls`]). `what` starts the error ("cannot read the old database").
pub fn connect(url: &str, what: &str) -> anyhow::Result<Client> {
    let split = tls::split(url)?;
    let mut config: Config = split
        .url
        .parse()
        .map_err(|e| anyhow::anyhow!("the PostgreSQL URL is not valid: {e}"))?;
    // A server that is gone must cost a request a 503 in seconds, not a hang (connect_timeout
    // in the URL wins).
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(5));
    }
    let place = describe(&config);
    let result = if split.mode == tls::Mode::Disable {
        config.connect(postgres::NoTls)
    } else {
        let tls = tls::client_config(split.mode, split.root_cert.as_ref())?;
        config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
    };
    result.map_err(|e| anyhow::anyhow!("{what} at {place}: {}", one_line(&e)))
}

/// Where a connection string points, host:port/dbname, without the password ("PostgreSQL"
/// when it does not parse).
pub fn place(url: &str) -> String {
    tls::split(url)
        .ok()
        .and_then(|s| s.url.parse::<Config>().ok())
        .map_or_else(|| "PostgreSQL".into(), |c| describe(&c))
}

/// host:port/dbname, without the password.
pub fn describe(config: &Config) -> String {
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
pub fn one_line(err: &postgres::Error) -> String {
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

/// A PostgreSQL failure as the client should hear it: a conflict between transactions, a
/// server going away or a full disk is a 503 (or 507) worth retrying; the rest is ours, a 500.
pub fn app_error(err: &postgres::Error) -> crate::error::AppError {
    use crate::error::AppError;
    use postgres::error::SqlState;
    let Some(code) = err.code() else {
        // No SQLSTATE: the connection itself failed (refused, reset, closed).
        return AppError::Unavailable(format!("the database cannot be reached: {}", one_line(err)));
    };
    if *code == SqlState::T_R_SERIALIZATION_FAILURE || *code == SqlState::T_R_DEADLOCK_DETECTED {
        AppError::Unavailable("the database is busy; try again".into())
    } else if *code == SqlState::DISK_FULL {
        AppError::StorageFull
    } else if code.code().starts_with("08")
        || code.code().starts_with("57P")
        || *code == SqlState::READ_ONLY_SQL_TRANSACTION
        || *code == SqlState::TOO_MANY_CONNECTIONS
    {
        AppError::Unavailable(format!("the database cannot be written: {}", one_line(err)))
    } else {
        AppError::Internal(format!("database: {}", one_line(err)))
    }
}

/// Applies every pending migration under the migration lock; returns the versions applied.
pub fn migrate(url: &str) -> anyhow::Result<Vec<i32>> {
    let mut client = connect(url, "cannot open the database")?;
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .map_err(|e| anyhow::anyhow!("cannot take the migration lock: {}", one_line(&e)))?;
    let report = refuse_foreign(&mut client).and_then(|()| {
        embedded::migrations::runner()
            .run(&mut client)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))
    });
    // Released with the session anyway; unlocked at once so a waiting server goes on.
    let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]);
    Ok(report?.applied_migrations().iter().map(|m| m.version()).collect())
}

/// Refuses a database that holds another application's tables and none of ours: an old
/// system's DATABASE_URL left in the environment must not get our schema mixed into it.
fn refuse_foreign(client: &mut Client) -> anyhow::Result<()> {
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            &[],
        )
        .map_err(|e| anyhow::anyhow!("cannot list the tables: {}", one_line(&e)))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if tables.is_empty() || tables.iter().any(|t| t == "refinery_schema_history") {
        return Ok(());
    }
    let some: Vec<&str> = tables.iter().take(5).map(String::as_str).collect();
    anyhow::bail!(
        "this database already holds {} tables of another application ({}{}), perhaps the old system's; \
         give order-system a database of its own (CREATE DATABASE order_desk)",
        tables.len(),
        some.join(", "),
        if tables.len() > some.len() { ", ..." } else { "" }
    )
}

/// Every migration of the PostgreSQL folder, with the time each was applied to this database.
pub fn status(url: &str) -> anyhow::Result<Vec<MigrationStatus>> {
    let mut client = connect(url, "cannot open the database")?;
    let runner = embedded::migrations::runner();
    let applied = runner
        .get_applied_migrations(&mut client)
        .map_err(|e| anyhow::anyhow!("reading migration history failed: {e}"))?;
    Ok(super::migrations::statuses(runner.get_migrations(), &applied))
}

/// The newest version of the PostgreSQL folder: the same as SQLite's, as the folders move in
/// step (tests/api/postgres_schema.rs).
pub fn latest_version() -> i32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}
