-- order-system schema, version 3: browser sessions.
--
-- The web UI signs in with an HttpOnly cookie instead of a bearer token, so that page scripts
-- never see a credential. The cookie holds a random value; only its SHA-256 is stored here,
-- so a copy of the database does not give anyone a session.

CREATE TABLE sessions (
    id            TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The user's token_version when the session began: a password change ends the session.
    token_version INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    revoked_at    TEXT,
    ip            TEXT,
    user_agent    TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
