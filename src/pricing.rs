//! The money rules of an order line: a price override, a percentage off, and tax.
//!
//! Everything is integer minor units (fen) and hundredths of a percent; the only rounding is
//! **half-up, once per line**, and the order sums the rounded lines:
//!
//! 1. `line_total = half_up(unit_price × quantity × (100% − discount))`;
//! 2. with prices that include tax (the usual case in China), the line's tax is the part of
//!    its total that is tax: `tax = half_up(line_total × rate / (100% + rate))`, and the total
//!    does not change;
//! 3. with prices that exclude tax, `tax = half_up(line_total × rate)`, added to the order;
//! 4. the order's tax is the sum of its lines' taxes. An amount off the whole order, 抹零 and
//!    the shipping fee carry no tax of their own (they come after, see `orders::adjustments`);
//! 5. goods that come back are worth their share of the line: `r` of its `q` units are worth
//!    `half_up(line_total × r / q)`, and one return is worth that for all units returned after
//!    it less that for those returned before, so a line's returns add up to exactly its total.
//!    An order-wide discount, 抹零 and shipping are not shared out (a refund says what money
//!    actually went back).
//!
//! A 10% discount on 3 × 9.99 is `half_up(2997 × 0.9) = half_up(2697.3) = 26.97`; 13% tax
//! included in 26.97 is `half_up(2697 × 13 / 113) = half_up(310.27) = 3.10`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

use crate::money::Money;

/// A percentage with two decimals ("13", "12.5", "0.75"), kept in hundredths of a percent
/// (basis points) so that no float is ever involved. 0 to 100.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, ToSchema)]
#[schema(value_type = String, example = "13", pattern = r"^\d+(\.\d{1,2})?$")]
pub struct Percent(i64);

/// 100%, in basis points.
const WHOLE: i64 = 10_000;

impl Percent {
    pub const ZERO: Percent = Percent(0);

    pub const fn from_bp(bp: i64) -> Self {
        Percent(bp)
    }

    /// Hundredths of a percent: 13% is 1300.
    pub const fn bp(self) -> i64 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Parses "13", "12.5" or "0.75" (the same grammar as an amount of money), 0 to 100.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let bp: Money = text
            .trim()
            .parse()
            .map_err(|_| "must be a percentage like \"13\" or \"12.5\", with at most 2 decimals")?;
        if bp.is_negative() || bp.minor() > WHOLE {
            return Err("must be between 0 and 100");
        }
        Ok(Percent(bp.minor()))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        match hundredths {
            0 => write!(f, "{whole}"),
            h if h % 10 == 0 => write!(f, "{whole}.{}", h / 10),
            h => write!(f, "{whole}.{h:02}"),
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Read as money first: it takes "12.5" and 12.5 alike and refuses a third decimal.
        let as_money = Money::deserialize(deserializer)?;
        Percent::parse(&as_money.to_string()).map_err(serde::de::Error::custom)
    }
}

impl rusqlite::types::FromSql for Percent {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_i64().map(Percent)
    }
}

/// `n / d` rounded half-up, for `n >= 0`, `d > 0`.
fn half_up(n: i128, d: i128) -> i128 {
    (2 * n + d) / (2 * d)
}

/// What one line comes to: rule 1. `None` when it is beyond what money can hold.
pub fn line_total(unit_price: Money, quantity: i64, discount: Percent) -> Option<Money> {
    let gross = i128::from(unit_price.minor()) * i128::from(quantity);
    let net = half_up(gross * i128::from(WHOLE - discount.0), i128::from(WHOLE));
    i64::try_from(net)
        .ok()
        .map(Money::from_minor)
        .filter(|m| m.times(1).is_some())
}

/// The tax in a line: rules 2 and 3.
pub fn line_tax(line_total: Money, rate: Percent, prices_include_tax: bool) -> Money {
    let (total, rate) = (i128::from(line_total.minor()), i128::from(rate.0));
    let base = if prices_include_tax {
        i128::from(WHOLE) + rate
    } else {
        i128::from(WHOLE)
    };
    // At most line_total × 100%, so it fits whenever the line does.
    Money::from_minor(half_up(total * rate, base) as i64)
}

/// The value of `returned` of a line's `quantity` units: rule 5.
pub fn returned_value(line_total: Money, quantity: i64, returned: i64) -> Money {
    if quantity <= 0 {
        return Money::ZERO;
    }
    let share = half_up(
        i128::from(line_total.minor()) * i128::from(returned.clamp(0, quantity)),
        i128::from(quantity),
    );
    // At most line_total, so it fits.
    Money::from_minor(share as i64)
}

/// What one return of `units` is worth, when `before` units of the line came back earlier.
pub fn return_value(line_total: Money, quantity: i64, before: i64, units: i64) -> Money {
    let after = returned_value(line_total, quantity, before + units);
    Money::from_minor(after.minor() - returned_value(line_total, quantity, before).minor())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_share_the_line_and_add_up_to_it() {
        // 10.00 for 3 units: 3.33, then 3.34 (6.67 − 3.33), then 3.33 (10.00 − 6.67).
        let total = m("10.00");
        assert_eq!(return_value(total, 3, 0, 1), m("3.33"));
        assert_eq!(return_value(total, 3, 1, 1), m("3.34"));
        assert_eq!(return_value(total, 3, 2, 1), m("3.33"));
        assert_eq!(returned_value(total, 3, 3), total);
    }

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn p(s: &str) -> Percent {
        Percent::parse(s).unwrap()
    }

    #[test]
    fn the_doc_examples_hold() {
        assert_eq!(line_total(m("9.99"), 3, p("10")), Some(m("26.97")));
        assert_eq!(line_tax(m("26.97"), p("13"), true), m("3.10"));
        assert_eq!(line_tax(m("26.97"), p("13"), false), m("3.51"));
    }

    #[test]
    fn halves_round_up() {
        // 0.05 × 50% = 0.025 → 0.03; 0.03 × 50% = 0.015 → 0.02.
        assert_eq!(line_total(m("0.05"), 1, p("50")), Some(m("0.03")));
        assert_eq!(line_total(m("0.03"), 1, p("50")), Some(m("0.02")));
        // 0.01 at 6% excluded is 0.0006 → 0.00; 0.09 at 6% is 0.0054 → 0.01.
        assert_eq!(line_tax(m("0.01"), p("6"), false), m("0.00"));
        assert_eq!(line_tax(m("0.09"), p("6"), false), m("0.01"));
    }

    #[test]
    fn no_discount_and_no_tax_change_nothing() {
        assert_eq!(line_total(m("19.90"), 7, Percent::ZERO), Some(m("139.30")));
        assert_eq!(line_tax(m("139.30"), Percent::ZERO, true), Money::ZERO);
        assert_eq!(line_total(m("19.90"), 7, p("100")), Some(Money::ZERO));
    }

    #[test]
    fn percentages_parse_and_print_with_two_decimals_at_most() {
        assert_eq!(p("13").bp(), 1300);
        assert_eq!(p("12.5").bp(), 1250);
        assert_eq!(p("0.75").bp(), 75);
        assert_eq!(p("13").to_string(), "13");
        assert_eq!(p("12.5").to_string(), "12.5");
        assert_eq!(p("0.75").to_string(), "0.75");
        for bad in ["-1", "100.01", "12.345", "abc", ""] {
            assert!(Percent::parse(bad).is_err(), "{bad}");
        }
        let from_number: Percent = serde_json::from_str("12.5").unwrap();
        assert_eq!(from_number, p("12.5"));
        assert!(serde_json::from_str::<Percent>("\"101\"").is_err());
    }
}
