//! Purchasing (采购): suppliers, purchase orders, goods received against them (采购入库) and
//! goods sent back (退货给供应商), and reorder suggestions.
//!
//! Stock only moves through the ledger: a receipt adds each line's units with reason
//! `purchase`, a return takes them out with `purchase_return`, both naming the purchase order.
//! A receipt also moves the product's cost price to the moving weighted average (see
//! [`costing`]). Products are written in id order, the lock order every writer keeps.
//! Cost prices and everything here are staff-only.

pub mod costing;
pub mod routes;
pub mod store;
pub mod suppliers;
pub mod types;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::inventory::Reason;
use crate::inventory::store::{MovementRefs, change_stock};
use crate::money::Money;
use crate::products::types::check_price;
use crate::validate::optional_text;
use store::NewLine;
use types::{
    FromReorder, LineInput, NewPurchaseOrder, NewReceipt, PoLine, PoStatus, PurchaseOrderDetail, PurchaseOrderPatch,
    ReceiptKind,
};

const MAX_LINES: usize = 500;
const MAX_QUANTITY: i64 = 1_000_000;

/// Checks a purchase order's lines: 1 to 500, one per product, each product existing.
fn checked_lines(conn: &crate::db::Conn, input: &[LineInput]) -> AppResult<Vec<NewLine>> {
    if input.is_empty() || input.len() > MAX_LINES {
        return Err(AppError::validation(
            "lines",
            format!("must have 1 to {MAX_LINES} lines"),
        ));
    }
    let mut out: Vec<NewLine> = Vec::with_capacity(input.len());
    for (i, l) in input.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            return Err(AppError::validation(
                format!("lines[{i}].quantity"),
                format!("must be between 1 and {MAX_QUANTITY}"),
            ));
        }
        if out.iter().any(|o| o.product_id == l.product_id) {
            return Err(AppError::validation(
                format!("lines[{i}].product_id"),
                "is listed twice: put the quantities on one line",
            ));
        }
        let cost = l.unit_cost.map(check_price).transpose().map_err(|_| {
            AppError::validation(format!("lines[{i}].unit_cost"), "must be between 0 and the price limit")
        })?;
        crate::products::store::get(conn, l.product_id)
            .map_err(|_| AppError::validation(format!("lines[{i}].product_id"), "no such product"))?;
        out.push(NewLine {
            product_id: l.product_id,
            quantity: l.quantity,
            unit_cost: cost,
        });
    }
    Ok(out)
}

fn at(status: PoStatus, allowed: &[PoStatus], what: &str) -> AppResult<()> {
    if allowed.contains(&status) {
        return Ok(());
    }
    Err(AppError::conflict(
        "purchase_order_status",
        format!("a purchase order that is {} cannot {what}", status.as_str()),
        serde_json::json!({ "status": status }),
    ))
}

pub async fn create(db: &Db, actor: &CurrentUser, input: NewPurchaseOrder) -> AppResult<PurchaseOrderDetail> {
    let note = optional_text("note", input.note.as_deref(), 500)?;
    let who = Who::from(actor);
    let user_id = actor.id;
    db.write(move |conn| {
        let now = clock::now();
        suppliers::must_be_offered(conn, input.supplier_id)?;
        let lines = checked_lines(conn, &input.lines)?;
        let id = store::insert(conn, input.supplier_id, note.as_deref(), user_id, &now)?;
        store::set_lines(conn, id, &lines)?;
        if input.ordered {
            place_in(conn, id, &now)?;
        }
        let created = store::detail(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::created("purchase_order.create", "purchase_order", id, &created),
            &now,
        )?;
        Ok(created)
    })
    .await
}

