-- Goods out and back: where an order goes, what went out in which parcel, and what came back.
--
-- Two CHECK lists grow, which SQLite can only do by rebuilding the table (the documented
-- twelve-step way: db::migrations runs every migration with foreign keys off and checks them
-- afterwards, so dropping the old table cascades nothing):
--   * orders.status gains 'returned' (everything that was shipped came back);
--   * inventory_movements.reason gains 'return' (goods back on the shelf), and 'purchase' and
--     'purchase_return' for receiving from suppliers (issue 20), so the ledger, the largest
--     table, is rebuilt once rather than twice.
--
-- Stock rule (unchanged): stock is taken when the order is taken and given back when it is
-- cancelled; a shipment moves no stock. A return to the shelf adds it back ('return'); goods
-- that come back damaged are booked in and written off at once ('return', then 'damage'), so
-- the ledger shows them and the stock does not change.

CREATE TABLE orders_v15 (
    id                 INTEGER PRIMARY KEY,
    order_number       TEXT    NOT NULL UNIQUE,
    -- The user who created the order (the original system's orders.user_id).
    user_id            INTEGER NOT NULL REFERENCES users (id),
    customer_id        INTEGER REFERENCES customers (id),
    status             TEXT    NOT NULL
        CHECK (status IN ('pending', 'confirmed', 'shipped', 'completed', 'cancelled', 'returned')),
    total_amount_minor INTEGER NOT NULL CHECK (total_amount_minor >= 0),
    note               TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    number_reversed    TEXT,
    paid_minor         INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    refunded_minor     INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
    payment_status     TEXT    NOT NULL DEFAULT 'unpaid'
        CHECK (payment_status IN ('untracked', 'unpaid', 'partially_paid', 'paid', 'overpaid', 'refunded')),
    discount_minor     INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
    round_down         TEXT    NOT NULL DEFAULT 'none' CHECK (round_down IN ('none', 'yuan', 'ten_yuan')),
    rounding_minor     INTEGER NOT NULL DEFAULT 0 CHECK (rounding_minor >= 0 AND rounding_minor < 1000),
    shipping_fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (shipping_fee_minor >= 0),
    prices_include_tax INTEGER NOT NULL DEFAULT 1 CHECK (prices_include_tax IN (0, 1)),
    tax_minor          INTEGER NOT NULL DEFAULT 0 CHECK (tax_minor >= 0),
    invoice_title      TEXT,
    invoice_tax_id     TEXT,
    -- Ship-to (收货人), copied from the customer's chosen address when the order is taken and
    -- editable until it ships. ship_phone_digits is the phone's digits, for search.
    ship_name          TEXT,
    ship_phone         TEXT,
    ship_phone_digits  TEXT,
    ship_province      TEXT,
    ship_city          TEXT,
    ship_district      TEXT,
    ship_street        TEXT,
    ship_postcode      TEXT,
    -- The value of the goods that came back (the sum of order_items.returned_minor); sales
    -- reports subtract it. `check` proves it against the lines.
    returned_minor     INTEGER NOT NULL DEFAULT 0 CHECK (returned_minor >= 0)
);
INSERT INTO orders_v15 (id, order_number, user_id, customer_id, status, total_amount_minor, note, created_at,
                        updated_at, number_reversed, paid_minor, refunded_minor, payment_status, discount_minor,
                        round_down, rounding_minor, shipping_fee_minor, prices_include_tax, tax_minor,
                        invoice_title, invoice_tax_id)
SELECT id, order_number, user_id, customer_id, status, total_amount_minor, note, created_at,
       updated_at, number_reversed, paid_minor, refunded_minor, payment_status, discount_minor,
       round_down, rounding_minor, shipping_fee_minor, prices_include_tax, tax_minor,
       invoice_title, invoice_tax_id
FROM orders;
DROP TABLE orders;
ALTER TABLE orders_v15 RENAME TO orders;
CREATE INDEX orders_created_at ON orders (created_at);
CREATE INDEX orders_status_created_at ON orders (status, created_at);
CREATE INDEX orders_customer_created_at ON orders (customer_id, created_at);
CREATE INDEX orders_user_created_at ON orders (user_id, created_at);
CREATE INDEX orders_created_status_total ON orders (created_at, status, total_amount_minor, customer_id);
CREATE INDEX orders_number_reversed ON orders (number_reversed);
CREATE INDEX orders_payment_status_created_at ON orders (payment_status, created_at);
CREATE INDEX orders_ship_phone_digits ON orders (ship_phone_digits);

-- The kept totals of V5 and V7, unchanged, on the new table; the per-status row grows too.
CREATE TABLE order_status_totals_v15 (
    status             TEXT    PRIMARY KEY
        CHECK (status IN ('pending', 'confirmed', 'shipped', 'completed', 'cancelled', 'returned')),
    order_count        INTEGER NOT NULL,
    total_amount_minor INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO order_status_totals_v15 SELECT status, order_count, total_amount_minor FROM order_status_totals;
INSERT INTO order_status_totals_v15 (status, order_count, total_amount_minor) VALUES ('returned', 0, 0);
DROP TABLE order_status_totals;
ALTER TABLE order_status_totals_v15 RENAME TO order_status_totals;
CREATE TRIGGER order_status_totals_insert AFTER INSERT ON orders BEGIN
    UPDATE order_status_totals
    SET order_count = order_count + 1, total_amount_minor = total_amount_minor + NEW.total_amount_minor
    WHERE status = NEW.status;
END;
CREATE TRIGGER order_status_totals_delete AFTER DELETE ON orders BEGIN
    UPDATE order_status_totals
    SET order_count = order_count - 1, total_amount_minor = total_amount_minor - OLD.total_amount_minor
    WHERE status = OLD.status;
END;
CREATE TRIGGER order_status_totals_update AFTER UPDATE OF status, total_amount_minor ON orders BEGIN
    UPDATE order_status_totals
    SET order_count = order_count - 1, total_amount_minor = total_amount_minor - OLD.total_amount_minor
    WHERE status = OLD.status;
    UPDATE order_status_totals
    SET order_count = order_count + 1, total_amount_minor = total_amount_minor + NEW.total_amount_minor
    WHERE status = NEW.status;
END;
CREATE TRIGGER order_daily_totals_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_daily_totals (day, status, order_count, total_amount_minor)
    VALUES (substr(NEW.created_at, 1, 10), NEW.status, 1, NEW.total_amount_minor)
    ON CONFLICT (day, status) DO UPDATE
    SET order_count = order_count + 1, total_amount_minor = total_amount_minor + excluded.total_amount_minor;
END;
CREATE TRIGGER order_daily_totals_delete AFTER DELETE ON orders BEGIN
    UPDATE order_daily_totals
    SET order_count = order_count - 1, total_amount_minor = total_amount_minor - OLD.total_amount_minor
    WHERE day = substr(OLD.created_at, 1, 10) AND status = OLD.status;
END;
CREATE TRIGGER order_daily_totals_update AFTER UPDATE OF status, total_amount_minor, created_at ON orders BEGIN
    UPDATE order_daily_totals
    SET order_count = order_count - 1, total_amount_minor = total_amount_minor - OLD.total_amount_minor
    WHERE day = substr(OLD.created_at, 1, 10) AND status = OLD.status;
    INSERT INTO order_daily_totals (day, status, order_count, total_amount_minor)
    VALUES (substr(NEW.created_at, 1, 10), NEW.status, 1, NEW.total_amount_minor)
    ON CONFLICT (day, status) DO UPDATE
    SET order_count = order_count + 1, total_amount_minor = total_amount_minor + excluded.total_amount_minor;
END;

-- Orders taken before ship-to existed go to their customer as the customer is now (what their
-- printed 销售单 showed).
UPDATE orders SET ship_name = c.name, ship_phone = c.phone, ship_phone_digits = c.phone_digits, ship_street = c.address
FROM customers c WHERE c.id = orders.customer_id;

CREATE TABLE inventory_movements_v15 (
    id             INTEGER PRIMARY KEY,
    product_id     INTEGER NOT NULL REFERENCES products (id),
    quantity_delta INTEGER NOT NULL CHECK (quantity_delta <> 0),
    balance_after  INTEGER NOT NULL CHECK (balance_after >= 0),
    reason         TEXT    NOT NULL CHECK (reason IN ('initial', 'order', 'cancel', 'correction', 'restock', 'damage',
                                                      'count', 'order_edit', 'return', 'purchase', 'purchase_return')),
    order_id       INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    note           TEXT,
    created_at     TEXT    NOT NULL
);
INSERT INTO inventory_movements_v15 SELECT id, product_id, quantity_delta, balance_after, reason, order_id, user_id,
                                           note, created_at
FROM inventory_movements;
DROP TABLE inventory_movements;
ALTER TABLE inventory_movements_v15 RENAME TO inventory_movements;
CREATE INDEX inventory_movements_product ON inventory_movements (product_id, id);
CREATE INDEX inventory_movements_order ON inventory_movements (order_id);

-- How much of each line went out and came back, kept on the line so the order page and the
-- conditional updates that guard over-shipping read one row. `check` proves both against the
-- shipment and return lines. returned_minor is the value of the returned units (rule in
-- returns::returned_value).
ALTER TABLE order_items ADD COLUMN shipped_quantity INTEGER NOT NULL DEFAULT 0 CHECK (shipped_quantity >= 0);
ALTER TABLE order_items ADD COLUMN returned_quantity INTEGER NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0);
ALTER TABLE order_items ADD COLUMN returned_minor INTEGER NOT NULL DEFAULT 0 CHECK (returned_minor >= 0);

-- A customer's addresses; one may be the default the order form starts from.
CREATE TABLE customer_addresses (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    -- e.g. 公司, 家
    label       TEXT,
    name        TEXT    NOT NULL,
    phone       TEXT,
    province    TEXT,
    city        TEXT,
    district    TEXT,
    street      TEXT    NOT NULL,
    postcode    TEXT,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id);
CREATE UNIQUE INDEX customer_addresses_one_default ON customer_addresses (customer_id) WHERE is_default = 1;
INSERT INTO customer_addresses (customer_id, name, phone, street, is_default, created_at, updated_at)
SELECT id, name, phone, address, 1, created_at, created_at FROM customers WHERE address IS NOT NULL AND address <> '';

-- A parcel: what went out, with which carrier and tracking number (运单号), when and by whom.
CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    -- The carrier as it was named in the settings when shipped.
    carrier         TEXT,
    tracking_number TEXT,
    note            TEXT,
    shipped_at      TEXT    NOT NULL,
    user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Who shipped it, as they were called then.
    shipped_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_shipped_at ON shipments (shipped_at);
CREATE INDEX shipments_tracking_number ON shipments (tracking_number);
CREATE TABLE shipment_lines (
    shipment_id   INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    order_item_id INTEGER NOT NULL REFERENCES order_items (id) ON DELETE CASCADE,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_item_id)
);
CREATE INDEX shipment_lines_item ON shipment_lines (order_item_id);

