//! The dashboard numbers: the original system's maintenance queries as one API.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::{AppResult, ErrorBody};
use crate::money::Money;
use crate::orders::types::{Order, OrderStatus};
use crate::products::types::Product;
use crate::{orders, products, users};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stats))
}

#[derive(Serialize, ToSchema)]
pub struct Totals {
    pub users: i64,
    pub orders: i64,
    pub products: i64,
    pub completed_orders: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StatusTotal {
    pub status: OrderStatus,
    pub count: i64,
    pub total_amount: Money,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    pub totals: Totals,
    /// Every status, with zero for those without orders.
    pub orders_by_status: Vec<StatusTotal>,
    /// The 10 newest orders.
    pub recent_orders: Vec<Order>,
    /// Active products below their low-stock threshold, lowest first (at most 20).
    pub low_stock_products: Vec<Product>,
}

/// Dashboard totals, orders per status, recent orders and low-stock products.
#[utoipa::path(get, path = "/api/stats", tag = "stats", security(("bearer" = ["staff"])),
    responses(
        (status = 200, description = "The dashboard numbers", body = Stats),
        (status = 403, description = "Staff only", body = ErrorBody),
    ))]
async fn stats(State(state): State<AppState>) -> AppResult<Json<Stats>> {
    let stats = state
        .db
        .read(|conn| {
            let by_status = orders::store::totals_by_status(conn)?;
            let orders_by_status: Vec<StatusTotal> = OrderStatus::ALL
                .into_iter()
                .map(|status| {
                    let found = by_status.iter().find(|(s, _, _)| *s == status);
                    StatusTotal {
                        status,
                        count: found.map_or(0, |f| f.1),
                        total_amount: found.map_or(Money::ZERO, |f| f.2),
                    }
                })
                .collect();
            let order_count = orders_by_status.iter().map(|s| s.count).sum();
            let completed = orders_by_status
                .iter()
                .find(|s| s.status == OrderStatus::Completed)
                .map_or(0, |s| s.count);
            let recent_orders = orders::store::recent(conn, 10)?;
            Ok(Stats {
                totals: Totals {
                    users: users::store::count(conn)?,
                    orders: order_count,
                    products: products::store::count(conn)?,
                    completed_orders: completed,
                },
                orders_by_status,
                recent_orders,
                low_stock_products: products::store::low_stock(conn, 20)?,
            })
        })
        .await?;
    Ok(Json(stats))
}
