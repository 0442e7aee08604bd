-- Look-alike identifiers are one value: a SKU or a username is matched by a key that folds
-- case, width (NFKC) and invisible characters, and for usernames Unicode's confusables
-- ("аdmin" with a Cyrillic а is "admin"). The keys are computed by the application (SQL has
-- no NFKC): existing rows get theirs when the server or `migrate` next runs, and rows that
-- would clash with an earlier one keep an empty key and are reported by `check` (see
-- src/db/normalize.rs), instead of this migration failing.
ALTER TABLE products ADD COLUMN sku_key TEXT;
CREATE UNIQUE INDEX products_sku_key ON products (sku_key);
ALTER TABLE users ADD COLUMN username_key TEXT;
CREATE UNIQUE INDEX users_username_key ON users (username_key);

-- Bearer tokens ended before their expiry (DELETE /api/auth/session with a bearer token).
-- Rows are dropped once the token would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT    NOT NULL
);
CREATE INDEX revoked_tokens_user ON revoked_tokens (user_id, expires_at);

-- CSV imports as jobs a client can follow (GET /api/imports/jobs/{id}): validated and
-- prepared off the writer, then applied in one transaction that also marks the job done, so
-- the outcome is known however the request that started it ended. One file is imported once:
-- the same bytes again are recognised (unless the earlier attempt failed).
CREATE TABLE import_jobs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('products', 'customers')),
    file_sha256   TEXT    NOT NULL,
    file_name     TEXT,
    dry_run       INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
    status        TEXT    NOT NULL CHECK (status IN ('validating', 'writing', 'done', 'failed')),
    rows_total    INTEGER,
    created       INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    error_code    TEXT,
    error_message TEXT,
    error_details TEXT,
    user_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    username      TEXT,
    created_at    TEXT    NOT NULL,
    finished_at   TEXT
);
CREATE UNIQUE INDEX import_jobs_once ON import_jobs (kind, file_sha256) WHERE dry_run = 0 AND status <> 'failed';
CREATE INDEX import_jobs_created_at ON import_jobs (created_at);
