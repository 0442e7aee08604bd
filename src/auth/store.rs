//! The SQL of browser sessions.

use rusqlite::params;

use crate::db::{Conn, OptionalExtension};
use crate::error::AppResult;
use crate::users::types::Role;

pub struct NewSession<'a> {
    pub id: &'a str,
    pub user_id: i64,
    pub token_version: i64,
    pub now: &'a str,
    pub expires_at: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

pub fn insert(conn: &Conn, s: &NewSession) -> AppResult<()> {
    // Expired sessions of this user are dropped on the way, so the table never grows unbounded.
    conn.prepare_cached("DELETE FROM sessions WHERE user_id = ? AND (expires_at < ? OR revoked_at IS NOT NULL)")?
        .execute(params![s.user_id, s.now])?;
    conn.prepare_cached(
        "INSERT INTO sessions (id, user_id, token_version, created_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![s.id, s.user_id, s.token_version, s.now, s.expires_at, s.ip, s.user_agent])?;
    Ok(())
}

/// A live session's user: the session is neither revoked nor expired, the user is active and
/// has not changed password since it began.
pub struct SessionUser {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub must_change_password: bool,
}

pub fn live(conn: &Conn, id: &str, now: &str) -> AppResult<Option<SessionUser>> {
    let row = conn
        .prepare_cached(
            "SELECT u.id, u.username, u.role, u.must_change_password
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.is_active = 1
               AND u.token_version = s.token_version",
        )?
        .query_row(params![id, now], |r| {
            Ok(SessionUser {
                user_id: r.get(0)?,
                username: r.get(1)?,
                role: r.get(2)?,
                must_change_password: r.get(3)?,
            })
        })
        .optional()?;
    Ok(row)
}

/// Revokes one bearer token until it would have expired; the user's expired revocations are
/// dropped on the way, so the table stays small.
pub fn revoke_token(conn: &Conn, jti: &str, user_id: i64, expires_at: &str, now: &str) -> AppResult<()> {
    conn.prepare_cached("DELETE FROM revoked_tokens WHERE user_id = ? AND expires_at <= ?")?
        .execute(params![user_id, now])?;
    conn.prepare_cached(
        "INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING",
    )?
    .execute(params![jti, user_id, expires_at])?;
    Ok(())
}

pub fn revoke(conn: &Conn, id: &str, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")?
        .execute(params![now, id])?;
    Ok(())
}
