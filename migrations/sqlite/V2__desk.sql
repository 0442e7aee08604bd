-- order-system schema, version 2: business settings and the audit trail.

-- Business settings, one row per key; the service keeps a validated copy in memory.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Who changed what, when, from where. Written in the same transaction as the change itself.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Kept even after the user is deleted; for a failed sign-in, the name that was tried.
    username    TEXT,
    -- '<entity>.<verb>', e.g. 'order.status', 'auth.login_failed'.
    action      TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   INTEGER,
    ip          TEXT,
    -- The changed fields only, as JSON objects: before_json {"status":"pending"}, after_json {"status":"confirmed"}.
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
CREATE INDEX audit_log_action ON audit_log (action, at);

CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_email ON customers (email);
-- Sales reports read these columns for a date range without touching the table.
CREATE INDEX orders_created_status_total ON orders (created_at, status, total_amount_minor, customer_id);
