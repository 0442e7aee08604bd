//! Goods back (退货): from a shipped or completed order, which lines and how many came back
//! (never more than shipped less already returned), why, and whether each goes back on the
//! shelf or is written off as damaged. A return may carry a refund, recorded in the order's
//! payments by the refund rules (never more than was paid less refunded). When every unit has
//! come back the order is `returned`.

pub mod routes;
pub mod store;
pub mod types;

use serde_json::json;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::inventory::Reason;
use crate::inventory::store::{MovementRefs, change_stock};
use crate::money::Money;
use crate::orders::types::{OrderDetail, OrderStatus};
use crate::orders::{self, store as orders_store};
use crate::payments::types::PaymentKind;
use crate::payments::{self, EntryText};
use crate::pricing::return_value;
use crate::settings::Settings;
use crate::validate::optional_text;
use types::{NewReturn, NewReturnLine, ReturnReason};

/// A return's fields, checked.
pub struct Checked {
    reason: ReturnReason,
    note: Option<String>,
    lines: Vec<NewReturnLine>,
    refund: Option<(Money, EntryText)>,
}

impl Checked {
    pub fn of(input: NewReturn, settings: &Settings) -> AppResult<Self> {
        if input.lines.is_empty() {
            return Err(AppError::validation("lines", "name at least one line that came back"));
        }
        for (i, l) in input.lines.iter().enumerate() {
            if !(1..=1_000_000).contains(&l.quantity) {
                return Err(AppError::validation(
                    format!("lines[{i}].quantity"),
                    "must be between 1 and 1000000",
                ));
            }
            if input.lines[..i].iter().any(|o| o.order_item_id == l.order_item_id) {
                return Err(AppError::validation(
                    format!("lines[{i}].order_item_id"),
                    "is listed twice",
                ));
            }
        }
        let note = optional_text("note", input.note.as_deref(), 500)?;
        if input.reason == ReturnReason::Other && note.is_none() {
            return Err(AppError::validation("note", "say why the goods came back"));
        }
        let refund = match input.refund {
            None => None,
            Some(r) => {
                if r.amount.minor() <= 0 || r.amount > Money::MAX_ORDER_TOTAL {
                    return Err(AppError::validation("refund.amount", "must be more than zero"));
                }
                let text = EntryText {
                    method: payments::method(settings, &r.method).map_err(|e| e.with_field("refund.method"))?,
                    paid_at: clock::now(),
                    reference: optional_text("refund.reference", r.reference.as_deref(), 100)?,
                    note: None,
                    reason: None,
                };
                Some((r.amount, text))
            }
        };
        Ok(Self {
            reason: input.reason,
            note,
            lines: input.lines,
            refund,
        })
    }
}

/// Records a return and answers the order as it is now. Everything is one transaction: the
/// stock movements (products in id order, the lock order of every writer), the lines' returned
/// counts (conditional updates), the refund, the return and its audit row.
pub async fn record(db: &Db, actor: &CurrentUser, order_id: i64, input: Checked) -> AppResult<OrderDetail> {
    let actor = actor.clone();
    db.write(move |conn| {
        let order = orders_store::get(conn, order_id)?;
        if !matches!(order.status, OrderStatus::Shipped | OrderStatus::Completed) {
            let code = if order.status == OrderStatus::Returned { "already_returned" } else { "order_not_shipped" };
            return Err(AppError::conflict(
                code,
                format!("goods come back from shipped or completed orders; this one is {}", order.status.as_str()),
                json!({ "status": order.status }),
            ));
        }
        let items = orders_store::items(conn, order_id)?;
        let mut lines = Vec::with_capacity(input.lines.len());
        for (n, l) in input.lines.iter().enumerate() {
            let Some(item) = items.iter().find(|i| i.id == l.order_item_id) else {
                return Err(AppError::validation(format!("lines[{n}].order_item_id"), "is not a line of this order"));
            };
            let left = item.shipped_quantity - item.returned_quantity;
            if l.quantity > left {
                return Err(AppError::conflict(
                    "more_than_shipped",
                    format!("{}: {left} shipped and not yet returned, not {}", item.product_name, l.quantity),
                    json!({ "order_item_id": item.id, "returnable": left, "requested": l.quantity }),
                ));
            }
            let amount = return_value(item.line_total, item.quantity, item.returned_quantity, l.quantity);
            lines.push((item, l, amount));
        }
        let now = clock::now();
        let row = store::NewReturnRow {
            order_id,
            reason: input.reason,
            note: input.note.as_deref(),
            user_id: actor.id,
            returned_by: &actor.username,
            now: &now,
        };
        let rows: Vec<store::LineRow> = lines.iter().map(|(i, l, a)| (i.id, l.quantity, l.restock, *a)).collect();
        let return_id = store::insert(conn, &row, &rows)?;
        let note = format!("return #{return_id}");
        let refs = MovementRefs {
            order_id: Some(order_id),
            purchase_order_id: None,
            user_id: Some(actor.id),
            note: Some(&note),
        };
        lines.sort_by_key(|(item, ..)| item.product_id);
        for (item, l, _) in &lines {
            change_stock(conn, item.product_id, l.quantity, Reason::Return, refs, &now)?;
            if !l.restock {
                change_stock(conn, item.product_id, -l.quantity, Reason::Damage, refs, &now)?;
            }
        }
        let mut total = Money::ZERO;
        for (item, l, amount) in &lines {
            if !store::return_units(conn, order_id, item.id, l.quantity, *amount)? {
                return Err(AppError::conflict(
                    "more_than_shipped",
                    "someone else recorded a return of these units meanwhile; reload the order",
                    json!({ "order_item_id": item.id }),
                ));
            }
            total = Money::from_minor(total.minor() + amount.minor());
        }
        store::add_returned(conn, order_id, total, &now)?;
        let refund_payment_id = match &input.refund {
            None => None,
            Some((amount, text)) => {
                let text = EntryText {
                    reason: Some(format!("{note}: {}", input.reason.as_str())),
                    note: input.note.clone(),
                    ..text.clone()
                };
                let id = payments::record_in(conn, &actor, order_id, PaymentKind::Refund, *amount, false, &text, &now)?;
                store::link_refund(conn, return_id, id)?;
                Some(id)
            }
        };
        let all_back = store::all_returned(conn, order_id)?;
        if all_back {
            orders_store::move_status(conn, order_id, order.status, OrderStatus::Returned, &now)?;
            orders_store::insert_history(conn, order_id, Some(order.status), OrderStatus::Returned, actor.id, &now)?;
        }
        let after = json!({
            "return_id": return_id,
            "reason": input.reason,
            "amount": total,
            "refund_payment_id": refund_payment_id,
            "lines": lines.iter().map(|(i, l, a)| json!({ "order_item_id": i.id, "quantity": l.quantity, "restock": l.restock, "amount": a })).collect::<Vec<_>>(),
            "status": if all_back { OrderStatus::Returned } else { order.status },
        });
        let event = Event::changed("order.return", "order", order_id, &json!({ "status": order.status }), &after);
        audit::store::record(conn, &Who::from(&actor), &event, &now)?;
        orders::detail(conn, order_id)
    })
    .await
}
