-- The product and customer lists are sorted newest first by default; without these indexes
-- every page sorted the whole table (a thousand products cost a millisecond a request).
CREATE INDEX products_created_at ON products (created_at);
CREATE INDEX customers_created_at ON customers (created_at);
