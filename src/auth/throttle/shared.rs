//! The counts in the database, shared by every server on one PostgreSQL: the same rules as
//! [`super::Memory`], with times from the wall clock, which the servers share (NTP assumed).

use rusqlite::params;

use super::{Entry, Key, Limits, address, blocked_until, millis, too_many};
use crate::db::{Db, OptionalExtension};
use crate::error::AppResult;

/// One failure in this many also drops the counts that have gone quiet, so random usernames
/// cannot grow the table without bound.
const PRUNE_ONE_IN: u32 = 256;

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default()
}

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Two indexed reads: the attempt's three counts, and whether its pair signed in before.
pub async fn check(db: &Db, limits: Limits, username: &str, ip: Option<&str>) -> AppResult<()> {
    let (name, ip) = (username.to_lowercase(), address(ip));
    let keys = Key::all(&limits, &name, &ip).map(|(key, _)| key.columns());
    let (counts, known_good) = db
        .read(move |conn| {
            let mut counts: [Option<Entry>; 3] = [None; 3];
            for (slot, (kind, key)) in counts.iter_mut().zip(&keys) {
                *slot = conn
                    .prepare_cached(
                        "SELECT failures, last_failure_ms, blocked_until_ms FROM login_throttle WHERE kind = ? AND key = ?",
                    )?
                    .query_row(params![kind, key], |r| {
                        Ok(Entry {
                            failures: u32::try_from(r.get::<_, i64>(0)?).unwrap_or(u32::MAX),
                            last_failure: u64::try_from(r.get::<_, i64>(1)?).unwrap_or_default(),
                            blocked_until: r.get::<_, Option<i64>>(2)?.and_then(|v| u64::try_from(v).ok()),
                        })
                    })
                    .optional()?;
            }
            let known_good = conn
                .prepare_cached("SELECT 1 FROM login_known_good WHERE username = ? AND ip = ?")?
                .exists(params![name, ip])?;
            Ok((counts, known_good))
        })
        .await?;
    let now = now();
    let [pair, by_ip, by_user] = counts;
    too_many(now, blocked_until(&limits, now, (pair, by_ip, by_user), known_good))
}

/// Counts a failure on each key by an upsert that returns the new count (two servers counting
/// at once both count), then sets the wait that count earns.
pub async fn failed(db: &Db, limits: Limits, username: &str, ip: Option<&str>) -> AppResult<()> {
    let (name, ip) = (username.to_lowercase(), address(ip));
    let keys = Key::all(&limits, &name, &ip);
    let forget = ms(millis(limits.forget_after));
    let prune = fastrand::u32(..PRUNE_ONE_IN) == 0;
    db.write(move |conn| {
        let now = now();
        for (key, rule) in &keys {
            let (kind, key) = key.columns();
            let failures: i64 = conn
                .prepare_cached(
                    "INSERT INTO login_throttle (kind, key, failures, last_failure_ms, blocked_until_ms)
                     VALUES (?1, ?2, 1, ?3, NULL)
                     ON CONFLICT (kind, key) DO UPDATE SET
                       failures = CASE WHEN ?3 - login_throttle.last_failure_ms >= ?4 THEN 1
                                       ELSE login_throttle.failures + 1 END,
                       last_failure_ms = ?3
                     RETURNING failures",
                )?
                .query_row(params![kind, key, ms(now), forget], |r| r.get(0))?;
            if let Some(wait) = rule.wait_after(u32::try_from(failures).unwrap_or(u32::MAX)) {
                conn.prepare_cached("UPDATE login_throttle SET blocked_until_ms = ? WHERE kind = ? AND key = ?")?
                    .execute(params![ms(now + millis(wait)), kind, key])?;
            }
        }
        if prune {
            conn.prepare_cached(
                "DELETE FROM login_throttle WHERE last_failure_ms < ? AND COALESCE(blocked_until_ms, 0) < ?",
            )?
            .execute(params![ms(now) - forget, ms(now)])?;
        }
        Ok(())
    })
    .await
}

pub async fn succeeded(db: &Db, username: &str, ip: Option<&str>) -> AppResult<()> {
    let (name, ip) = (username.to_lowercase(), address(ip));
    let (_, pair) = Key::Pair(name.clone(), ip.clone()).columns();
    db.write(move |conn| {
        conn.prepare_cached("DELETE FROM login_throttle WHERE kind = 'pair' AND key = ?")?
            .execute([&pair])?;
        conn.prepare_cached(
            "INSERT INTO login_known_good (username, ip) VALUES (?, ?) ON CONFLICT (username, ip) DO NOTHING",
        )?
        .execute(params![name, ip])?;
        Ok(())
    })
    .await
}
