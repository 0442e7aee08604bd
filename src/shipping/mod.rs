//! Goods out: where an order goes (ship-to), the carriers a shop uses, and shipments, whole or
//! partial. Shipping moves no stock (it was taken when the order was): it counts units out per
//! line, and the order becomes `shipped` once every unit has gone.

pub mod routes;
pub mod store;
pub mod types;

use crate::db::Conn;
use serde_json::json;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::orders::types::{OrderDetail, OrderStatus};
use crate::orders::{self, store as orders_store};
use crate::settings::Settings;
use crate::validate::optional_text;
use types::{LineQuantity, NewShipment, ShipTo, parse_tracking_number};

/// A shipment's fields, checked against the shop's settings.
pub struct Parcel {
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub note: Option<String>,
    /// None: everything still to ship.
    pub lines: Option<Vec<LineQuantity>>,
}

impl Parcel {
    /// Everything still to ship, with no carrier or tracking number (the status change to
    /// `shipped` of API clients older than shipments).
    pub fn everything() -> Self {
        Self {
            carrier: None,
            tracking_number: None,
            note: None,
            lines: None,
        }
    }

    pub fn of(input: NewShipment, settings: &Settings) -> AppResult<Self> {
        let carrier = optional_text("carrier", input.carrier.as_deref(), 30)?;
        let carrier = match carrier {
            None => None,
            Some(c) => Some(
                settings
                    .carriers
                    .iter()
                    .find(|k| k.name.to_lowercase() == c.to_lowercase())
                    .map(|k| k.name.clone())
                    .ok_or_else(|| AppError::validation("carrier", "must be one of the shop's carriers (settings)"))?,
            ),
        };
        if let Some(lines) = &input.lines {
            if lines.is_empty() {
                return Err(AppError::validation(
                    "lines",
                    "name at least one line, or leave lines out to ship everything",
                ));
            }
            for (i, l) in lines.iter().enumerate() {
                if !(1..=1_000_000).contains(&l.quantity) {
                    return Err(AppError::validation(
                        format!("lines[{i}].quantity"),
                        "must be between 1 and 1000000",
                    ));
                }
                if lines[..i].iter().any(|o| o.order_item_id == l.order_item_id) {
                    return Err(AppError::validation(
                        format!("lines[{i}].order_item_id"),
                        "is listed twice",
                    ));
                }
            }
        }
        Ok(Self {
            carrier,
            tracking_number: parse_tracking_number(input.tracking_number.as_deref())?,
            note: optional_text("note", input.note.as_deref(), 300)?,
            lines: input.lines,
        })
    }
}

