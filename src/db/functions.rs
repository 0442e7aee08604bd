//! SQL functions of our own, registered on every connection.
//!
//! `exact_sum(x)`: SUM of integers without overflow. SQLite's SUM fails with "integer
//! overflow" past i64 (a report then answered 500) and TOTAL is a float; this one adds in
//! i128 and answers an INTEGER, or decimal TEXT when the sum no longer fits 64 bits, which
//! [`crate::money::Total`] reads either way. PostgreSQL's SUM(bigint) is already exact
//! (numeric), so the same store code can use `SUM(x)` there.

use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, Error};

struct ExactSum;

impl Aggregate<i128, ToSqlOutput<'static>> for ExactSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<i128> {
        Ok(0)
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut i128) -> rusqlite::Result<()> {
        match ctx.get_raw(0) {
            ValueRef::Integer(i) => *sum += i128::from(i),
            ValueRef::Null => {}
            _ => return Err(Error::UserFunctionError("exact_sum takes integers only".into())),
        }
        Ok(())
    }

    fn finalize(&self, _: &mut Context<'_>, sum: Option<i128>) -> rusqlite::Result<ToSqlOutput<'static>> {
        // Like SUM: no rows give NULL (callers COALESCE where they want 0).
        Ok(ToSqlOutput::Owned(match sum {
            None => Value::Null,
            Some(sum) => match i64::try_from(sum) {
                Ok(fits) => Value::Integer(fits),
                Err(_) => Value::Text(sum.to_string()),
            },
        }))
    }
}

pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_aggregate_function("exact_sum", 1, flags, ExactSum)
}

#[cfg(test)]
mod tests {
    use super::register;

    #[test]
    fn sums_past_64_bits_exactly() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let sum: String = conn
            .query_row(
                "SELECT CAST(exact_sum(x) AS TEXT) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 9223372036854775807 UNION ALL SELECT 2)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(sum, "18446744073709551616");
        let small: i64 = conn
            .query_row(
                "SELECT exact_sum(x) FROM (SELECT 5 AS x UNION ALL SELECT -7)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(small, -2);
        let none: Option<i64> = conn
            .query_row("SELECT exact_sum(x) FROM (SELECT 1 AS x) WHERE x > 1", [], |r| r.get(0))
            .unwrap();
        assert_eq!(none, None);
        // SQLite's own SUM fails here: the reason this function exists.
        assert!(
            conn.query_row(
                "SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)",
                [],
                |r| r.get::<_, i64>(0)
            )
            .is_err()
        );
    }
}
