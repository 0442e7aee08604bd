-- Money received for an order and given back: an append-only journal. Entries are never
-- edited or deleted; a mistake is reversed by a 'void' entry naming the entry it cancels
-- (at most one void per entry: voids_id is UNIQUE).
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    -- No ON DELETE: an order that has money on it cannot be deleted (the clean-up skips them).
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('payment', 'refund', 'void')),
    -- Always positive: the kind says which way the money went. A void carries the amount of
    -- the entry it reverses.
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    -- One of the shop's payment methods (a setting), as it was named when recorded.
    method       TEXT    NOT NULL,
    -- When the money changed hands (may be earlier than created_at, e.g. a transfer noticed later).
    paid_at      TEXT    NOT NULL,
    -- The transaction number of the WeChat Pay, Alipay, bank or card payment.
    reference    TEXT,
    note         TEXT,
    -- Why money went back, or why an entry was voided.
    reason       TEXT,
    voids_id     INTEGER UNIQUE REFERENCES payments (id),
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Who recorded it, as they were called then: the record outlives the login.
    recorded_by  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    CHECK ((kind = 'void') = (voids_id IS NOT NULL)),
    CHECK (kind = 'payment' OR reason IS NOT NULL)
);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_paid_at ON payments (paid_at);

-- What the journal says, kept on the order so lists can filter and sort by it: paid_minor is
-- received less refunded (voided entries excluded); payment_status follows the rule in
-- payments::store::STATUS_RULE. `check` proves both against the journal.
ALTER TABLE orders ADD COLUMN paid_minor INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0);
ALTER TABLE orders ADD COLUMN refunded_minor INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
ALTER TABLE orders ADD COLUMN payment_status TEXT NOT NULL DEFAULT 'unpaid'
    CHECK (payment_status IN ('untracked', 'unpaid', 'partially_paid', 'paid', 'overpaid', 'refunded'));
-- Orders taken before payments were recorded: nobody knows whether they were paid, and a shop
-- upgrading must not see its whole history as money owed. They stay 'untracked' (not
-- receivable) until a payment is recorded on one.
UPDATE orders SET payment_status = 'untracked';
CREATE INDEX orders_payment_status_created_at ON orders (payment_status, created_at);
