//! The cost price of a product as goods arrive: a moving weighted average, in integer minor
//! units (cost rule 1 in the README).
//!
//! When `q` units arrive at `c` each while `s` are in stock at cost `a`:
//!
//!   new cost = (s × a + q × c) / (s + q), rounded half up to a whole minor unit (fen)
//!
//! - with no stock (or none known to be there) or no known cost, the new cost is `c`: there is
//!   nothing to average with, and an unknown cost is not taken as zero;
//! - sales, returns from customers, write-offs and returns to the supplier do not change it:
//!   units leave at the average they were valued at (so a shop's margin on a sale is the price
//!   less the average at the time of the sale, kept on the order line);
//! - the products and sums are done in 128 bits, so no stock and cost the API allows overflow.

use crate::money::Money;

/// The cost after `quantity` units arrive at `unit_cost` each, with `stock` in hand at `cost`.
pub fn moving_average(stock: i64, cost: Option<Money>, quantity: i64, unit_cost: Money) -> Money {
    let Some(cost) = cost.filter(|_| stock > 0) else {
        return unit_cost;
    };
    if quantity <= 0 {
        return cost;
    }
    let (s, q) = (i128::from(stock), i128::from(quantity));
    let value = s * i128::from(cost.minor()) + q * i128::from(unit_cost.minor());
    let units = s + q;
    // Half up: both are non-negative.
    let average = (2 * value + units) / (2 * units);
    // Between the two costs, so it fits.
    Money::from_minor(i64::try_from(average).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(minor: i64) -> Money {
        Money::from_minor(minor)
    }

    #[test]
    fn the_average_weighs_stock_and_arrivals() {
        // 10 at 5.00 and 30 at 6.00: 230.00 / 40 = 5.75.
        assert_eq!(moving_average(10, Some(m(500)), 30, m(600)), m(575));
        // 2 at 1.00 and 1 at 2.00: 4.00 / 3 = 1.3333 -> 1.33.
        assert_eq!(moving_average(2, Some(m(100)), 1, m(200)), m(133));
        // 1 at 1.00 and 2 at 2.00: 5.00 / 3 = 1.6667 -> 1.67.
        assert_eq!(moving_average(1, Some(m(100)), 2, m(200)), m(167));
        // Exactly half a fen rounds up: (1 × 1 + 1 × 2) / 2 = 1.5 fen -> 2.
        assert_eq!(moving_average(1, Some(m(1)), 1, m(2)), m(2));
    }

    #[test]
    fn nothing_to_average_with_takes_the_new_cost() {
        assert_eq!(moving_average(0, Some(m(500)), 5, m(700)), m(700));
        assert_eq!(moving_average(8, None, 5, m(700)), m(700), "unknown is not zero");
        assert_eq!(moving_average(8, Some(m(500)), 0, m(700)), m(500));
    }

    #[test]
    fn the_largest_values_do_not_overflow() {
        let max = Money::MAX_PRICE;
        assert_eq!(moving_average(1_000_000_000, Some(max), 1_000_000_000, max), max);
        assert_eq!(moving_average(1_000_000_000, Some(max), 1, m(0)), m(999_999_999));
    }

    #[test]
    fn the_average_stays_between_the_two_costs() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as i64
        };
        for _ in 0..10_000 {
            let (s, q) = (next(1_000_000) + 1, next(1_000_000) + 1);
            let (a, c) = (m(next(1_000_000_000)), m(next(1_000_000_000)));
            let avg = moving_average(s, Some(a), q, c);
            assert!(avg >= a.min(c) && avg <= a.max(c), "{s} at {a}, {q} at {c}: {avg}");
        }
    }
}
