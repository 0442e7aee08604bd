//! Logs go to stderr (journald captures them under systemd); there are no log files to rotate.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (colour only on a terminal).
    #[default]
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Installs the process-wide subscriber. `level` (from `--log-level`) wins over `RUST_LOG`;
/// without either, `default` (the server logs at info; one-off commands only warn, since they
/// print their own results).
pub fn init(format: LogFormat, level: Option<&str>, default: &str) -> anyhow::Result<()> {
    let filter = match level {
        Some(level) => EnvFilter::try_new(level).map_err(|e| anyhow::anyhow!("--log-level {level}: {e}"))?,
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default)),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second call (tests start several servers in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Pretty => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).try_init(),
    };
    Ok(())
}
