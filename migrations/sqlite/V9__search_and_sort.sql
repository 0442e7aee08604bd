-- Lists that sort and search the way a shop expects. Filled by the application (SQL has no
-- pinyin and no reverse()): new rows when written, older ones after migrating (see
-- src/maintenance/derived.rs).
--   name_sort: pinyin (then tones) of Chinese names, lower case, so 张三 sorts among the Z's.
--   phone_digits: a phone's national digits, so "+86 139-0011-2233" is found by "13900112233".
--   number_reversed: the order number backwards, so its last digits ("0002") are an index
--   prefix rather than a scan of every order.
ALTER TABLE products ADD COLUMN name_sort TEXT;
CREATE INDEX products_name_sort ON products (name_sort);
ALTER TABLE customers ADD COLUMN name_sort TEXT;
ALTER TABLE customers ADD COLUMN phone_digits TEXT;
CREATE INDEX customers_name_sort ON customers (name_sort);
ALTER TABLE orders ADD COLUMN number_reversed TEXT;
CREATE INDEX orders_number_reversed ON orders (number_reversed);

-- A customer record made for a customer login the first time it ordered, before anyone linked
-- the login to the shop's record of that customer. Linking the login later folds it (its
-- orders move, it goes) instead of leaving two records of one person.
ALTER TABLE customers ADD COLUMN made_for_login INTEGER NOT NULL DEFAULT 0 CHECK (made_for_login IN (0, 1));
