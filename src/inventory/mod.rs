//! The stock ledger. Every change of a product's stock goes through [`store::change_stock`],
//! which moves the stock and writes the ledger row in the same transaction, so stock can
//! always be explained and re-derived: a product's stock equals the sum of its movements.

pub mod routes;
pub mod store;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::products;
use crate::products::types::Product;
use crate::validate::optional_text;

/// Why stock moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The stock a product was created with.
    Initial,
    /// Taken by an order.
    Order,
    /// Given back by a cancelled order.
    Cancel,
    /// A pending order's items were edited.
    OrderEdit,
    /// Set by editing the product's stock directly or by an import.
    Correction,
    /// Goods received.
    Restock,
    /// Goods damaged or lost.
    Damage,
    /// A stock count found a different number.
    CountCorrection,
    /// Goods a customer sent back (a return to stock; damaged ones are then written off with
    /// `damage`).
    Return,
    /// Received from a supplier on a purchase order (采购入库).
    Purchase,
    /// Sent back to the supplier of a purchase order (退货给供应商).
    PurchaseReturn,
}

impl Reason {
    /// The value in `inventory_movements.reason`.
    pub fn as_db(self) -> &'static str {
        match self {
            Reason::Initial => "initial",
            Reason::Order => "order",
            Reason::Cancel => "cancel",
            Reason::OrderEdit => "order_edit",
            Reason::Correction => "correction",
            Reason::Restock => "restock",
            Reason::Damage => "damage",
            Reason::CountCorrection => "count",
            Reason::Return => "return",
            Reason::Purchase => "purchase",
            Reason::PurchaseReturn => "purchase_return",
        }
    }

    pub fn from_db(s: &str) -> Option<Reason> {
        Some(match s {
            "initial" => Reason::Initial,
            "order" => Reason::Order,
            "cancel" => Reason::Cancel,
            "order_edit" => Reason::OrderEdit,
            "correction" => Reason::Correction,
            "restock" => Reason::Restock,
            "damage" => Reason::Damage,
            "count" => Reason::CountCorrection,
            "return" => Reason::Return,
            "purchase" => Reason::Purchase,
            "purchase_return" => Reason::PurchaseReturn,
            _ => return None,
        })
    }
}

impl rusqlite::types::FromSql for Reason {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "stock movement reason", Reason::from_db)
    }
}

/// A manual change of stock.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockAdjustment {
    /// Signed: +20 received, -3 damaged.
    pub quantity: i64,
    /// restock (positive), damage (negative) or count_correction (either sign).
    pub reason: Reason,
    pub note: Option<String>,
}

/// Adjusts a product's stock by hand. Stock can never go below zero: such an adjustment is a
/// 409 `insufficient_stock`.
pub async fn adjust(db: &Db, actor: &CurrentUser, product_id: i64, input: StockAdjustment) -> AppResult<Product> {
    let q = input.quantity;
    if q == 0 || q.unsigned_abs() > 1_000_000_000 {
        return Err(AppError::validation(
            "quantity",
            "must be a non-zero number of items (at most 1000000000 either way)",
        ));
    }
    match input.reason {
        Reason::Restock if q < 0 => {
            return Err(AppError::validation(
                "quantity",
                "a restock adds stock: use a positive number",
            ));
        }
        Reason::Damage if q > 0 => {
            return Err(AppError::validation(
                "quantity",
                "damage removes stock: use a negative number",
            ));
        }
        Reason::Restock | Reason::Damage | Reason::CountCorrection => {}
        _ => {
            return Err(AppError::validation(
                "reason",
                "must be restock, damage or count_correction",
            ));
        }
    }
    let note = optional_text("note", input.note.as_deref(), 500)?;
    let who = Who::from(actor);
    db.write(move |conn| {
        let now = clock::now();
        // Locked from this read to the commit, so the audit's before is what the change moved.
        store::lock_product(conn, product_id)?;
        let before = products::store::get(conn, product_id)?;
        let refs = store::MovementRefs {
            user_id: who.user_id,
            note: note.as_deref(),
            ..Default::default()
        };
        store::change_stock(conn, product_id, q, input.reason, refs, &now)?;
        let after = products::store::get(conn, product_id)?;
        let (changed_before, mut changed_after) = audit::diff(&before, &after);
        if let Some(fields) = changed_after.as_object_mut() {
            fields.insert("reason".into(), serde_json::json!(input.reason));
            fields.insert("quantity_delta".into(), serde_json::json!(q));
        }
        let event = Event::changed_fields("stock.adjust", "product", product_id, &changed_before, &changed_after);
        audit::store::record(conn, &who, &event, &now)?;
        Ok(after)
    })
    .await
}
