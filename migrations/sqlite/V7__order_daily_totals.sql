-- Orders per UTC day and status, kept by triggers like order_status_totals (V5): counting a
-- month of one status by reading its index took milliseconds per page of the order list;
-- whole days are now read from here and only the partial days at the range's ends from
-- `orders`. Days are the first ten characters of created_at (UTC, RFC 3339).

CREATE TABLE order_daily_totals (
    day                TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    order_count        INTEGER NOT NULL,
    total_amount_minor INTEGER NOT NULL,
    PRIMARY KEY (day, status)
) WITHOUT ROWID;

INSERT INTO order_daily_totals (day, status, order_count, total_amount_minor)
SELECT substr(created_at, 1, 10), status, COUNT(*), SUM(total_amount_minor)
FROM orders GROUP BY substr(created_at, 1, 10), status;

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