-- Orders shipped before shipments were recorded went out in one parcel, at the time their
-- history says, with no carrier or tracking number known.
INSERT INTO shipments (order_id, shipped_at, user_id, shipped_by, note, created_at)
SELECT o.id,
       COALESCE((SELECT MIN(h.created_at) FROM order_status_history h WHERE h.order_id = o.id AND h.to_status = 'shipped'),
                o.updated_at),
       (SELECT h.user_id FROM order_status_history h WHERE h.order_id = o.id AND h.to_status = 'shipped'
        ORDER BY h.id LIMIT 1),
       '',
       'shipped before shipments were recorded',
       o.updated_at
FROM orders o WHERE o.status IN ('shipped', 'completed');
INSERT INTO shipment_lines (shipment_id, order_item_id, quantity)
SELECT s.id, i.id, i.quantity FROM shipments s JOIN order_items i ON i.order_id = s.order_id;
UPDATE order_items SET shipped_quantity = quantity
WHERE order_id IN (SELECT id FROM orders WHERE status IN ('shipped', 'completed'));

-- Goods that came back (退货): why, and the refund recorded with them, if any.
CREATE TABLE order_returns (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    reason            TEXT    NOT NULL
        CHECK (reason IN ('damaged', 'wrong_item', 'not_as_described', 'not_needed', 'late', 'other')),
    note              TEXT,
    -- The refund entry in the payments journal given with this return.
    refund_payment_id INTEGER UNIQUE REFERENCES payments (id),
    user_id           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    returned_by       TEXT    NOT NULL,
    created_at        TEXT    NOT NULL
);
CREATE INDEX order_returns_order ON order_returns (order_id);
CREATE INDEX order_returns_created_at ON order_returns (created_at);
CREATE TABLE return_lines (
    return_id     INTEGER NOT NULL REFERENCES order_returns (id) ON DELETE CASCADE,
    order_item_id INTEGER NOT NULL REFERENCES order_items (id) ON DELETE CASCADE,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    -- Back on the shelf (1) or written off as damaged (0).
    restock       INTEGER NOT NULL CHECK (restock IN (0, 1)),
    -- The value of these units (returns::returned_value).
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    PRIMARY KEY (return_id, order_item_id)
);
CREATE INDEX return_lines_item ON return_lines (order_item_id);
