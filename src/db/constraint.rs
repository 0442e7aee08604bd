//! Turning a broken constraint into the error a client can act on, in one place for every
//! store (realworld-axum-sqlx's `on_constraint`).
//!
//! A store names the constraint it expects to be broken and the error that means; any other
//! failure passes through unchanged (and becomes a 500 or a 503 in `error.rs`).

use super::Error;
use crate::error::AppError;

/// Which kind of constraint a statement broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A UNIQUE index or PRIMARY KEY.
    Unique,
    /// A FOREIGN KEY (a row others still refer to, or a reference to nothing).
    ForeignKey,
}

impl Kind {
    fn code(self) -> std::ffi::c_int {
        match self {
            Kind::Unique => rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE,
            Kind::ForeignKey => rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY,
        }
    }
}

/// True if `err` broke a constraint of this kind on `target`, a "table.column" such as
/// "products.sku_key" (SQLite names the columns in its message; a foreign key has no name
/// there, so `target` is not checked for one).
pub fn broke(err: &Error, kind: Kind, target: &str) -> bool {
    match err {
        Error::Sqlite(rusqlite::Error::SqliteFailure(e, message)) if e.extended_code == kind.code() => {
            kind == Kind::ForeignKey || message.as_deref().is_some_and(|m| m.contains(target))
        }
        Error::Postgres(e) => e.as_db_error().is_some_and(|db| {
            let code = match kind {
                Kind::Unique => &postgres::error::SqlState::UNIQUE_VIOLATION,
                Kind::ForeignKey => &postgres::error::SqlState::FOREIGN_KEY_VIOLATION,
            };
            db.code() == code && (kind == Kind::ForeignKey || sqlite_words(db).contains(target))
        }),
        _ => false,
    }
}

/// What SQLite would have named for a PostgreSQL unique violation: "table.column, ..." from
/// the detail ("Key (sku_key)=(..) already exists."), then the constraint's (the index's) name,
/// so the same `target` matches on both engines.
fn sqlite_words(db: &postgres::error::DbError) -> String {
    let table = db.table().unwrap_or_default();
    let columns = db
        .detail()
        .and_then(|d| d.strip_prefix("Key ("))
        .and_then(|d| d.split_once(")=").map(|(c, _)| c))
        .unwrap_or_default();
    let named: Vec<String> = columns.split(", ").map(|c| format!("{table}.{c}")).collect();
    format!("{} index '{}'", named.join(", "), db.constraint().unwrap_or_default())
}

/// `map_err` for a statement that may break one constraint: that breach becomes `then()`, any
/// other error is converted as usual.
pub fn on_constraint(
    kind: Kind,
    target: &'static str,
    then: impl FnOnce() -> AppError,
) -> impl FnOnce(Error) -> AppError {
    move |err| {
        if broke(&err, kind, target) { then() } else { err.into() }
    }
}

/// [`on_constraint`] for a UNIQUE index on `target`.
pub fn on_unique(target: &'static str, then: impl FnOnce() -> AppError) -> impl FnOnce(Error) -> AppError {
    on_constraint(Kind::Unique, target, then)
}
