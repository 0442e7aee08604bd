//! Keeping the data honest: the consistency check (SQLite's own checks plus the business
//! invariants) and the clean-up of old cancelled orders, the original system's maintenance
//! SQL made safe.

pub mod keys;
pub mod routes;
pub mod store;

use rusqlite::Connection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Event, Who};
use crate::backup::store::{FileCheck, check as file_check};
use crate::clock;
use crate::error::{AppError, AppResult};
use store::{OldOrder, StatusTotalMismatch, StockMismatch, TotalMismatch};

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckReport {
    pub ok: bool,
    pub file: FileCheck,
    /// Products whose stock differs from their ledger, or is negative.
    pub stock_mismatches: Vec<StockMismatch>,
    /// Orders whose total differs from the sum of their items.
    pub total_mismatches: Vec<TotalMismatch>,
    /// Statuses whose dashboard totals differ from their orders.
    pub status_total_mismatches: Vec<StatusTotalMismatch>,
    /// (day, status) rows of the daily totals that differ from their orders.
    pub daily_total_mismatches: i64,
}

pub fn check(conn: &Connection) -> AppResult<CheckReport> {
    let file = file_check(conn)?;
    let stock_mismatches = store::stock_mismatches(conn)?;
    let total_mismatches = store::total_mismatches(conn)?;
    let status_total_mismatches = store::status_total_mismatches(conn)?;
    let daily_total_mismatches = store::daily_total_mismatches(conn)?;
    let ok = file.is_ok()
        && stock_mismatches.is_empty()
        && total_mismatches.is_empty()
        && status_total_mismatches.is_empty()
        && daily_total_mismatches == 0;
    Ok(CheckReport {
        ok,
        file,
        stock_mismatches,
        total_mismatches,
        status_total_mismatches,
        daily_total_mismatches,
    })
}

impl CheckReport {
    /// The report as lines a person reads at a terminal.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![
            format!("integrity check:    {}", self.file.integrity),
            format!("foreign keys:       {} problem(s)", self.file.foreign_key_violations),
            format!("schema version:     {}", self.file.schema_version),
            format!("stock vs ledger:    {} mismatch(es)", self.stock_mismatches.len()),
        ];
        for m in &self.stock_mismatches {
            out.push(format!(
                "  product {} ({}): stock {}, ledger says {}",
                m.product_id, m.sku, m.stock_quantity, m.ledger_sum
            ));
        }
        out.push(format!(
            "order totals:       {} mismatch(es)",
            self.total_mismatches.len()
        ));
        for m in &self.total_mismatches {
            out.push(format!(
                "  order {} ({}): total {}, items sum {}",
                m.order_id, m.order_number, m.total_minor, m.items_sum_minor
            ));
        }
        out.push(format!(
            "status totals:      {} mismatch(es)",
            self.status_total_mismatches.len()
        ));
        for m in &self.status_total_mismatches {
            out.push(format!(
                "  {}: kept {} orders / {} minor, actually {} / {}",
                m.status, m.kept_count, m.kept_total_minor, m.actual_count, m.actual_total_minor
            ));
        }
        out.push(format!(
            "daily totals:       {} mismatch(es)",
            self.daily_total_mismatches
        ));
        out.push(if self.ok {
            "OK: no problems found".into()
        } else {
            "PROBLEMS FOUND".into()
        });
        out
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CleanupReport {
    pub dry_run: bool,
    /// Cancelled orders created before this time are (or would be) deleted.
    pub before: String,
    pub orders: Vec<OldOrder>,
}

/// The oldest cut-off `cleanup` takes, in days; far larger ones would overflow the date.
pub const MAX_CLEANUP_DAYS: u32 = 36_500;

/// Deletes cancelled orders older than `days` (or, dry, lists them), with an audit row each.
pub fn cleanup(conn: &Connection, who: &Who, days: u32, dry_run: bool) -> AppResult<CleanupReport> {
    if days > MAX_CLEANUP_DAYS {
        return Err(AppError::validation(
            "cancelled_older_than_days",
            format!("must be at most {MAX_CLEANUP_DAYS} (100 years)"),
        ));
    }
    let before = clock::format(chrono::Utc::now() - chrono::Duration::days(i64::from(days)));
    let orders = store::cancelled_before(conn, &before)?;
    if !dry_run {
        let now = clock::now();
        for o in &orders {
            store::delete_order(conn, o.id)?;
            audit::store::record(conn, who, &Event::deleted("order.delete", "order", o.id, o), &now)?;
        }
    }
    Ok(CleanupReport {
        dry_run,
        before,
        orders,
    })
}
