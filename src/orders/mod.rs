//! Orders: taking them (stock checked and taken in the same transaction), editing pending
//! ones, moving them through the workflow, and cancelling them (stock given back).

pub mod adjustments;
pub mod routes;
pub mod store;
pub mod types;

use std::collections::BTreeMap;

use rusqlite::Connection;
use serde_json::json;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::customers;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::inventory::Reason;
use crate::inventory::store::{MovementRefs, change_stock};
use crate::money::Money;
use crate::products;
use crate::products::types::ProductStatus;
use crate::settings::Settings;
use crate::validate::optional_text;
use adjustments::Adjustments;
use types::{
    NewOrder, NewOrderItem, Order, OrderActions, OrderDetail, OrderItem, OrderPatch, OrderStatus, StatusChange,
};

const MAX_LINES: usize = 200;
const MAX_QUANTITY: i64 = 100_000;

/// Checks the lines of an order and merges repeated products, keeping first-seen order.
fn validate_lines(items: &[NewOrderItem]) -> AppResult<Vec<(i64, i64)>> {
    if items.is_empty() {
        return Err(AppError::validation("items", "an order needs at least one item"));
    }
    if items.len() > MAX_LINES {
        return Err(AppError::validation(
            "items",
            format!("an order may have at most {MAX_LINES} items"),
        ));
    }
    let mut lines: Vec<(i64, i64)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !(1..=MAX_QUANTITY).contains(&item.quantity) {
            return Err(AppError::validation(
                format!("items[{i}].quantity"),
                format!("must be between 1 and {MAX_QUANTITY}"),
            ));
        }
        match lines.iter_mut().find(|(id, _)| *id == item.product_id) {
            Some((_, q)) => *q = (*q + item.quantity).min(MAX_QUANTITY),
            None => lines.push((item.product_id, item.quantity)),
        }
    }
    Ok(lines)
}

/// Builds order lines. When a pending order is edited (`kept` are its lines), the units it
/// already had keep the price captured when they were ordered, first lines first; units added
/// beyond them are priced at today's price, on a line of their own when that price differs,
/// and only an active product may gain units (an archived one may stay or shrink).
fn price_lines(conn: &Connection, lines: &[(i64, i64)], kept: &[OrderItem]) -> AppResult<(Vec<OrderItem>, Money)> {
    let mut priced: Vec<(usize, String, String, i64, Money)> = Vec::with_capacity(lines.len());
    for (i, (product_id, quantity)) in lines.iter().enumerate() {
        let field = format!("items[{i}].product_id");
        let mut left = *quantity;
        let mut had = 0;
        for k in kept.iter().filter(|k| k.product_id == *product_id) {
            had += k.quantity;
            let take = left.min(k.quantity);
            if take > 0 {
                priced.push((i, k.product_name.clone(), k.sku.clone(), take, k.unit_price));
                left -= take;
            }
        }
        if left == 0 {
            continue;
        }
        let (name, sku, price, status) = products::store::for_order_line(conn, *product_id)?
            .ok_or_else(|| AppError::validation(&field, "no such product"))?;
        if status != ProductStatus::Active {
            let message = if had > 0 {
                format!("{name} is archived: its quantity may stay at {had} or shrink, not grow")
            } else {
                format!("{name} is archived and cannot be ordered")
            };
            return Err(AppError::validation(&field, message));
        }
        match priced.last_mut() {
            Some(last) if last.0 == i && last.4 == price => last.3 += left,
            _ => priced.push((i, name, sku, left, price)),
        }
    }
    let mut items = Vec::with_capacity(priced.len());
    let mut total = Money::ZERO;
    for (i, name, sku, quantity, price) in priced {
        let field = format!("items[{i}].product_id");
        let product_id = lines[i].0;
        let line_total = price
            .times(quantity)
            .ok_or_else(|| AppError::validation(&field, "line total is too large"))?;
        total = total
            .checked_add(line_total)
            .filter(|t| *t <= Money::MAX_ORDER_TOTAL)
            .ok_or_else(|| {
                AppError::validation(
                    "items",
                    format!("an order's total may be at most {}", Money::MAX_ORDER_TOTAL),
                )
            })?;
        items.push(OrderItem {
            id: 0,
            product_id,
            product_name: name,
            sku,
            quantity,
            unit_price: price,
            line_total,
        });
    }
    Ok((items, total))
}

