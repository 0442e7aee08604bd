//! Orders: taking them (stock checked and taken in the same transaction), editing pending
//! ones, moving them through the workflow, and cancelling them (stock given back).

pub mod adjustments;
pub mod lines;
pub mod routes;
pub mod store;
pub mod types;

use std::sync::Arc;

use crate::db::Conn;
use serde_json::json;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::customers;
use crate::customers::types::InvoiceDetails;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::inventory::store::{MovementRefs, change_stock};
use crate::inventory::{self, Reason};
use crate::money::Money;
use crate::settings::Settings;
use crate::shipping::types::ShipTo;
use crate::validate::optional_text;
use adjustments::Adjustments;
use types::{
    NewOrder, Order, OrderActions, OrderAmounts, OrderDetail, OrderPatch, OrderQuote, OrderStatus, StatusChange,
};

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

/// What a request for a new order asks for, checked.
struct Asked {
    lines: Vec<lines::Line>,
    adjustments: Adjustments,
    invoice: Option<InvoiceDetails>,
    ship_to: Option<ShipTo>,
    address_id: Option<i64>,
}

impl Asked {
    fn of(input: &NewOrder, actor: &CurrentUser) -> AppResult<Self> {
        let lines = lines::validate(&input.items)?;
        let adjustments = Adjustments {
            discount: input.discount.unwrap_or(Money::ZERO),
            round_down: input.round_down.unwrap_or_default(),
            shipping_fee: input.shipping_fee.unwrap_or(Money::ZERO),
        }
        .validated()?;
        if !actor.is_staff() && input.address_id.is_some() {
            return Err(AppError::forbidden("only staff pick a customer's saved address"));
        }
        if !actor.is_staff() && (adjustments.any() || lines.iter().any(lines::Line::is_set_by_hand)) {
            return Err(AppError::forbidden(
                "only staff set prices, give discounts, round totals down or charge shipping",
            ));
        }
        let invoice = (input.invoice_title.is_some() || input.invoice_tax_id.is_some())
            .then(|| InvoiceDetails::parse(input.invoice_title.as_deref(), input.invoice_tax_id.as_deref()))
            .transpose()?;
        let ship_to = input.ship_to.clone().map(ShipTo::validated).transpose()?;
        Ok(Self {
            lines,
            adjustments,
            invoice,
            ship_to,
            address_id: input.address_id,
        })
    }
}

/// A new order priced: its customer, lines and totals.
struct Quoted {
    level_name: Option<String>,
    lines: lines::PricedLines,
    totals: adjustments::Totals,
    prices_include_tax: bool,
}

/// Prices an order for `customer_id` as it would be taken now, or (`editing`) as that
/// pending order would be after the edit: its units keep their prices, it keeps its tax rule.
fn quote_for(
    conn: &Conn,
    settings: &Settings,
    customer_id: Option<i64>,
    asked: &Asked,
    editing: Option<&OrderDetail>,
) -> AppResult<Quoted> {
    let include = editing.map_or(settings.prices_include_tax, |o| o.order.amounts.prices_include_tax);
    let ctx = lines::PriceContext::for_customer(conn, customer_id, settings.default_tax_rate, include)?;
    let kept = editing.map_or(&[][..], |o| &o.items[..]);
    let priced = lines::price(conn, &asked.lines, kept, &ctx)?;
    let goods = lines::goods(priced.subtotal, priced.tax, ctx.prices_include_tax);
    let totals = adjustments::totals(goods, &asked.adjustments)?;
    Ok(Quoted {
        level_name: ctx.level.map(|l| l.name),
        lines: priced,
        totals,
        prices_include_tax: ctx.prices_include_tax,
    })
}

/// The customer an order is for: staff name any active customer (or none, a walk-in sale);
/// customers order for themselves. `make` creates a customer's own record on first order.
fn customer_for(
    conn: &Conn,
    actor: &CurrentUser,
    requested: Option<i64>,
    make: Option<&str>,
) -> AppResult<Option<i64>> {
    if actor.is_staff() {
        if let Some(id) = requested
            && !customers::store::is_active(conn, id)?
        {
            return Err(AppError::validation("customer_id", "no such customer"));
        }
        return Ok(requested);
    }
    let own = match make {
        Some(now) => Some(customers::store::ensure_for_user(conn, actor.id, now)?),
        None => customers::store::id_for_user(conn, actor.id)?,
    };
    if requested.is_some_and(|id| Some(id) != own) {
        return Err(AppError::forbidden("customers can only order for themselves"));
    }
    Ok(own)
}

