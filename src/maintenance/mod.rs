//! Keeping the data honest: the consistency check (SQLite's own checks plus the business
//! invariants) and the clean-up of old cancelled orders, the original system's maintenance
//! SQL made safe.

pub mod derived;
pub mod keys;
pub mod routes;
pub mod store;

use crate::db::Conn;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, Event, Who};
use crate::backup::store::{FileCheck, check as file_check};
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::payments::store::PaymentMismatch;
use store::{OldOrder, StatusTotalMismatch, StockMismatch, TotalMismatch};

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckReport {
    pub ok: bool,
    pub file: FileCheck,
    /// Products whose stock differs from their ledger, or is negative.
    pub stock_mismatches: Vec<StockMismatch>,
    /// Ledger rows whose running balance is not the sum of their product's movements up to them
    /// (by id), as two writers that each read the stock before the other's change would leave.
    pub balance_mismatches: i64,
    /// Orders whose total differs from their lines less discount and 抹零 plus shipping.
    pub total_mismatches: Vec<TotalMismatch>,
    /// Orders imported from the old system with a total that differed from their lines there,
    /// kept as recorded (not mismatches).
    pub imported_total_differences: i64,
    /// Statuses whose dashboard totals differ from their orders.
    pub status_total_mismatches: Vec<StatusTotalMismatch>,
    /// (day, status) rows of the daily totals that differ from their orders.
    pub daily_total_mismatches: i64,
    /// Orders whose paid or refunded amounts differ from their payments, or whose payment
    /// status does not follow from them (at most 1000 listed).
    pub payment_mismatches: Vec<PaymentMismatch>,
    /// Voids that do not mirror the entry they reverse (amount, order), or void a void.
    pub bad_voids: i64,
    /// Lines and orders whose price or tax breaks the rules in `pricing`.
    pub pricing_mismatches: Vec<store::PricingMismatch>,
    /// Lines and orders whose shipped and returned goods break the rules of
    /// `store::goods_mismatches` (at most 1000 listed).
    pub goods_mismatches: Vec<store::GoodsMismatch>,
    /// Purchase order lines with more received than ordered, more sent back than received,
    /// or counts that differ from their receipts or the stock ledger (at most 1000 listed).
    pub purchase_mismatches: Vec<PurchaseMismatch>,
    /// How the schema differs from what the migrations make for its version (extra
    /// triggers or views, missing tables, changed columns).
    pub schema_differences: Vec<String>,
    /// Records whose SKU or username looks like an earlier one's (see keys.rs). Reported for a
    /// person to resolve; they do not make the check fail.
    pub look_alikes: Vec<keys::LookAlike>,
}