/// Records a parcel of a confirmed order inside the caller's write transaction: each line's
/// shipped count grows by a conditional update (never past what was ordered), and when nothing
/// is left to ship the order becomes `shipped`. Returns the new shipment's id.
pub fn ship_in(conn: &Conn, actor: &CurrentUser, order_id: i64, parcel: &Parcel, now: &str) -> AppResult<i64> {
    let order = orders_store::get(conn, order_id)?;
    match order.status {
        OrderStatus::Confirmed => {}
        OrderStatus::Pending => {
            return Err(AppError::conflict(
                "order_not_confirmed",
                "confirm the order before shipping it",
                json!({ "status": order.status }),
            ));
        }
        status => {
            return Err(AppError::conflict(
                "already_shipped",
                format!("this order is already {}: nothing is left to ship", status.as_str()),
                json!({ "status": status }),
            ));
        }
    }
    let items = orders_store::items(conn, order_id)?;
    let lines: Vec<(i64, i64)> = match &parcel.lines {
        None => items
            .iter()
            .filter(|i| i.quantity > i.shipped_quantity)
            .map(|i| (i.id, i.quantity - i.shipped_quantity))
            .collect(),
        Some(asked) => {
            let mut out = Vec::with_capacity(asked.len());
            for (n, l) in asked.iter().enumerate() {
                let Some(item) = items.iter().find(|i| i.id == l.order_item_id) else {
                    return Err(AppError::validation(
                        format!("lines[{n}].order_item_id"),
                        "is not a line of this order",
                    ));
                };
                let left = item.quantity - item.shipped_quantity;
                if l.quantity > left {
                    return Err(AppError::conflict(
                        "more_than_ordered",
                        format!("{} has {left} left to ship, not {}", item.product_name, l.quantity),
                        json!({ "order_item_id": item.id, "left_to_ship": left, "requested": l.quantity }),
                    ));
                }
                out.push((item.id, l.quantity));
            }
            out
        }
    };
    if lines.is_empty() {
        return Err(AppError::conflict(
            "nothing_to_ship",
            "every unit of this order has already gone out",
            json!({ "status": order.status }),
        ));
    }
    for (item_id, quantity) in &lines {
        if !store::ship_units(conn, order_id, *item_id, *quantity)? {
            return Err(AppError::conflict(
                "more_than_ordered",
                "someone else shipped these units meanwhile; reload the order",
                json!({ "order_item_id": item_id }),
            ));
        }
    }
    let row = store::NewShipmentRow {
        order_id,
        carrier: parcel.carrier.as_deref(),
        tracking_number: parcel.tracking_number.as_deref(),
        note: parcel.note.as_deref(),
        user_id: actor.id,
        shipped_by: &actor.username,
        now,
    };
    let shipment_id = store::insert(conn, &row, &lines)?;
    let done = store::units_to_ship(conn, order_id)? == 0;
    if done {
        orders_store::move_status(conn, order_id, OrderStatus::Confirmed, OrderStatus::Shipped, now)?;
        orders_store::insert_history(
            conn,
            order_id,
            Some(OrderStatus::Confirmed),
            OrderStatus::Shipped,
            actor.id,
            now,
        )?;
    } else {
        orders_store::touch(conn, order_id, now)?;
    }
    let after = json!({
        "shipment_id": shipment_id,
        "carrier": parcel.carrier,
        "tracking_number": parcel.tracking_number,
        "lines": lines.iter().map(|(id, q)| json!({ "order_item_id": id, "quantity": q })).collect::<Vec<_>>(),
        "status": if done { OrderStatus::Shipped } else { OrderStatus::Confirmed },
    });
    let event = Event::changed(
        "order.ship",
        "order",
        order_id,
        &json!({ "status": order.status }),
        &after,
    );
    audit::store::record(conn, &Who::from(actor), &event, now)?;
    Ok(shipment_id)
}

/// Records a parcel and answers the order as it is now.
pub async fn ship(db: &Db, actor: &CurrentUser, order_id: i64, parcel: Parcel) -> AppResult<OrderDetail> {
    let actor = actor.clone();
    db.write(move |conn| {
        let now = clock::now();
        ship_in(conn, &actor, order_id, &parcel, &now)?;
        orders::detail(conn, order_id)
    })
    .await
}

/// Changes where an order goes, until it has shipped.
pub async fn set_ship_to(db: &Db, actor: &CurrentUser, order_id: i64, to: ShipTo) -> AppResult<OrderDetail> {
    let to = to.validated()?;
    let actor = actor.clone();
    db.write(move |conn| {
        let before = orders_store::get(conn, order_id)?;
        if !matches!(before.status, OrderStatus::Pending | OrderStatus::Confirmed) {
            return Err(AppError::conflict(
                "order_not_editable",
                format!(
                    "the address of an order that is {} cannot change",
                    before.status.as_str()
                ),
                json!({ "status": before.status }),
            ));
        }
        let now = clock::now();
        store::set_ship_to(conn, order_id, &to, &now)?;
        let event = Event::changed("order.ship_to", "order", order_id, &before.ship_to, &to);
        audit::store::record(conn, &Who::from(&actor), &event, &now)?;
        orders::detail(conn, order_id)
    })
    .await
}