/// What an order would come to if taken now (or, with `editing`, what that pending order
/// would come to after the edit), by the same rules as taking it; nothing is written. The
/// order form shows it as the desk types.
pub async fn quote(
    db: &Db,
    settings: Arc<Settings>,
    actor: &CurrentUser,
    input: NewOrder,
    editing: Option<i64>,
) -> AppResult<OrderQuote> {
    let asked = Asked::of(&input, actor)?;
    let actor = actor.clone();
    let hide_stock = !actor.is_staff() && !settings.show_stock_to_customers;
    let result = db
        .read(move |conn| {
            let before = match editing {
                Some(id) => {
                    let d = detail(conn, id)?;
                    check_visible(conn, &actor, &d.order)?;
                    Some(d)
                }
                None => None,
            };
            let customer_id = match &before {
                Some(d) => d.order.customer_id,
                None => customer_for(conn, &actor, input.customer_id, None)?,
            };
            let q = quote_for(conn, &settings, customer_id, &asked, before.as_ref())?;
            Ok(OrderQuote {
                amounts: amounts_of(&q, &asked.adjustments),
                total_amount: q.totals.total,
                items: q.lines.items,
                price_level_name: q.level_name,
            })
        })
        .await;
    match result {
        Err(err) if hide_stock => Err(without_stock_figures(err)),
        other => other,
    }
}

