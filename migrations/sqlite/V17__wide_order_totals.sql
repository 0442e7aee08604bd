-- Nothing to change on SQLite: the PostgreSQL folder's V17 widens the order totals to NUMERIC
-- so a sum past 64 bits cannot fail an order there; SQLite's INTEGER column already takes such
-- a sum (as REAL) without failing. The folders keep the same versions (tests/api/postgres_schema.rs).
SELECT 1;
