//! /api/orders/{id}/returns: goods that came back.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Checked;
use super::types::{NewReturn, OrderReturn};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::orders::types::OrderView;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_returns, create_return))
}

/// An order's returns, oldest first. Customers see those of their own orders.
#[utoipa::path(get, path = "/api/orders/{id}/returns", tag = "returns", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The returns", body = Vec<OrderReturn>),
        (status = 404, description = "No such order (or not the caller's)", body = ErrorBody),
    ))]
async fn list_returns(
    State(state): State<AppState>,
    viewer: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<OrderReturn>>> {
    let returns = state
        .db
        .read(move |conn| {
            crate::orders::check_visible(conn, &viewer, &crate::orders::store::get(conn, id)?)?;
            super::store::for_order(conn, id)
        })
        .await?;
    Ok(Json(returns))
}

/// Record goods that came back from a shipped or completed order: per line how many (at most
/// what was shipped and not yet returned) and whether they go back to stock or are written off
/// as damaged, why, and optionally the refund given (at most what was paid and not yet
/// refunded). When everything has come back the order is `returned`.
#[utoipa::path(post, path = "/api/orders/{id}/returns", tag = "returns", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Order id")), request_body = NewReturn,
    responses(
        (status = 201, description = "Recorded; the order as it is now", body = OrderView),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Not shipped (order_not_shipped), already returned (already_returned), more than was shipped (more_than_shipped), or a refund beyond what was paid (refund_exceeds_paid)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn create_return(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewReturn>,
) -> AppResult<(StatusCode, Json<OrderView>)> {
    let checked = Checked::of(body, &state.settings.get())?;
    let detail = super::record(&state.db, &actor, id, checked).await?;
    Ok((StatusCode::CREATED, Json(OrderView::new(detail, actor.role))))
}
