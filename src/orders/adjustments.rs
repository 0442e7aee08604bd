//! What an order's total is made of beyond its lines: an amount off, 抹零 and a shipping fee.
//!
//! The rule, in integer minor units (fen), with no other rounding anywhere:
//!
//! 1. `lines` is the sum of the line totals (each line: unit price × quantity, exact);
//! 2. `before = lines - discount + shipping_fee`; a discount larger than that is refused;
//! 3. 抹零 rounds `before` **down** to a whole yuan (100 fen) or ten yuan (1,000 fen): the
//!    remainder is `rounding`, so 267.20 becomes 267.00 (yuan) or 260.00 (ten yuan);
//! 4. `total = before - rounding`, never negative, never above the largest order total.
//!
//! An edit of a pending order's lines applies the same discount, fee and 抹零 mode again, so
//! the rounding always matches the lines it was taken from.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::money::Money;

/// How 抹零 rounds an order's total down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundDown {
    /// Not rounded.
    #[default]
    None,
    /// Down to a whole yuan (抹零到元).
    Yuan,
    /// Down to ten yuan (抹零到十元).
    TenYuan,
}

impl RoundDown {
    /// The step, in minor units.
    fn step(self) -> i64 {
        match self {
            RoundDown::None => 1,
            RoundDown::Yuan => 100,
            RoundDown::TenYuan => 1_000,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RoundDown::None => "none",
            RoundDown::Yuan => "yuan",
            RoundDown::TenYuan => "ten_yuan",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [RoundDown::None, RoundDown::Yuan, RoundDown::TenYuan]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

impl rusqlite::types::FromSql for RoundDown {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = value.as_str()?;
        RoundDown::parse(text)
            .ok_or_else(|| rusqlite::types::FromSqlError::Other(format!("unknown round_down {text}").into()))
    }
}

/// What the shop asked for: an amount off, 抹零 and a shipping fee.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Adjustments {
    pub discount: Money,
    pub round_down: RoundDown,
    pub shipping_fee: Money,
}

impl Adjustments {
    /// Whether anything changes the total beyond the lines.
    pub fn any(&self) -> bool {
        *self != Adjustments::default()
    }

    /// Checks amounts given in a request: not negative, a fee no larger than a price may be.
    pub fn validated(self) -> AppResult<Self> {
        if self.discount.is_negative() {
            return Err(AppError::validation("discount", "cannot be negative"));
        }
        if self.shipping_fee.is_negative() {
            return Err(AppError::validation("shipping_fee", "cannot be negative"));
        }
        if self.shipping_fee > Money::MAX_PRICE {
            return Err(AppError::validation(
                "shipping_fee",
                format!("may be at most {}", Money::MAX_PRICE),
            ));
        }
        Ok(self)
    }
}

/// An order's total from its lines and adjustments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Totals {
    /// What 抹零 took off.
    pub rounding: Money,
    pub total: Money,
}

/// Applies the rule in the module's doc.
pub fn totals(lines: Money, a: &Adjustments) -> AppResult<Totals> {
    let before = lines.minor() - a.discount.minor() + a.shipping_fee.minor();
    if before < 0 {
        let most = Money::from_minor(lines.minor() + a.shipping_fee.minor());
        return Err(AppError::validation(
            "discount",
            format!("{} is more than the order comes to ({most})", a.discount),
        ));
    }
    let rounding = before % a.round_down.step();
    let total = Money::from_minor(before - rounding);
    if total > Money::MAX_ORDER_TOTAL {
        return Err(AppError::validation(
            "items",
            format!("an order's total may be at most {}", Money::MAX_ORDER_TOTAL),
        ));
    }
    Ok(Totals {
        rounding: Money::from_minor(rounding),
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(minor: i64) -> Money {
        Money::from_minor(minor)
    }

    fn adj(discount: i64, round_down: RoundDown, fee: i64) -> Adjustments {
        Adjustments {
            discount: m(discount),
            round_down,
            shipping_fee: m(fee),
        }
    }

    #[test]
    fn rounding_down_takes_the_fen_and_jiao_or_the_yuan() {
        let t = totals(m(26_720), &adj(0, RoundDown::Yuan, 0)).unwrap();
        assert_eq!((t.rounding, t.total), (m(20), m(26_700)));
        let t = totals(m(26_720), &adj(0, RoundDown::TenYuan, 0)).unwrap();
        assert_eq!((t.rounding, t.total), (m(720), m(26_000)));
        let t = totals(m(26_000), &adj(0, RoundDown::TenYuan, 0)).unwrap();
        assert_eq!(t.rounding, m(0), "nothing to take off a round total");
        let t = totals(m(99), &adj(0, RoundDown::Yuan, 0)).unwrap();
        assert_eq!(t.total, m(0), "under a yuan rounds to nothing, never below");
    }

    #[test]
    fn discount_and_fee_come_before_the_rounding() {
        // 100.00 - 5.50 + 8.00 = 102.50, then down to the yuan: 102.00.
        let t = totals(m(10_000), &adj(550, RoundDown::Yuan, 800)).unwrap();
        assert_eq!((t.rounding, t.total), (m(50), m(10_200)));
    }

    #[test]
    fn a_discount_beyond_the_order_is_refused() {
        assert!(
            totals(m(1_000), &adj(1_000, RoundDown::None, 0)).is_ok(),
            "free is allowed"
        );
        let err = totals(m(1_000), &adj(1_001, RoundDown::None, 0)).unwrap_err();
        assert!(
            err.to_string().contains("more than the order comes to (10.00)"),
            "{err}"
        );
    }

    #[test]
    fn negative_amounts_are_refused() {
        assert!(adj(-1, RoundDown::None, 0).validated().is_err());
        assert!(adj(0, RoundDown::None, -1).validated().is_err());
    }
}
