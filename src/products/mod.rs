//! The product catalogue: what is sold, at what price, and how many are in stock.

pub mod cache;
pub mod categories;
pub mod photos;
pub mod routes;
pub mod store;
pub mod types;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::inventory::Reason;
use crate::inventory::store::{MovementRefs, change_stock};
use crate::money::Money;
use crate::validate::optional_text;
use types::{
    NewProduct, Product, ProductPatch, ProductStatus, check_price, check_stock, parse_barcode, parse_name, parse_sku,
    parse_unit,
};

impl NewProduct {
    /// The validated product this input describes (not yet stored).
    pub fn validate(self, now: &str) -> AppResult<Product> {
        Ok(Product {
            id: 0,
            sku: parse_sku(&self.sku)?,
            name: parse_name(&self.name)?,
            description: optional_text("description", self.description.as_deref(), 2000)?,
            price: check_price(self.price)?,
            stock_quantity: check_stock("stock_quantity", self.stock_quantity)?,
            low_stock_threshold: self
                .low_stock_threshold
                .map(|t| check_stock("low_stock_threshold", t))
                .transpose()?,
            is_low_stock: false,
            status: self.status.unwrap_or(ProductStatus::Active),
            tax_rate: self.tax_rate,
            created_at: now.to_owned(),
            updated_at: now.to_owned(),
            category_id: self.category_id,
            unit: parse_unit(self.unit.as_deref())?,
            barcode: parse_barcode(self.barcode.as_deref())?,
            cost_price: self.cost_price.map(check_cost).transpose()?,
            photo_url: None,
        })
    }
}

/// A cost price: like a price, named as the field it is.
fn check_cost(cost: Money) -> AppResult<Money> {
    check_price(cost).map_err(|e| match e {
        AppError::Validation { message, .. } => AppError::validation("cost_price", message),
        other => other,
    })
}

pub async fn create(db: &Db, actor: &CurrentUser, input: NewProduct) -> AppResult<Product> {
    let now = clock::now();
    let product = input.validate(&now)?;
    let who = Who::from(actor);
    db.write(move |conn| insert_with_stock(conn, &who, &product, &now))
        .await
}

/// Stores a validated product and records its initial stock in the ledger, with its audit row.
pub fn insert_with_stock(conn: &crate::db::Conn, who: &Who, product: &Product, now: &str) -> AppResult<Product> {
    categories::store::must_exist(conn, product.category_id)?;
    let id = store::insert(conn, product)?;
    let refs = MovementRefs {
        user_id: who.user_id,
        ..Default::default()
    };
    change_stock(conn, id, product.stock_quantity, Reason::Initial, refs, now)?;
    let created = store::get(conn, id)?;
    audit::store::record(
        conn,
        who,
        &Event::created("product.create", "product", id, &created),
        now,
    )?;
    Ok(created)
}

/// A product change with every given field validated.
#[derive(Clone, Default)]
pub struct ValidPatch {
    pub sku: Option<String>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub price: Option<Money>,
    pub stock: Option<i64>,
    pub threshold: Option<Option<i64>>,
    pub status: Option<ProductStatus>,
    pub tax_rate: Option<Option<crate::pricing::Percent>>,
    pub category_id: Option<Option<i64>>,
    pub unit: Option<Option<String>>,
    pub barcode: Option<Option<String>>,
    pub cost_price: Option<Option<Money>>,
}

impl ProductPatch {
    pub fn validate(self) -> AppResult<ValidPatch> {
        Ok(ValidPatch {
            sku: self.sku.as_deref().map(parse_sku).transpose()?,
            name: self.name.as_deref().map(parse_name).transpose()?,
            description: self
                .description
                .map(|d| optional_text("description", d.as_deref(), 2000))
                .transpose()?,
            price: self.price.map(check_price).transpose()?,
            stock: self
                .stock_quantity
                .map(|q| check_stock("stock_quantity", q))
                .transpose()?,
            threshold: self
                .low_stock_threshold
                .map(|t| t.map(|t| check_stock("low_stock_threshold", t)).transpose())
                .transpose()?,
            status: self.status,
            tax_rate: self.tax_rate,
            category_id: self.category_id,
            unit: self.unit.map(|u| parse_unit(u.as_deref())).transpose()?,
            barcode: self.barcode.map(|b| parse_barcode(b.as_deref())).transpose()?,
            cost_price: self.cost_price.map(|c| c.map(check_cost).transpose()).transpose()?,
        })
    }
}

/// Applies a partial update; a new stock quantity is recorded as a ledger correction.
pub async fn update(db: &Db, actor: &CurrentUser, id: i64, patch: ProductPatch) -> AppResult<Product> {
    let patch = patch.validate()?;
    let who = Who::from(actor);
    db.write(move |conn| apply_patch(conn, &who, id, patch.clone(), &clock::now()))
        .await
}

pub fn apply_patch(conn: &crate::db::Conn, who: &Who, id: i64, patch: ValidPatch, now: &str) -> AppResult<Product> {
    // The patch writes back every field it read, and a stock target becomes a delta from the
    // stock it read: the row stays locked from this read to the commit.
    crate::inventory::store::lock_product(conn, id)?;
    let before = store::get(conn, id)?;
    let mut p = before.clone();
    p.sku = patch.sku.unwrap_or(p.sku);
    p.name = patch.name.unwrap_or(p.name);
    p.description = patch.description.unwrap_or(p.description);
    p.price = patch.price.unwrap_or(p.price);
    p.low_stock_threshold = patch.threshold.unwrap_or(p.low_stock_threshold);
    p.status = patch.status.unwrap_or(p.status);
    p.tax_rate = patch.tax_rate.unwrap_or(p.tax_rate);
    if let Some(category) = patch.category_id {
        categories::store::must_exist(conn, category)?;
        p.category_id = category;
    }
    p.unit = patch.unit.unwrap_or(p.unit);
    p.barcode = patch.barcode.unwrap_or(p.barcode);
    p.cost_price = patch.cost_price.unwrap_or(p.cost_price);
    p.updated_at = now.to_owned();
    store::update(conn, &p)?;
    if let Some(target) = patch.stock {
        let refs = MovementRefs {
            user_id: who.user_id,
            ..Default::default()
        };
        change_stock(conn, id, target - p.stock_quantity, Reason::Correction, refs, now)?;
    }
    let after = store::get(conn, id)?;
    audit::store::record(
        conn,
        who,
        &Event::changed("product.update", "product", id, &before, &after),
        now,
    )?;
    Ok(after)
}

/// Archives or restores a product; archived products leave the catalogue but stay in orders.
pub async fn set_status(db: &Db, actor: &CurrentUser, id: i64, status: ProductStatus) -> AppResult<Product> {
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = store::get(conn, id)?;
        if before.status == status {
            return Ok(before);
        }
        let now = clock::now();
        let mut p = before.clone();
        p.status = status;
        p.updated_at = now.clone();
        store::update(conn, &p)?;
        let action = if status == ProductStatus::Archived {
            "product.archive"
        } else {
            "product.restore"
        };
        audit::store::record(conn, &who, &Event::changed(action, "product", id, &before, &p), &now)?;
        Ok(p)
    })
    .await
}

/// One product as `viewer` may see it: customers see only active products.
pub async fn get_for(db: &Db, viewer: &CurrentUser, id: i64) -> AppResult<Product> {
    let product = db.read(move |conn| store::get(conn, id)).await?;
    if !viewer.is_staff() && product.status != ProductStatus::Active {
        return Err(AppError::not_found("product"));
    }
    Ok(product)
}
