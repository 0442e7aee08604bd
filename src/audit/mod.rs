//! The audit trail: who changed what, when and from where, with the changed fields' values
//! before and after. Each row is written by the same transaction as the change it describes,
//! so the trail can never miss a committed change nor describe one that was rolled back.

pub mod routes;
pub mod store;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::auth::CurrentUser;

/// Who acts, and from which address.
#[derive(Clone, Debug, Default)]
pub struct Who {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub ip: Option<String>,
}

impl Who {
    /// The operator at the machine, running a command of the binary.
    pub fn command_line() -> Self {
        Who {
            user_id: None,
            username: Some("(command line)".into()),
            ip: None,
        }
    }
}

impl From<&CurrentUser> for Who {
    fn from(user: &CurrentUser) -> Self {
        Who {
            user_id: Some(user.id),
            username: Some(user.username.clone()),
            ip: user.ip.clone(),
        }
    }
}

/// One audit row to write.
pub struct Event<'a> {
    /// '<entity>.<verb>', e.g. 'product.update'.
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    /// The values before and after, as JSON text. Serialised straight to text (never through a
    /// `Value`) where a whole entity is recorded: an order's is built on the writer thread.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl<'a> Event<'a> {
    /// An event for a created entity: everything is "after".
    pub fn created(action: &'a str, entity_type: &'a str, id: i64, after: &impl Serialize) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(id),
            before: None,
            after: serde_json::to_string(after).ok(),
        }
    }

    /// An event for a changed entity: only the fields that differ are kept.
    pub fn changed(
        action: &'a str,
        entity_type: &'a str,
        id: i64,
        before: &impl Serialize,
        after: &impl Serialize,
    ) -> Self {
        let (b, a) = diff(before, after);
        Self::changed_fields(action, entity_type, id, &b, &a)
    }

    /// An event for a changed entity whose changed fields the caller has already worked out
    /// (from [`diff`], perhaps with more fields added).
    pub fn changed_fields(action: &'a str, entity_type: &'a str, id: i64, before: &Value, after: &Value) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(id),
            before: Some(before.to_string()),
            after: Some(after.to_string()),
        }
    }

    /// An event for a deleted entity: everything is "before".
    pub fn deleted(action: &'a str, entity_type: &'a str, id: i64, before: &impl Serialize) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(id),
            before: serde_json::to_string(before).ok(),
            after: None,
        }
    }
}

/// The fields whose values differ between two serialisations, as (before, after) objects.
/// Bookkeeping fields that change on every write are left out.
pub fn diff(before: &impl Serialize, after: &impl Serialize) -> (Value, Value) {
    let b = serde_json::to_value(before).unwrap_or(Value::Null);
    let a = serde_json::to_value(after).unwrap_or(Value::Null);
    let (Value::Object(b), Value::Object(a)) = (b, a) else {
        return (Value::Null, Value::Null);
    };
    let mut out_b = Map::new();
    let mut out_a = Map::new();
    for (key, new) in &a {
        if matches!(key.as_str(), "updated_at" | "is_low_stock") {
            continue;
        }
        let old = b.get(key).unwrap_or(&Value::Null);
        if old != new {
            out_b.insert(key.clone(), old.clone());
            out_a.insert(key.clone(), new.clone());
        }
    }
    (Value::Object(out_b), Value::Object(out_a))
}