/// Changes a draft: its supplier, note or lines.
pub async fn update(
    db: &Db,
    actor: &CurrentUser,
    id: i64,
    patch: PurchaseOrderPatch,
) -> AppResult<PurchaseOrderDetail> {
    let note = patch
        .note
        .map(|n| optional_text("note", n.as_deref(), 500))
        .transpose()?;
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = store::detail(conn, id)?;
        at(before.order.status, &[PoStatus::Draft], "be edited (only a draft can)")?;
        let supplier = patch.supplier_id.unwrap_or(before.order.supplier_id);
        if patch.supplier_id.is_some() {
            suppliers::must_be_offered(conn, supplier)?;
        }
        let now = clock::now();
        let note = note.clone().unwrap_or_else(|| before.order.note.clone());
        store::set_header(conn, id, supplier, note.as_deref(), &now)?;
        if let Some(lines) = &patch.lines {
            let lines = checked_lines(conn, lines)?;
            store::set_lines(conn, id, &lines)?;
        }
        let after = store::detail(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::changed("purchase_order.update", "purchase_order", id, &before, &after),
            &now,
        )?;
        Ok(after)
    })
    .await
}

/// draft → ordered: every line must have its cost.
pub(crate) fn place_in(conn: &crate::db::Conn, id: i64, now: &str) -> AppResult<()> {
    let lines = store::lines(conn, id)?;
    if let Some((i, l)) = lines.iter().enumerate().find(|(_, l)| l.unit_cost.is_none()) {
        return Err(AppError::validation(
            format!("lines[{i}].unit_cost"),
            format!("give the cost of {} before ordering", l.product_name),
        ));
    }
    if !store::move_status(conn, id, PoStatus::Draft, PoStatus::Ordered, now)? {
        let status = store::get(conn, id)?.status;
        return Err(already(status, PoStatus::Ordered));
    }
    Ok(())
}

/// The 409 for a change another request already made, naming where the order is now.
fn already(status: PoStatus, wanted: PoStatus) -> AppError {
    if status == wanted {
        return AppError::conflict(
            "already_in_status",
            format!("the purchase order is already {}", status.as_str()),
            serde_json::json!({ "status": status }),
        );
    }
    AppError::conflict(
        "purchase_order_status",
        format!("the purchase order is {} now", status.as_str()),
        serde_json::json!({ "status": status }),
    )
}

/// Places a draft with the supplier, or cancels a purchase order still waiting for goods.
pub async fn set_status(db: &Db, actor: &CurrentUser, id: i64, to: PoStatus) -> AppResult<PurchaseOrderDetail> {
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = store::get(conn, id)?;
        let now = clock::now();
        match to {
            PoStatus::Ordered => {
                if before.status == PoStatus::Ordered {
                    return Err(already(before.status, to));
                }
                at(before.status, &[PoStatus::Draft], "be ordered")?;
                place_in(conn, id, &now)?;
            }
            PoStatus::Cancelled => {
                if before.status == PoStatus::Cancelled {
                    return Err(already(before.status, to));
                }
                at(
                    before.status,
                    &[PoStatus::Draft, PoStatus::Ordered, PoStatus::PartiallyReceived],
                    "be cancelled",
                )?;
                if !store::move_status(conn, id, before.status, to, &now)? {
                    return Err(already(store::get(conn, id)?.status, to));
                }
            }
            _ => {
                return Err(AppError::validation(
                    "status",
                    "must be ordered or cancelled; goods received move it on",
                ));
            }
        }
        let after = store::get(conn, id)?;
        let action = if to == PoStatus::Ordered {
            "purchase_order.order"
        } else {
            "purchase_order.cancel"
        };
        audit::store::record(
            conn,
            &who,
            &Event::changed(action, "purchase_order", id, &before, &after),
            &now,
        )?;
        store::detail(conn, id)
    })
    .await
}

/// The lines of a receipt or return, checked on their own: 1 to 500, each once, 1 to
/// 1000000 units.
fn checked_receipt(input: &NewReceipt) -> AppResult<Option<String>> {
    if input.lines.is_empty() || input.lines.len() > MAX_LINES {
        return Err(AppError::validation("lines", "name at least one line"));
    }
    for (i, l) in input.lines.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&l.quantity) {
            return Err(AppError::validation(
                format!("lines[{i}].quantity"),
                format!("must be between 1 and {MAX_QUANTITY}"),
            ));
        }
        if input.lines[..i].iter().any(|o| o.line_id == l.line_id) {
            return Err(AppError::validation(format!("lines[{i}].line_id"), "is listed twice"));
        }
    }
    optional_text("note", input.note.as_deref(), 500)
}

