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
    pub category_id: Option<i64>,
    /// What it is sold by (件, 箱, kg...); the settings list the shop's units.
    pub unit: Option<String>,
    /// EAN-13, UPC-A, EAN-8 (check digit verified) or any other code printed on it.
    pub barcode: Option<String>,
    /// What one unit costs the shop: entered, then the moving weighted average of what was
    /// received (see purchasing). Null is unknown, not zero. Staff only: never in what a
    /// customer reads.
    pub cost_price: Option<Money>,
    /// Where its photo is, changing with the photo; null without one.
    pub photo_url: Option<String>,
}

/// The URL of a product's photo, versioned by its digest so a browser may keep it.
pub fn photo_url(id: i64, sha256: &str) -> String {
    format!("/api/products/{id}/photo?v={}", sha256.get(..16).unwrap_or(sha256))
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
    pub category_id: Option<i64>,
    pub unit: Option<String>,
    pub photo_url: Option<String>,
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
            category_id: p.category_id,
            unit: p.unit,
            photo_url: p.photo_url,
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
    pub category_id: Option<i64>,
    #[schema(example = "件")]
    pub unit: Option<String>,
    #[schema(example = "6901234567892")]
    pub barcode: Option<String>,
    /// Omit when not known.
    pub cost_price: Option<Money>,
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
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub category_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub unit: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub barcode: Option<Option<String>>,
    /// Null: not known.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub cost_price: Option<Option<Money>>,
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

/// The longest unit name, in characters: 件 and 箱 are one, "500g袋" six.
pub const MAX_UNIT_CHARS: usize = 10;

/// A unit: a short word such as 件, 箱, 袋 or kg (the settings offer the shop's list; a unit
/// outside it is kept, so an import never fails on one).
pub fn parse_unit(raw: Option<&str>) -> Result<Option<String>, AppError> {
    crate::validate::optional_text("unit", raw, MAX_UNIT_CHARS)
}

/// A barcode: 1 to 32 visible characters in NFKC. All digits of an EAN-13, UPC-A or EAN-8
/// length must carry the right check digit (a misread scan or a typo is caught at entry).
/// Matched like SKUs, whatever case or width ([`sku_key`]).
pub fn parse_barcode(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(raw) = raw else { return Ok(None) };
    let code = crate::validate::identifier(raw);
    if code.is_empty() {
        return Ok(None);
    }
    let code = required_text("barcode", &code, 32)?;
    if code.chars().any(char::is_whitespace) {
        return Err(AppError::validation("barcode", "must not contain spaces"));
    }
    if let Some(kind) = gtin_kind(&code) {
        let expected = gtin_check_digit(&code[..code.len() - 1]);
        let given = code.as_bytes()[code.len() - 1] - b'0';
        if expected != given {
            return Err(AppError::validation(
                "barcode",
                format!(
                    "{code} is not a valid {kind}: its last digit should be {expected} (a misread or mistyped code?)"
                ),
            ));
        }
    }
    Ok(Some(code))
}

/// The GS1 code a string of digits of this length is, if any.
fn gtin_kind(code: &str) -> Option<&'static str> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.len() {
        13 => Some("EAN-13"),
        12 => Some("UPC-A"),
        8 => Some("EAN-8"),
        _ => None,
    }
}

/// The GS1 check digit of `body` (the code without its last digit): from the right, digits
/// weigh 3, 1, 3, ...; the check digit brings the sum to a multiple of 10.
pub fn gtin_check_digit(body: &str) -> u8 {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barcodes_carry_their_check_digit() {
        assert_eq!(
            parse_barcode(Some("6901234567892")).unwrap().as_deref(),
            Some("6901234567892")
        );
        assert_eq!(
            parse_barcode(Some("４００６３８１３３３９３１")).unwrap().as_deref(),
            Some("4006381333931")
        );
        assert_eq!(
            parse_barcode(Some("036000291452")).unwrap().as_deref(),
            Some("036000291452")
        );
        assert_eq!(parse_barcode(Some("96385074")).unwrap().as_deref(), Some("96385074"));
        let err = parse_barcode(Some("6901234567893")).unwrap_err();
        assert!(err.to_string().contains("should be 2"), "{err}");
        assert!(parse_barcode(Some("036000291453")).is_err());
        // Other codes are taken as they are.
        assert_eq!(parse_barcode(Some("ABC-123")).unwrap().as_deref(), Some("ABC-123"));
        assert_eq!(parse_barcode(Some("  ")).unwrap(), None);
        assert!(parse_barcode(Some("a b")).is_err());
        assert!(parse_barcode(Some(&"1".repeat(33))).is_err());
    }
}
