//! Stock adjustments and the ledger, under /api/products/{id}.

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::StockAdjustment;
use super::store::{self, Movement};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{ListParams, Page, Paging};
use crate::products;
use crate::products::types::Product;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(adjust_stock))
        .routes(routes!(list_movements))
}

/// Adjust a product's stock by hand: restock, damage or a count correction.
#[utoipa::path(post, path = "/api/products/{id}/stock-adjustments", tag = "inventory", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id")), request_body = StockAdjustment,
    responses(
        (status = 200, description = "The product with its new stock", body = Product),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 409, description = "Stock would go below zero (insufficient_stock)", body = ErrorBody),
        (status = 422, description = "Invalid quantity or reason", body = ErrorBody),
    ))]
async fn adjust_stock(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StockAdjustment>,
) -> AppResult<Json<Product>> {
    super::adjust(&state.db, &actor, id, body).await.map(Json)
}

/// A product's stock ledger, newest first, each row with the running balance after it.
#[utoipa::path(get, path = "/api/products/{id}/movements", tag = "inventory", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id"), ListParams),
    responses(
        (status = 200, description = "A page of movements", body = Page<Movement>),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 422, description = "Bad paging or sort (created_at or id)", body = ErrorBody),
    ))]
async fn list_movements(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> AppResult<Json<Page<Movement>>> {
    let paging = Paging::try_from(params)?;
    let order_by = paging.order_by(store::MOVEMENT_SORTS, true)?;
    let page = state
        .db
        .read(move |conn| {
            products::store::get(conn, id)?;
            let (items, total) = store::movements(conn, id, &paging, &order_by)?;
            Ok(Page::new(items, total, &paging))
        })
        .await?;
    Ok(Json(page))
}