/// The purchase order lines a receipt or return names, with their quantities, in product id
/// order (the lock order every writer keeps). A line of another order is a 422.
fn in_product_order<'a>(lines: &'a [PoLine], input: &NewReceipt) -> AppResult<Vec<(&'a PoLine, i64)>> {
    let mut moves = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let line = lines
                .iter()
                .find(|x| x.id == l.line_id)
                .ok_or_else(|| AppError::validation(format!("lines[{i}].line_id"), "is not a line of this order"))?;
            Ok((line, l.quantity))
        })
        .collect::<AppResult<Vec<_>>>()?;
    moves.sort_by_key(|(line, _)| line.product_id);
    Ok(moves)
}

/// Goods arrived (采购入库): each line's units go into stock through the ledger (`purchase`),
/// its cost price becomes the moving average, and the order becomes partially received or,
/// with the last unit, received. More than is left to receive is a 409 `more_than_ordered`.
pub async fn receive(db: &Db, actor: &CurrentUser, id: i64, input: NewReceipt) -> AppResult<PurchaseOrderDetail> {
    let note = checked_receipt(&input)?;
    let who = Who::from(actor);
    let (user_id, by) = (actor.id, actor.username.clone());
    db.write(move |conn| {
        let now = clock::now();
        let (status, receipt) = receive_in(conn, id, &input, note.as_deref(), (user_id, &by), &now)?;
        let after = store::detail(conn, id)?;
        let event = Event::changed_fields(
            "purchase_order.receive",
            "purchase_order",
            id,
            &serde_json::json!({ "status": status }),
            &serde_json::json!({ "status": after.order.status, "receipt_id": receipt, "lines": input.lines }),
        );
        audit::store::record(conn, &who, &event, &now)?;
        Ok(after)
    })
    .await
}

/// The writer's part of a receipt, for the route and the demo data: returns the order's
/// status before and the receipt's id. `by` is the user's id and name.
pub(crate) fn receive_in(
    conn: &crate::db::Conn,
    id: i64,
    input: &NewReceipt,
    note: Option<&str>,
    by: (i64, &str),
    now: &str,
) -> AppResult<(PoStatus, i64)> {
    let before = store::detail(conn, id)?;
    at(
        before.order.status,
        &[PoStatus::Ordered, PoStatus::PartiallyReceived],
        "receive goods (order it first)",
    )?;
    let receipt = store::insert_receipt(conn, id, ReceiptKind::Receipt, note, by.0, by.1, now)?;
    for (line, quantity) in in_product_order(&before.lines, input)? {
        if !store::receive_on(conn, line.id, quantity)? {
            let left = line.quantity - line.received_quantity;
            return Err(AppError::conflict(
                "more_than_ordered",
                format!("{} has {left} left to receive, not {quantity}", line.product_name),
                serde_json::json!({ "line_id": line.id, "left": left, "requested": quantity }),
            ));
        }
        store::insert_receipt_line(conn, receipt, line.id, quantity)?;
        let unit_cost = line.unit_cost.unwrap_or(Money::ZERO);
        // The moving average is computed from the stock read here: locked until the commit.
        crate::inventory::store::lock_product(conn, line.product_id)?;
        let (stock, cost) = store::stock_and_cost(conn, line.product_id)?;
        let average = costing::moving_average(stock, cost, quantity, unit_cost);
        if !store::set_cost(conn, line.product_id, stock, average, now)? {
            return Err(AppError::Unavailable(
                "the stock changed while receiving; try again".into(),
            ));
        }
        let refs = MovementRefs {
            purchase_order_id: Some(id),
            user_id: Some(by.0),
            note,
            ..Default::default()
        };
        change_stock(conn, line.product_id, quantity, Reason::Purchase, refs, now)?;
    }
    let lines = store::lines(conn, id)?;
    let next = if lines.iter().all(|l| l.received_quantity >= l.quantity) {
        PoStatus::Received
    } else {
        PoStatus::PartiallyReceived
    };
    if next != before.order.status {
        store::move_status(conn, id, before.order.status, next, now)?;
    }
    Ok((before.order.status, receipt))
}