/// A client's retry key for order creation, with the hash of the request it came with.
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

impl Idempotency {
    /// Reads an Idempotency-Key header value: 1 to 200 visible ASCII characters.
    pub fn new(key: &str, input: &NewOrder) -> AppResult<Self> {
        let key = key.trim();
        if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AppError::validation(
                "Idempotency-Key",
                "must be 1 to 200 visible ASCII characters",
            ));
        }
        let body = serde_json::to_vec(input).map_err(AppError::internal)?;
        let request_hash = crate::digest::sha256_hex(&body);
        Ok(Self {
            key: key.to_owned(),
            request_hash,
        })
    }
}

/// Takes an order: prices are captured, stock is checked and taken with one ledger row per
/// line, and the order, its lines, its first history row and its audit row are written, all in
/// one transaction. Not enough stock for any line means nothing is written.
///
/// With an idempotency key already used by this user for the same request, the original order
/// is returned (and `true`): no second order, no second stock decrement, even when the two
/// requests race, since the writer runs them one after the other.
pub async fn create(
    db: &Db,
    settings: &Settings,
    actor: &CurrentUser,
    input: NewOrder,
    idempotency: Option<Idempotency>,
) -> AppResult<(OrderDetail, bool)> {
    let lines = validate_lines(&input.items)?;
    let note = optional_text("note", input.note.as_deref(), 1000)?;
    let adjustments = Adjustments {
        discount: input.discount.unwrap_or(Money::ZERO),
        round_down: input.round_down.unwrap_or_default(),
        shipping_fee: input.shipping_fee.unwrap_or(Money::ZERO),
    }
    .validated()?;
    if adjustments.any() && !actor.is_staff() {
        return Err(AppError::forbidden(
            "only staff give discounts, round totals down or charge shipping",
        ));
    }
    let actor = actor.clone();
    let requested_customer = input.customer_id;
    let prefix = settings.order_number_prefix.clone();
    let tz = settings.tz();
    let hide_stock = !actor.is_staff() && !settings.show_stock_to_customers;
    let result = db
        .write(move |conn| {
            if let Some(key) = &idempotency
                && let Some((order_id, hash)) = store::idempotent_order(conn, actor.id, &key.key)?
            {
                if hash != key.request_hash {
                    return Err(AppError::Unprocessable {
                        code: "idempotency_key_reused",
                        message: "this Idempotency-Key was already used with a different request".into(),
                        details: json!({ "order_id": order_id }),
                    });
                }
                return Ok((detail(conn, order_id)?, true));
            }
            let now_utc = chrono::Utc::now();
            let now = clock::format(now_utc);
            let customer_id = if actor.is_staff() {
                if let Some(id) = requested_customer
                    && !customers::store::is_active(conn, id)?
                {
                    return Err(AppError::validation("customer_id", "no such customer"));
                }
                requested_customer
            } else {
                let own = customers::store::ensure_for_user(conn, actor.id, &now)?;
                if requested_customer.is_some_and(|id| id != own) {
                    return Err(AppError::forbidden("customers can only order for themselves"));
                }
                Some(own)
            };
            let (mut items, lines_total) = price_lines(conn, &lines, &[])?;
            let totals = adjustments::totals(lines_total, &adjustments)?;
            let number = store::next_order_number(conn, &prefix, &clock::business_day_compact(now_utc, tz))?;
            let order_id = store::insert(
                conn,
                &store::NewOrderRow {
                    order_number: &number,
                    user_id: actor.id,
                    customer_id,
                    adjustments: &adjustments,
                    totals,
                    note: note.as_deref(),
                    now: &now,
                },
            )?;
            let refs = MovementRefs {
                order_id: Some(order_id),
                user_id: Some(actor.id),
                note: None,
            };
            for item in &mut items {
                item.id = store::insert_item(conn, order_id, item)?;
                change_stock(conn, item.product_id, -item.quantity, Reason::Order, refs, &now)?;
            }
            store::insert_history(conn, order_id, None, OrderStatus::Pending, actor.id, &now)?;
            if let Some(key) = &idempotency {
                store::remember_idempotency_key(conn, actor.id, &key.key, &key.request_hash, order_id, &now)?;
            }
            // The lines and the first history row are what was just written; only the order row
            // (with its customer's and creator's names) is read back. The writer is the busiest
            // thread when orders pour in, and each statement it saves counts.
            let detail = OrderDetail {
                order: store::get(conn, order_id)?,
                items,
                status_history: vec![StatusChange {
                    from_status: None,
                    to_status: OrderStatus::Pending,
                    user_id: Some(actor.id),
                    username: Some(actor.username.clone()),
                    created_at: now.clone(),
                }],
            };
            let event = Event::created("order.create", "order", order_id, &detail);
            audit::store::record(conn, &Who::from(&actor), &event, &now)?;
            Ok((detail, false))
        })
        .await;
    match result {
        Err(err) if hide_stock => Err(without_stock_figures(err)),
        other => other,
    }
}

