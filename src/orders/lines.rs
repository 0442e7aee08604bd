//! An order's lines: checking what was asked for, and pricing it (regular price, the
//! customer's price level, a price or percentage off set by staff, and tax) by the rules in
//! [`crate::pricing`].

use std::collections::BTreeMap;

use super::types::{NewOrderItem, OrderItem};
use crate::db::Conn;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::price_levels;
use crate::pricing::{self, Percent};
use crate::products;
use crate::products::types::ProductStatus;

const MAX_LINES: usize = 200;
const MAX_QUANTITY: i64 = 100_000;

/// One product asked for: how many, and any price or percentage off staff set for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price: Option<Money>,
    pub discount: Option<Percent>,
}

impl Line {
    /// Whether staff set the line's price or percentage off.
    pub fn is_set_by_hand(&self) -> bool {
        self.unit_price.is_some() || self.discount.is_some()
    }
}

/// Checks the lines of an order and merges repeated products, keeping first-seen order. A
/// product asked for twice with different prices is refused: a line is one product.
pub fn validate(items: &[NewOrderItem]) -> AppResult<Vec<Line>> {
    if items.is_empty() {
        return Err(AppError::validation("items", "an order needs at least one item"));
    }
    if items.len() > MAX_LINES {
        return Err(AppError::validation(
            "items",
            format!("an order may have at most {MAX_LINES} items"),
        ));
    }
    let mut lines: Vec<Line> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&item.quantity) {
            return Err(AppError::validation(
                format!("items[{i}].quantity"),
                format!("must be between 1 and {MAX_QUANTITY}"),
            ));
        }
        if let Some(price) = item.unit_price {
            products::types::check_price(price).map_err(|e| e.with_field(format!("items[{i}].unit_price")))?;
        }
        let line = Line {
            product_id: item.product_id,
            quantity: item.quantity,
            unit_price: item.unit_price,
            discount: item.discount_percent,
        };
        match lines.iter_mut().find(|l| l.product_id == line.product_id) {
            Some(l) if (l.unit_price, l.discount) == (line.unit_price, line.discount) => {
                l.quantity = (l.quantity + line.quantity).min(MAX_QUANTITY)
            }
            Some(_) => {
                return Err(AppError::validation(
                    format!("items[{i}].product_id"),
                    "this product is already on the order at another price; give it one line",
                ));
            }
            None => lines.push(line),
        }
    }
    Ok(lines)
}

/// What prices new units: the customer's level, the shop's default tax rate, and whether the
/// order's prices include tax.
#[derive(Clone, Debug)]
pub struct PriceContext {
    pub level: Option<price_levels::store::CustomerLevel>,
    pub default_tax_rate: Percent,
    pub prices_include_tax: bool,
}

impl PriceContext {
    /// The context of an order for `customer_id` (none: a walk-in sale, regular prices).
    pub fn for_customer(
        conn: &Conn,
        customer_id: Option<i64>,
        default_tax_rate: Percent,
        prices_include_tax: bool,
    ) -> AppResult<Self> {
        let level = match customer_id {
            Some(id) => price_levels::store::for_customer(conn, id)?,
            None => None,
        };
        Ok(Self {
            level,
            default_tax_rate,
            prices_include_tax,
        })
    }
}

/// A line priced but not yet totalled.
struct Priced {
    index: usize,
    name: String,
    sku: String,
    quantity: i64,
    list_price: Money,
    unit_price: Money,
    discount: Percent,
    tax_rate: Percent,
}

impl Priced {
    /// Units of line `index` at the price captured on a line the order already had.
    fn kept(index: usize, k: &OrderItem, quantity: i64) -> Self {
        Self {
            index,
            name: k.product_name.clone(),
            sku: k.sku.clone(),
            quantity,
            list_price: k.list_price,
            unit_price: k.unit_price,
            discount: k.discount_percent,
            tax_rate: k.tax_rate,
        }
    }

    fn same_price(&self, other: &Priced) -> bool {
        (self.list_price, self.unit_price, self.discount, self.tax_rate)
            == (other.list_price, other.unit_price, other.discount, other.tax_rate)
    }
}

/// Units of line `index` priced as new: the regular price, or the customer's level price or
/// percentage off; the product's tax rate, or the shop's. Only an active product may gain
/// units (`had` is how many the order already has).
fn fresh(conn: &Conn, ctx: &PriceContext, index: usize, line: &Line, quantity: i64, had: i64) -> AppResult<Priced> {
    let field = format!("items[{index}].product_id");
    let p = products::store::for_order_line(conn, line.product_id)?
        .ok_or_else(|| AppError::validation(&field, "no such product"))?;
    if p.status != ProductStatus::Active {
        let message = if had > 0 {
            format!(
                "{} is archived: its quantity may stay at {had} or shrink, not grow",
                p.name
            )
        } else {
            format!("{} is archived and cannot be ordered", p.name)
        };
        return Err(AppError::validation(field, message));
    }
    let (unit_price, discount) = match &ctx.level {
        Some(level) => match price_levels::store::price_of(conn, level.id, line.product_id)? {
            Some(own) => (own, Percent::ZERO),
            None => (p.price, level.discount),
        },
        None => (p.price, Percent::ZERO),
    };
    Ok(Priced {
        index,
        name: p.name,
        sku: p.sku,
        quantity,
        list_price: p.price,
        unit_price,
        discount,
        tax_rate: p.tax_rate.unwrap_or(ctx.default_tax_rate),
    })
}

