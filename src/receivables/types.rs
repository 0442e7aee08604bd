//! What the receivables report and a customer's statement answer.

use serde::Serialize;
use utoipa::ToSchema;

use crate::money::Total;

/// What one customer (or the walk-in orders, without one) owes, by the age of the orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivableRow {
    /// None for walk-in orders (散客).
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    pub phone: Option<String>,
    /// Orders with a balance due.
    pub orders: i64,
    pub owed: Total,
    #[serde(flatten)]
    pub ages: Ages,
    /// When the oldest of those orders was taken.
    pub oldest_order_at: String,
}

/// A balance split by how many days ago its orders were taken.
#[derive(Debug, Default, Clone, Copy, Serialize, ToSchema)]
pub struct Ages {
    pub days_0_30: Total,
    pub days_31_60: Total,
    pub days_61_90: Total,
    pub days_over_90: Total,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ReceivableTotals {
    pub orders: i64,
    pub owed: Total,
    #[serde(flatten)]
    pub ages: Ages,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivablesReport {
    /// The time the ages were counted at.
    pub as_of: String,
    pub currency_code: String,
    /// The largest balance first.
    pub rows: Vec<ReceivableRow>,
    /// Equal to the dashboard's receivable (GET /api/stats).
    pub totals: ReceivableTotals,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementEntryKind {
    /// An order taken: the customer owes its total.
    Order,
    /// The order was cancelled: its total is no longer owed.
    Cancellation,
    Payment,
    Refund,
    /// Reverses a payment or refund recorded by mistake.
    Void,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatementEntry {
    pub at: String,
    pub kind: StatementEntryKind,
    pub order_id: i64,
    pub order_number: String,
    /// For payments, refunds and voids.
    pub method: Option<String>,
    pub reference: Option<String>,
    /// What the entry did to what the customer owes: an order and a refund add, a payment
    /// and a cancellation take away, a void undoes the entry it reverses.
    pub amount: Total,
    /// What the customer owes after the entry.
    pub balance: Total,
}

/// A customer's statement (对账单) for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    pub customer_id: i64,
    pub customer_name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The shop's first and last day covered.
    pub first_day: String,
    pub last_day: String,
    pub currency_code: String,
    /// What the customer owed when the period began; negative when the shop owed them.
    pub opening_balance: Total,
    /// The entries that added to the balance.
    pub charged: Total,
    /// The entries that took from it, as a positive amount.
    pub received: Total,
    /// opening + charged - received.
    pub closing_balance: Total,
    /// Oldest first.
    pub entries: Vec<StatementEntry>,
}
