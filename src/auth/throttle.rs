//! Login throttling that keeps guessing slow without handing anyone a lockout lever.
//!
//! Three counts of failures, each with waits that start after some free failures and double
//! up to a cap, forgotten after a quiet spell:
//!
//! - per (username, address): one client guessing one account's password;
//! - per address: one client trying many usernames. An address behind which a user has signed
//!   in before (a shop's shared NAT) keeps letting that user in: only pairs never seen to
//!   succeed wait for the address;
//! - per username: many addresses guessing one account (a botnet). This wait applies only to
//!   addresses that have failed themselves, so the real owner, signing in from a clean
//!   address, is never locked out by someone else's failures.
//!
//! A throttled attempt runs no bcrypt at all, so an attack costs the server almost nothing,
//! and known and unknown usernames are throttled alike: the answer reveals nothing.

use std::collections::{HashMap, HashSet};
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

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// One username from one address.
    pub per_pair: Rule,
    /// One address, whatever the usernames (a shop's NAT may share one).
    pub per_ip: Rule,
    /// One username, whatever the addresses; only failing addresses wait for it.
    pub per_user: Rule,
    /// A key with no failure for this long starts over.
    pub forget_after: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        let rule = |free| Rule {
            free,
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(15 * 60),
        };
        Self {
            per_pair: rule(5),
            per_ip: rule(20),
            per_user: rule(10),
            forget_after: Duration::from_secs(60 * 60),
        }
    }
}

/// Beyond this many tracked keys, quiet ones are dropped, so random usernames cannot grow the
/// table without bound.
const MAX_KEYS: usize = 50_000;

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum Key {
    Pair(String, String),
    Ip(String),
    User(String),
}

struct Entry {
    failures: u32,
    last_failure: Instant,
    blocked_until: Option<Instant>,
}

#[derive(Default)]
struct State {
    entries: HashMap<Key, Entry>,
    /// (username, address) pairs that signed in: the address's own wait does not apply to them.
    known_good: HashSet<(String, String)>,
}

pub struct Throttle {
    limits: Limits,
    state: Mutex<State>,
}

