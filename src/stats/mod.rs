//! The dashboard numbers: the original system's maintenance queries as one API.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::{AppResult, ErrorBody};
use chrono::Utc;

use crate::clock;
use crate::money::{Money, Total};
use crate::orders::types::{Order, OrderStatus};
use crate::products::types::Product;
use crate::{orders, payments, products, reports, users};

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

/// How today (the shop's day) is going.
#[derive(Serialize, ToSchema)]
pub struct Today {
    /// Orders taken today, whatever their status.
    pub orders: i64,
    /// Of those, the sales: confirmed, shipped or completed.
    pub sale_orders: i64,
    /// Their revenue.
    pub sales: Total,
    /// Money taken today by method (received less refunded, by when it changed hands), the
    /// shop's methods in their order, then any others used.
    pub takings: Vec<Takings>,
    /// The sum of `takings`.
    pub takings_total: Total,
    /// Today's sales less their cost at the time of sale (lines with a known cost only; see
    /// GET /api/reports/margins). Admins only: null for staff.
    pub gross_profit: Option<Total>,
}

#[derive(Serialize, ToSchema)]
pub struct Takings {
    pub method: String,
    pub amount: Total,
}

/// What customers owe on orders not cancelled (untracked orders are not counted).
#[derive(Serialize, ToSchema)]
pub struct Receivable {
    pub amount: Total,
    /// How many orders owe it.
    pub orders: i64,
}

/// What a new shop has still to do, for the getting-started list of an empty dashboard.
#[derive(Serialize, ToSchema)]
pub struct GettingStarted {
    /// The shop's name has been changed from the default.
    pub shop_named: bool,
    pub has_products: bool,
    pub has_orders: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    pub today: Today,
    pub receivable: Receivable,
    /// Pending orders, waiting to be confirmed.
    pub to_confirm: i64,
    /// Confirmed orders, waiting to be shipped.
    pub to_ship: i64,
    /// Active products below their low-stock threshold.
    pub low_stock_count: i64,
    pub getting_started: GettingStarted,
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
async fn stats(State(state): State<AppState>, viewer: crate::auth::CurrentUser) -> AppResult<Json<Stats>> {
    let admin = viewer.role >= crate::users::types::Role::Admin;
    let settings = state.settings.get();
    let tz = settings.tz();
    let today = Utc::now().with_timezone(&tz).format("%Y-%m-%d").to_string();
    let bound = |b| clock::parse_bound(&today, b, tz).ok_or_else(|| crate::error::AppError::internal("no such day"));
    let (from, to) = (bound(clock::Bound::From)?, bound(clock::Bound::To)?);
    let shop_named = settings.business_name != crate::settings::Settings::default().business_name;
    let methods = settings.payment_methods.clone();
    let stats = state
        .db
        .read(move |conn| {
            let (orders_today, sale_orders, sales) = reports::store::day_summary(conn, &from, &to)?;
            let gross_profit = if admin {
                let sums = reports::store::margins(conn, &from, &to, reports::store::MarginKey::Total)?;
                let profit: i128 = sums.iter().map(|s| s.revenue.minor() - s.cost.minor()).sum();
                Some(Total::from_minor(profit))
            } else {
                None
            };
            let mut by_method = payments::store::takings_by_method(conn, &from, &to)?;
            by_method.sort_by_key(|(m, _)| methods.iter().position(|k| k == m).unwrap_or(usize::MAX));
            let takings_total = by_method.iter().fold(Total::ZERO, |sum, (_, t)| sum.plus(*t));
            let takings = by_method
                .into_iter()
                .map(|(method, amount)| Takings { method, amount })
                .collect();
            let (receivable, owing) = payments::store::receivable(conn)?;
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
            let count_of = |status| {
                orders_by_status
                    .iter()
                    .find(|s| s.status == status)
                    .map_or(0, |s| s.count)
            };
            let product_count = products::store::count(conn)?;
            Ok(Stats {
                today: Today {
                    orders: orders_today,
                    sale_orders,
                    sales,
                    takings,
                    takings_total,
                    gross_profit,
                },
                receivable: Receivable {
                    amount: receivable,
                    orders: owing,
                },
                to_confirm: count_of(OrderStatus::Pending),
                to_ship: count_of(OrderStatus::Confirmed),
                low_stock_count: products::store::low_stock_count(conn)?,
                getting_started: GettingStarted {
                    shop_named,
                    has_products: product_count > 0,
                    has_orders: order_count > 0,
                },
                totals: Totals {
                    users: users::store::count(conn)?,
                    orders: order_count,
                    products: product_count,
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
