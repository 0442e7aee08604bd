-- Orders brought over from the old system whose recorded total differs from the sum of their
-- lines. Their money is kept as it was recorded (a shop must see such orders, not have them
-- silently "fixed"), and `check` accepts exactly these differences: while an order's total
-- and lines are still what was imported, it is listed here rather than as a mismatch.
CREATE TABLE imported_total_differences (
    order_id             INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    recorded_total_minor INTEGER NOT NULL,
    lines_total_minor    INTEGER NOT NULL
);
