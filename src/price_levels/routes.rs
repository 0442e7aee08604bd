//! /api/price-levels: customer price levels (会员价).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{NewPriceLevel, PriceLevel, PriceLevelDetail, PriceLevelPatch, SetLevelPrice};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_levels, create_level))
        .routes(routes!(get_level, update_level, delete_level))
        .routes(routes!(set_price, remove_price))
}

/// Every price level, by name.
#[utoipa::path(get, path = "/api/price-levels", tag = "price-levels", security(("bearer" = ["staff"])),
    responses((status = 200, description = "The levels", body = Vec<PriceLevel>)))]
async fn list_levels(State(state): State<AppState>, _viewer: CurrentUser) -> AppResult<Json<Vec<PriceLevel>>> {
    super::list(&state.db).await.map(Json)
}

/// Create a level: a name and a percentage off every product.
#[utoipa::path(post, path = "/api/price-levels", tag = "price-levels", security(("bearer" = ["admin"])),
    request_body = NewPriceLevel,
    responses(
        (status = 201, description = "Created", body = PriceLevelDetail),
        (status = 409, description = "A level with that name exists", body = ErrorBody),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn create_level(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewPriceLevel>,
) -> AppResult<(StatusCode, Json<PriceLevelDetail>)> {
    let level = super::create(&state.db, &actor, body).await?;
    Ok((StatusCode::CREATED, Json(level)))
}

/// A level with the prices of its own.
#[utoipa::path(get, path = "/api/price-levels/{id}", tag = "price-levels", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Price level id")),
    responses(
        (status = 200, description = "The level", body = PriceLevelDetail),
        (status = 404, description = "No such level", body = ErrorBody),
    ))]
async fn get_level(
    State(state): State<AppState>,
    _viewer: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<PriceLevelDetail>> {
    super::get(&state.db, id).await.map(Json)
}

/// Rename a level or change its percentage off. Orders already taken keep their prices.
#[utoipa::path(patch, path = "/api/price-levels/{id}", tag = "price-levels", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "Price level id")), request_body = PriceLevelPatch,
    responses(
        (status = 200, description = "Changed", body = PriceLevelDetail),
        (status = 404, description = "No such level", body = ErrorBody),
        (status = 409, description = "A level with that name exists", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_level(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PriceLevelPatch>,
) -> AppResult<Json<PriceLevelDetail>> {
    super::update(&state.db, &actor, id, body).await.map(Json)
}

/// Delete a level: its customers go back to regular prices.
#[utoipa::path(delete, path = "/api/price-levels/{id}", tag = "price-levels", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "Price level id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such level", body = ErrorBody),
    ))]
async fn delete_level(State(state): State<AppState>, actor: CurrentUser, Path(id): Path<i64>) -> AppResult<StatusCode> {
    super::delete(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give a product a price of its own at this level (it wins over the level's percentage).
#[utoipa::path(put, path = "/api/price-levels/{id}/prices/{product_id}", tag = "price-levels", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "Price level id"), ("product_id" = i64, Path, description = "Product id")),
    request_body = SetLevelPrice,
    responses(
        (status = 200, description = "Set; the level", body = PriceLevelDetail),
        (status = 404, description = "No such level or product", body = ErrorBody),
        (status = 422, description = "Invalid price", body = ErrorBody),
    ))]
async fn set_price(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path((id, product_id)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<SetLevelPrice>,
) -> AppResult<Json<PriceLevelDetail>> {
    super::set_price(&state.db, &actor, id, product_id, body)
        .await
        .map(Json)
}

/// Remove a product's own price at this level: the level's percentage applies again.
#[utoipa::path(delete, path = "/api/price-levels/{id}/prices/{product_id}", tag = "price-levels", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "Price level id"), ("product_id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Removed; the level", body = PriceLevelDetail),
        (status = 404, description = "No such level, or no price of its own for that product", body = ErrorBody),
    ))]
async fn remove_price(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path((id, product_id)): Path<(i64, i64)>,
) -> AppResult<Json<PriceLevelDetail>> {
    super::remove_price(&state.db, &actor, id, product_id).await.map(Json)
}