fn amounts_of(q: &Quoted, a: &Adjustments) -> OrderAmounts {
    OrderAmounts {
        subtotal: q.lines.subtotal,
        tax: q.lines.tax,
        prices_include_tax: q.prices_include_tax,
        discount: a.discount,
        round_down: a.round_down,
        rounding: q.totals.rounding,
        shipping_fee: a.shipping_fee,
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
    settings: Arc<Settings>,
    actor: &CurrentUser,
    input: NewOrder,
    idempotency: Option<Idempotency>,
) -> AppResult<(OrderDetail, bool)> {
    // Checked here, on the async side: the writer thread only writes.
    let ask = Ask::new(&input, actor, idempotency)?;
    let actor = actor.clone();
    let hide_stock = !actor.is_staff() && !settings.show_stock_to_customers;
    let result = db.write(move |conn| create_on(conn, &settings, &actor, &ask)).await;
    match result {
        Err(err) if hide_stock => Err(without_stock_figures(err)),
        other => other,
    }
}

/// A create request, checked: what [`create_on`] writes.
pub struct Ask {
    asked: Asked,
    note: Option<String>,
    customer: Option<i64>,
    idempotency: Option<Idempotency>,
}

impl Ask {
    pub fn new(input: &NewOrder, actor: &CurrentUser, idempotency: Option<Idempotency>) -> AppResult<Self> {
        Ok(Self {
            asked: Asked::of(input, actor)?,
            note: optional_text("note", input.note.as_deref(), 1000)?,
            customer: input.customer_id,
            idempotency,
        })
    }
}

/// The writing half of [`create`], on whichever connection the caller holds: the order, its
/// lines, the stock they take, its first history row, the idempotency key and the audit row,
/// all or nothing with the caller's transaction. Answers the order and whether it was an
/// earlier request's (the same Idempotency-Key and body).
pub fn create_on(conn: &Conn, settings: &Settings, actor: &CurrentUser, ask: &Ask) -> AppResult<(OrderDetail, bool)> {
    let (asked, idempotency, requested_customer, note) =
        (&ask.asked, ask.idempotency.as_ref(), ask.customer, ask.note.as_deref());
    if let Some(key) = idempotency
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
    let customer_id = customer_for(conn, actor, requested_customer, Some(&now))?;
    let Quoted {
        lines: lines::PricedLines { mut items, tax, .. },
        totals,
        prices_include_tax,
        ..
    } = quote_for(conn, settings, customer_id, asked, None)?;
    let invoice = match (&asked.invoice, customer_id) {
        (Some(given), _) => given.clone(),
        (None, Some(id)) => customers::store::invoice_of(conn, id)?,
        (None, None) => InvoiceDetails::default(),
    };
    let ship_to = match &asked.ship_to {
        Some(given) => given.clone(),
        None => customers::addresses::ship_to_for(conn, customer_id, asked.address_id)?,
    };
    // Rows are locked in one order by every writer, so two cannot deadlock: the products (by
    // id), then the day's counter, then the order. The stock is taken first; its ledger rows,
    // which name the order, are written once the order exists.
    let mut by_product: Vec<usize> = (0..items.len()).collect();
    by_product.sort_by_key(|&i| items[i].product_id);
    let mut balances = vec![0; items.len()];
    for i in by_product {
        balances[i] = inventory::store::take(conn, items[i].product_id, -items[i].quantity, &now)?;
    }
    let day = clock::business_day_compact(now_utc, settings.tz());
    let number = store::next_order_number(conn, &settings.order_number_prefix, &day)?;
    let order_id = store::insert(
        conn,
        &store::NewOrderRow {
            order_number: &number,
            user_id: actor.id,
            customer_id,
            adjustments: &asked.adjustments,
            totals,
            tax,
            prices_include_tax,
            invoice: &invoice,
            ship_to: &ship_to,
            note,
            now: &now,
        },
    )?;
    let refs = MovementRefs {
        order_id: Some(order_id),
        purchase_order_id: None,
        user_id: Some(actor.id),
        note: None,
    };
    for (item, balance) in items.iter_mut().zip(balances) {
        item.id = store::insert_item(conn, order_id, item)?;
        inventory::store::record(
            conn,
            item.product_id,
            -item.quantity,
            balance,
            Reason::Order,
            refs,
            &now,
        )?;
    }
    store::insert_history(conn, order_id, None, OrderStatus::Pending, actor.id, &now)?;
    if let Some(key) = idempotency {
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
        shipments: Vec::new(),
        returns: Vec::new(),
    };
    let event = Event::created("order.create", "order", order_id, &detail);
    audit::store::record(conn, &Who::from(actor), &event, &now)?;
    Ok((detail, false))
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

pub fn detail(conn: &Conn, id: i64) -> AppResult<OrderDetail> {
    Ok(OrderDetail {
        order: store::get(conn, id)?,
        items: store::items(conn, id)?,
        status_history: store::history(conn, id)?,
        shipments: crate::shipping::store::for_order(conn, id)?,
        returns: crate::returns::store::for_order(conn, id)?,
    })
}

/// The customer whose orders `viewer` may see: `None` for staff (all orders), `Some(None)`
/// for a customer who has never ordered (no orders at all).
pub fn visible_customer(conn: &Conn, viewer: &CurrentUser) -> AppResult<Option<Option<i64>>> {
    if viewer.is_staff() {
        return Ok(None);
    }
    Ok(Some(customers::store::id_for_user(conn, viewer.id)?))
}

/// Customers see only their own orders; to them another's order does not exist.
pub fn check_visible(conn: &Conn, viewer: &CurrentUser, order: &Order) -> AppResult<()> {
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
/// and added units take today's (see [`lines::price`]).
pub async fn edit(
    db: &Db,
    settings: &Settings,
    actor: &CurrentUser,
    id: i64,
    patch: OrderPatch,
) -> AppResult<OrderDetail> {
    let lines = patch.items.as_deref().map(lines::validate).transpose()?;
    let note = patch
        .note
        .map(|n| optional_text("note", n.as_deref(), 1000))
        .transpose()?;
    let title = patch
        .invoice_title
        .map(|t| customers::types::parse_invoice_title(t.as_deref()))
        .transpose()?;
    let tax_id = patch
        .invoice_tax_id
        .map(|t| customers::types::parse_tax_id(t.as_deref()))
        .transpose()?;
    let (discount, round_down, shipping_fee) = (patch.discount, patch.round_down, patch.shipping_fee);
    let default_tax_rate = settings.default_tax_rate;
    let actor = actor.clone();
    db.write(move |conn| {
        let before = detail(conn, id)?;
        check_visible(conn, &actor, &before.order)?;
        if !OrderActions::for_role(&before, actor.role).editable {
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
        let (subtotal, tax) = match &lines {
            None => (was.subtotal, was.tax),
            Some(lines) => {
                // Added units are priced as a new order would be; the order keeps whether its
                // prices include tax.
                let ctx = lines::PriceContext::for_customer(
                    conn,
                    before.order.customer_id,
                    default_tax_rate,
                    was.prices_include_tax,
                )?;
                let priced = lines::price(conn, lines, &before.items, &ctx)?;
                let refs = MovementRefs {
                    order_id: Some(id),
                    purchase_order_id: None,
                    user_id: Some(actor.id),
                    note: None,
                };
                for (product_id, delta) in lines::stock_deltas(&before.items, &priced.items) {
                    change_stock(conn, product_id, delta, Reason::OrderEdit, refs, &now)?;
                }
                store::delete_items(conn, id)?;
                for item in &priced.items {
                    store::insert_item(conn, id, item)?;
                }
                (priced.subtotal, priced.tax)
            }
        };
        let goods = lines::goods(subtotal, tax, was.prices_include_tax);
        let totals = adjustments::totals(goods, &adjustments)?;
        let note = note.clone().unwrap_or(before.order.note.clone());
        let invoice = InvoiceDetails {
            invoice_title: title.clone().unwrap_or(before.order.invoice.invoice_title.clone()),
            invoice_tax_id: tax_id.clone().unwrap_or(before.order.invoice.invoice_tax_id.clone()),
        };
        let contents = store::Contents {
            adjustments: &adjustments,
            totals,
            tax,
            invoice: &invoice,
            note: note.as_deref(),
        };
        if !store::update_contents(conn, id, &contents, &before.order.updated_at, &now)? {
            return Err(AppError::conflict(
                "order_changed",
                "someone else changed this order meanwhile; reload it",
                json!({ "order_id": id }),
            ));
        }
        // A smaller total may leave the order paid, or overpaid.
        crate::payments::store::refresh_status(conn, id)?;
        let after = detail(conn, id)?;
        let changed = |d: &OrderDetail| {
            json!({ "items": d.items, "note": d.order.note, "amounts": d.order.amounts, "total_amount": d.order.total_amount, "invoice": d.order.invoice })
        };
        let event = Event::changed("order.update", "order", id, &changed(&before), &changed(&after));
        audit::store::record(conn, &Who::from(&actor), &event, &now)?;
        Ok(after)
    })
    .await
}

/// Moves an order along the workflow. Cancelling gives the stock back, with ledger rows;
/// `shipped` ships everything still to ship in one parcel (see `shipping`). Customers may only
/// cancel their own pending orders. Asking for the status the order already has is a 409
/// `already_in_status` naming it, so a double click is "already done", not an error.
pub async fn change_status(db: &Db, actor: &CurrentUser, id: i64, to: OrderStatus) -> AppResult<OrderDetail> {
    let actor = actor.clone();
    db.write(move |conn| {
        let before = detail(conn, id)?;
        let order = &before.order;
        check_visible(conn, &actor, order)?;
        if order.status == to {
            return Err(AppError::conflict(
                "already_in_status",
                format!("this order is already {}", to.as_str()),
                json!({ "status": order.status }),
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
                json!({ "from": order.status, "to": to, "allowed": allowed, "status": order.status }),
            ));
        }
        if !OrderActions::for_role(&before, actor.role).transitions.contains(&to) {
            if actor.is_staff() {
                return Err(AppError::conflict(
                    "partly_shipped",
                    "part of this order has gone out: ship the rest and record a return instead of cancelling",
                    json!({ "status": order.status }),
                ));
            }
            return Err(AppError::forbidden(
                "customers can only cancel their own pending orders",
            ));
        }
        let now = clock::now();
        if to == OrderStatus::Shipped {
            crate::shipping::ship_in(conn, &actor, id, &crate::shipping::Parcel::everything(), &now)?;
            return detail(conn, id);
        }
        if to == OrderStatus::Cancelled {
            let refs = MovementRefs {
                order_id: Some(id),
                purchase_order_id: None,
                user_id: Some(actor.id),
                note: None,
            };
            // Products first, in id order, then the order: the lock order every writer keeps.
            // If the status move below fails, the transaction and these movements roll back.
            let mut items = before.items.clone();
            items.sort_by_key(|i| i.product_id);
            for item in items {
                change_stock(conn, item.product_id, item.quantity, Reason::Cancel, refs, &now)?;
            }
        }
        let seen = (to == OrderStatus::Cancelled).then_some(order.updated_at.as_str());
        if !store::move_status_if(conn, id, order.status, to, seen, &now)? {
            // Another request changed it between our read and our write (on PostgreSQL, where
            // writers run side by side): a double click that lost the race is "already done".
            let status = store::status(conn, id)?;
            if status == to {
                return Err(AppError::conflict(
                    "already_in_status",
                    format!("this order is already {}", to.as_str()),
                    json!({ "status": status }),
                ));
            }
            return Err(AppError::conflict(
                "status_changed",
                "someone else changed this order meanwhile; reload it",
                json!({ "status": status }),
            ));
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
