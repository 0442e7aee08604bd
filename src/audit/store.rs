//! The SQL of the audit trail.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params, params_from_iter};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Event, Who};
use crate::db::Conditions;
use crate::error::AppResult;
use crate::http::list::Paging;

pub fn record(conn: &Connection, who: &Who, event: &Event, now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, user_id, username, action, entity_type, entity_id, ip, before_json, after_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        now,
        who.user_id,
        who.username,
        event.action,
        event.entity_type,
        event.entity_id,
        who.ip,
        event.before,
        event.after,
    ])?;
    Ok(())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub ip: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The orders `sort` may ask of the trail: by time, which is the order of ids.
pub const SORTS: &[(&str, &str)] = &[("at", "id"), ("id", "id")];

/// A page of the trail in `order_by` (from [`SORTS`]; newest first by default).
pub fn list(conn: &Connection, f: &AuditFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<AuditEntry>, i64)> {
    let mut w = Conditions::default();
    let mut add = |cond: &'static str, value: SqlValue| w.add(cond, [value]);
    if let Some(t) = &f.entity_type {
        add("entity_type = ?", SqlValue::Text(t.clone()));
    }
    if let Some(id) = f.entity_id {
        add("entity_id = ?", SqlValue::Integer(id));
    }
    if let Some(id) = f.user_id {
        add("user_id = ?", SqlValue::Integer(id));
    }
    if let Some(a) = &f.action {
        add("action = ?", SqlValue::Text(a.clone()));
    }
    if let Some(from) = &f.from {
        add("at >= ?", SqlValue::Text(from.clone()));
    }
    if let Some(to) = &f.to {
        add("at < ?", SqlValue::Text(to.clone()));
    }
    if let Some(p) = paging.like_pattern() {
        add("(username LIKE ? ESCAPE '\\')", SqlValue::Text(p));
    }
    let where_sql = w.sql();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM audit_log {where_sql}"))?
        .query_row(params_from_iter(w.values()), |r| r.get(0))?;
    let values = w.values_and([SqlValue::Integer(paging.limit()), SqlValue::Integer(paging.offset())]);
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let items = conn
        .prepare_cached(&format!(
            "SELECT id, at, user_id, username, action, entity_type, entity_id, ip, before_json, after_json
             FROM audit_log {where_sql} ORDER BY {order_by} LIMIT ? OFFSET ?"
        ))?
        .query_map(params_from_iter(values.iter()), |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                user_id: r.get(2)?,
                username: r.get(3)?,
                action: r.get(4)?,
                entity_type: r.get(5)?,
                entity_id: r.get(6)?,
                ip: r.get(7)?,
                before: parse(r.get(8)?),
                after: parse(r.get(9)?),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}
