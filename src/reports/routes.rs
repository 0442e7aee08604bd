//! /api/reports: sales, products, statuses, customers, low stock.

use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::csv::{FormatParams, Row, respond};
use super::{Grouping, SalesRow, TaxRow, bucket, span, store};
use crate::app::AppState;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiQuery;
use crate::http::list::DateRange;
use crate::money::Total;
use crate::orders::types::OrderStatus;
use crate::products;
use crate::products::types::Product;
use crate::transfer::export::Lang;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sales))
        .routes(routes!(sales_by_product))
        .routes(routes!(orders_by_status))
        .routes(routes!(top_customers))
        .routes(routes!(low_stock))
        .routes(routes!(tax_by_rate))
        .routes(routes!(margins))
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MarginGrouping {
    #[default]
    Day,
    Product,
    Category,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MarginParams {
    /// day (default, the shop's days), product or category.
    pub by: Option<MarginGrouping>,
}

#[derive(Serialize, ToSchema)]
pub struct MarginRow {
    /// 2026-12-03, a product's id, or a category's id ("" for products in none).
    pub key: String,
    /// The product's or category's name; the day for days.
    pub name: String,
    /// Units sold and kept.
    pub quantity: i64,
    /// What the lines with a known cost sold for, after returns.
    pub revenue: Total,
    /// Their cost at the time of sale.
    pub cost: Total,
    pub gross_profit: Total,
    /// Gross profit over revenue in basis points (2350 is 23.50%); null without revenue.
    pub margin_bp: Option<i64>,
    /// What lines without a known cost price sold for: left out of the margin, not counted
    /// as free.
    pub revenue_without_cost: Total,
}

#[derive(Serialize, ToSchema)]
pub struct MarginReport {
    pub by: MarginGrouping,
    pub first_day: String,
    pub last_day: String,
    pub currency_code: String,
    pub rows: Vec<MarginRow>,
    pub total: MarginRow,
}

fn margin_row(key: String, name: String, quantity: i64, revenue: Total, cost: Total, unknown: Total) -> MarginRow {
    let profit = revenue.minor() - cost.minor();
    // Rounded half away from zero to a basis point.
    let margin_bp = (revenue.minor() > 0).then(|| {
        let r = revenue.minor();
        let scaled = profit * 10_000;
        let rounded = if scaled >= 0 {
            (2 * scaled + r) / (2 * r)
        } else {
            (2 * scaled - r) / (2 * r)
        };
        i64::try_from(rounded).unwrap_or(i64::MIN)
    });
    MarginRow {
        key,
        name,
        quantity,
        revenue,
        cost,
        gross_profit: Total::from_minor(profit),
        margin_bp,
        revenue_without_cost: unknown,
    }
}

/// Gross margin of sales (confirmed, shipped, completed orders) per day, product or category:
/// line values after returns against their cost price at the time of sale. Lines sold while
/// their product's cost was unknown are reported apart, not as free.
#[utoipa::path(get, path = "/api/reports/margins", tag = "reports", security(("bearer" = ["staff"])),
    params(MarginParams, DateRange, FormatParams),
    responses(
        (status = 200, description = "Margins per group, with the total (or, with format=csv, the rows and the total as a file)", body = MarginReport),
        (status = 422, description = "Bad range or grouping", body = ErrorBody),
    ))]
