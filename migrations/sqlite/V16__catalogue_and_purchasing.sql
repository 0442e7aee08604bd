-- Catalogue and purchasing (issue 20): categories, units, barcodes, cost prices and photos of
-- products; suppliers, purchase orders, what arrived from them and what went back; the cost
-- of each sold line, for margins.
--
-- Every existing product stays valid: its new columns are NULL, and a NULL cost price means
-- "unknown", never zero (margin reports count such lines apart). Barcodes are new, so no
-- existing rows can clash; like SKUs (V8), they are matched by a key that folds case and
-- width, computed by the application.

-- A shallow tree (粮油 > 食用油): a category's parent is a top-level category. Sibling names
-- are unique whatever their case or width (name_key, computed by the application).
CREATE TABLE categories (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES categories (id),
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL,
    name_sort  TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE UNIQUE INDEX categories_sibling_name ON categories (COALESCE(parent_id, 0), name_key);
CREATE INDEX categories_parent ON categories (parent_id);

ALTER TABLE products ADD COLUMN category_id INTEGER REFERENCES categories (id);
-- One of the shop's units (settings), e.g. 件, 箱, kg; NULL for none given.
ALTER TABLE products ADD COLUMN unit TEXT;
ALTER TABLE products ADD COLUMN barcode TEXT;
ALTER TABLE products ADD COLUMN barcode_key TEXT;
-- What one unit costs the shop (a moving weighted average once goods are received); NULL is
-- unknown.
ALTER TABLE products ADD COLUMN cost_minor INTEGER CHECK (cost_minor >= 0);
-- The first letters of the name's pinyin ("jly" for 金龙鱼), for search; filled like name_sort.
ALTER TABLE products ADD COLUMN name_initials TEXT;
-- The photo's SHA-256 (a strong ETag and a cache-busting URL); NULL without a photo.
ALTER TABLE products ADD COLUMN photo_sha256 TEXT;
CREATE UNIQUE INDEX products_barcode_key ON products (barcode_key);
CREATE INDEX products_category ON products (category_id);

-- A product's photo, in the database so that every backup holds it. The type is what the
-- bytes are (sniffed), never what the client said.
CREATE TABLE product_photos (
    product_id   INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    content_type TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes        BLOB    NOT NULL,
    updated_at   TEXT    NOT NULL
);

-- The product's cost price when the line was sold (NULL: unknown then).
ALTER TABLE order_items ADD COLUMN cost_minor INTEGER CHECK (cost_minor >= 0);

-- Who the shop buys from. Archived rather than deleted once a purchase order names them.
CREATE TABLE suppliers (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL UNIQUE,
    name_sort  TEXT    NOT NULL,
    contact    TEXT,
    phone      TEXT,
    address    TEXT,
    note       TEXT,
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
CREATE INDEX suppliers_name_sort ON suppliers (name_sort);

-- 采购单. Its number (CG-00042) is its id: no counter to race for.
CREATE TABLE purchase_orders (
    id          INTEGER PRIMARY KEY,
    supplier_id INTEGER NOT NULL REFERENCES suppliers (id),
    status      TEXT    NOT NULL
        CHECK (status IN ('draft', 'ordered', 'partially_received', 'received', 'cancelled')),
    note        TEXT,
    -- The lines' quantities at their costs (lines without a cost count as zero).
    total_minor INTEGER NOT NULL DEFAULT 0 CHECK (total_minor >= 0),
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    ordered_at  TEXT
);
CREATE INDEX purchase_orders_status ON purchase_orders (status, id);
CREATE INDEX purchase_orders_supplier ON purchase_orders (supplier_id, id);

-- One product per purchase order. The CHECKs back up what `check` proves from the receipts:
-- never more received than ordered, never more sent back than received.
CREATE TABLE purchase_order_lines (
    id                INTEGER PRIMARY KEY,
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL REFERENCES products (id),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    -- NULL: not known yet (a draft made from reorder suggestions); required to order.
    unit_cost_minor   INTEGER CHECK (unit_cost_minor >= 0),
    received_quantity INTEGER NOT NULL DEFAULT 0 CHECK (received_quantity >= 0 AND received_quantity <= quantity),
    returned_quantity INTEGER NOT NULL DEFAULT 0
        CHECK (returned_quantity >= 0 AND returned_quantity <= received_quantity)
);
CREATE UNIQUE INDEX purchase_order_lines_product ON purchase_order_lines (purchase_order_id, product_id);
CREATE INDEX purchase_order_lines_by_product ON purchase_order_lines (product_id);

-- Goods in (采购入库, kind 'receipt') or back to the supplier (退货给供应商, kind 'return'),
-- each with its lines; the stock moved through the ledger, rows that name the purchase order.
CREATE TABLE purchase_receipts (
    id                INTEGER PRIMARY KEY,
    purchase_order_id INTEGER NOT NULL REFERENCES purchase_orders (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('receipt', 'return')),
    note              TEXT,
    user_id           INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Who, as they were called then.
    created_by        TEXT    NOT NULL,
    created_at        TEXT    NOT NULL
);
CREATE INDEX purchase_receipts_order ON purchase_receipts (purchase_order_id);
CREATE TABLE purchase_receipt_lines (
    receipt_id INTEGER NOT NULL REFERENCES purchase_receipts (id),
    line_id    INTEGER NOT NULL REFERENCES purchase_order_lines (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (receipt_id, line_id)
);
CREATE INDEX purchase_receipt_lines_line ON purchase_receipt_lines (line_id);

ALTER TABLE inventory_movements ADD COLUMN purchase_order_id INTEGER REFERENCES purchase_orders (id);
CREATE INDEX inventory_movements_purchase_order ON inventory_movements (purchase_order_id);
