-- order-system schema, version 1.
--
-- Conventions (see README "Where the data lives"):
--   * money columns end in _minor and hold integer minor units (fen for CNY): 19.90 is 1990;
--   * times are UTC RFC 3339 text with milliseconds ('2026-11-28T05:04:13.123Z'), so they sort as text;
--   * stock never goes negative (CHECK), and every change of stock has a row in inventory_movements.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    email                TEXT,
    full_name            TEXT,
    role                 TEXT    NOT NULL CHECK (role IN ('superadmin', 'admin', 'staff', 'customer')),
    password_hash        TEXT    NOT NULL,
    is_active            INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    -- Bumped on every password change; tokens carry it, so older tokens stop working.
    token_version        INTEGER NOT NULL DEFAULT 0,
    last_login_at        TEXT,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
);
CREATE INDEX users_created_at ON users (created_at);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    phone       TEXT,
    email       TEXT,
    address     TEXT,
    note        TEXT,
    -- The customer's own login, when they have one (a user with role 'customer').
    user_id     INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    is_archived INTEGER NOT NULL DEFAULT 0 CHECK (is_archived IN (0, 1)),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX customers_name ON customers (name);

CREATE TABLE products (
    id                  INTEGER PRIMARY KEY,
    sku                 TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    description         TEXT,
    price_minor         INTEGER NOT NULL CHECK (price_minor >= 0),
    stock_quantity      INTEGER NOT NULL CHECK (stock_quantity >= 0),
    -- NULL means "use the default threshold" (10, as the original system's low-stock query).
    low_stock_threshold INTEGER CHECK (low_stock_threshold IS NULL OR low_stock_threshold >= 0),
    status              TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX products_status_name ON products (status, name);
CREATE INDEX products_stock ON products (stock_quantity);

CREATE TABLE orders (
    id                 INTEGER PRIMARY KEY,
    order_number       TEXT    NOT NULL UNIQUE,
    -- The user who created the order (the original system's orders.user_id).
    user_id            INTEGER NOT NULL REFERENCES users (id),
    customer_id        INTEGER REFERENCES customers (id),
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'confirmed', 'shipped', 'completed', 'cancelled')),
    total_amount_minor INTEGER NOT NULL CHECK (total_amount_minor >= 0),
    note               TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX orders_created_at ON orders (created_at);
CREATE INDEX orders_status_created_at ON orders (status, created_at);
CREATE INDEX orders_customer_created_at ON orders (customer_id, created_at);
CREATE INDEX orders_user_created_at ON orders (user_id, created_at);

CREATE TABLE order_items (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       INTEGER NOT NULL REFERENCES products (id),
    -- Name and SKU as they were when the order was taken.
    product_name     TEXT    NOT NULL,
    sku              TEXT    NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
    line_total_minor INTEGER NOT NULL CHECK (line_total_minor >= 0)
);
CREATE INDEX order_items_order ON order_items (order_id);
CREATE INDEX order_items_product ON order_items (product_id);

CREATE TABLE order_status_history (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX order_status_history_order ON order_status_history (order_id);

-- The stock ledger: stock_quantity of a product always equals the sum of its quantity_delta.
CREATE TABLE inventory_movements (
    id             INTEGER PRIMARY KEY,
    product_id     INTEGER NOT NULL REFERENCES products (id),
    quantity_delta INTEGER NOT NULL CHECK (quantity_delta <> 0),
    balance_after  INTEGER NOT NULL CHECK (balance_after >= 0),
    reason         TEXT    NOT NULL CHECK (reason IN ('initial', 'order', 'cancel', 'correction', 'restock', 'damage', 'count', 'order_edit')),
    order_id       INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    note           TEXT,
    created_at     TEXT    NOT NULL
);
CREATE INDEX inventory_movements_product ON inventory_movements (product_id, id);
CREATE INDEX inventory_movements_order ON inventory_movements (order_id);

-- Per-day sequence behind human-readable order numbers (SO-20261128-0007).
CREATE TABLE order_number_counters (
    day  TEXT    PRIMARY KEY,
    last INTEGER NOT NULL
) WITHOUT ROWID;
