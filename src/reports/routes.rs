//! /api/reports: sales, products, statuses, customers, low stock.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Grouping, SalesRow, bucket, span, store};
use crate::app::AppState;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiQuery;
use crate::http::list::DateRange;
use crate::money::Total;
use crate::orders::types::OrderStatus;
use crate::products;
use crate::products::types::Product;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sales))
        .routes(routes!(sales_by_product))
        .routes(routes!(orders_by_status))
        .routes(routes!(top_customers))
        .routes(routes!(low_stock))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalesParams {
    /// day (default), week or month.
    pub group: Option<Grouping>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LimitParams {
    /// How many rows, at most 200 (default 10).
    pub limit: Option<i64>,
}

fn limit(p: &LimitParams) -> AppResult<i64> {
    match p.limit.unwrap_or(10) {
        n @ 1..=200 => Ok(n),
        _ => Err(AppError::validation("limit", "must be between 1 and 200")),
    }
}

#[derive(Serialize, ToSchema)]
pub struct SalesReport {
    pub group: Grouping,
    /// The shop's first and last day covered.
    pub first_day: String,
    pub last_day: String,
    pub currency_code: String,
    /// One row per period, zero when nothing sold.
    pub rows: Vec<SalesRow>,
    pub total_orders: i64,
    pub total_revenue: Total,
}

/// Sales (orders that were not cancelled) per day, week or month; by default the last 30 days.
#[utoipa::path(get, path = "/api/reports/sales", tag = "reports", security(("bearer" = ["staff"])),
    params(SalesParams, DateRange),
    responses(
        (status = 200, description = "Sales per period", body = SalesReport),
        (status = 422, description = "Bad range or grouping", body = ErrorBody),
    ))]
async fn sales(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SalesParams>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<SalesReport>> {
    let settings = state.settings.get();
    let tz = settings.tz();
    let span = span(&range, tz)?;
    let group = p.group.unwrap_or_default();
    let (from, to) = (span.from.clone(), span.to.clone());
    let slots = state.db.read(move |conn| store::sales_slots(conn, &from, &to)).await?;
    let rows = bucket(&slots, &span, group, tz)?;
    let total_orders = rows.iter().map(|r| r.orders).sum();
    let total_revenue = rows.iter().fold(Total::ZERO, |acc, r| acc.plus(r.revenue));
    Ok(Json(SalesReport {
        group,
        first_day: span.first_day.to_string(),
        last_day: span.last_day.to_string(),
        currency_code: settings.currency_code.clone(),
        rows,
        total_orders,
        total_revenue,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ProductSalesRow {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub orders: i64,
    pub revenue: Total,
}

/// Best-selling products over a range (default: the last 30 days), by revenue.
#[utoipa::path(get, path = "/api/reports/products", tag = "reports", security(("bearer" = ["staff"])),
    params(LimitParams, DateRange),
    responses(
        (status = 200, description = "Products by revenue", body = Vec<ProductSalesRow>),
        (status = 422, description = "Bad range or limit", body = ErrorBody),
    ))]
async fn sales_by_product(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LimitParams>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<Vec<ProductSalesRow>>> {
    let span = span(&range, state.settings.get().tz())?;
    let limit = limit(&p)?;
    let rows = state
        .db
        .read(move |conn| store::sales_by_product(conn, &span.from, &span.to, limit))
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ProductSalesRow {
                product_id: r.product_id,
                sku: r.sku,
                name: r.name,
                quantity: r.quantity,
                orders: r.orders,
                revenue: r.revenue,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct StatusRow {
    pub status: OrderStatus,
    pub count: i64,
    pub total_amount: Total,
}

/// Orders created in a range (default: the last 30 days) per status, every status listed.
#[utoipa::path(get, path = "/api/reports/orders-by-status", tag = "reports", security(("bearer" = ["staff"])),
    params(DateRange),
    responses(
        (status = 200, description = "Orders per status", body = Vec<StatusRow>),
        (status = 422, description = "Bad range", body = ErrorBody),
    ))]
async fn orders_by_status(
    State(state): State<AppState>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<Vec<StatusRow>>> {
    let span = span(&range, state.settings.get().tz())?;
    let found = state
        .db
        .read(move |conn| store::by_status(conn, &span.from, &span.to))
        .await?;
    Ok(Json(
        OrderStatus::ALL
            .into_iter()
            .map(|status| {
                let f = found.iter().find(|(s, _, _)| *s == status);
                StatusRow {
                    status,
                    count: f.map_or(0, |f| f.1),
                    total_amount: f.map_or(Total::ZERO, |f| f.2),
                }
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CustomerRow {
    pub customer_id: i64,
    pub name: String,
    pub orders: i64,
    pub revenue: Total,
}

/// The customers who bought the most over a range (default: the last 30 days).
#[utoipa::path(get, path = "/api/reports/top-customers", tag = "reports", security(("bearer" = ["staff"])),
    params(LimitParams, DateRange),
    responses(
        (status = 200, description = "Customers by revenue", body = Vec<CustomerRow>),
        (status = 422, description = "Bad range or limit", body = ErrorBody),
    ))]
async fn top_customers(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LimitParams>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<Vec<CustomerRow>>> {
    let span = span(&range, state.settings.get().tz())?;
    let limit = limit(&p)?;
    let rows = state
        .db
        .read(move |conn| store::top_customers(conn, &span.from, &span.to, limit))
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| CustomerRow {
                customer_id: r.customer_id,
                name: r.name,
                orders: r.orders,
                revenue: r.revenue,
            })
            .collect(),
    ))
}

/// Active products below their low-stock threshold, lowest stock first.
#[utoipa::path(get, path = "/api/reports/low-stock", tag = "reports", security(("bearer" = ["staff"])),
    params(LimitParams),
    responses(
        (status = 200, description = "Low-stock products", body = Vec<Product>),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn low_stock(State(state): State<AppState>, ApiQuery(p): ApiQuery<LimitParams>) -> AppResult<Json<Vec<Product>>> {
    let limit = limit(&LimitParams {
        limit: Some(p.limit.unwrap_or(200)),
    })?;
    state
        .db
        .read(move |conn| products::store::low_stock(conn, limit))
        .await
        .map(Json)
}
