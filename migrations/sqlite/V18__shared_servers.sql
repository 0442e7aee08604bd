-- What several servers on one database share (PostgreSQL, issue 21). The folders keep the same
-- versions and tables (tests/api/postgres_schema.rs), so SQLite gets the tables too, unused:
-- there one server sees every sign-in and keeps the login throttle's counts in its memory, and
-- changes made by another process (a command) reach its caches through PRAGMA data_version
-- (src/db/watcher.rs) rather than the PostgreSQL folder's NOTIFY triggers.

-- The login throttle's counts (src/auth/throttle.rs): per (kind, key), kind being 'pair'
-- (username TAB address), 'ip' or 'user'. Times are wall-clock milliseconds.
CREATE TABLE login_throttle (
    kind             TEXT NOT NULL,
    key              TEXT NOT NULL,
    failures         INTEGER NOT NULL,
    last_failure_ms  INTEGER NOT NULL,
    blocked_until_ms INTEGER,
    PRIMARY KEY (kind, key)
);

-- (username, address) pairs that signed in: the address's own wait does not apply to them.
CREATE TABLE login_known_good (
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    PRIMARY KEY (username, ip)
);

-- A running import's server writes the time here every few seconds (on PostgreSQL, where
-- several servers run imports): a server starting up fails only the unfinished jobs whose
-- server has stopped saying so, not another's running one. On SQLite every unfinished job at
-- start was the stopped server's.
ALTER TABLE import_jobs ADD COLUMN heartbeat_at TEXT;
