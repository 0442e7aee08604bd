//! Values between the store and PostgreSQL, in rusqlite's terms.
//!
//! The store binds parameters and reads rows with rusqlite's value model (`ToSql`,
//! `ToSqlOutput`, `Value`): its types (money, statuses, roles...) say once how they are stored,
//! for both engines. On PostgreSQL a parameter is written as the type the server inferred for
//! its placeholder, and a column is read back by the type the server reports (the plan in
//! docs/postgresql.md, section 1.2). Two differences are absorbed here:
//!
//! - booleans (`EXISTS (...)`, `a < b`) are integers 0/1, as SQLite gives them;
//! - NUMERIC, which PostgreSQL's `SUM` of a bigint is, reads as an integer when it fits in 64
//!   bits and as its decimal text past that: exactly what SQLite's `exact_sum` answers, so
//!   [`crate::money::Total`] reads both alike.
//!
//! A value that does not fit the placeholder's type (text where a bigint is expected, which
//! SQLite's type affinity would quietly have converted) is an error naming both.

use std::error::Error;

use bytes::{BufMut, BytesMut};
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres_protocol::types as wire;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

type BoxError = Box<dyn Error + Sync + Send>;

/// A store parameter bound on PostgreSQL.
#[derive(Debug)]
pub struct PgParam<'a>(pub ToSqlOutput<'a>);

impl PgParam<'_> {
    fn value(&self) -> ValueRef<'_> {
        match &self.0 {
            ToSqlOutput::Borrowed(v) => *v,
            ToSqlOutput::Owned(v) => v.into(),
            // rusqlite's other outputs (zero blobs, arrays) are not used by the store.
            _ => ValueRef::Null,
        }
    }
}

