//! An order's lines: checking what was asked for, and pricing it (regular price, the
//! customer's price level, a price or percentage off set by staff, and tax) by the rules in
//! [`crate::pricing`].

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::types::{NewOrderItem, OrderItem};
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
#[derive(Clone, Copy, Debug)]
pub struct PriceContext {
    /// The level's id and its percentage off.
    pub level: Option<(i64, Percent)>,
    pub default_tax_rate: Percent,
    pub prices_include_tax: bool,
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
    fn same_price(&self, other: &Priced) -> bool {
        (self.list_price, self.unit_price, self.discount, self.tax_rate)
            == (other.list_price, other.unit_price, other.discount, other.tax_rate)
    }
}

/// A product as new units of it are priced for this order.
struct Fresh {
    name: String,
    sku: String,
    status: ProductStatus,
    list_price: Money,
    unit_price: Money,
    discount: Percent,
    tax_rate: Percent,
}

fn fresh(conn: &Connection, ctx: &PriceContext, product_id: i64, field: &str) -> AppResult<Fresh> {
    let p = products::store::for_order_line(conn, product_id)?
        .ok_or_else(|| AppError::validation(field, "no such product"))?;
    let (unit_price, discount) = match ctx.level {
        Some((level, off)) => match price_levels::store::price_of(conn, level, product_id)? {
            Some(own) => (own, Percent::ZERO),
            None => (p.price, off),
        },
        None => (p.price, Percent::ZERO),
    };
    Ok(Fresh {
        name: p.name,
        sku: p.sku,
        status: p.status,
        list_price: p.price,
        unit_price,
        discount,
        tax_rate: p.tax_rate.unwrap_or(ctx.default_tax_rate),
    })
}

fn archived(name: &str, had: i64) -> AppError {
    let message = if had > 0 {
        format!("{name} is archived: its quantity may stay at {had} or shrink, not grow")
    } else {
        format!("{name} is archived and cannot be ordered")
    };
    AppError::validation("items", message)
}

/// The priced lines with the sum of their totals and of their taxes.
pub struct PricedLines {
    pub items: Vec<OrderItem>,
    pub subtotal: Money,
    pub tax: Money,
}

impl PricedLines {
    /// What the goods come to before the order's own adjustments: the lines, and their tax
    /// when prices do not include it.
    pub fn goods(&self, prices_include_tax: bool) -> Money {
        let added = if prices_include_tax { Money::ZERO } else { self.tax };
        Money::from_minor(self.subtotal.minor() + added.minor())
    }
}

/// Prices an order's lines. When a pending order is edited (`kept` are its lines), the units
/// it already had keep the price, percentage off and tax rate captured when they were
/// ordered, first lines first; units added beyond them are priced as new (on a line of their
/// own when that differs), and only an active product may gain units (an archived one may
/// stay or shrink). A line whose price or percentage staff set is one line at that price.
pub fn price(conn: &Connection, lines: &[Line], kept: &[OrderItem], ctx: &PriceContext) -> AppResult<PricedLines> {
    let mut priced: Vec<Priced> = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let field = format!("items[{index}].product_id");
        let had: i64 = kept
            .iter()
            .filter(|k| k.product_id == line.product_id)
            .map(|k| k.quantity)
            .sum();
        if line.is_set_by_hand() {
            let first = kept.iter().find(|k| k.product_id == line.product_id);
            let new = fresh(conn, ctx, line.product_id, &field)?;
            if line.quantity > had && new.status != ProductStatus::Active {
                return Err(archived(&new.name, had).with_field(field));
            }
            let base = match first {
                Some(k) => Priced {
                    index,
                    name: k.product_name.clone(),
                    sku: k.sku.clone(),
                    quantity: line.quantity,
                    list_price: k.list_price,
                    unit_price: k.unit_price,
                    discount: k.discount_percent,
                    tax_rate: k.tax_rate,
                },
                None => Priced {
                    index,
                    name: new.name,
                    sku: new.sku,
                    quantity: line.quantity,
                    list_price: new.list_price,
                    unit_price: new.unit_price,
                    discount: new.discount,
                    tax_rate: new.tax_rate,
                },
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
        for k in kept.iter().filter(|k| k.product_id == line.product_id) {
            let take = left.min(k.quantity);
            if take > 0 {
                priced.push(Priced {
                    index,
                    name: k.product_name.clone(),
                    sku: k.sku.clone(),
                    quantity: take,
                    list_price: k.list_price,
                    unit_price: k.unit_price,
                    discount: k.discount_percent,
                    tax_rate: k.tax_rate,
                });
                left -= take;
            }
        }
        if left == 0 {
            continue;
        }
        let new = fresh(conn, ctx, line.product_id, &field)?;
        if new.status != ProductStatus::Active {
            return Err(archived(&new.name, had).with_field(field));
        }
        let added = Priced {
            index,
            name: new.name,
            sku: new.sku,
            quantity: left,
            list_price: new.list_price,
            unit_price: new.unit_price,
            discount: new.discount,
            tax_rate: new.tax_rate,
        };
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
