//! GET /api/reports/receivables and GET /api/customers/{id}/statement.

use axum::extract::{Path, State};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{ReceivableRow, ReceivablesReport, Statement, StatementEntry, StatementEntryKind};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::clock;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiQuery;
use crate::http::list::DateRange;
use crate::reports::csv::{FormatParams, Row, respond};
use crate::transfer::export::Lang;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receivables))
        .routes(routes!(statement))
}

/// Who owes the shop what, and since when: per customer (and the walk-in orders), what is
/// due on their unpaid and part-paid orders, split by the orders' age in days (0–30, 31–60,
/// 61–90, over 90). Orders taken before payments were recorded (`untracked`) are not counted.
#[utoipa::path(get, path = "/api/reports/receivables", tag = "reports", security(("bearer" = ["staff"])),
    params(FormatParams),
    responses((status = 200, description = "Balances due, the largest first (or, with format=csv, a file)", body = ReceivablesReport)))]
async fn receivables(State(state): State<AppState>, ApiQuery(f): ApiQuery<FormatParams>) -> AppResult<Response> {
    let settings = state.settings.get();
    let (tz, currency) = (settings.tz(), settings.currency_code.clone());
    let report = state
        .db
        .read(move |conn| super::report(conn, chrono::Utc::now(), tz, currency))
        .await?;
    let rows: Vec<_> = report.rows.iter().map(|row| Dated { row, tz }).collect();
    respond(&f, "receivables", &report, &rows)
}

/// A row as the CSV file shows it: times in the shop's time zone, like the exports.
struct Dated<'a, T> {
    row: &'a T,
    tz: chrono_tz::Tz,
}

impl Row for Dated<'_, ReceivableRow> {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("customer", "客户"),
        ("phone", "电话"),
        ("orders", "欠款订单数"),
        ("owed", "欠款"),
        ("days_0_30", "0-30天"),
        ("days_31_60", "31-60天"),
        ("days_61_90", "61-90天"),
        ("days_over_90", "90天以上"),
        ("oldest_order_at", "最早欠款订单"),
    ];
    fn cells(&self, lang: Lang) -> Vec<String> {
        let (r, tz) = (self.row, self.tz);
        let walk_in = if lang == Lang::Chinese { "散客" } else { "walk-in" };
        vec![
            r.customer_name.clone().unwrap_or_else(|| walk_in.to_owned()),
            r.phone.clone().unwrap_or_default(),
            r.orders.to_string(),
            r.owed.to_string(),
            r.ages.days_0_30.to_string(),
            r.ages.days_31_60.to_string(),
            r.ages.days_61_90.to_string(),
            r.ages.days_over_90.to_string(),
            clock::local_display(&r.oldest_order_at, tz),
        ]
    }
}

/// A customer's statement (对账单) for a period (by default the last 30 days): what they owed
/// when it began, each order, cancellation, payment, refund and void with the balance after
/// it, and what they owe at its end. Customers get their own only.
#[utoipa::path(get, path = "/api/customers/{id}/statement", tag = "customers", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Customer id"), DateRange, FormatParams),
    responses(
        (status = 200, description = "The statement (or, with format=csv, its entries as a file)", body = Statement),
        (status = 404, description = "No such customer (or not the caller's own)", body = ErrorBody),
        (status = 422, description = "Bad range, or too many entries in it", body = ErrorBody),
    ))]
async fn statement(
    State(state): State<AppState>,
    viewer: CurrentUser,
    Path(id): Path<i64>,
    ApiQuery(range): ApiQuery<DateRange>,
    ApiQuery(f): ApiQuery<FormatParams>,
) -> AppResult<Response> {
    let settings = state.settings.get();
    let tz = settings.tz();
    let span = crate::reports::span(&range, tz)?;
    let currency = settings.currency_code.clone();
    let found = state
        .db
        .read(move |conn| {
            if let Some(own) = crate::orders::visible_customer(conn, &viewer)?
                && own != Some(id)
            {
                return Ok(None);
            }
            super::statement(conn, id, &span, currency)
        })
        .await?;
    let statement = found.ok_or_else(|| AppError::not_found("customer"))?;
    let rows: Vec<_> = statement.entries.iter().map(|row| Dated { row, tz }).collect();
    respond(&f, "statement", &statement, &rows)
}

fn kind_label(kind: StatementEntryKind, lang: Lang) -> &'static str {
    use StatementEntryKind::*;
    match (kind, lang) {
        (Order, Lang::Chinese) => "订单",
        (Cancellation, Lang::Chinese) => "取消订单",
        (Payment, Lang::Chinese) => "收款",
        (Refund, Lang::Chinese) => "退款",
        (Void, Lang::Chinese) => "冲销",
        (Order, _) => "order",
        (Cancellation, _) => "cancellation",
        (Payment, _) => "payment",
        (Refund, _) => "refund",
        (Void, _) => "void",
    }
}

impl Row for Dated<'_, StatementEntry> {
    const HEADERS: &'static [(&'static str, &'static str)] = &[
        ("at", "时间"),
        ("kind", "类型"),
        ("order_number", "订单号"),
        ("method", "方式"),
        ("reference", "交易号"),
        ("amount", "金额"),
        ("balance", "余额"),
    ];
    fn cells(&self, lang: Lang) -> Vec<String> {
        let e = self.row;
        vec![
            clock::local_display(&e.at, self.tz),
            kind_label(e.kind, lang).to_owned(),
            e.order_number.clone(),
            e.method.as_deref().map(|m| lang.payment_method(m)).unwrap_or_default(),
            e.reference.clone().unwrap_or_default(),
            e.amount.to_string(),
            e.balance.to_string(),
        ]
    }
}