/// Requests without a known address (the command line) share one.
fn address(ip: Option<&str>) -> String {
    ip.unwrap_or("-").to_owned()
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            state: Mutex::new(State::default()),
        }
    }

    /// Refuses an attempt that must wait, with how long.
    pub fn check(&self, username: &str, ip: Option<&str>) -> Result<(), AppError> {
        let now = Instant::now();
        let Ok(state) = self.state.lock() else {
            return Ok(());
        };
        let (name, ip) = (username.to_lowercase(), address(ip));
        let waiting = |key: &Key| {
            state
                .entries
                .get(key)
                .and_then(|e| e.blocked_until)
                .filter(|until| *until > now)
        };
        let fresh = |key: &Key| {
            state
                .entries
                .get(key)
                .is_some_and(|e| now - e.last_failure < self.limits.forget_after)
        };
        let pair = Key::Pair(name.clone(), ip.clone());
        let mut until = waiting(&pair);
        if !state.known_good.contains(&(name.clone(), ip.clone())) {
            until = until.max(waiting(&Key::Ip(ip.clone())));
        }
        if fresh(&Key::Ip(ip)) {
            until = until.max(waiting(&Key::User(name)));
        }
        match until {
            None => Ok(()),
            Some(until) => {
                let wait = until - now;
                Err(AppError::TooManyRequests {
                    message: "too many failed sign-ins; wait before trying again".into(),
                    // Rounded up: a client that waits exactly this long is let in.
                    retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                })
            }
        }
    }

    /// Counts a failed attempt against its pair, its address and its username.
    pub fn failed(&self, username: &str, ip: Option<&str>) {
        let now = Instant::now();
        let Ok(mut state) = self.state.lock() else { return };
        let forget = self.limits.forget_after;
        if state.entries.len() >= MAX_KEYS {
            state
                .entries
                .retain(|_, e| e.blocked_until.is_some_and(|u| u > now) || now - e.last_failure < forget);
        }
        let (name, ip) = (username.to_lowercase(), address(ip));
        let keys = [
            (Key::Pair(name.clone(), ip.clone()), self.limits.per_pair),
            (Key::Ip(ip), self.limits.per_ip),
            (Key::User(name), self.limits.per_user),
        ];
        for (key, rule) in keys {
            let entry = state.entries.entry(key).or_insert(Entry {
                failures: 0,
                last_failure: now,
                blocked_until: None,
            });
            if now - entry.last_failure >= forget {
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

    /// A correct password clears the pair's count and remembers the pair, so that its address's
    /// wait no longer applies to it. The address and username keep their counts: one valid
    /// account must not reset the limits on guessing others.
    pub fn succeeded(&self, username: &str, ip: Option<&str>) {
        let Ok(mut state) = self.state.lock() else { return };
        let (name, ip) = (username.to_lowercase(), address(ip));
        state.entries.remove(&Key::Pair(name.clone(), ip.clone()));
        if state.known_good.len() >= MAX_KEYS {
            state.known_good.clear();
        }
        state.known_good.insert((name, ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(free: u32, first: u64, max: u64) -> Rule {
        Rule {
            free,
            first_wait: Duration::from_secs(first),
            max_wait: Duration::from_secs(max),
        }
    }

    fn quick() -> Limits {
        Limits {
            per_pair: rule(2, 1, 4),
            per_ip: rule(3, 10, 60),
            per_user: rule(4, 30, 60),
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
    fn one_address_guessing_one_account_waits_longer_each_time() {
        let t = Throttle::new(Limits {
            per_ip: rule(100, 1, 1),
            per_user: rule(100, 1, 1),
            ..quick()
        });
        for _ in 0..2 {
            assert_eq!(retry(&t, "Alice", "10.0.0.1"), None);
            t.failed("Alice", Some("10.0.0.1"));
        }
        t.failed("alice", Some("10.0.0.1"));
        assert_eq!(retry(&t, "ALICE", "10.0.0.1"), Some(1), "usernames match without case");
        let mut waits = Vec::new();
        for _ in 0..4 {
            t.failed("alice", Some("10.0.0.1"));
            waits.push(retry(&t, "alice", "10.0.0.1").unwrap());
        }
        assert_eq!(waits, vec![2, 4, 4, 4], "doubling, capped at max_wait");
        assert_eq!(retry(&t, "alice", "10.0.0.2"), None, "another address is not affected");
        assert_eq!(retry(&t, "bob", "10.0.0.1"), None, "another user is not affected");
    }

    #[test]
    fn failures_elsewhere_never_lock_the_owner_out() {
        let t = Throttle::new(quick());
        for _ in 0..1000 {
            t.failed("superadmin", Some("192.0.2.1"));
        }
        assert!(
            retry(&t, "superAdmin", "192.0.2.1").is_some(),
            "the guessing address waits"
        );
        assert_eq!(
            retry(&t, "superAdmin", "198.51.100.7"),
            None,
            "a clean address does not"
        );
        // A botnet address that has failed once waits for the account under attack.
        t.failed("superadmin", Some("203.0.113.9"));
        assert_eq!(retry(&t, "superAdmin", "203.0.113.9"), Some(60));
    }

    #[test]
    fn a_shared_address_keeps_letting_its_known_users_in() {
        let t = Throttle::new(quick());
        t.succeeded("cashier", Some("192.0.2.7"));
        for n in 0..30 {
            t.failed(&format!("random{n}"), Some("192.0.2.7"));
        }
        assert!(
            retry(&t, "someone-new", "192.0.2.7").is_some(),
            "guessing names is slowed"
        );
        assert_eq!(
            retry(&t, "cashier", "192.0.2.7"),
            None,
            "a user known at the address is not"
        );
        assert_eq!(retry(&t, "someone-new", "192.0.2.8"), None, "other addresses are not");
    }
}
