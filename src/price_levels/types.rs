//! Price levels (会员价) and the prices they set.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::money::Money;
use crate::pricing::Percent;
use crate::validate::required_text;

/// A level: a percentage off every product, and prices of its own for some products (which
/// win over the percentage).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PriceLevel {
    pub id: i64,
    #[schema(example = "批发")]
    pub name: String,
    /// Off the regular price of every product without a price of its own here.
    pub discount_percent: Percent,
    /// How many products have a price of their own at this level.
    pub price_count: i64,
    /// How many customers belong to it.
    pub customer_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// A product's price at a level, beside its regular price.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct LevelPrice {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub regular_price: Money,
    pub price: Money,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PriceLevelDetail {
    #[serde(flatten)]
    pub level: PriceLevel,
    /// Its own prices, by product name.
    pub prices: Vec<LevelPrice>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPriceLevel {
    #[schema(example = "VIP")]
    pub name: String,
    #[serde(default)]
    pub discount_percent: Percent,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceLevelPatch {
    pub name: Option<String>,
    pub discount_percent: Option<Percent>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLevelPrice {
    pub price: Money,
}

pub fn parse_name(raw: &str) -> Result<String, AppError> {
    required_text("name", raw, 50)
}
