//! Customer price levels (会员价): a customer belongs to at most one level, which prices their
//! new orders by default, with a percentage off or a price of its own per product. Staff see
//! them; admins change them. Every change is in the audit trail.

pub mod routes;
pub mod store;
pub mod types;

use serde_json::json;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::products;
use crate::products::types::check_price;
use types::{NewPriceLevel, PriceLevel, PriceLevelDetail, PriceLevelPatch, SetLevelPrice, parse_name};

fn detail(conn: &crate::db::Conn, id: i64) -> AppResult<PriceLevelDetail> {
    Ok(PriceLevelDetail {
        level: store::get(conn, id)?,
        prices: store::prices(conn, id)?,
    })
}

pub async fn list(db: &Db) -> AppResult<Vec<PriceLevel>> {
    db.read(store::list).await
}

pub async fn get(db: &Db, id: i64) -> AppResult<PriceLevelDetail> {
    db.read(move |conn| detail(conn, id)).await
}

pub async fn create(db: &Db, actor: &CurrentUser, input: NewPriceLevel) -> AppResult<PriceLevelDetail> {
    let name = parse_name(&input.name)?;
    let who = Who::from(actor);
    db.write(move |conn| {
        let now = clock::now();
        let id = store::insert(conn, &name, input.discount_percent, &now)?;
        let after = detail(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::created("price_level.create", "price_level", id, &after.level),
            &now,
        )?;
        Ok(after)
    })
    .await
}

pub async fn update(db: &Db, actor: &CurrentUser, id: i64, patch: PriceLevelPatch) -> AppResult<PriceLevelDetail> {
    let name = patch.name.as_deref().map(parse_name).transpose()?;
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = store::get(conn, id)?;
        let now = clock::now();
        let name = name.clone().unwrap_or_else(|| before.name.clone());
        let discount = patch.discount_percent.unwrap_or(before.discount_percent);
        store::update(conn, id, &name, discount, &now)?;
        let after = detail(conn, id)?;
        let event = Event::changed("price_level.update", "price_level", id, &before, &after.level);
        audit::store::record(conn, &who, &event, &now)?;
        Ok(after)
    })
    .await
}

/// Deletes a level: its customers go back to regular prices; orders keep what they charged.
pub async fn delete(db: &Db, actor: &CurrentUser, id: i64) -> AppResult<()> {
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = detail(conn, id)?;
        let now = clock::now();
        store::delete(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::deleted("price_level.delete", "price_level", id, &before),
            &now,
        )?;
        Ok(())
    })
    .await
}

pub async fn set_price(
    db: &Db,
    actor: &CurrentUser,
    id: i64,
    product_id: i64,
    input: SetLevelPrice,
) -> AppResult<PriceLevelDetail> {
    let price = check_price(input.price)?;
    let who = Who::from(actor);
    db.write(move |conn| {
        store::get(conn, id)?;
        let product = products::store::get(conn, product_id)?;
        let now = clock::now();
        store::set_price(conn, id, product_id, price)?;
        let event = Event::changed_fields(
            "price_level.set_price",
            "price_level",
            id,
            &json!({ "product_id": product_id }),
            &json!({ "product_id": product_id, "sku": product.sku, "price": price }),
        );
        audit::store::record(conn, &who, &event, &now)?;
        detail(conn, id)
    })
    .await
}

pub async fn remove_price(db: &Db, actor: &CurrentUser, id: i64, product_id: i64) -> AppResult<PriceLevelDetail> {
    let who = Who::from(actor);
    db.write(move |conn| {
        store::get(conn, id)?;
        if !store::remove_price(conn, id, product_id)? {
            return Err(AppError::not_found("price for this product at this level"));
        }
        let now = clock::now();
        let event = Event::changed_fields(
            "price_level.remove_price",
            "price_level",
            id,
            &json!({ "product_id": product_id }),
            &json!({ "product_id": product_id, "price": null }),
        );
        audit::store::record(conn, &who, &event, &now)?;
        detail(conn, id)
    })
    .await
}
