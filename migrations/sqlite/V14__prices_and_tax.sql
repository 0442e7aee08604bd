-- Customer price levels (会员价), a line's own price and percentage off, tax, and the
-- customer's invoice details. The rules are in src/pricing.rs.

-- A level gives its customers a percentage off every product, or a price of its own for a
-- product (which wins over the percentage).
CREATE TABLE price_levels (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    -- Hundredths of a percent: 500 is 5% off.
    discount_bp INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE TABLE price_level_prices (
    level_id    INTEGER NOT NULL REFERENCES price_levels (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
    PRIMARY KEY (level_id, product_id)
);
CREATE INDEX price_level_prices_product ON price_level_prices (product_id);

ALTER TABLE customers ADD COLUMN price_level_id INTEGER REFERENCES price_levels (id) ON DELETE SET NULL;
-- 发票抬头 and 税号: what the customer's invoices are made out to.
ALTER TABLE customers ADD COLUMN invoice_title TEXT;
ALTER TABLE customers ADD COLUMN invoice_tax_id TEXT;

-- A product's tax rate where it differs from the shop's default (NULL: the default).
ALTER TABLE products ADD COLUMN tax_rate_bp INTEGER CHECK (tax_rate_bp BETWEEN 0 AND 10000);

-- A line keeps the product's regular price when it was ordered (list_price_minor; NULL, as on
-- lines taken before this migration, means the price charged), the price charged
-- (unit_price_minor), its percentage off, its tax rate and the tax in it.
--   line_total_minor = half_up(unit_price_minor * quantity * (10000 - discount_bp) / 10000)
ALTER TABLE order_items ADD COLUMN list_price_minor INTEGER CHECK (list_price_minor >= 0);
ALTER TABLE order_items ADD COLUMN discount_bp INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000);
ALTER TABLE order_items ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000);
ALTER TABLE order_items ADD COLUMN tax_minor INTEGER NOT NULL DEFAULT 0 CHECK (tax_minor >= 0);

-- An order keeps whether its prices included tax, and the tax in it (the sum of its lines'):
--   total = lines + (tax unless prices_include_tax) - discount - rounding + shipping_fee
ALTER TABLE orders ADD COLUMN prices_include_tax INTEGER NOT NULL DEFAULT 1 CHECK (prices_include_tax IN (0, 1));
ALTER TABLE orders ADD COLUMN tax_minor INTEGER NOT NULL DEFAULT 0 CHECK (tax_minor >= 0);
ALTER TABLE orders ADD COLUMN invoice_title TEXT;
ALTER TABLE orders ADD COLUMN invoice_tax_id TEXT;
