//! /api/orders: taking orders and moving them through the workflow.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, OrderFilter};
use super::types::{NewOrder, Order, OrderPatch, OrderQuote, OrderStatus, OrderView, StatusUpdate};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{DateRange, ListParams, Page, read_page};
use crate::payments::types::PaymentStatus;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders, create_order))
        .routes(routes!(get_order, edit_order))
        .routes(routes!(change_status))
        .routes(routes!(quote_order))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderFilters {
    pub status: Option<OrderStatus>,
    pub customer_id: Option<i64>,
    pub payment_status: Option<PaymentStatus>,
}

const SORTS: &[(&str, &str)] = &[
    ("created_at", "o.created_at"),
    ("order_number", "o.order_number"),
    ("total_amount", "o.total_amount_minor"),
    ("status", "o.status"),
    ("id", "o.id"),
];

/// List orders, newest first; `q` searches the order number (its start, or its last digits),
/// the customer's name and phone. Customers see only their own orders.
#[utoipa::path(get, path = "/api/orders", tag = "orders", security(("bearer" = ["user"])),
    params(ListParams, OrderFilters, DateRange),
    responses(
        (status = 200, description = "A page of orders", body = Page<Order>),
        (status = 422, description = "Bad paging or filter", body = ErrorBody),
    ))]
async fn list_orders(
    State(state): State<AppState>,
    viewer: CurrentUser,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filters): ApiQuery<OrderFilters>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<Page<Order>>> {
    let (from, to) = range.resolve(state.settings.get().tz())?;
    let mut filter = OrderFilter {
        status: filters.status,
        customer_id: filters.customer_id,
        payment_status: filters.payment_status,
        from,
        to,
    };
    read_page(&state.db, params, SORTS, move |conn, paging, order_by| {
        // A customer's list is always narrowed to their own orders, whatever they asked for.
        if let Some(own) = super::visible_customer(conn, &viewer)? {
            let Some(own) = own else { return Ok((Vec::new(), 0)) };
            filter.customer_id = Some(own);
        }
        store::list(conn, &filter, paging, order_by)
    })
    .await
    .map(Json)
}

/// Price an order without taking it: the lines as they would be priced now (the customer's
/// price level, prices and percentages set by staff, tax) and the totals. Nothing is written
/// and no stock is taken or checked.
#[utoipa::path(post, path = "/api/orders/quote", tag = "orders", security(("bearer" = ["user"])), request_body = NewOrder,
    params(QuoteParams),
    responses(
        (status = 200, description = "What the order would come to", body = OrderQuote),
        (status = 403, description = "A customer setting prices or ordering for someone else", body = ErrorBody),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn quote_order(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiQuery(params): ApiQuery<QuoteParams>,
    ApiJson(body): ApiJson<NewOrder>,
) -> AppResult<Json<OrderQuote>> {
    super::quote(&state.db, state.settings.get(), &actor, body, params.order_id)
        .await
        .map(Json)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteParams {
    /// Price the body as an edit of this pending order: its units keep their prices.
    pub order_id: Option<i64>,
}

/// Take an order. Stock is checked and taken in the same transaction; if any line lacks
/// stock, nothing is written and the answer is 409 `insufficient_stock`.
#[utoipa::path(post, path = "/api/orders", tag = "orders", security(("bearer" = ["user"])), request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the same key and body return the original order")),
    responses(
        (status = 201, description = "Created, status pending (or the original order, for a repeated Idempotency-Key)", body = OrderView),
        (status = 403, description = "A customer ordering for someone else", body = ErrorBody),
        (status = 409, description = "Not enough stock (insufficient_stock)", body = ErrorBody),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn create_order(
    State(state): State<AppState>,
    actor: CurrentUser,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewOrder>,
) -> AppResult<Response> {
    let key = headers.get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{0}"));
    let idempotency = key.map(|k| super::Idempotency::new(k, &body)).transpose()?;
    let (order, replayed) = super::create(&state.db, state.settings.get(), &actor, body, idempotency).await?;
    if !replayed {
        state.metrics.orders_created.inc();
    }
    let mut response = (StatusCode::CREATED, Json(OrderView::new(order, actor.role))).into_response();
    if replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// One order with its items and status history.
#[utoipa::path(get, path = "/api/orders/{id}", tag = "orders", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = OrderView),
        (status = 404, description = "No such order (or not the caller's)", body = ErrorBody),
    ))]
async fn get_order(
    State(state): State<AppState>,
    viewer: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<OrderView>> {
    let detail = super::get_for(&state.db, &viewer, id).await?;
    Ok(Json(OrderView::new(detail, viewer.role)))
}

/// Edit a pending order: its items (replacing all lines) and note. Stock moves by the
/// difference in the same transaction; lines already on the order keep their price.
#[utoipa::path(patch, path = "/api/orders/{id}", tag = "orders", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Order id")), request_body = OrderPatch,
    responses(
        (status = 200, description = "Edited", body = OrderView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Not pending (order_not_editable), or not enough stock", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn edit_order(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<OrderPatch>,
) -> AppResult<Json<OrderView>> {
    let detail = super::edit(&state.db, &state.settings.get(), &actor, id, patch).await?;
    Ok(Json(OrderView::new(detail, actor.role)))
}

/// Move an order along pending → confirmed → shipped → completed, or cancel a pending or
/// confirmed one (its stock comes back).
#[utoipa::path(post, path = "/api/orders/{id}/status", tag = "orders", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Order id")), request_body = StatusUpdate,
    responses(
        (status = 200, description = "Status changed", body = OrderView),
        (status = 403, description = "Customers may only cancel their own pending orders", body = ErrorBody),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Not allowed from the current status (invalid_transition)", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    ))]
async fn change_status(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<StatusUpdate>,
) -> AppResult<Json<OrderView>> {
    let detail = super::change_status(&state.db, &actor, id, body.status).await?;
    Ok(Json(OrderView::new(detail, actor.role)))
}
