//! /api/orders/{id}/payments: the money on an order.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{NewPayment, PaymentLedger, VoidPayment};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_payments, record_payment))
        .routes(routes!(void_payment))
}

/// An order's payments, refunds and voids, oldest first, and where it stands: paid, balance
/// due, refund due. Customers see those of their own orders.
#[utoipa::path(get, path = "/api/orders/{id}/payments", tag = "payments", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order's journal", body = PaymentLedger),
        (status = 404, description = "No such order (or not the caller's)", body = ErrorBody),
    ))]
async fn list_payments(
    State(state): State<AppState>,
    viewer: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<PaymentLedger>> {
    super::ledger_for(&state.db, &viewer, id).await.map(Json)
}

/// Record a payment received (partial, several, or in advance on a pending order) or a
/// refund given. A payment beyond the balance due is refused unless `allow_overpayment`; a
/// refund beyond what was paid less refunded always is.
#[utoipa::path(post, path = "/api/orders/{id}/payments", tag = "payments", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Order id")), request_body = NewPayment,
    responses(
        (status = 201, description = "Recorded; the order's journal", body = PaymentLedger),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "More than the balance due (overpayment), a payment on a cancelled order (order_cancelled), or a refund beyond what was paid (refund_exceeds_paid)", body = ErrorBody),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn record_payment(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<NewPayment>,
) -> AppResult<(StatusCode, Json<PaymentLedger>)> {
    let ledger = super::record(&state.db, &state.settings.get(), &actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(ledger)))
}

/// Reverse a payment or refund recorded by mistake. Nothing is deleted: a void entry names
/// the entry, who voided it and why.
#[utoipa::path(post, path = "/api/orders/{id}/payments/{payment_id}/void", tag = "payments", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Order id"), ("payment_id" = i64, Path, description = "The entry to reverse")),
    request_body = VoidPayment,
    responses(
        (status = 201, description = "Voided; the order's journal", body = PaymentLedger),
        (status = 404, description = "No such order or entry", body = ErrorBody),
        (status = 409, description = "Already voided, a void, or a payment refunded since (refund_first)", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    ))]
async fn void_payment(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path((id, payment_id)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<VoidPayment>,
) -> AppResult<(StatusCode, Json<PaymentLedger>)> {
    let ledger = super::void(&state.db, &actor, id, payment_id, body).await?;
    Ok((StatusCode::CREATED, Json(ledger)))
}
