//! Money on an order: payments received, refunds given, and voids that reverse a mistake.
//!
//! The journal is append-only (no entry is edited or deleted), every entry is in the audit
//! trail, and the order row keeps what the journal adds up to, changed by one conditional
//! UPDATE per entry (see store.rs) so no race can overpay an order or refund more than was
//! paid. `order-system check` proves the kept amounts equal the journal.

pub mod routes;
pub mod store;
pub mod types;

use chrono::{DateTime, Datelike, Utc};
use serde_json::json;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::orders;
use crate::orders::types::OrderStatus;
use crate::settings::Settings;
use crate::validate::optional_text;
use store::NewEntry;
use types::{NewPayment, PaymentKind, PaymentLedger, VoidPayment};

/// The journal and standing of one order, as `conn` sees it now.
pub fn ledger(conn: &crate::db::Conn, order_id: i64) -> AppResult<PaymentLedger> {
    let money = store::order_money(conn, order_id)?;
    Ok(PaymentLedger {
        order_id,
        order_number: money.order_number,
        total_amount: money.total,
        summary: money.summary,
        items: store::for_order(conn, order_id)?,
    })
}

/// One order's journal, if `viewer` may see the order.
pub async fn ledger_for(db: &Db, viewer: &CurrentUser, order_id: i64) -> AppResult<PaymentLedger> {
    let viewer = viewer.clone();
    db.read(move |conn| {
        let order = orders::store::get(conn, order_id)?;
        orders::check_visible(conn, &viewer, &order)?;
        ledger(conn, order_id)
    })
    .await
}

/// A payment time: RFC 3339, not in the future (a minute's clock difference allowed) and
/// not before 2000. Now when none is given.
fn paid_at(raw: Option<&str>) -> AppResult<String> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(clock::now());
    };
    let at = DateTime::parse_from_rfc3339(raw)
        .map_err(|_| AppError::validation("paid_at", "must be a time such as 2026-12-01T09:30:00+08:00"))?
        .with_timezone(&Utc);
    if at > Utc::now() + chrono::Duration::minutes(1) {
        return Err(AppError::validation("paid_at", "cannot be in the future"));
    }
    if at.year() < 2000 {
        return Err(AppError::validation("paid_at", "must be in the year 2000 or later"));
    }
    Ok(clock::format(at))
}

/// The method as the shop lists it (matched without regard to case or surrounding spaces).
pub fn method(settings: &Settings, raw: &str) -> AppResult<String> {
    let wanted = raw.trim().to_lowercase();
    settings
        .payment_methods
        .iter()
        .find(|m| m.to_lowercase() == wanted)
        .cloned()
        .ok_or_else(|| {
            AppError::validation(
                "method",
                format!(
                    "must be one of the shop's payment methods: {}",
                    settings.payment_methods.join(", ")
                ),
            )
        })
}

/// Records a payment received or a refund given, and answers the order's journal.
pub async fn record(
    db: &Db,
    settings: &Settings,
    actor: &CurrentUser,
    order_id: i64,
    input: NewPayment,
) -> AppResult<PaymentLedger> {
    if input.amount.minor() <= 0 {
        return Err(AppError::validation("amount", "must be more than zero"));
    }
    if input.amount > Money::MAX_ORDER_TOTAL {
        return Err(AppError::validation("amount", "is larger than any order can be"));
    }
    let kind = input.kind;
    if kind == PaymentKind::Void {
        return Err(AppError::validation(
            "kind",
            "a void reverses an entry: POST /api/orders/{id}/payments/{payment_id}/void",
        ));
    }
    let method = method(settings, &input.method)?;
    let paid_at = paid_at(input.paid_at.as_deref())?;
    let reference = optional_text("reference", input.reference.as_deref(), 100)?;
    let note = optional_text("note", input.note.as_deref(), 500)?;
    let reason = optional_text("reason", input.reason.as_deref(), 300)?;
    if kind == PaymentKind::Refund && reason.is_none() {
        return Err(AppError::validation("reason", "say why the money goes back"));
    }
    let (amount, allow_over) = (input.amount, input.allow_overpayment);
    let actor = actor.clone();
    let text = EntryText {
        method,
        paid_at,
        reference,
        note,
        reason,
    };
    db.write(move |conn| {
        let order = orders::store::get(conn, order_id)?;
        orders::check_visible(conn, &actor, &order)?;
        record_in(conn, &actor, order_id, kind, amount, allow_over, &text, &clock::now())?;
        ledger(conn, order_id)
    })
    .await
}

