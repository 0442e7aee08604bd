//! The demo shop's purchasing: its suppliers and a month of purchase orders in every state
//! (draft, ordered, partly and wholly received, one with goods sent back, one cancelled),
//! written through the purchasing module's own writer steps so that stock, the ledger and
//! cost prices agree exactly as they would after real receipts.

use crate::db::Conn;
use chrono::{DateTime, Duration, Utc};
use fastrand::Rng;

use super::names::SUPPLIERS;
use super::store::Product;
use crate::clock;
use crate::error::AppResult;
use crate::money::Money;
use crate::purchasing::store::{self, NewLine};
use crate::purchasing::suppliers::{self, Fields};
use crate::purchasing::types::{NewReceipt, PoStatus, ReceiptLine};
use crate::purchasing::{place_in, receive_in, return_in};

/// What becomes of each demo purchase order, oldest first.
enum Fate {
    Received,
    ReceivedThenReturned,
    PartlyReceived,
    Ordered,
    Cancelled,
    Draft,
}

const FATES: [Fate; 8] = [
    Fate::Received,
    Fate::Received,
    Fate::ReceivedThenReturned,
    Fate::Cancelled,
    Fate::PartlyReceived,
    Fate::Ordered,
    Fate::Ordered,
    Fate::Draft,
];

/// Writes the suppliers and purchase orders; returns how many orders.
pub fn insert(
    conn: &Conn,
    rng: &mut Rng,
    products: &[Product],
    owner: (i64, &str),
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let at = clock::format(now - Duration::days(40));
    let mut supplier_ids = Vec::with_capacity(SUPPLIERS.len());
    for (name, contact, phone, address) in SUPPLIERS {
        let fields = Fields {
            name: (*name).into(),
            contact: Some((*contact).into()),
            phone: Some((*phone).into()),
            address: Some((*address).into()),
            note: None,
        };
        supplier_ids.push(suppliers::insert(conn, &fields, &at)?);
    }
    for (i, fate) in FATES.iter().enumerate() {
        let when = clock::format(now - Duration::days(30 - 4 * i as i64));
        let supplier = supplier_ids[i % supplier_ids.len()];
        let id = store::insert(conn, supplier, None, owner.0, &when)?;
        store::set_lines(conn, id, &lines(rng, products, matches!(fate, Fate::Draft)))?;
        if matches!(fate, Fate::Draft) {
            continue;
        }
        place_in(conn, id, &when)?;
        let all = store::lines(conn, id)?;
        let take = |share: i64| NewReceipt {
            lines: all
                .iter()
                .map(|l| ReceiptLine {
                    line_id: l.id,
                    quantity: (l.quantity * share / 100).max(1),
                })
                .collect(),
            note: None,
        };
        match fate {
            Fate::Received | Fate::ReceivedThenReturned => {
                receive_in(conn, id, &take(100), None, owner, &when)?;
            }
            Fate::PartlyReceived => {
                receive_in(conn, id, &take(50), None, owner, &when)?;
            }
            Fate::Cancelled => {
                store::move_status(conn, id, PoStatus::Ordered, PoStatus::Cancelled, &when)?;
            }
            Fate::Ordered | Fate::Draft => {}
        }
        if matches!(fate, Fate::ReceivedThenReturned) {
            let damaged = NewReceipt {
                lines: vec![ReceiptLine {
                    line_id: all[0].id,
                    quantity: 2,
                }],
                note: Some("包装破损 damaged in transit".into()),
            };
            return_in(conn, id, &damaged, damaged.note.as_deref(), owner, &when)?;
        }
    }
    Ok(FATES.len() as u64)
}

/// Two to four lines of distinct products in tens, at the product's cost (60% of its price
/// when unknown); a draft leaves the cost of a product without one open.
fn lines(rng: &mut Rng, products: &[Product], draft: bool) -> Vec<NewLine> {
    let mut out: Vec<NewLine> = Vec::new();
    for _ in 0..rng.usize(2..=4) {
        let p = &products[rng.usize(..products.len())];
        if out.iter().any(|l| l.product_id == p.id) {
            continue;
        }
        let cost = match (p.cost_minor, draft) {
            (Some(c), _) => Some(c),
            (None, true) => None,
            (None, false) => Some(p.price_minor * 60 / 100),
        };
        out.push(NewLine {
            product_id: p.id,
            quantity: 10 * rng.i64(2..=10),
            unit_cost: cost.map(Money::from_minor),
        });
    }
    out
}