/// Goods back to the supplier (退货给供应商): out of stock through the ledger
/// (`purchase_return`), never more than was received less already returned; stock cannot go
/// below zero (409 `insufficient_stock`). The cost price stays (see [`costing`]).
pub async fn return_goods(db: &Db, actor: &CurrentUser, id: i64, input: NewReceipt) -> AppResult<PurchaseOrderDetail> {
    let note = checked_receipt(&input)?;
    let who = Who::from(actor);
    let (user_id, by) = (actor.id, actor.username.clone());
    db.write(move |conn| {
        let now = clock::now();
        let receipt = return_in(conn, id, &input, note.as_deref(), (user_id, &by), &now)?;
        let after = store::detail(conn, id)?;
        let event = Event::changed_fields(
            "purchase_order.return",
            "purchase_order",
            id,
            &serde_json::json!({}),
            &serde_json::json!({ "receipt_id": receipt, "lines": input.lines }),
        );
        audit::store::record(conn, &who, &event, &now)?;
        Ok(after)
    })
    .await
}

/// The writer's part of a return, for the route and the demo data: returns its id.
pub(crate) fn return_in(
    conn: &crate::db::Conn,
    id: i64,
    input: &NewReceipt,
    note: Option<&str>,
    by: (i64, &str),
    now: &str,
) -> AppResult<i64> {
    let before = store::detail(conn, id)?;
    let receipt = store::insert_receipt(conn, id, ReceiptKind::Return, note, by.0, by.1, now)?;
    for (line, quantity) in in_product_order(&before.lines, input)? {
        if !store::return_on(conn, line.id, quantity)? {
            let kept = line.received_quantity - line.returned_quantity;
            return Err(AppError::conflict(
                "more_than_received",
                format!("{kept} of {} were received and kept, not {quantity}", line.product_name),
                serde_json::json!({ "line_id": line.id, "kept": kept, "requested": quantity }),
            ));
        }
        store::insert_receipt_line(conn, receipt, line.id, quantity)?;
        let refs = MovementRefs {
            purchase_order_id: Some(id),
            user_id: Some(by.0),
            note,
            ..Default::default()
        };
        change_stock(conn, line.product_id, -quantity, Reason::PurchaseReturn, refs, now)?;
    }
    Ok(receipt)
}

/// A draft purchase order of the chosen reorder suggestions, each at its suggested quantity
/// and the product's cost price (left open when unknown).
pub async fn from_reorder(db: &Db, actor: &CurrentUser, input: FromReorder) -> AppResult<PurchaseOrderDetail> {
    if input.product_ids.is_empty() || input.product_ids.len() > MAX_LINES {
        return Err(AppError::validation("product_ids", "pick 1 to 500 suggestions"));
    }
    let suggestions = db.read(store::reorder_suggestions).await?;
    let mut lines = Vec::with_capacity(input.product_ids.len());
    for (i, id) in input.product_ids.iter().enumerate() {
        let s = suggestions.iter().find(|s| s.product_id == *id).ok_or_else(|| {
            AppError::validation(
                format!("product_ids[{i}]"),
                "is not among the reorder suggestions (enough stock, or already on order)",
            )
        })?;
        lines.push(LineInput {
            product_id: s.product_id,
            quantity: s.suggested_quantity.min(MAX_QUANTITY),
            unit_cost: s.cost_price,
        });
    }
    let order = NewPurchaseOrder {
        supplier_id: input.supplier_id,
        lines,
        note: None,
        ordered: false,
    };
    create(db, actor, order).await
}
