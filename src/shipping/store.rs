//! The SQL of ship-to addresses and shipments.

use rusqlite::params;

use super::types::{ShipTo, Shipment, ShipmentLine, ShipmentRow};
use crate::db::Conn;
use crate::error::AppResult;

pub fn set_ship_to(conn: &Conn, order_id: i64, to: &ShipTo, now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE orders SET ship_name = ?, ship_phone = ?, ship_phone_digits = ?, ship_province = ?, ship_city = ?,
                           ship_district = ?, ship_street = ?, ship_postcode = ?, updated_at = ?
         WHERE id = ?",
    )?
    .execute(params![
        to.name,
        to.phone,
        to.phone_digits(),
        to.province,
        to.city,
        to.district,
        to.street,
        to.postcode,
        now,
        order_id
    ])?;
    Ok(())
}

/// Counts `quantity` more units of a line as shipped, unless that would ship more than was
/// ordered: a conditional update, so two people shipping the last unit at once cannot both
/// succeed whatever the engine. False when refused.
pub fn ship_units(conn: &Conn, order_id: i64, item_id: i64, quantity: i64) -> AppResult<bool> {
    let changed = conn
        .prepare_cached(
            "UPDATE order_items SET shipped_quantity = shipped_quantity + ?1
             WHERE id = ?2 AND order_id = ?3 AND shipped_quantity + ?1 <= quantity",
        )?
        .execute(params![quantity, item_id, order_id])?;
    Ok(changed == 1)
}

pub struct NewShipmentRow<'a> {
    pub order_id: i64,
    pub carrier: Option<&'a str>,
    pub tracking_number: Option<&'a str>,
    pub note: Option<&'a str>,
    pub user_id: i64,
    pub shipped_by: &'a str,
    pub now: &'a str,
}

pub fn insert(conn: &Conn, s: &NewShipmentRow, lines: &[(i64, i64)]) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO shipments (order_id, carrier, tracking_number, note, shipped_at, user_id, shipped_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        s.order_id,
        s.carrier,
        s.tracking_number,
        s.note,
        s.now,
        s.user_id,
        s.shipped_by,
        s.now
    ])?;
    let id = conn.last_insert_rowid()?;
    let mut line =
        conn.prepare_cached("INSERT INTO shipment_lines (shipment_id, order_item_id, quantity) VALUES (?, ?, ?)")?;
    for (item_id, quantity) in lines {
        line.execute(params![id, item_id, quantity])?;
    }
    Ok(id)
}

/// How many units of the order have not gone out yet.
pub fn units_to_ship(conn: &Conn, order_id: i64) -> AppResult<i64> {
    Ok(conn
        .prepare_cached("SELECT COALESCE(SUM(quantity - shipped_quantity), 0) FROM order_items WHERE order_id = ?")?
        .query_row([order_id], |r| r.get(0))?)
}

/// Whether any unit of the order has gone out.
pub fn any_shipped(conn: &Conn, order_id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM order_items WHERE order_id = ? AND shipped_quantity > 0)")?
        .query_row([order_id], |r| r.get(0))?)
}

/// An order's shipments, oldest first, with their lines.
pub fn for_order(conn: &Conn, order_id: i64) -> AppResult<Vec<Shipment>> {
    let mut shipments: Vec<Shipment> = conn
        .prepare_cached(
            "SELECT id, order_id, carrier, tracking_number, note, shipped_at, shipped_by FROM shipments
             WHERE order_id = ? ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(Shipment {
                id: r.get(0)?,
                order_id: r.get(1)?,
                carrier: r.get(2)?,
                tracking_number: r.get(3)?,
                note: r.get(4)?,
                shipped_at: r.get(5)?,
                shipped_by: r.get(6)?,
                lines: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    if shipments.is_empty() {
        return Ok(shipments);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT l.shipment_id, l.order_item_id, i.product_name, i.sku, l.quantity
         FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id JOIN order_items i ON i.id = l.order_item_id
         WHERE s.order_id = ? ORDER BY l.shipment_id, i.id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            ShipmentLine {
                order_item_id: r.get(1)?,
                product_name: r.get(2)?,
                sku: r.get(3)?,
                quantity: r.get(4)?,
            },
        ))
    })?;
    for row in rows {
        let (shipment_id, line) = row?;
        if let Some(s) = shipments.iter_mut().find(|s| s.id == shipment_id) {
            s.lines.push(line);
        }
    }
    Ok(shipments)
}

/// The shipments of a time range (shipped_at in [from, to)), oldest first, for the courier's
/// list.
pub fn between(conn: &Conn, from: &str, to: &str) -> AppResult<Vec<ShipmentRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT s.id, s.shipped_at, o.id, o.order_number, s.carrier, s.tracking_number,
                    o.ship_name, o.ship_phone, o.ship_province, o.ship_city, o.ship_district, o.ship_street, o.ship_postcode,
                    (SELECT string_agg(i.product_name || ' × ' || l.quantity, '; ' ORDER BY i.id)
                     FROM shipment_lines l JOIN order_items i ON i.id = l.order_item_id WHERE l.shipment_id = s.id),
                    s.shipped_by
             FROM shipments s JOIN orders o ON o.id = s.order_id
             WHERE s.shipped_at >= ? AND s.shipped_at < ? ORDER BY s.shipped_at, s.id",
        )?
        .query_map(params![from, to], |r| {
            Ok(ShipmentRow {
                id: r.get(0)?,
                shipped_at: r.get(1)?,
                order_id: r.get(2)?,
                order_number: r.get(3)?,
                carrier: r.get(4)?,
                tracking_number: r.get(5)?,
                ship_to: ShipTo {
                    name: r.get(6)?,
                    phone: r.get(7)?,
                    province: r.get(8)?,
                    city: r.get(9)?,
                    district: r.get(10)?,
                    street: r.get(11)?,
                    postcode: r.get(12)?,
                },
                contents: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                shipped_by: r.get(14)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Orders that went out before shipments were recorded (an upgrade from an older schema, an
/// import from the old system): one parcel each with everything, at the time their history
/// says, no carrier or tracking number known. The same rows migration V15 writes.
pub fn record_untracked(conn: &Conn) -> AppResult<usize> {
    let made = conn.execute(
        "INSERT INTO shipments (order_id, shipped_at, user_id, shipped_by, note, created_at)
         SELECT o.id,
                COALESCE((SELECT MIN(h.created_at) FROM order_status_history h
                          WHERE h.order_id = o.id AND h.to_status = 'shipped'), o.updated_at),
                (SELECT h.user_id FROM order_status_history h WHERE h.order_id = o.id AND h.to_status = 'shipped'
                 ORDER BY h.id LIMIT 1),
                '', 'shipped before shipments were recorded', o.updated_at
         FROM orders o
         WHERE o.status IN ('shipped', 'completed') AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)",
        [],
    )?;
    conn.execute(
        "INSERT INTO shipment_lines (shipment_id, order_item_id, quantity)
         SELECT s.id, i.id, i.quantity - i.shipped_quantity FROM shipments s JOIN order_items i ON i.order_id = s.order_id
         WHERE s.note = 'shipped before shipments were recorded' AND s.shipped_by = '' AND i.quantity > i.shipped_quantity",
        [],
    )?;
    conn.execute(
        "UPDATE order_items SET shipped_quantity = quantity
         WHERE shipped_quantity < quantity AND order_id IN (SELECT id FROM orders WHERE status IN ('shipped', 'completed'))",
        [],
    )?;
    Ok(made)
}
