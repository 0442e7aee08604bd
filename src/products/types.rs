//! Products and the validated values that describe them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::money::Money;
use crate::pricing::Percent;
use crate::validate::{nullable, required_text};

const MAX_STOCK: i64 = 1_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    Active,
    Archived,
}

impl ProductStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Active => "active",
            ProductStatus::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<ProductStatus> {
        match s {
            "active" => Some(ProductStatus::Active),
            "archived" => Some(ProductStatus::Archived),
            _ => None,
        }
    }
}

impl rusqlite::types::FromSql for ProductStatus {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "product status", ProductStatus::parse)
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub description: Option<String>,
    pub price: Money,
    pub stock_quantity: i64,
    /// Stock below this is low; null means the shop's default (settings, 10 at first).
    pub low_stock_threshold: Option<i64>,
    pub is_low_stock: bool,
    pub status: ProductStatus,
    /// Its tax rate; null means the shop's default (settings).
    pub tax_rate: Option<Percent>,
    pub created_at: String,
    pub updated_at: String,
}

/// A product as a customer sees it: whether it is in stock, and its SKU and exact stock only
/// when the shop's settings show them (`show_stock_to_customers`).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CatalogueProduct {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub price: Money,
    pub in_stock: bool,
    pub sku: Option<String>,
    pub stock_quantity: Option<i64>,
}

impl CatalogueProduct {
    pub fn of(p: Product, show_stock: bool) -> Self {
        Self {
            id: p.id,
            name: p.name,
            description: p.description,
            price: p.price,
            in_stock: p.stock_quantity > 0,
            sku: show_stock.then_some(p.sku),
            stock_quantity: show_stock.then_some(p.stock_quantity),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProduct {
    #[schema(example = "TEA-001")]
    pub sku: String,
    #[schema(example = "龙井茶 250g")]
    pub name: String,
    pub description: Option<String>,
    pub price: Money,
    pub stock_quantity: i64,
    pub low_stock_threshold: Option<i64>,
    pub status: Option<ProductStatus>,
    /// Omit for the shop's default rate.
    pub tax_rate: Option<Percent>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    pub sku: Option<String>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub price: Option<Money>,
    /// Setting the stock records a `correction` in the stock ledger.
    pub stock_quantity: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub low_stock_threshold: Option<Option<i64>>,
    pub status: Option<ProductStatus>,
    /// Null for the shop's default rate.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub tax_rate: Option<Option<Percent>>,
}

/// A stock-keeping unit: 1 to 64 visible characters, no spaces, in its NFKC spelling (a
/// full-width "ＮＦ-550" is stored as "NF-550"). Two SKUs are the same when their
/// [`sku_key`]s are: `nf-550` and `NF-550` are one product.
pub fn parse_sku(raw: &str) -> Result<String, AppError> {
    let sku = required_text("sku", &crate::validate::identifier(raw), 64)?;
    if sku.chars().any(char::is_whitespace) {
        return Err(AppError::validation("sku", "must not contain spaces"));
    }
    Ok(sku)
}

/// What SKUs are matched by, whatever their case or width.
pub fn sku_key(sku: &str) -> String {
    crate::validate::identifier_key(sku)
}

pub fn parse_name(raw: &str) -> Result<String, AppError> {
    required_text("name", raw, 200)
}

pub fn check_price(price: Money) -> Result<Money, AppError> {
    if price.is_negative() {
        return Err(AppError::validation("price", "must not be negative"));
    }
    if price > Money::MAX_PRICE {
        return Err(AppError::validation(
            "price",
            format!("must be at most {}", Money::MAX_PRICE),
        ));
    }
    Ok(price)
}

pub fn check_stock(field: &str, quantity: i64) -> Result<i64, AppError> {
    if quantity < 0 {
        return Err(AppError::validation(field, "must not be negative"));
    }
    if quantity > MAX_STOCK {
        return Err(AppError::validation(field, format!("must be at most {MAX_STOCK}")));
    }
    Ok(quantity)
}
