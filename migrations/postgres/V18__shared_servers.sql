-- What several servers on one database share (issue 21).

-- The login throttle's counts (src/auth/throttle.rs), so that a guesser spreading attempts over
-- the servers meets one count: per (kind, key), kind being 'pair' (username TAB address), 'ip'
-- or 'user'. Times are wall-clock milliseconds.
CREATE TABLE login_throttle (
    kind             TEXT COLLATE "C" NOT NULL,
    key              TEXT COLLATE "C" NOT NULL,
    failures         BIGINT NOT NULL,
    last_failure_ms  BIGINT NOT NULL,
    blocked_until_ms BIGINT,
    PRIMARY KEY (kind, key)
);

-- (username, address) pairs that signed in: the address's own wait does not apply to them.
CREATE TABLE login_known_good (
    username TEXT COLLATE "C" NOT NULL,
    ip       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (username, ip)
);

-- A running import's server writes the time here every few seconds: a server starting up fails
-- only the unfinished jobs whose server has stopped saying so, not another server's running one.
ALTER TABLE import_jobs ADD COLUMN heartbeat_at TEXT COLLATE "C";

-- Each server keeps caches of what these tables hold (token checks,
-- product pages, settings). A change made through any connection (another server, a command,
-- psql) tells every server which table changed, on commit: NOTIFY is transactional, so a
-- rolled-back change says nothing, and one transaction's repeats arrive once. Each server
-- LISTENs on the channel (src/db/postgres/listener.rs) and also polls the WAL position, in case
-- a pooler in transaction mode drops notifications.
CREATE FUNCTION order_system_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('order_system_changes', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION order_system_changed();
CREATE TRIGGER revoked_tokens_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON revoked_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION order_system_changed();
CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
    FOR EACH STATEMENT EXECUTE FUNCTION order_system_changed();
CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION order_system_changed();