async fn margins(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<MarginParams>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    use store::MarginKey;
    let settings = state.settings.get();
    let tz = settings.tz();
    let span = span(&range, tz)?;
    let by = p.by.unwrap_or_default();
    let key = match by {
        MarginGrouping::Day => MarginKey::Slot,
        MarginGrouping::Product => MarginKey::Product,
        MarginGrouping::Category => MarginKey::Category,
    };
    let (from, to) = (span.from.clone(), span.to.clone());
    let (sums, names) = state
        .db
        .read(move |conn| {
            let sums = store::margins(conn, &from, &to, key)?;
            let names: std::collections::HashMap<String, String> = match key {
                MarginKey::Product => sums
                    .iter()
                    .filter_map(|s| s.key.as_deref()?.parse::<i64>().ok())
                    .map(|id| Ok((id.to_string(), products::store::get(conn, id)?.name)))
                    .collect::<AppResult<_>>()?,
                MarginKey::Category => products::categories::store::paths(conn)?
                    .into_iter()
                    .map(|(id, path)| (id.to_string(), path))
                    .collect(),
                MarginKey::Slot | MarginKey::Total => Default::default(),
            };
            Ok((sums, names))
        })
        .await?;
    let mut rows: Vec<MarginRow> = Vec::new();
    for s in sums {
        let raw = s.key.unwrap_or_default();
        let (key, name) = match by {
            MarginGrouping::Day => {
                let at = chrono::NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M")
                    .map_err(AppError::internal)?
                    .and_utc();
                let day = super::period(at.with_timezone(&tz).date_naive(), super::Grouping::Day);
                (day.clone(), day)
            }
            _ => {
                let name = names.get(&raw).cloned().unwrap_or_default();
                (raw, name)
            }
        };
        match rows.iter_mut().find(|r| r.key == key) {
            Some(row) => {
                *row = margin_row(
                    key,
                    name,
                    row.quantity + s.quantity,
                    row.revenue.plus(s.revenue),
                    row.cost.plus(s.cost),
                    row.revenue_without_cost.plus(s.revenue_without_cost),
                );
            }
            None => rows.push(margin_row(
                key,
                name,
                s.quantity,
                s.revenue,
                s.cost,
                s.revenue_without_cost,
            )),
        }
    }
    if !matches!(by, MarginGrouping::Day) {
        rows.sort_by_key(|r| std::cmp::Reverse(r.gross_profit));
    }
    let (mut q, mut rev, mut cost, mut unknown) = (0, Total::ZERO, Total::ZERO, Total::ZERO);
    for r in &rows {
        q += r.quantity;
        rev = rev.plus(r.revenue);
        cost = cost.plus(r.cost);
        unknown = unknown.plus(r.revenue_without_cost);
    }
    let report = MarginReport {
        by,
        first_day: span.first_day.to_string(),
        last_day: span.last_day.to_string(),
        currency_code: settings.currency_code.clone(),
        rows,
        total: margin_row("total".into(), String::new(), q, rev, cost, unknown),
    };
    let mut lines: Vec<&MarginRow> = report.rows.iter().collect();
    lines.push(&report.total);
    respond(&f, "margins", &report, &lines)
}

impl Row for &MarginRow {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("key", "编号"),
        ("name", "名称"),
        ("quantity", "数量"),
        ("revenue", "销售额"),
        ("cost", "成本"),
        ("gross_profit", "毛利"),
        ("margin_percent", "毛利率%"),
        ("revenue_without_cost", "无成本价的销售额"),
    ];
    fn cells(&self, lang: Lang) -> Vec<String> {
        let key = match (self.key.as_str(), lang) {
            ("total", Lang::English) => "Total".to_owned(),
            ("total", _) => "合计".to_owned(),
            (k, _) => k.to_owned(),
        };
        // Basis points as a percent with two decimals: 2350 is 23.50.
        let margin = self
            .margin_bp
            .map(|bp| {
                format!(
                    "{}{}.{:02}",
                    if bp < 0 { "-" } else { "" },
                    bp.abs() / 100,
                    bp.abs() % 100
                )
            })
            .unwrap_or_default();
        vec![
            key,
            self.name.clone(),
            self.quantity.to_string(),
            self.revenue.to_string(),
            self.cost.to_string(),
            self.gross_profit.to_string(),
            margin,
            self.revenue_without_cost.to_string(),
        ]
    }
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

/// Sales (confirmed, shipped and completed orders) per day, week or month; by default the
/// last 30 days.
#[utoipa::path(get, path = "/api/reports/sales", tag = "reports", security(("bearer" = ["staff"])),
    params(SalesParams, DateRange, FormatParams),
    responses(
        (status = 200, description = "Sales per period (or, with format=csv, the rows as a file)", body = SalesReport),
        (status = 422, description = "Bad range or grouping", body = ErrorBody),
    ))]
