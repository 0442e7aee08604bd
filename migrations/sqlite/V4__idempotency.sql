-- order-system schema, version 4: idempotency keys for order creation.
--
-- A client that retries POST /api/orders with the same Idempotency-Key gets the order the
-- first attempt created, never a second order or a second stock decrement.

CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          TEXT    NOT NULL,
    -- SHA-256 of the request body: the same key with another body is refused.
    request_hash TEXT    NOT NULL,
    order_id     INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
