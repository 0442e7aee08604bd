//! A WHERE clause holding only the filters in use, with their values in order.
//!
//! Why not `(?1 IS NULL OR col = ?1)` for every optional filter: SQLite must then evaluate
//! each filter on every row, so an unfiltered COUNT(*) reads the whole table instead of
//! counting an index, and a filter cannot pick the index that fits it.

use rusqlite::types::Value;

#[derive(Default)]
pub struct Conditions {
    parts: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// Adds a condition with one `?` per value.
    pub fn add(&mut self, condition: impl Into<String>, values: impl IntoIterator<Item = Value>) {
        self.parts.push(condition.into());
        self.values.extend(values);
    }

    /// `WHERE a AND b`, or nothing.
    pub fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.parts.join(" AND "))
        }
    }

    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The values followed by more (LIMIT and OFFSET).
    pub fn values_and(&self, more: impl IntoIterator<Item = Value>) -> Vec<Value> {
        self.values.iter().cloned().chain(more).collect()
    }
}
