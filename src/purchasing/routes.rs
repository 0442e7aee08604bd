//! /api/purchase-orders: purchase orders, their receipts and returns, and reorder suggestions.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, PoFilter};
use super::types::{
    FromReorder, NewPurchaseOrder, NewReceipt, PoStatus, PurchaseOrder, PurchaseOrderDetail, PurchaseOrderPatch,
    ReorderSuggestion,
};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{ListParams, Page, read_page};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_purchase_orders, create_purchase_order))
        .routes(routes!(get_purchase_order, update_purchase_order))
        .routes(routes!(set_purchase_order_status))
        .routes(routes!(receive_goods))
        .routes(routes!(return_goods))
        .routes(routes!(reorder_suggestions))
        .routes(routes!(order_from_suggestions))
        .merge(super::suppliers::router())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PoFilters {
    pub status: Option<PoStatus>,
    pub supplier_id: Option<i64>,
}

const SORTS: &[(&str, &str)] = &[("created_at", "o.id"), ("id", "o.id"), ("updated_at", "o.updated_at")];

/// Purchase orders, newest first; `q` searches the supplier's name and the note.
#[utoipa::path(get, path = "/api/purchase-orders", tag = "purchasing", security(("bearer" = ["staff"])),
    params(ListParams, PoFilters),
    responses(
        (status = 200, description = "A page of purchase orders", body = Page<PurchaseOrder>),
        (status = 422, description = "Bad paging or filter", body = ErrorBody),
    ))]
async fn list_purchase_orders(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<PoFilters>,
) -> AppResult<Json<Page<PurchaseOrder>>> {
    let filter = PoFilter {
        status: f.status,
        supplier_id: f.supplier_id,
    };
    let page = read_page(&state.db, params, SORTS, move |conn, paging, order_by| {
        store::list(conn, &filter, paging, order_by)
    })
    .await?;
    Ok(Json(page))
}

/// Start a purchase order: a draft, or with `ordered: true` placed with the supplier at once
/// (every line's cost then required).
#[utoipa::path(post, path = "/api/purchase-orders", tag = "purchasing", security(("bearer" = ["staff"])),
    request_body = NewPurchaseOrder,
    responses(
        (status = 201, description = "Created", body = PurchaseOrderDetail),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn create_purchase_order(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewPurchaseOrder>,
) -> AppResult<(StatusCode, Json<PurchaseOrderDetail>)> {
    let created = super::create(&state.db, &actor, body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One purchase order with its lines, receipts and returns.
#[utoipa::path(get, path = "/api/purchase-orders/{id}", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Purchase order id")),
    responses(
        (status = 200, description = "The purchase order", body = PurchaseOrderDetail),
        (status = 404, description = "No such purchase order", body = ErrorBody),
    ))]
async fn get_purchase_order(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> AppResult<Json<PurchaseOrderDetail>> {
    state.db.read(move |conn| store::detail(conn, id)).await.map(Json)
}

/// Change a draft: supplier, note, or the whole list of lines.
#[utoipa::path(patch, path = "/api/purchase-orders/{id}", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Purchase order id")), request_body = PurchaseOrderPatch,
    responses(
        (status = 200, description = "Changed", body = PurchaseOrderDetail),
        (status = 404, description = "No such purchase order", body = ErrorBody),
        (status = 409, description = "Not a draft any more (purchase_order_status)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_purchase_order(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<PurchaseOrderPatch>,
) -> AppResult<Json<PurchaseOrderDetail>> {
    super::update(&state.db, &actor, id, patch).await.map(Json)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PoStatusChange {
    /// ordered (a draft placed with the supplier) or cancelled.
    pub status: PoStatus,
}

/// Place a draft with the supplier (`ordered`) or cancel a purchase order still waiting for
/// goods (`cancelled`; what already came stays in stock).
#[utoipa::path(post, path = "/api/purchase-orders/{id}/status", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Purchase order id")), request_body = PoStatusChange,
    responses(
        (status = 200, description = "Changed", body = PurchaseOrderDetail),
        (status = 404, description = "No such purchase order", body = ErrorBody),
        (status = 409, description = "Already there (already_in_status) or not allowed from here (purchase_order_status)", body = ErrorBody),
        (status = 422, description = "A line has no cost yet, or a status this route does not set", body = ErrorBody),
    ))]
async fn set_purchase_order_status(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PoStatusChange>,
) -> AppResult<Json<PurchaseOrderDetail>> {
    super::set_status(&state.db, &actor, id, body.status).await.map(Json)
}

/// Receive goods (采购入库), all or part of what is left: stock goes up through the ledger
/// (`purchase`) and each product's cost price becomes the moving weighted average.
#[utoipa::path(post, path = "/api/purchase-orders/{id}/receipts", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Purchase order id")), request_body = NewReceipt,
    responses(
        (status = 201, description = "Received; the purchase order as it is now", body = PurchaseOrderDetail),
        (status = 404, description = "No such purchase order", body = ErrorBody),
        (status = 409, description = "Not ordered, or more than is left (more_than_ordered)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn receive_goods(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewReceipt>,
) -> AppResult<(StatusCode, Json<PurchaseOrderDetail>)> {
    let detail = super::receive(&state.db, &actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Send received goods back to the supplier (退货给供应商): stock goes down through the
/// ledger (`purchase_return`).
#[utoipa::path(post, path = "/api/purchase-orders/{id}/returns", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Purchase order id")), request_body = NewReceipt,
    responses(
        (status = 201, description = "Sent back; the purchase order as it is now", body = PurchaseOrderDetail),
        (status = 404, description = "No such purchase order", body = ErrorBody),
        (status = 409, description = "More than was received and kept (more_than_received), or not in stock (insufficient_stock)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn return_goods(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewReceipt>,
) -> AppResult<(StatusCode, Json<PurchaseOrderDetail>)> {
    let detail = super::return_goods(&state.db, &actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(detail)))
}

/// Products at or under their low-stock threshold, with how many to order (twice the
/// threshold, less stock and what is on order), lowest stock first.
#[utoipa::path(get, path = "/api/purchase-orders/reorder-suggestions", tag = "purchasing", security(("bearer" = ["staff"])),
    responses((status = 200, description = "The suggestions", body = Vec<ReorderSuggestion>)))]
async fn reorder_suggestions(State(state): State<AppState>) -> AppResult<Json<Vec<ReorderSuggestion>>> {
    state.db.read(store::reorder_suggestions).await.map(Json)
}

/// Make a draft purchase order from reorder suggestions in one step.
#[utoipa::path(post, path = "/api/purchase-orders/from-suggestions", tag = "purchasing", security(("bearer" = ["staff"])),
    request_body = FromReorder,
    responses(
        (status = 201, description = "The draft", body = PurchaseOrderDetail),
        (status = 422, description = "A product is not among the suggestions, or the supplier is unknown", body = ErrorBody),
    ))]
async fn order_from_suggestions(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<FromReorder>,
) -> AppResult<(StatusCode, Json<PurchaseOrderDetail>)> {
    let draft = super::from_reorder(&state.db, &actor, body).await?;
    Ok((StatusCode::CREATED, Json(draft)))
}
