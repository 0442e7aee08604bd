//! The product catalogue: what is sold, at what price, and how many are in stock.

pub mod routes;
pub mod store;
pub mod types;

use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::inventory::Reason;
use crate::inventory::store::{MovementRefs, change_stock};
use crate::money::Money;
use crate::validate::optional_text;
use types::{
    NewProduct, Product, ProductPatch, ProductStatus, check_price, check_stock, parse_name,
    parse_sku,
};

pub async fn create(db: &Db, actor: &CurrentUser, input: NewProduct) -> AppResult<Product> {
    let now = clock::now();
    let product = Product {
        id: 0,
        sku: parse_sku(&input.sku)?,
        name: parse_name(&input.name)?,
        description: optional_text("description", input.description.as_deref(), 2000)?,
        price: check_price(input.price)?,
        stock_quantity: check_stock("stock_quantity", input.stock_quantity)?,
        low_stock_threshold: input
            .low_stock_threshold
            .map(|t| check_stock("low_stock_threshold", t))
            .transpose()?,
        is_low_stock: false,
        status: input.status.unwrap_or(ProductStatus::Active),
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let user_id = actor.id;
    db.write(move |conn| {
        let id = store::insert(conn, &product)?;
        let refs = MovementRefs {
            user_id: Some(user_id),
            ..Default::default()
        };
        change_stock(
            conn,
            id,
            product.stock_quantity,
            Reason::Initial,
            refs,
            &now,
        )?;
        store::get(conn, id)
    })
    .await
}

/// Applies a partial update; a new stock quantity is recorded as a ledger correction.
pub async fn update(
    db: &Db,
    actor: &CurrentUser,
    id: i64,
    patch: ProductPatch,
) -> AppResult<Product> {
    let sku = patch.sku.as_deref().map(parse_sku).transpose()?;
    let name = patch.name.as_deref().map(parse_name).transpose()?;
    let description = patch
        .description
        .map(|d| optional_text("description", d.as_deref(), 2000))
        .transpose()?;
    let price: Option<Money> = patch.price.map(check_price).transpose()?;
    let stock = patch
        .stock_quantity
        .map(|q| check_stock("stock_quantity", q))
        .transpose()?;
    let threshold = patch
        .low_stock_threshold
        .map(|t| t.map(|t| check_stock("low_stock_threshold", t)).transpose())
        .transpose()?;
    let user_id = actor.id;
    db.write(move |conn| {
        let now = clock::now();
        let mut p = store::get(conn, id)?;
        p.sku = sku.unwrap_or(p.sku);
        p.name = name.unwrap_or(p.name);
        p.description = description.unwrap_or(p.description);
        p.price = price.unwrap_or(p.price);
        p.low_stock_threshold = threshold.unwrap_or(p.low_stock_threshold);
        p.status = patch.status.unwrap_or(p.status);
        p.updated_at = now.clone();
        store::update(conn, &p)?;
        if let Some(target) = stock {
            let refs = MovementRefs {
                user_id: Some(user_id),
                ..Default::default()
            };
            change_stock(
                conn,
                id,
                target - p.stock_quantity,
                Reason::Correction,
                refs,
                &now,
            )?;
        }
        store::get(conn, id)
    })
    .await
}

pub async fn set_status(db: &Db, id: i64, status: ProductStatus) -> AppResult<Product> {
    db.write(move |conn| {
        let mut p = store::get(conn, id)?;
        if p.status != status {
            p.status = status;
            p.updated_at = clock::now();
            store::update(conn, &p)?;
        }
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
