//! The SQL of the audit trail.

use rusqlite::params;
use rusqlite::types::Value as SqlValue;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Event, Who};
use crate::db::{Conditions, Conn, params_from_iter};
use crate::error::AppResult;
use crate::http::list::Paging;

pub fn record(conn: &Conn, who: &Who, event: &Event, now: &str) -> AppResult<()> {
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
    /// What people call the entity: an order's number, a product's SKU, a customer's name, a
    /// username. Taken from the row as it is now, or from the entry itself once it is gone.
    pub entity_label: Option<String>,
    #[schema(value_type = Option<std::collections::HashMap<String, serde_json::Value>>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<std::collections::HashMap<String, serde_json::Value>>)]
    pub after: Option<serde_json::Value>,
    /// The top-level fields that differ between before and after, by field name.
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct FieldChange {
    pub field: String,
    /// Any JSON value (absent or null: the field was not there).
    pub from: Option<serde_json::Value>,
    pub to: Option<serde_json::Value>,
}

/// The fields that changed. A creation lists every field it set, a deletion every field it
/// had; bookkeeping fields (`updated_at`, `id`) are left out, since every change moves them.
pub fn changes(before: Option<&serde_json::Value>, after: Option<&serde_json::Value>) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let fields = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_object()).unwrap_or(&empty).clone();
    let (before, after) = (fields(before), fields(after));
    let mut seen = std::collections::HashSet::new();
    before
        .keys()
        .chain(after.keys())
        .filter(|name| seen.insert(name.as_str()) && !matches!(name.as_str(), "updated_at" | "id"))
        .filter(|name| before.get(*name) != after.get(*name))
        .map(|name| FieldChange {
            field: name.clone(),
            from: before.get(name).cloned(),
            to: after.get(name).cloned(),
        })
        .collect()
}

/// The label an entry keeps when its entity is gone: the same fields, read from the JSON.
fn label_from(json: Option<&serde_json::Value>) -> Option<String> {
    let json = json?;
    ["order_number", "sku", "username", "name"]
        .iter()
        .find_map(|k| json.get(*k).and_then(|v| v.as_str()).map(str::to_owned))
}

/// Both engines accept these correlated subqueries; each hits a primary key.
const LABEL_SQL: &str = "CASE a.entity_type
       WHEN 'order' THEN (SELECT order_number FROM orders WHERE id = a.entity_id)
       WHEN 'product' THEN (SELECT sku FROM products WHERE id = a.entity_id)
       WHEN 'customer' THEN (SELECT name FROM customers WHERE id = a.entity_id)
       WHEN 'user' THEN (SELECT username FROM users WHERE id = a.entity_id)
     END";

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
pub fn list(conn: &Conn, f: &AuditFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<AuditEntry>, i64)> {
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
            "SELECT a.id, a.at, a.user_id, a.username, a.action, a.entity_type, a.entity_id, a.ip,
                    a.before_json, a.after_json, {LABEL_SQL}
             FROM audit_log a {where_sql} ORDER BY {order_by} LIMIT ? OFFSET ?"
        ))?
        .query_map(params_from_iter(values.iter()), |r| {
            let (before, after): (Option<serde_json::Value>, Option<serde_json::Value>) =
                (parse(r.get(8)?), parse(r.get(9)?));
            let label: Option<String> = r.get(10)?;
            Ok(AuditEntry {
                entity_label: label.or_else(|| label_from(before.as_ref()).or_else(|| label_from(after.as_ref()))),
                changes: changes(before.as_ref(), after.as_ref()),
                id: r.get(0)?,
                at: r.get(1)?,
                user_id: r.get(2)?,
                username: r.get(3)?,
                action: r.get(4)?,
                entity_type: r.get(5)?,
                entity_id: r.get(6)?,
                ip: r.get(7)?,
                before,
                after,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}
