-- The shop's logo, printed on its documents. One row at most; the image's bytes as uploaded
-- (PNG, JPEG or WebP, checked by their signature), so printing needs no file beside the
-- database and backups carry it.
CREATE TABLE shop_logo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