pub fn check(conn: &Conn) -> AppResult<CheckReport> {
    let (file, schema_differences) = match conn.as_sqlite() {
        Some(sqlite) => {
            let file = file_check(sqlite)?;
            let differences = crate::db::schema::differences(sqlite, file.schema_version)?;
            (file, differences)
        }
        // PostgreSQL checks its own pages and always enforces foreign keys; its schema is the
        // migrations', which tests/api/postgres_schema.rs holds equal to SQLite's.
        None => (
            FileCheck {
                integrity: "ok".into(),
                foreign_key_violations: 0,
                schema_version: crate::backup::store::schema_version(conn)?,
            },
            Vec::new(),
        ),
    };
    if !schema_differences.is_empty() {
        // The invariants' queries assume our schema; on another one they prove nothing.
        return Ok(CheckReport {
            ok: false,
            file,
            stock_mismatches: Vec::new(),
            balance_mismatches: 0,
            total_mismatches: Vec::new(),
            imported_total_differences: 0,
            status_total_mismatches: Vec::new(),
            daily_total_mismatches: 0,
            payment_mismatches: Vec::new(),
            bad_voids: 0,
            pricing_mismatches: Vec::new(),
            goods_mismatches: Vec::new(),
            purchase_mismatches: Vec::new(),
            schema_differences,
            look_alikes: Vec::new(),
        });
    }
    let stock_mismatches = store::stock_mismatches(conn)?;
    let balance_mismatches = store::balance_mismatches(conn)?;
    let total_mismatches = store::total_mismatches(conn)?;
    let imported_total_differences = store::imported_differences(conn)?;
    let status_total_mismatches = store::status_total_mismatches(conn)?;
    let daily_total_mismatches = store::daily_total_mismatches(conn)?;
    let (payment_mismatches, bad_voids) = crate::payments::store::mismatches(conn)?;
    let pricing_mismatches = store::pricing_mismatches(conn)?;
    let goods_mismatches = store::goods_mismatches(conn)?;
    let purchase_mismatches = crate::purchasing::store::mismatches(conn)?
        .into_iter()
        .map(|(line_id, purchase_order_id, problem)| PurchaseMismatch {
            line_id,
            purchase_order_id,
            problem,
        })
        .collect::<Vec<_>>();
    let look_alikes = keys::look_alikes(conn)?;
    let ok = file.is_ok()
        && stock_mismatches.is_empty()
        && balance_mismatches == 0
        && total_mismatches.is_empty()
        && status_total_mismatches.is_empty()
        && daily_total_mismatches == 0
        && payment_mismatches.is_empty()
        && bad_voids == 0
        && pricing_mismatches.is_empty()
        && goods_mismatches.is_empty()
        && purchase_mismatches.is_empty()
        && schema_differences.is_empty();
    Ok(CheckReport {
        ok,
        file,
        stock_mismatches,
        balance_mismatches,
        total_mismatches,
        imported_total_differences,
        status_total_mismatches,
        daily_total_mismatches,
        payment_mismatches,
        bad_voids,
        pricing_mismatches,
        goods_mismatches,
        purchase_mismatches,
        schema_differences,
        look_alikes,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseMismatch {
    pub line_id: i64,
    pub purchase_order_id: i64,
    pub problem: String,
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
        if self.imported_total_differences > 0 {
            out.push(format!(
                "  and {} order(s) from the old system keep a total that differed from their lines there",
                self.imported_total_differences
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
        out.push(format!(
            "payments:           {} mismatch(es)",
            self.payment_mismatches.len()
        ));
        for m in &self.payment_mismatches {
            out.push(format!(
                "  order {} ({}): paid {} / refunded {} kept, payments say {} / {}; status {}, rule says {}",
                m.order_id,
                m.order_number,
                m.paid_minor,
                m.refunded_minor,
                m.journal_paid_minor,
                m.journal_refunded_minor,
                m.payment_status,
                m.rule_status
            ));
        }
        if self.bad_voids > 0 {
            out.push(format!(
                "  and {} void(s) that do not mirror the entry they reverse",
                self.bad_voids
            ));
        }
        out.push(format!(
            "prices and tax:     {} mismatch(es)",
            self.pricing_mismatches.len()
        ));
        for m in &self.pricing_mismatches {
            let line = m.item_id.map(|i| format!(" line {i}")).unwrap_or_default();
            out.push(format!(
                "  order {} ({}){line}: {}",
                m.order_id, m.order_number, m.problem
            ));
        }
        out.push(format!(
            "goods out and back: {} mismatch(es)",
            self.goods_mismatches.len()
        ));
        for m in &self.goods_mismatches {
            let line = m.item_id.map(|i| format!(" line {i}")).unwrap_or_default();
            out.push(format!(
                "  order {} ({}){line}: {}",
                m.order_id, m.order_number, m.problem
            ));
        }
        out.push(format!(
            "purchases:          {} mismatch(es)",
            self.purchase_mismatches.len()
        ));
        for m in &self.purchase_mismatches {
            out.push(format!(
                "  purchase order {} line {}: {}",
                crate::purchasing::types::po_number(m.purchase_order_id),
                m.line_id,
                m.problem
            ));
        }
        out.push(format!(
            "schema:             {} difference(s)",
            self.schema_differences.len()
        ));
        for d in &self.schema_differences {
            out.push(format!("  {d}"));
        }
        if !self.look_alikes.is_empty() {
            out.push(format!(
                "look-alikes:        {} record(s) to rename (not an error)",
                self.look_alikes.len()
            ));
            for l in &self.look_alikes {
                out.push(format!(
                    "  {} {} ({:?}) looks like {} {} ({:?})",
                    l.kind, l.id, l.value, l.kind, l.like_id, l.like_value
                ));
            }
        }
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
pub fn cleanup(conn: &Conn, who: &Who, days: u32, dry_run: bool) -> AppResult<CleanupReport> {
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
