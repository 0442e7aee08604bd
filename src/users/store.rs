//! The SQL of users. Nothing outside this file knows the users table's columns.

use rusqlite::params;

use super::types::{Role, User, Username};
use crate::db::constraint::{Kind, on_constraint, on_unique};
use crate::db::{Conn, OptionalExtension, Row, not_found_as};
use crate::error::{AppError, AppResult};
use crate::http::list::Paging;

const COLUMNS: &str = "id, username, email, full_name, role, is_active, must_change_password, \
                       last_login_at, created_at, updated_at, \
                       (SELECT c.id FROM customers c WHERE c.user_id = users.id) AS customer_id";

fn user_from_row(row: &Row) -> crate::db::Result<User> {
    Ok(User {
        id: row.get(0)?,
        username: row.get(1)?,
        email: row.get(2)?,
        full_name: row.get(3)?,
        role: row.get(4)?,
        is_active: row.get(5)?,
        must_change_password: row.get(6)?,
        last_login_at: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        customer_id: row.get(10)?,
    })
}

/// What each authenticated request needs to know about its user.
#[derive(Clone, Debug)]
pub struct AuthRow {
    pub username: String,
    pub role: Role,
    pub is_active: bool,
    pub must_change_password: bool,
    pub token_version: i64,
    /// Ids of this user's bearer tokens that were signed out before they expired.
    pub revoked_tokens: Vec<String>,
}

pub fn auth_row(conn: &Conn, id: i64, now: &str) -> AppResult<Option<AuthRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT username, role, is_active, must_change_password, token_version FROM users WHERE id = ?",
    )?;
    let row = stmt
        .query_row([id], |r| {
            Ok(AuthRow {
                username: r.get(0)?,
                role: r.get(1)?,
                is_active: r.get(2)?,
                must_change_password: r.get(3)?,
                token_version: r.get(4)?,
                revoked_tokens: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut row) = row else { return Ok(None) };
    row.revoked_tokens = conn
        .prepare_cached("SELECT jti FROM revoked_tokens WHERE user_id = ? AND expires_at > ?")?
        .query_map(params![id, now], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(Some(row))
}

/// The stored credentials behind a username (case-insensitive).
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub is_active: bool,
    pub token_version: i64,
}

pub fn credentials_by_username(conn: &Conn, username: &str) -> AppResult<Option<Credentials>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, password_hash, is_active, token_version FROM users WHERE username = ?")?;
    let row = stmt
        .query_row([username], |r| {
            Ok(Credentials {
                id: r.get(0)?,
                password_hash: r.get(1)?,
                is_active: r.get(2)?,
                token_version: r.get(3)?,
            })
        })
        .optional()?;
    Ok(row)
}

pub fn credentials_by_id(conn: &Conn, id: i64) -> AppResult<Credentials> {
    let mut stmt = conn.prepare_cached("SELECT id, password_hash, is_active, token_version FROM users WHERE id = ?")?;
    stmt.query_row([id], |r| {
        Ok(Credentials {
            id: r.get(0)?,
            password_hash: r.get(1)?,
            is_active: r.get(2)?,
            token_version: r.get(3)?,
        })
    })
    .map_err(not_found_as("user"))
}

pub fn get(conn: &Conn, id: i64) -> AppResult<User> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?"))?;
    stmt.query_row([id], user_from_row).map_err(not_found_as("user"))
}

pub fn find_superadmin(conn: &Conn) -> AppResult<Option<User>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users WHERE role = 'superadmin' ORDER BY id LIMIT 1"
    ))?;
    Ok(stmt.query_row([], user_from_row).optional()?)
}

pub struct NewUserRow<'a> {
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub full_name: Option<&'a str>,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub now: &'a str,
}

pub fn insert(conn: &Conn, u: &NewUserRow) -> AppResult<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO users (username, username_key, email, full_name, role, password_hash, must_change_password, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?;
    stmt.execute(params![
        u.username,
        Username::key(u.username),
        u.email,
        u.full_name,
        u.role.as_str(),
        u.password_hash,
        u.must_change_password,
        u.now,
        u.now
    ])
    .map_err(on_unique("users.username", || username_taken(u.username)))?;
    Ok(conn.last_insert_rowid()?)
}

fn username_taken(username: &str) -> AppError {
    AppError::conflict(
        "username_taken",
        format!("the username {username} is already taken"),
        serde_json::json!({ "field": "username" }),
    )
}

/// Writes back the editable fields of a user.
pub fn update(conn: &Conn, user: &User, now: &str) -> AppResult<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE users SET email = ?, full_name = ?, role = ?, is_active = ?, updated_at = ? WHERE id = ?",
    )?;
    stmt.execute(params![
        user.email,
        user.full_name,
        user.role.as_str(),
        user.is_active,
        now,
        user.id
    ])?;
    Ok(())
}

/// Bumps the token version: every token and session issued so far stops working, and stays
/// stopped whatever happens to the account later (disabling, then enabling it again).
pub fn end_sessions(conn: &Conn, id: i64) -> AppResult<()> {
    conn.prepare_cached("UPDATE users SET token_version = token_version + 1 WHERE id = ?")?
        .execute([id])?;
    Ok(())
}

/// Sets a new password hash and bumps the token version, ending every older token.
pub fn set_password(conn: &Conn, id: i64, hash: &str, must_change: bool, now: &str) -> AppResult<i64> {
    let mut stmt = conn.prepare_cached(
        "UPDATE users SET password_hash = ?, must_change_password = ?, token_version = token_version + 1, updated_at = ?
         WHERE id = ? RETURNING token_version",
    )?;
    stmt.query_row(params![hash, must_change, now, id], |r| r.get(0))
        .map_err(not_found_as("user"))
}

pub fn record_login(conn: &Conn, id: i64, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE users SET last_login_at = ? WHERE id = ?")?
        .execute(params![now, id])?;
    Ok(())
}

pub fn delete(conn: &Conn, id: i64) -> AppResult<()> {
    let deleted = conn
        .prepare_cached("DELETE FROM users WHERE id = ?")?
        .execute([id])
        .map_err(on_constraint(Kind::ForeignKey, "users", || {
            AppError::conflict(
                "user_in_use",
                "this user has created orders; disable the account instead of deleting it",
                serde_json::json!({}),
            )
        }))?;
    if deleted == 0 {
        return Err(AppError::not_found("user"));
    }
    Ok(())
}

pub struct UserFilter {
    pub role: Option<Role>,
    pub is_active: Option<bool>,
}

pub fn list(conn: &Conn, filter: &UserFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<User>, i64)> {
    // Each optional filter says its type when it is absent (CAST): PostgreSQL cannot tell the
    // type of a parameter only ever compared with NULL.
    let where_sql = "WHERE (CAST(?1 AS TEXT) IS NULL OR username LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\' OR full_name LIKE ?1 ESCAPE '\\')
                       AND (CAST(?2 AS TEXT) IS NULL OR role = ?2) AND (CAST(?3 AS BIGINT) IS NULL OR is_active = ?3)";
    let pattern = paging.like_pattern();
    let role = filter.role.map(Role::as_str);
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM users {where_sql}"))?
        .query_row(params![pattern, role, filter.is_active], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM users {where_sql} ORDER BY {order_by} LIMIT ?4 OFFSET ?5"
    ))?;
    let items = stmt
        .query_map(
            params![pattern, role, filter.is_active, paging.limit(), paging.offset()],
            user_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

pub fn count(conn: &Conn) -> AppResult<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM users")?
        .query_row([], |r| r.get(0))?)
}
