-- What an order's total is made of beyond its lines: an amount off (a discount), 抹零 (the
-- total rounded down to the yuan or to ten yuan; rounding_minor is what that took off, kept
-- so an edit of the lines rounds again) and a shipping fee.
--   total_amount_minor = lines - discount_minor - rounding_minor + shipping_fee_minor
-- `order-system check` proves it for every order.
ALTER TABLE orders ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0);
ALTER TABLE orders ADD COLUMN round_down TEXT NOT NULL DEFAULT 'none'
    CHECK (round_down IN ('none', 'yuan', 'ten_yuan'));
ALTER TABLE orders ADD COLUMN rounding_minor INTEGER NOT NULL DEFAULT 0
    CHECK (rounding_minor >= 0 AND rounding_minor < 1000);
ALTER TABLE orders ADD COLUMN shipping_fee_minor INTEGER NOT NULL DEFAULT 0 CHECK (shipping_fee_minor >= 0);
