//! Login throttling: after repeated failures for a username, or from a client address, further
//! attempts get 429 with Retry-After, for a time that doubles with each failure.
//!
//! Why this shape: a per-username limit stops guessing one account's password from many
//! addresses; a per-address limit stops one client trying many usernames. The wait is capped
//! and forgotten after a quiet spell, so the real user is never locked out for good, and a
//! throttled attempt runs no bcrypt at all, so an attack costs the server almost nothing.
//! Known and unknown usernames are throttled alike: the answer reveals nothing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

/// How many failures are free before waits begin, and how the wait grows.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub free: u32,
    pub first_wait: Duration,
    pub max_wait: Duration,
}

/// Limits for one username, and for one client address (which may be a shop's shared NAT).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_user: Rule,
    pub per_ip: Rule,
    /// A key with no failure for this long starts over.
    pub forget_after: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_user: Rule {
                free: 5,
                first_wait: Duration::from_secs(1),
                max_wait: Duration::from_secs(15 * 60),
            },
            per_ip: Rule {
                free: 20,
                first_wait: Duration::from_secs(1),
                max_wait: Duration::from_secs(15 * 60),
            },
            forget_after: Duration::from_secs(60 * 60),
        }
    }
}

/// Beyond this many tracked keys, quiet ones are dropped, so random usernames cannot grow the
/// table without bound.
const MAX_KEYS: usize = 50_000;

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum Key {
    User(String),
    Ip(String),
}

struct Entry {
    failures: u32,
    last_failure: Instant,
    blocked_until: Option<Instant>,
}

pub struct Throttle {
    limits: Limits,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn keys(username: &str, ip: Option<&str>) -> Vec<Key> {
        let mut keys = vec![Key::User(username.to_lowercase())];
        if let Some(ip) = ip {
            keys.push(Key::Ip(ip.to_owned()));
        }
        keys
    }

    /// Refuses an attempt while its username or address must wait.
    pub fn check(&self, username: &str, ip: Option<&str>) -> Result<(), AppError> {
        let now = Instant::now();
        let Ok(entries) = self.entries.lock() else {
            return Ok(());
        };
        let wait = Self::keys(username, ip)
            .iter()
            .filter_map(|k| entries.get(k)?.blocked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        match wait {
            None => Ok(()),
            Some(wait) => Err(AppError::TooManyRequests {
                message: "too many failed sign-ins; wait before trying again".into(),
                // Rounded up: a client that waits exactly this long is let in.
                retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            }),
        }
    }

    /// Counts a failed attempt against its username and address.
    pub fn failed(&self, username: &str, ip: Option<&str>) {
        let now = Instant::now();
        let Ok(mut entries) = self.entries.lock() else { return };
        if entries.len() >= MAX_KEYS {
            let forget = self.limits.forget_after;
            entries.retain(|_, e| e.blocked_until.is_some_and(|u| u > now) || now - e.last_failure < forget);
        }
        for key in Self::keys(username, ip) {
            let rule = match key {
                Key::User(_) => self.limits.per_user,
                Key::Ip(_) => self.limits.per_ip,
            };
            let entry = entries.entry(key).or_insert(Entry {
                failures: 0,
                last_failure: now,
                blocked_until: None,
            });
            if now - entry.last_failure >= self.limits.forget_after {
                entry.failures = 0;
            }
            entry.failures += 1;
            entry.last_failure = now;
            if entry.failures > rule.free {
                let doublings = (entry.failures - rule.free - 1).min(20);
                let wait = rule.first_wait.saturating_mul(1 << doublings).min(rule.max_wait);
                entry.blocked_until = Some(now + wait);
            }
        }
    }

    /// A correct password clears the username's count (the address keeps its own: one valid
    /// account must not reset the limit on guessing others).
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&Key::User(username.to_lowercase()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quick() -> Limits {
        Limits {
            per_user: Rule {
                free: 2,
                first_wait: Duration::from_secs(1),
                max_wait: Duration::from_secs(4),
            },
            per_ip: Rule {
                free: 3,
                first_wait: Duration::from_secs(10),
                max_wait: Duration::from_secs(60),
            },
            forget_after: Duration::from_secs(3600),
        }
    }

    fn retry(t: &Throttle, user: &str, ip: &str) -> Option<u64> {
        match t.check(user, Some(ip)) {
            Ok(()) => None,
            Err(AppError::TooManyRequests { retry_after_secs, .. }) => Some(retry_after_secs),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn waits_start_after_the_free_failures_double_and_are_capped() {
        let t = Throttle::new(quick());
        for _ in 0..2 {
            assert_eq!(retry(&t, "Alice", "10.0.0.1"), None);
            t.failed("Alice", Some("10.0.0.1"));
        }
        assert_eq!(retry(&t, "alice", "10.0.0.2"), None, "free failures, any address");
        t.failed("alice", Some("10.0.0.2"));
        assert_eq!(retry(&t, "ALICE", "10.0.0.3"), Some(1), "usernames match without case");
        let mut waits = Vec::new();
        for _ in 0..4 {
            t.failed("alice", Some("10.0.0.9"));
            waits.push(retry(&t, "alice", "10.0.0.4").unwrap());
        }
        assert_eq!(waits, vec![2, 4, 4, 4], "doubling, capped at max_wait");
        assert_eq!(retry(&t, "bob", "10.0.0.1"), None, "other users are not affected");
        t.succeeded("alice");
        assert_eq!(retry(&t, "alice", "10.0.0.1"), None, "a success clears the username");
    }

    #[test]
    fn one_address_trying_many_usernames_is_slowed() {
        let t = Throttle::new(quick());
        for n in 0..4 {
            t.failed(&format!("user{n}"), Some("192.0.2.7"));
        }
        assert_eq!(retry(&t, "someone-else", "192.0.2.7"), Some(10));
        assert_eq!(retry(&t, "someone-else", "192.0.2.8"), None);
    }
}