/// What an entry says besides its amount, checked.
#[derive(Clone)]
pub struct EntryText {
    pub method: String,
    pub paid_at: String,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

/// Records a payment or refund inside the caller's write transaction (a return's refund goes
/// through here too): the order's paid and refunded amounts move by a conditional update, the
/// entry and its audit row are written, and the payment status follows. Returns the entry's id.
#[allow(clippy::too_many_arguments)]
pub fn record_in(
    conn: &crate::db::Conn,
    actor: &CurrentUser,
    order_id: i64,
    kind: PaymentKind,
    amount: Money,
    allow_over: bool,
    text: &EntryText,
    now: &str,
) -> AppResult<i64> {
    let taken = match kind {
        PaymentKind::Payment => store::receive(conn, order_id, amount, allow_over)?,
        _ => store::give_back(conn, order_id, amount)?,
    };
    if taken.is_none() {
        return Err(refused(conn, order_id, kind, amount)?);
    }
    let entry = NewEntry {
        order_id,
        kind,
        amount,
        method: &text.method,
        paid_at: &text.paid_at,
        reference: text.reference.as_deref(),
        note: text.note.as_deref(),
        reason: text.reason.as_deref(),
        voids_id: None,
        user_id: actor.id,
        recorded_by: &actor.username,
        now,
    };
    let id = store::insert(conn, &entry)?;
    store::refresh_status(conn, order_id)?;
    let action = match kind {
        PaymentKind::Payment => "payment.record",
        _ => "payment.refund",
    };
    audit_entry(conn, actor, action, order_id, id, now)?;
    Ok(id)
}

/// Why the order did not take an amount: the 409 that says what it would take.
fn refused(conn: &crate::db::Conn, order_id: i64, kind: PaymentKind, amount: Money) -> AppResult<AppError> {
    let money = store::order_money(conn, order_id)?;
    let s = money.summary;
    Ok(match kind {
        PaymentKind::Payment if money.status == OrderStatus::Cancelled => AppError::conflict(
            "order_cancelled",
            "a cancelled order takes no payments; refund what was paid instead",
            json!({ "refund_due": s.refund_due }),
        ),
        PaymentKind::Payment => AppError::conflict(
            "overpayment",
            format!(
                "{amount} is more than the balance due of {}; record it with allow_overpayment to keep the difference",
                s.balance_due
            ),
            json!({ "amount": amount, "balance_due": s.balance_due, "paid_amount": s.paid_amount }),
        ),
        _ => AppError::conflict(
            "refund_exceeds_paid",
            format!(
                "{amount} is more than was paid and not yet refunded ({})",
                s.paid_amount
            ),
            json!({ "amount": amount, "paid_amount": s.paid_amount, "refunded_amount": s.refunded_amount }),
        ),
    })
}

/// Reverses an entry recorded by mistake with a void entry naming it, and answers the
/// journal. A payment that was partly refunded since can be voided only after the refund is.
pub async fn void(
    db: &Db,
    actor: &CurrentUser,
    order_id: i64,
    payment_id: i64,
    input: VoidPayment,
) -> AppResult<PaymentLedger> {
    let reason = optional_text("reason", Some(&input.reason), 300)?
        .ok_or_else(|| AppError::validation("reason", "say why the entry was wrong"))?;
    let actor = actor.clone();
    db.write(move |conn| {
        let order = orders::store::get(conn, order_id)?;
        orders::check_visible(conn, &actor, &order)?;
        let target = store::get(conn, payment_id)?;
        if target.order_id != order_id {
            return Err(AppError::not_found("payment"));
        }
        if target.kind == PaymentKind::Void {
            return Err(AppError::conflict(
                "not_voidable",
                "a void cannot itself be voided; record the entry again instead",
                json!({}),
            ));
        }
        if let Some(by) = target.voided_by_id {
            return Err(AppError::conflict(
                "already_voided",
                "this entry was already voided",
                json!({ "voided_by_id": by }),
            ));
        }
        let undone = match target.kind {
            PaymentKind::Payment => store::unreceive(conn, order_id, target.amount)?,
            _ => store::unrefund(conn, order_id, target.amount)?,
        };
        if undone.is_none() {
            return Err(AppError::conflict(
                "refund_first",
                "part of this payment was refunded since; void that refund first",
                json!({ "amount": target.amount }),
            ));
        }
        let now = clock::now();
        let entry = NewEntry {
            order_id,
            kind: PaymentKind::Void,
            amount: target.amount,
            method: &target.method,
            // Dated like the entry it reverses: that day's takings become what really came in.
            paid_at: &target.paid_at,
            reference: None,
            note: None,
            reason: Some(&reason),
            voids_id: Some(payment_id),
            user_id: actor.id,
            recorded_by: &actor.username,
            now: &now,
        };
        let id = store::insert(conn, &entry)?;
        store::refresh_status(conn, order_id)?;
        audit_entry(conn, &actor, "payment.void", order_id, id, &now)?;
        ledger(conn, order_id)
    })
    .await
}

/// The audit row of a journal entry: on the order (so its trail shows its money), with the
/// entry as written.
fn audit_entry(
    conn: &crate::db::Conn,
    actor: &CurrentUser,
    action: &str,
    order_id: i64,
    payment_id: i64,
    now: &str,
) -> AppResult<()> {
    let entry = store::get(conn, payment_id)?;
    let event = Event::created(action, "order", order_id, &entry);
    audit::store::record(conn, &Who::from(actor), &event, now)
}
