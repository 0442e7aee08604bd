//! The stock ledger. Every change of a product's stock goes through [`store::change_stock`],
//! which moves the stock and writes the ledger row in the same transaction, so stock can
//! always be explained and re-derived.

pub mod store;

use serde::Serialize;
use utoipa::ToSchema;

/// Why stock moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The stock a product was created with.
    Initial,
    /// Taken by an order.
    Order,
    /// Given back by a cancelled order.
    Cancel,
    /// Set by editing the product's stock directly.
    Correction,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Initial => "initial",
            Reason::Order => "order",
            Reason::Cancel => "cancel",
            Reason::Correction => "correction",
        }
    }
}