/// The priced lines with the sum of their totals and of their taxes.
pub struct PricedLines {
    pub items: Vec<OrderItem>,
    pub subtotal: Money,
    pub tax: Money,
}

/// What the goods come to before the order's own adjustments: the lines, and their tax when
/// prices do not include it.
pub fn goods(subtotal: Money, tax: Money, prices_include_tax: bool) -> Money {
    let added = if prices_include_tax { Money::ZERO } else { tax };
    Money::from_minor(subtotal.minor() + added.minor())
}

/// Prices an order's lines. When a pending order is edited (`kept` are its lines), the units
/// it already had keep the price, percentage off and tax rate captured when they were
/// ordered, first lines first; units added beyond them are priced as new (on a line of their
/// own when that differs), and only an active product may gain units (an archived one may
/// stay or shrink). A line whose price or percentage staff set is one line at that price.
pub fn price(conn: &Conn, lines: &[Line], kept: &[OrderItem], ctx: &PriceContext) -> AppResult<PricedLines> {
    let mut priced: Vec<Priced> = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let mine = || kept.iter().filter(|k| k.product_id == line.product_id);
        let had: i64 = mine().map(|k| k.quantity).sum();
        if line.is_set_by_hand() {
            // The line's first kept price is its base; a product new to the order (or one
            // that grows) is looked up, which also refuses an archived one.
            let base = match mine().next() {
                Some(k) if line.quantity <= had => Priced::kept(index, k, line.quantity),
                first => {
                    let new = fresh(conn, ctx, index, line, line.quantity, had)?;
                    match first {
                        Some(k) => Priced::kept(index, k, line.quantity),
                        None => new,
                    }
                }
            };
            // A price set by hand is the price: the level's percentage no longer applies.
            let discount = match (line.discount, line.unit_price) {
                (Some(d), _) => d,
                (None, Some(_)) => Percent::ZERO,
                (None, None) => base.discount,
            };
            priced.push(Priced {
                unit_price: line.unit_price.unwrap_or(base.unit_price),
                discount,
                ..base
            });
            continue;
        }
        let mut left = line.quantity;
        for k in mine() {
            let take = left.min(k.quantity);
            if take > 0 {
                priced.push(Priced::kept(index, k, take));
                left -= take;
            }
        }
        if left == 0 {
            continue;
        }
        let added = fresh(conn, ctx, index, line, left, had)?;
        match priced.last_mut() {
            Some(last) if last.index == index && last.same_price(&added) => last.quantity += left,
            _ => priced.push(added),
        }
    }
    total(lines, priced, ctx.prices_include_tax)
}

fn total(lines: &[Line], priced: Vec<Priced>, prices_include_tax: bool) -> AppResult<PricedLines> {
    let too_large = || {
        AppError::validation(
            "items",
            format!("an order's total may be at most {}", Money::MAX_ORDER_TOTAL),
        )
    };
    let mut items = Vec::with_capacity(priced.len());
    let (mut subtotal, mut tax) = (Money::ZERO, Money::ZERO);
    for p in priced {
        let line_total = pricing::line_total(p.unit_price, p.quantity, p.discount)
            .filter(|t| *t <= Money::MAX_ORDER_TOTAL)
            .ok_or_else(|| AppError::validation(format!("items[{}].quantity", p.index), "line total is too large"))?;
        let line_tax = pricing::line_tax(line_total, p.tax_rate, prices_include_tax);
        subtotal = subtotal
            .checked_add(line_total)
            .filter(|t| *t <= Money::MAX_ORDER_TOTAL)
            .ok_or_else(too_large)?;
        tax = tax.checked_add(line_tax).ok_or_else(too_large)?;
        items.push(OrderItem {
            id: 0,
            product_id: lines[p.index].product_id,
            product_name: p.name,
            sku: p.sku,
            quantity: p.quantity,
            list_price: p.list_price,
            unit_price: p.unit_price,
            discount_percent: p.discount,
            line_total,
            tax_rate: p.tax_rate,
            tax: line_tax,
            shipped_quantity: 0,
            returned_quantity: 0,
        });
    }
    Ok(PricedLines { items, subtotal, tax })
}

/// How stock moves when an order's lines change from `old` to `new`: positive gives back.
pub fn stock_deltas(old: &[OrderItem], new: &[OrderItem]) -> Vec<(i64, i64)> {
    let mut deltas: BTreeMap<i64, i64> = BTreeMap::new();
    for item in old {
        *deltas.entry(item.product_id).or_default() += item.quantity;
    }
    for item in new {
        *deltas.entry(item.product_id).or_default() -= item.quantity;
    }
    // Give stock back before taking it, so a swap never fails for want of its own stock.
    let mut moves: Vec<(i64, i64)> = deltas.into_iter().filter(|(_, d)| *d != 0).collect();
    moves.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    moves
}
