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
//!
//! On SQLite one server sees every attempt, and the counts live in its memory ([`Memory`]):
//! failures then cost the single writer nothing. On PostgreSQL several servers share one
//! database, and a guesser spreading attempts over them must meet one count: the counts live in
//! the database's `login_throttle` and `login_known_good` tables ([`shared`]), with the same
//! rules. There a failure is counted by one upsert per key (no read before the write), and a
//! throttled attempt costs two indexed reads.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::Db;
use crate::error::{AppError, AppResult};

mod shared;

/// How many failures are free before waits begin, and how the wait grows.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub free: u32,
    pub first_wait: Duration,
    pub max_wait: Duration,
}

impl Rule {
    /// How long the `failures`th failure in a row makes the key wait, if at all.
    fn wait_after(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.free + 1)?;
        Some(self.first_wait.saturating_mul(1 << over.min(20)).min(self.max_wait))
    }
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

/// What a count is kept for; [`Key::columns`] names it in the database.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum Key {
    Pair(String, String),
    Ip(String),
    User(String),
}

impl Key {
    /// The three keys of an attempt, with their rules.
    fn all(limits: &Limits, name: &str, ip: &str) -> [(Key, Rule); 3] {
        [
            (Key::Pair(name.to_owned(), ip.to_owned()), limits.per_pair),
            (Key::Ip(ip.to_owned()), limits.per_ip),
            (Key::User(name.to_owned()), limits.per_user),
        ]
    }

    /// (kind, key) as the database keeps them.
    fn columns(&self) -> (&'static str, String) {
        match self {
            // An address has no tab, so a pair splits at its last tab: no two pairs share a key.
            Key::Pair(name, ip) => ("pair", format!("{name}\t{ip}")),
            Key::Ip(ip) => ("ip", ip.clone()),
            Key::User(name) => ("user", name.clone()),
        }
    }
}

/// A count, with times in milliseconds on one clock (the process's in memory, the wall clock
/// in the database, which every server shares).
#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last_failure: u64,
    blocked_until: Option<u64>,
}

/// Until when an attempt must wait, from its three counts: the rules of the module's comment.
fn blocked_until(
    limits: &Limits,
    now: u64,
    (pair, ip, user): (Option<Entry>, Option<Entry>, Option<Entry>),
    known_good: bool,
) -> Option<u64> {
    let waiting = |e: Option<Entry>| e.and_then(|e| e.blocked_until).filter(|until| *until > now);
    let forget = millis(limits.forget_after);
    let mut until = waiting(pair);
    if !known_good {
        until = until.max(waiting(ip));
    }
    if ip.is_some_and(|e| now.saturating_sub(e.last_failure) < forget) {
        until = until.max(waiting(user));
    }
    until
}

fn too_many(now: u64, until: Option<u64>) -> AppResult<()> {
    match until {
        None => Ok(()),
        Some(until) => {
            let wait = until - now;
            Err(AppError::TooManyRequests {
                message: "too many failed sign-ins; wait before trying again".into(),
                // Rounded up: a client that waits exactly this long is let in.
                retry_after_secs: wait.div_ceil(1000),
            })
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Requests without a known address (the command line) share one.
fn address(ip: Option<&str>) -> String {
    ip.unwrap_or("-").to_owned()
}

/// The counts and where they are kept.
pub struct Throttle {
    limits: Limits,
    store: Store,
}

enum Store {
    Memory(Box<Memory>),
    Database(Db),
}

impl Throttle {
    /// Counts in this process's memory (one server on SQLite).
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            store: Store::Memory(Box::new(Memory::new(limits))),
        }
    }

    /// Counts in the database, shared by every server on it (PostgreSQL).
    pub fn shared(limits: Limits, db: Db) -> Self {
        Self {
            limits,
            store: Store::Database(db),
        }
    }

    /// Refuses an attempt that must wait, with how long.
    pub async fn check(&self, username: &str, ip: Option<&str>) -> AppResult<()> {
        match &self.store {
            Store::Memory(m) => m.check(username, ip),
            Store::Database(db) => shared::check(db, self.limits, username, ip).await,
        }
    }

    /// Counts a failed attempt against its pair, its address and its username.
    pub async fn failed(&self, username: &str, ip: Option<&str>) -> AppResult<()> {
        match &self.store {
            Store::Memory(m) => {
                m.failed(username, ip);
                Ok(())
            }
            Store::Database(db) => shared::failed(db, self.limits, username, ip).await,
        }
    }

    /// A correct password clears the pair's count and remembers the pair, so that its address's
    /// wait no longer applies to it. The address and username keep their counts: one valid
    /// account must not reset the limits on guessing others.
    pub async fn succeeded(&self, username: &str, ip: Option<&str>) -> AppResult<()> {
        match &self.store {
            Store::Memory(m) => {
                m.succeeded(username, ip);
                Ok(())
            }
            Store::Database(db) => shared::succeeded(db, username, ip).await,
        }
    }
}

#[derive(Default)]
struct State {
    entries: HashMap<Key, Entry>,
    /// (username, address) pairs that signed in: the address's own wait does not apply to them.
    known_good: HashSet<(String, String)>,
}

/// The counts of one server, in its memory.
pub struct Memory {
    limits: Limits,
    started: Instant,
    state: Mutex<State>,
}

impl Memory {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            started: Instant::now(),
            state: Mutex::new(State::default()),
        }
    }

    fn now(&self) -> u64 {
        millis(self.started.elapsed())
    }

    pub fn check(&self, username: &str, ip: Option<&str>) -> AppResult<()> {
        let now = self.now();
        let Ok(state) = self.state.lock() else {
            return Ok(());
        };
        let (name, ip) = (username.to_lowercase(), address(ip));
        let [pair, by_ip, by_user] = Key::all(&self.limits, &name, &ip).map(|(k, _)| state.entries.get(&k).copied());
        let known_good = state.known_good.contains(&(name, ip));
        too_many(
            now,
            blocked_until(&self.limits, now, (pair, by_ip, by_user), known_good),
        )
    }

    pub fn failed(&self, username: &str, ip: Option<&str>) {
        let now = self.now();
        let Ok(mut state) = self.state.lock() else { return };
        let forget = millis(self.limits.forget_after);
        if state.entries.len() >= MAX_KEYS {
            state
                .entries
                .retain(|_, e| e.blocked_until.is_some_and(|u| u > now) || now - e.last_failure < forget);
        }
        let (name, ip) = (username.to_lowercase(), address(ip));
        for (key, rule) in Key::all(&self.limits, &name, &ip) {
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
            if let Some(wait) = rule.wait_after(entry.failures) {
                entry.blocked_until = Some(now + millis(wait));
            }
        }
    }

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

    fn retry(t: &Memory, user: &str, ip: &str) -> Option<u64> {
        match t.check(user, Some(ip)) {
            Ok(()) => None,
            Err(AppError::TooManyRequests { retry_after_secs, .. }) => Some(retry_after_secs),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_address_guessing_one_account_waits_longer_each_time() {
        let t = Memory::new(Limits {
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
        let t = Memory::new(quick());
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
        let t = Memory::new(quick());
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
