//! The SQL of customers.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::AppResult;

/// The customer record linked to a login, if any.
pub fn id_for_user(conn: &Connection, user_id: i64) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM customers WHERE user_id = ?")?
        .query_row([user_id], |r| r.get(0))
        .optional()?)
}

/// The customer record of a login, created from the user's name on first need.
pub fn ensure_for_user(conn: &Connection, user_id: i64, now: &str) -> AppResult<i64> {
    if let Some(id) = id_for_user(conn, user_id)? {
        return Ok(id);
    }
    conn.prepare_cached(
        "INSERT INTO customers (name, email, user_id, created_at, updated_at)
         SELECT COALESCE(full_name, username), email, id, ?2, ?2 FROM users WHERE id = ?1",
    )?
    .execute(params![user_id, now])?;
    Ok(conn.last_insert_rowid())
}

/// True if the customer exists and is not archived.
pub fn is_active(conn: &Connection, id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM customers WHERE id = ? AND is_archived = 0")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}
