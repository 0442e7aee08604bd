//! Money as integer minor units (fen for CNY), written in JSON as an exact decimal string.
//!
//! Floats never touch an amount: "19.90" becomes 1990 by parsing digits, and totals are sums of
//! integers. JSON numbers are accepted for convenience (19.9 is read through its shortest
//! decimal form), but answers are always strings.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

/// An amount in minor units. The type itself may be negative (a refund, a delta); callers that
/// need a non-negative amount check it where the rule belongs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, ToSchema)]
#[schema(value_type = String, example = "19.90", pattern = r"^-?\d+(\.\d{1,2})?$")]
pub struct Money(i64);

/// Amounts above this do not parse at all (about 92 trillion yuan): far enough from i64::MAX
/// that a product of two checked values is caught by `checked_mul`.
const MAX_MINOR: i64 = 9_223_372_036_854_775 / 100 * 100;

impl Money {
    pub const ZERO: Money = Money(0);

    /// The highest unit price a product may have: 10,000,000.00 (一千万), beyond anything a
    /// small shop sells by the piece.
    pub const MAX_PRICE: Money = Money(1_000_000_000);

    /// The highest total an order may have: 1,000,000,000.00 (十亿). With it, the per-day and
    /// per-status totals kept in 64-bit columns need 92 million such orders to overflow, and
    /// report sums are exact whatever the count (see [`Total`]).
    pub const MAX_ORDER_TOTAL: Money = Money(100_000_000_000);

    pub const fn from_minor(minor: i64) -> Self {
        Self(minor)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `self * quantity`, or None if it would leave the supported range.
    pub fn times(self, quantity: i64) -> Option<Money> {
        self.0.checked_mul(quantity).filter(|v| v.abs() <= MAX_MINOR).map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).filter(|v| v.abs() <= MAX_MINOR).map(Money)
    }
}

/// A sum of many amounts, in i128 minor units: no sum of the 64-bit amounts a database can
/// hold overflows it. Reports and totals are `Total`s; JSON shows them like [`Money`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, ToSchema)]
#[schema(value_type = String, example = "1234.50", pattern = r"^-?\d+\.\d{2}$")]
pub struct Total(i128);

impl Total {
    pub const ZERO: Total = Total(0);

    pub const fn from_minor(minor: i128) -> Self {
        Self(minor)
    }

    pub const fn minor(self) -> i128 {
        self.0
    }

    /// `self + other`; i128 sums of i64 amounts overflow only after 2^64 of them.
    pub fn plus(self, other: Total) -> Total {
        Total(self.0.saturating_add(other.0))
    }
}

impl From<Money> for Total {
    fn from(m: Money) -> Self {
        Total(i128::from(m.0))
    }
}

impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Total {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Reads a sum from SQL: an INTEGER, or the decimal TEXT that `exact_sum` (db::functions)
/// gives beyond 64 bits (and PostgreSQL's numeric SUM, as text).
impl rusqlite::types::FromSql for Total {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::{FromSqlError, ValueRef};
        match value {
            ValueRef::Integer(i) => Ok(Total(i128::from(i))),
            ValueRef::Null => Ok(Total::ZERO),
            ValueRef::Text(t) => std::str::from_utf8(t)
                .ok()
                .and_then(|t| t.parse().ok())
                .map(Total)
                .ok_or_else(|| FromSqlError::Other("a sum that is not a whole number".into())),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// Why a money string was refused; the message is shown to the user next to the field.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("must be a decimal amount like \"19.90\"")]
    Malformed,
    #[error("must have at most 2 decimal places")]
    TooPrecise,
    #[error("is too large")]
    TooLarge,
}

impl std::str::FromStr for Money {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (unsigned, ""),
        };
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
            return Err(MoneyError::Malformed);
        }
        if unsigned.contains('.') && fraction.is_empty() {
            return Err(MoneyError::Malformed);
        }
        // Trailing zeros beyond the cents ("1.500") carry no precision and are accepted.
        let significant = fraction.trim_end_matches('0');
        if significant.len() > 2 {
            return Err(MoneyError::TooPrecise);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::TooLarge)?;
        let mut cents = 0i64;
        for (i, b) in fraction.bytes().take(2).enumerate() {
            cents += i64::from(b - b'0') * if i == 0 { 10 } else { 1 };
        }
        let minor = whole
            .checked_mul(100)
            .and_then(|v| v.checked_add(cents))
            .filter(|v| *v <= MAX_MINOR)
            .ok_or(MoneyError::TooLarge)?;
        Ok(Money(if negative { -minor } else { minor }))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MoneyVisitor;

        impl Visitor<'_> for MoneyVisitor {
            type Value = Money;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal amount like \"19.90\"")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                v.trim().parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                self.visit_str(&v.to_string())
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                self.visit_str(&v.to_string())
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                if !v.is_finite() {
                    return Err(E::custom(MoneyError::Malformed));
                }
                // Display of f64 is the shortest text that reads back as the same float.
                self.visit_str(&v.to_string())
            }
        }

        deserializer.deserialize_any(MoneyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<i64, MoneyError> {
        s.parse::<Money>().map(Money::minor)
    }

    #[test]
    fn parses_exact_decimals() {
        assert_eq!(parse("19.90"), Ok(1990));
        assert_eq!(parse("19.9"), Ok(1990));
        assert_eq!(parse("0"), Ok(0));
        assert_eq!(parse("0.01"), Ok(1));
        assert_eq!(parse("-3.5"), Ok(-350));
        assert_eq!(parse("1.500"), Ok(150));
    }

    #[test]
    fn refuses_bad_text() {
        assert_eq!(parse("1.234"), Err(MoneyError::TooPrecise));
        for bad in ["", ".5", "1.", "abc", "1e3", "+1", "1,00", " 1", "--1", "1.2.3"] {
            assert_eq!(parse(bad), Err(MoneyError::Malformed), "{bad:?}");
        }
        assert_eq!(parse("99999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Money::from_minor(1990).to_string(), "19.90");
        assert_eq!(Money::from_minor(-5).to_string(), "-0.05");
        assert_eq!(Money::from_minor(0).to_string(), "0.00");
    }

    #[test]
    fn json_numbers_are_read_exactly() {
        let m: Money = serde_json::from_str("19.9").unwrap();
        assert_eq!(m.minor(), 1990);
        let m: Money = serde_json::from_str("0.1").unwrap();
        assert_eq!(m.minor(), 10);
        assert!(serde_json::from_str::<Money>("0.001").is_err());
    }
}