impl ToSql for PgParam<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let mismatch = |what: &str| -> BoxError { format!("a {what} cannot be bound as {ty}").into() };
        match self.value() {
            ValueRef::Null => return Ok(IsNull::Yes),
            ValueRef::Integer(i) => match *ty {
                Type::INT8 => wire::int8_to_sql(i, out),
                Type::INT4 => wire::int4_to_sql(i32::try_from(i)?, out),
                Type::INT2 => wire::int2_to_sql(i16::try_from(i)?, out),
                Type::BOOL => wire::bool_to_sql(i != 0, out),
                Type::FLOAT8 => wire::float8_to_sql(i as f64, out),
                Type::NUMERIC => numeric_to_sql(i128::from(i), out),
                _ => return Err(mismatch("number")),
            },
            ValueRef::Real(f) => match *ty {
                Type::FLOAT8 => wire::float8_to_sql(f, out),
                Type::FLOAT4 => wire::float4_to_sql(f as f32, out),
                _ => return Err(mismatch("real number")),
            },
            ValueRef::Text(t) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                    wire::text_to_sql(std::str::from_utf8(t)?, out)
                }
                _ => return Err(mismatch("text")),
            },
            ValueRef::Blob(b) => match *ty {
                Type::BYTEA => wire::bytea_to_sql(b, out),
                _ => return Err(mismatch("blob")),
            },
        }
        Ok(IsNull::No)
    }

    /// Any type: [`ToSql::to_sql`] decides by the value and says so when they do not fit.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column's bytes as the server sent them (binary format), for [`value`] to decode.
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Raw(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Column `idx` of a PostgreSQL row as the value SQLite would have given.
pub fn value(row: &postgres::Row, idx: usize) -> Result<Value, BoxError> {
    let ty = row.columns()[idx].type_().clone();
    let Raw(raw) = row.try_get::<_, Raw>(idx)?;
    let Some(raw) = raw else { return Ok(Value::Null) };
    Ok(match ty {
        Type::INT8 => Value::Integer(wire::int8_from_sql(raw)?),
        Type::INT4 => Value::Integer(i64::from(wire::int4_from_sql(raw)?)),
        Type::INT2 => Value::Integer(i64::from(wire::int2_from_sql(raw)?)),
        Type::BOOL => Value::Integer(i64::from(wire::bool_from_sql(raw)?)),
        Type::FLOAT8 => Value::Real(wire::float8_from_sql(raw)?),
        Type::FLOAT4 => Value::Real(f64::from(wire::float4_from_sql(raw)?)),
        Type::NUMERIC => {
            let text = numeric_text(raw)?;
            text.parse::<i64>().map_or(Value::Text(text), Value::Integer)
        }
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => Value::Text(wire::text_from_sql(raw)?.to_owned()),
        Type::BYTEA => Value::Blob(wire::bytea_from_sql(raw).to_vec()),
        other => return Err(format!("column {idx} is {other}, which the store does not read").into()),
    })
}

/// NUMERIC's binary form as decimal text ("-12.50", "18446744073709551614"): digit count,
/// weight (of the first base-10000 digit), sign and display scale, then the digits.
fn numeric_text(raw: &[u8]) -> Result<String, BoxError> {
    let word = |i: usize| -> Result<u16, BoxError> {
        raw.get(i * 2..i * 2 + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a NUMERIC value cut short".into())
    };
    let (count, weight, sign, scale) = (usize::from(word(0)?), word(1)? as i16, word(2)?, usize::from(word(3)?));
    if sign == 0xC000 {
        return Err("NaN is not a number the store reads".into());
    }
    let digits: Vec<u16> = (0..count).map(|i| word(4 + i)).collect::<Result<_, _>>()?;
    // The integer part: base-10000 digits 0..=weight; the fraction: the rest, to `scale`.
    let mut whole = String::new();
    for pos in 0..=i32::from(weight) {
        let d = digits.get(pos as usize).copied().unwrap_or(0);
        if whole.is_empty() {
            if d != 0 {
                whole = d.to_string();
            }
        } else {
            whole.push_str(&format!("{d:04}"));
        }
    }
    if whole.is_empty() {
        whole.push('0');
    }
    let mut fraction = String::new();
    let mut pos = i32::from(weight) + 1;
    while fraction.len() < scale {
        let d = if pos < 0 {
            0
        } else {
            digits.get(pos as usize).copied().unwrap_or(0)
        };
        fraction.push_str(&format!("{d:04}"));
        pos += 1;
    }
    fraction.truncate(scale);
    let negative = sign == 0x4000 && (whole != "0" || fraction.bytes().any(|b| b != b'0'));
    let mut text = String::with_capacity(whole.len() + fraction.len() + 2);
    if negative {
        text.push('-');
    }
    text.push_str(&whole);
    if scale > 0 {
        text.push('.');
        text.push_str(&fraction);
    }
    Ok(text)
}

/// An integer in NUMERIC's binary form.
fn numeric_to_sql(v: i128, out: &mut BytesMut) {
    let mut rest = v.unsigned_abs();
    let mut digits: Vec<u16> = Vec::new();
    while rest > 0 {
        digits.push((rest % 10_000) as u16);
        rest /= 10_000;
    }
    // Trailing zero digits are implied by the weight.
    let zeros = digits.iter().take_while(|d| **d == 0).count();
    let weight = digits.len() as i16 - 1;
    let digits: Vec<u16> = digits[zeros..].iter().rev().copied().collect();
    out.put_u16(digits.len() as u16);
    out.put_i16(if digits.is_empty() { 0 } else { weight });
    out.put_u16(if v < 0 { 0x4000 } else { 0 });
    out.put_u16(0);
    for d in digits {
        out.put_u16(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(count: u16, weight: i16, sign: u16, scale: u16, digits: &[u16]) -> Vec<u8> {
        let mut out = Vec::new();
        for w in [count, weight as u16, sign, scale].iter().chain(digits) {
            out.extend_from_slice(&w.to_be_bytes());
        }
        out
    }

    #[test]
    fn numeric_reads_as_decimal_text() {
        assert_eq!(numeric_text(&numeric(2, 1, 0, 0, &[1234, 5678])).unwrap(), "12345678");
        // 10^8: one digit of weight 2, the zeros implied.
        assert_eq!(numeric_text(&numeric(1, 2, 0, 0, &[1])).unwrap(), "100000000");
        assert_eq!(numeric_text(&numeric(0, 0, 0, 0, &[])).unwrap(), "0");
        assert_eq!(numeric_text(&numeric(2, 0, 0x4000, 2, &[12, 5000])).unwrap(), "-12.50");
        assert_eq!(numeric_text(&numeric(1, -1, 0, 3, &[50])).unwrap(), "0.005");
        // Past 64 bits: 2 × i64::MAX, as PostgreSQL's SUM gives it.
        let big = numeric(5, 4, 0, 0, &[1844, 6744, 737, 955, 1614]);
        assert_eq!(numeric_text(&big).unwrap(), "18446744073709551614");
        assert!(numeric_text(&numeric(0, 0, 0xC000, 0, &[])).is_err());
        assert!(numeric_text(&[0, 2, 0]).is_err(), "cut short");
    }

    #[test]
    fn integers_make_the_numeric_they_read_back_as() {
        for v in [
            0i128,
            7,
            10_000,
            100_000_000,
            -1_234_567,
            i128::from(i64::MAX) * 2,
            -(10_i128.pow(20)),
        ] {
            let mut out = BytesMut::new();
            numeric_to_sql(v, &mut out);
            assert_eq!(numeric_text(&out).unwrap(), v.to_string(), "{v}");
        }
    }
}
