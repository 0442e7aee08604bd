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
