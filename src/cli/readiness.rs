//! Telling systemd how the server is doing (`Type=notify`, `WatchdogSec=`). Outside systemd
//! (no `$NOTIFY_SOCKET`) every call here does nothing.

use std::time::Duration;

use sd_notify::NotifyState;

use crate::app::Server;
use crate::db::Db;

/// Ready: listening, migrated, the database threads running. Starts the watchdog pings when
/// the unit asks for them.
pub fn ready(server: &Server) -> Option<tokio::task::JoinHandle<()>> {
    let status = format!("serving on {}", server.https_url().unwrap_or_else(|| server.url()));
    if let Err(err) = sd_notify::notify(&[NotifyState::Ready, NotifyState::Status(&status)]) {
        tracing::warn!(error = %err, "could not tell systemd the server is ready");
    }
    sd_notify::watchdog_enabled().map(|timeout| tokio::spawn(watchdog(server.db().clone(), timeout)))
}

pub fn stopping() {
    let _ = sd_notify::notify(&[NotifyState::Stopping]);
}

/// Pings at half the timeout, but only while the database writer is alive: a server whose
/// writer died cannot take orders, and systemd's restart is the right cure. A long write (a big
/// import) keeps the writer alive, so it never trips the watchdog.
async fn watchdog(db: Db, timeout: Duration) {
    let mut tick = tokio::time::interval(timeout / 2);
    loop {
        tick.tick().await;
        if !db.writer_alive() {
            tracing::error!("the database writer has stopped; no longer pinging the systemd watchdog");
            return;
        }
        if let Err(err) = sd_notify::notify(&[NotifyState::Watchdog]) {
            tracing::warn!(error = %err, "could not ping the systemd watchdog");
        }
    }
}
