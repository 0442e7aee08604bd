//! Turning a broken constraint into the error a client can act on, in one place for every
//! store (realworld-axum-sqlx's `on_constraint`).
//!
//! A store names the constraint it expects to be broken and the error that means; any other
//! failure passes through unchanged (and becomes a 500 or a 503 in `error.rs`).

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
pub fn broke(err: &rusqlite::Error, kind: Kind, target: &str) -> bool {
    match err {
        rusqlite::Error::SqliteFailure(e, message) if e.extended_code == kind.code() => {
            kind == Kind::ForeignKey || message.as_deref().is_some_and(|m| m.contains(target))
        }
        _ => false,
    }
}

/// `map_err` for a statement that may break one constraint: that breach becomes `then()`, any
/// other error is converted as usual.
pub fn on_constraint(
    kind: Kind,
    target: &'static str,
    then: impl FnOnce() -> AppError,
) -> impl FnOnce(rusqlite::Error) -> AppError {
    move |err| {
        if broke(&err, kind, target) { then() } else { err.into() }
    }
}

/// [`on_constraint`] for a UNIQUE index on `target`.
pub fn on_unique(target: &'static str, then: impl FnOnce() -> AppError) -> impl FnOnce(rusqlite::Error) -> AppError {
    on_constraint(Kind::Unique, target, then)
}
