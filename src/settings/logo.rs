//! The shop's logo: one small image kept in the database, shown on printed documents.

use rusqlite::params;

use crate::db::{Conn, OptionalExtension};
use crate::error::{AppError, AppResult};

/// Big enough for a sharp logo on an A4 page, small enough to send with every print.
pub const MAX_BYTES: usize = 512 * 1024;

/// The image types a browser prints, told by their first bytes rather than by the name or the
/// Content-Type a client claims.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Checks an upload: its size and that it is one of the image types above.
pub fn validate(bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::PayloadTooLarge { limit: MAX_BYTES });
    }
    if bytes.is_empty() {
        return Err(AppError::validation("logo", "the file is empty"));
    }
    sniff(bytes).ok_or_else(|| AppError::validation("logo", "the logo must be a PNG, JPEG or WebP image"))
}

pub fn save(conn: &Conn, content_type: &str, bytes: &[u8], now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO shop_logo (id, content_type, bytes, updated_at) VALUES (1, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
           updated_at = excluded.updated_at",
    )?
    .execute(params![content_type, bytes, now])?;
    Ok(())
}

/// Removes the logo; false when there was none.
pub fn delete(conn: &Conn) -> AppResult<bool> {
    Ok(conn.prepare_cached("DELETE FROM shop_logo WHERE id = 1")?.execute([])? > 0)
}

/// (content type, bytes, updated_at).
pub fn get(conn: &Conn) -> AppResult<Option<(String, Vec<u8>, String)>> {
    Ok(conn
        .prepare_cached("SELECT content_type, bytes, updated_at FROM shop_logo WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// When the logo last changed, for the settings (the UI asks for `?v=` this, so a browser
/// never prints an old logo from its cache).
pub fn updated_at(conn: &Conn) -> AppResult<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT updated_at FROM shop_logo WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None, "no SVG: it can carry script");
        assert_eq!(sniff(b"GIF89a"), None);
        assert!(validate(&vec![0xFF; MAX_BYTES + 1]).is_err());
        assert!(validate(b"").is_err());
    }
}