/// A customer of a shop that hides its stock learns that a product is short, not how many
/// there are or its SKU (the catalogue hides both from them too).
fn without_stock_figures(err: AppError) -> AppError {
    match err {
        AppError::Conflict {
            code: "insufficient_stock",
            details,
            ..
        } => {
            let name = details["name"].as_str().unwrap_or_default().to_owned();
            AppError::conflict(
                "insufficient_stock",
                format!("not enough stock for {name}"),
                json!({ "product_id": details["product_id"], "name": name, "requested": details["requested"] }),
            )
        }
        other => other,
    }
}

pub fn detail(conn: &Connection, id: i64) -> AppResult<OrderDetail> {
    Ok(OrderDetail {
        order: store::get(conn, id)?,
        items: store::items(conn, id)?,
        status_history: store::history(conn, id)?,
    })
}

/// The customer whose orders `viewer` may see: `None` for staff (all orders), `Some(None)`
/// for a customer who has never ordered (no orders at all).
pub fn visible_customer(conn: &Connection, viewer: &CurrentUser) -> AppResult<Option<Option<i64>>> {
    if viewer.is_staff() {
        return Ok(None);
    }
    Ok(Some(customers::store::id_for_user(conn, viewer.id)?))
}

/// Customers see only their own orders; to them another's order does not exist.
pub fn check_visible(conn: &Connection, viewer: &CurrentUser, order: &Order) -> AppResult<()> {
    match visible_customer(conn, viewer)? {
        Some(own) if own.is_none() || order.customer_id != own => Err(AppError::not_found("order")),
        _ => Ok(()),
    }
}

/// One order, if `viewer` may see it.
pub async fn get_for(db: &Db, viewer: &CurrentUser, id: i64) -> AppResult<OrderDetail> {
    let viewer = viewer.clone();
    db.read(move |conn| {
        let detail = detail(conn, id)?;
        check_visible(conn, &viewer, &detail.order)?;
        Ok(detail)
    })
    .await
}

