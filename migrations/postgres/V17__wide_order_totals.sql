-- The order totals that triggers keep are sums of bigints, and a sum can pass 64 bits: on
-- PostgreSQL that failed the order's own INSERT ("bigint out of range"). NUMERIC holds any sum;
-- the store reads it as an integer while it fits and as decimal text past that, as it reads
-- SQLite's exact_sum. The trigger functions need no change: bigint + numeric is numeric.
ALTER TABLE order_status_totals ALTER COLUMN total_amount_minor TYPE NUMERIC;
ALTER TABLE order_daily_totals ALTER COLUMN total_amount_minor TYPE NUMERIC;
