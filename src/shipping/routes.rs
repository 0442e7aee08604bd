//! /api/orders/{id}/shipments, /api/orders/{id}/ship-to and /api/shipments (the day's list).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{NewShipment, ShipTo, Shipment, ShipmentRow};
use super::{Parcel, store};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::DateRange;
use crate::orders::types::OrderView;
use crate::reports::csv::{FormatParams, Row, respond};
use crate::transfer::export::Lang;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_shipments, create_shipment))
        .routes(routes!(set_ship_to))
        .routes(routes!(shipments_between))
}

/// An order's shipments, oldest first, with their carriers and tracking numbers. Customers
/// see those of their own orders.
#[utoipa::path(get, path = "/api/orders/{id}/shipments", tag = "shipping", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The shipments", body = Vec<Shipment>),
        (status = 404, description = "No such order (or not the caller's)", body = ErrorBody),
    ))]
async fn list_shipments(
    State(state): State<AppState>,
    viewer: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Shipment>>> {
    let shipments = state
        .db
        .read(move |conn| {
            crate::orders::check_visible(conn, &viewer, &crate::orders::store::get(conn, id)?)?;
            store::for_order(conn, id)
        })
        .await?;
    Ok(Json(shipments))
}

/// Ship a confirmed order, whole or in part: the lines and quantities in this parcel (all
/// that is left without `lines`), its carrier and tracking number. The order becomes
/// `shipped` when nothing is left to ship. Stock does not move: it was taken with the order.
#[utoipa::path(post, path = "/api/orders/{id}/shipments", tag = "shipping", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Order id")), request_body = NewShipment,
    responses(
        (status = 201, description = "Shipped; the order as it is now", body = OrderView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Not confirmed (order_not_confirmed), already shipped (already_shipped, nothing_to_ship) or more than is left (more_than_ordered)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn create_shipment(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewShipment>,
) -> AppResult<(StatusCode, Json<OrderView>)> {
    let parcel = Parcel::of(body, &state.settings.get())?;
    let detail = super::ship(&state.db, &actor, id, parcel).await?;
    Ok((StatusCode::CREATED, Json(OrderView::new(detail, actor.role))))
}

/// Change where a pending or confirmed order goes.
#[utoipa::path(put, path = "/api/orders/{id}/ship-to", tag = "shipping", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Order id")), request_body = ShipTo,
    responses(
        (status = 200, description = "Changed", body = OrderView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Already shipped, or cancelled (order_not_editable)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn set_ship_to(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ShipTo>,
) -> AppResult<Json<OrderView>> {
    let detail = super::set_ship_to(&state.db, &actor, id, body).await?;
    Ok(Json(OrderView::new(detail, actor.role)))
}

/// The parcels that went out in a time range (today without one), oldest first: the list a
/// shop hands to the courier. `format=csv` answers a file for Excel.
#[utoipa::path(get, path = "/api/shipments", tag = "shipping", security(("bearer" = ["staff"])),
    params(DateRange, FormatParams),
    responses(
        (status = 200, description = "The shipments", body = Vec<ShipmentRow>),
        (status = 422, description = "Bad range", body = ErrorBody),
    ))]
async fn shipments_between(
    State(state): State<AppState>,
    _staff: CurrentUser,
    ApiQuery(mut range): ApiQuery<DateRange>,
    ApiQuery(format): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let tz = state.settings.get().tz();
    if range.date_from.is_none() && range.date_to.is_none() {
        let today = Utc::now().with_timezone(&tz).date_naive().to_string();
        range.date_from = Some(today.clone());
        range.date_to = Some(today);
    }
    let span = crate::reports::span(&range, tz)?;
    let rows = state
        .db
        .read(move |conn| store::between(conn, &span.from, &span.to))
        .await?;
    // The file is for people: times in the shop's zone.
    let local: Vec<ShipmentRow> = rows
        .iter()
        .cloned()
        .map(|mut r| {
            r.shipped_at = crate::clock::local_display(&r.shipped_at, tz);
            r
        })
        .collect();
    respond(&format, "shipments", &rows, &local)
}

impl Row for ShipmentRow {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("shipped_at", "发货时间"),
        ("order_number", "订单号"),
        ("carrier", "快递公司"),
        ("tracking_number", "运单号"),
        ("recipient", "收货人"),
        ("phone", "电话"),
        ("address", "地址"),
        ("postcode", "邮编"),
        ("contents", "物品"),
        ("shipped_by", "发货人"),
    ];
    fn cells(&self, _: Lang) -> Vec<String> {
        let t = &self.ship_to;
        vec![
            self.shipped_at.clone(),
            self.order_number.clone(),
            self.carrier.clone().unwrap_or_default(),
            self.tracking_number.clone().unwrap_or_default(),
            t.name.clone().unwrap_or_default(),
            t.phone.clone().unwrap_or_default(),
            t.address_line(),
            t.postcode.clone().unwrap_or_default(),
            self.contents.clone(),
            self.shipped_by.clone(),
        ]
    }
}