/// Edits a pending order's items and note. Stock moves by the difference, with `order_edit`
/// ledger rows, in the same transaction; units already on the order keep their captured price
/// and added units take today's (see [`price_lines`]).
pub async fn edit(db: &Db, actor: &CurrentUser, id: i64, patch: OrderPatch) -> AppResult<OrderDetail> {
    let lines = patch.items.as_deref().map(validate_lines).transpose()?;
    let note = patch
        .note
        .map(|n| optional_text("note", n.as_deref(), 1000))
        .transpose()?;
    let (discount, round_down, shipping_fee) = (patch.discount, patch.round_down, patch.shipping_fee);
    let actor = actor.clone();
    db.write(move |conn| {
        let before = detail(conn, id)?;
        check_visible(conn, &actor, &before.order)?;
        if !OrderActions::for_role(&before.order, actor.role).editable {
            return Err(AppError::conflict(
                "order_not_editable",
                format!(
                    "only pending orders can be edited; this one is {}",
                    before.order.status.as_str()
                ),
                json!({ "status": before.order.status }),
            ));
        }
        let now = clock::now();
        let was = &before.order.amounts;
        let adjustments = Adjustments {
            discount: discount.unwrap_or(was.discount),
            round_down: round_down.unwrap_or(was.round_down),
            shipping_fee: shipping_fee.unwrap_or(was.shipping_fee),
        }
        .validated()?;
        let mut lines_total = was.subtotal;
        if let Some(lines) = lines {
            let (items, new_total) = price_lines(conn, &lines, &before.items)?;
            let refs = MovementRefs {
                order_id: Some(id),
                user_id: Some(actor.id),
                note: None,
            };
            for (product_id, delta) in stock_deltas(&before.items, &items) {
                change_stock(conn, product_id, delta, Reason::OrderEdit, refs, &now)?;
            }
            store::delete_items(conn, id)?;
            for item in &items {
                store::insert_item(conn, id, item)?;
            }
            lines_total = new_total;
        }
        let totals = adjustments::totals(lines_total, &adjustments)?;
        let note = note.unwrap_or(before.order.note.clone());
        store::update_contents(conn, id, &adjustments, totals, note.as_deref(), &now)?;
        // A smaller total may leave the order paid, or overpaid.
        crate::payments::store::refresh_status(conn, id)?;
        let after = detail(conn, id)?;
        let changed = |d: &OrderDetail| {
            json!({ "items": d.items, "note": d.order.note, "amounts": d.order.amounts, "total_amount": d.order.total_amount })
        };
        let event = Event::changed("order.update", "order", id, &changed(&before), &changed(&after));
        audit::store::record(conn, &Who::from(&actor), &event, &now)?;
        Ok(after)
    })
    .await
}

/// How stock moves when an order's lines change from `old` to `new`: positive gives back.
fn stock_deltas(old: &[OrderItem], new: &[OrderItem]) -> Vec<(i64, i64)> {
    let mut deltas: BTreeMap<i64, i64> = BTreeMap::new();
    for item in old {
        *deltas.entry(item.product_id).or_default() += item.quantity;
    }
    for item in new {
        *deltas.entry(item.product_id).or_default() -= item.quantity;
    }
    // Give stock back before taking it, so a swap never fails for want of its own stock.
    let mut moves: Vec<(i64, i64)> = deltas.into_iter().filter(|(_, d)| *d != 0).collect();
    moves.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
    moves
}

/// Moves an order along the workflow. Cancelling gives the stock back, with ledger rows.
/// Customers may only cancel their own pending orders.
pub async fn change_status(db: &Db, actor: &CurrentUser, id: i64, to: OrderStatus) -> AppResult<OrderDetail> {
    let actor = actor.clone();
    db.write(move |conn| {
        let order = store::get(conn, id)?;
        check_visible(conn, &actor, &order)?;
        if order.status.can_become(to) && !OrderActions::for_role(&order, actor.role).transitions.contains(&to) {
            return Err(AppError::forbidden(
                "customers can only cancel their own pending orders",
            ));
        }
        if !order.status.can_become(to) {
            let allowed: Vec<&str> = order.status.next_allowed().iter().map(|s| s.as_str()).collect();
            return Err(AppError::conflict(
                "invalid_transition",
                format!(
                    "an order that is {} cannot become {}",
                    order.status.as_str(),
                    to.as_str()
                ),
                json!({ "from": order.status, "to": to, "allowed": allowed }),
            ));
        }
        let now = clock::now();
        store::set_status(conn, id, to, &now)?;
        if to == OrderStatus::Cancelled {
            let refs = MovementRefs {
                order_id: Some(id),
                user_id: Some(actor.id),
                note: None,
            };
            for item in store::items(conn, id)? {
                change_stock(conn, item.product_id, item.quantity, Reason::Cancel, refs, &now)?;
            }
        }
        store::insert_history(conn, id, Some(order.status), to, actor.id, &now)?;
        // A cancelled order owes nothing: what was paid is now to be refunded.
        crate::payments::store::refresh_status(conn, id)?;
        let event = Event::changed(
            "order.status",
            "order",
            id,
            &json!({ "status": order.status }),
            &json!({ "status": to }),
        );
        audit::store::record(conn, &Who::from(&actor), &event, &now)?;
        detail(conn, id)
    })
    .await
}