async fn sales(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SalesParams>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let settings = state.settings.get();
    let tz = settings.tz();
    let span = span(&range, tz)?;
    let group = p.group.unwrap_or_default();
    let (from, to) = (span.from.clone(), span.to.clone());
    let slots = state.db.read(move |conn| store::sales_slots(conn, &from, &to)).await?;
    let rows = bucket(&slots, &span, group, tz)?;
    let total_orders = rows.iter().map(|r| r.orders).sum();
    let total_revenue = rows.iter().fold(Total::ZERO, |acc, r| acc.plus(r.revenue));
    let report = SalesReport {
        group,
        first_day: span.first_day.to_string(),
        last_day: span.last_day.to_string(),
        currency_code: settings.currency_code.clone(),
        rows,
        total_orders,
        total_revenue,
    };
    respond(&f, "sales", &report, &report.rows)
}

impl Row for SalesRow {
    const HEADERS: &'static [(&'static str, &'static str)] =
        &[("period", "时段"), ("orders", "订单数"), ("revenue", "销售额")];
    fn cells(&self, _: Lang) -> Vec<String> {
        vec![self.period.clone(), self.orders.to_string(), self.revenue.to_string()]
    }
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
    params(LimitParams, DateRange, FormatParams),
    responses(
        (status = 200, description = "Products by revenue (or, with format=csv, a file)", body = Vec<ProductSalesRow>),
        (status = 422, description = "Bad range or limit", body = ErrorBody),
    ))]
async fn sales_by_product(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LimitParams>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let span = span(&range, state.settings.get().tz())?;
    let limit = limit(&p)?;
    let rows = state
        .db
        .read(move |conn| store::sales_by_product(conn, &span.from, &span.to, limit))
        .await?;
    let rows: Vec<ProductSalesRow> = rows
        .into_iter()
        .map(|r| ProductSalesRow {
            product_id: r.product_id,
            sku: r.sku,
            name: r.name,
            quantity: r.quantity,
            orders: r.orders,
            revenue: r.revenue,
        })
        .collect();
    respond(&f, "products", &rows, &rows)
}

impl Row for ProductSalesRow {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("sku", "SKU"),
        ("name", "商品"),
        ("quantity", "数量"),
        ("orders", "订单数"),
        ("revenue", "销售额"),
    ];
    fn cells(&self, _: Lang) -> Vec<String> {
        vec![
            self.sku.clone(),
            self.name.clone(),
            self.quantity.to_string(),
            self.orders.to_string(),
            self.revenue.to_string(),
        ]
    }
}

#[derive(Serialize, ToSchema)]
pub struct StatusRow {
    pub status: OrderStatus,
    pub count: i64,
    pub total_amount: Total,
}

/// Orders created in a range (default: the last 30 days) per status, every status listed.
#[utoipa::path(get, path = "/api/reports/orders-by-status", tag = "reports", security(("bearer" = ["staff"])),
    params(DateRange, FormatParams),
    responses(
        (status = 200, description = "Orders per status (or, with format=csv, a file)", body = Vec<StatusRow>),
        (status = 422, description = "Bad range", body = ErrorBody),
    ))]
async fn orders_by_status(
    State(state): State<AppState>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let span = span(&range, state.settings.get().tz())?;
    let found = state
        .db
        .read(move |conn| store::by_status(conn, &span.from, &span.to))
        .await?;
    let rows: Vec<StatusRow> = OrderStatus::ALL
        .into_iter()
        .map(|status| {
            let found = found.iter().find(|(s, _, _)| *s == status);
            StatusRow {
                status,
                count: found.map_or(0, |f| f.1),
                total_amount: found.map_or(Total::ZERO, |f| f.2),
            }
        })
        .collect();
    respond(&f, "orders-by-status", &rows, &rows)
}

impl Row for StatusRow {
    const HEADERS: &'static [(&'static str, &'static str)] =
        &[("status", "状态"), ("count", "订单数"), ("total_amount", "金额")];
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            lang.order_status(self.status).to_owned(),
            self.count.to_string(),
            self.total_amount.to_string(),
        ]
    }
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
    params(LimitParams, DateRange, FormatParams),
    responses(
        (status = 200, description = "Customers by revenue (or, with format=csv, a file)", body = Vec<CustomerRow>),
        (status = 422, description = "Bad range or limit", body = ErrorBody),
    ))]
async fn top_customers(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LimitParams>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let span = span(&range, state.settings.get().tz())?;
    let limit = limit(&p)?;
    let rows = state
        .db
        .read(move |conn| store::top_customers(conn, &span.from, &span.to, limit))
        .await?;
    let rows: Vec<CustomerRow> = rows
        .into_iter()
        .map(|r| CustomerRow {
            customer_id: r.customer_id,
            name: r.name,
            orders: r.orders,
            revenue: r.revenue,
        })
        .collect();
    respond(&f, "top-customers", &rows, &rows)
}

impl Row for CustomerRow {
    const HEADERS: &'static [(&'static str, &'static str)] =
        &[("customer", "客户"), ("orders", "订单数"), ("revenue", "销售额")];
    fn cells(&self, _: Lang) -> Vec<String> {
        vec![self.name.clone(), self.orders.to_string(), self.revenue.to_string()]
    }
}

/// Tax collected per rate over a range (default: the last 30 days), from the sales
/// (confirmed, shipped and completed orders), each line at the rate it was taken with.
#[utoipa::path(get, path = "/api/reports/tax", tag = "reports", security(("bearer" = ["staff"])),
    params(DateRange, FormatParams),
    responses(
        (status = 200, description = "Tax per rate (or, with format=csv, a file)", body = Vec<TaxRow>),
        (status = 422, description = "Bad range", body = ErrorBody),
    ))]
async fn tax_by_rate(
    State(state): State<AppState>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let span = span(&range, state.settings.get().tz())?;
    let rows = state
        .db
        .read(move |conn| store::tax_by_rate(conn, &span.from, &span.to))
        .await?;
    respond(&f, "tax", &rows, &rows)
}

impl Row for TaxRow {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("tax_rate_percent", "税率(%)"),
        ("orders", "订单数"),
        ("net_amount", "不含税金额"),
        ("tax_amount", "税额"),
        ("gross_amount", "含税金额"),
    ];
    fn cells(&self, _: Lang) -> Vec<String> {
        vec![
            self.tax_rate.to_string(),
            self.orders.to_string(),
            self.net_amount.to_string(),
            self.tax_amount.to_string(),
            self.gross_amount.to_string(),
        ]
    }
}

/// Active products below their low-stock threshold, lowest stock first.
#[utoipa::path(get, path = "/api/reports/low-stock", tag = "reports", security(("bearer" = ["staff"])),
    params(LimitParams, FormatParams),
    responses(
        (status = 200, description = "Low-stock products (or, with format=csv, a file)", body = Vec<Product>),
        (status = 422, description = "Bad limit", body = ErrorBody),
    ))]
async fn low_stock(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<LimitParams>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let limit = limit(&LimitParams {
        limit: Some(p.limit.unwrap_or(200)),
    })?;
    let rows = state
        .db
        .read(move |conn| products::store::low_stock(conn, limit))
        .await?;
    respond(&f, "low-stock", &rows, &rows)
}

impl Row for Product {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("sku", "SKU"),
        ("name", "名称"),
        ("stock_quantity", "库存"),
        ("low_stock_threshold", "低库存阈值"),
        ("status", "状态"),
    ];
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.sku.clone(),
            self.name.clone(),
            self.stock_quantity.to_string(),
            self.low_stock_threshold.map(|t| t.to_string()).unwrap_or_default(),
            lang.product_status(self.status).to_owned(),
        ]
    }
}
