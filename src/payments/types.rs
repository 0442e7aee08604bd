//! Payments, refunds and voids: the journal of money on an order.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;

/// Which way an entry moved money.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PaymentKind {
    /// Money received from the customer.
    Payment,
    /// Money given back to the customer.
    Refund,
    /// Reverses an earlier payment or refund recorded by mistake.
    Void,
}

impl PaymentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentKind::Payment => "payment",
            PaymentKind::Refund => "refund",
            PaymentKind::Void => "void",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [PaymentKind::Payment, PaymentKind::Refund, PaymentKind::Void]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

impl rusqlite::types::FromSql for PaymentKind {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "payment kind", PaymentKind::parse)
    }
}

/// Where an order stands on money, from its journal (see `store::STATUS_RULE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Taken before payments were recorded (or imported from the old system): nobody knows,
    /// and it is not counted as owed. Recording a payment starts tracking it.
    Untracked,
    Unpaid,
    PartiallyPaid,
    Paid,
    /// More was received than is due (asked for explicitly, or the order was cancelled or
    /// made smaller after it was paid): the difference is to be refunded.
    Overpaid,
    /// Everything received was given back.
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 6] = [
        PaymentStatus::Untracked,
        PaymentStatus::Unpaid,
        PaymentStatus::PartiallyPaid,
        PaymentStatus::Paid,
        PaymentStatus::Overpaid,
        PaymentStatus::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Untracked => "untracked",
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::PartiallyPaid => "partially_paid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Overpaid => "overpaid",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl rusqlite::types::FromSql for PaymentStatus {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "payment status", PaymentStatus::parse)
    }
}

/// One entry of an order's journal.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Payment {
    pub id: i64,
    pub order_id: i64,
    pub kind: PaymentKind,
    /// Always positive; `kind` gives the direction.
    pub amount: Money,
    pub method: String,
    /// When the money changed hands.
    pub paid_at: String,
    /// The transaction number of a WeChat Pay, Alipay, bank or card payment.
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Why money went back, or why an entry was voided.
    pub reason: Option<String>,
    /// For a void, the entry it reverses.
    pub voids_id: Option<i64>,
    /// For a payment or refund that was voided, the void entry.
    pub voided_by_id: Option<i64>,
    pub user_id: Option<i64>,
    pub recorded_by: String,
    pub created_at: String,
}

/// A payment received, or a refund given.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    /// `payment` (the default) or `refund`. Voids have their own route.
    #[serde(default = "default_kind")]
    pub kind: PaymentKind,
    /// More than zero. A payment may not exceed the balance due unless
    /// `allow_overpayment`; a refund may not exceed what was paid less what was refunded.
    pub amount: Money,
    /// One of the shop's payment methods (GET /api/settings: payment_methods).
    pub method: String,
    /// When the money changed hands (RFC 3339); now if omitted. Not in the future.
    pub paid_at: Option<String>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Required for a refund: why the money goes back.
    pub reason: Option<String>,
    /// Accept a payment above the balance due; the order becomes `overpaid`.
    #[serde(default)]
    pub allow_overpayment: bool,
}

fn default_kind() -> PaymentKind {
    PaymentKind::Payment
}

/// Reversing an entry recorded by mistake.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidPayment {
    /// Why the entry was wrong; kept with the void.
    pub reason: String,
}

/// Where an order stands on money. Kept on every order (lists show and filter by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct PaymentSummary {
    pub payment_status: PaymentStatus,
    /// Received less refunded.
    pub paid_amount: Money,
    pub refunded_amount: Money,
    /// What is still owed: what is due (the total; nothing once cancelled) less what was
    /// paid. Negative when more was paid than is due.
    pub balance_due: Money,
    /// What should go back to the customer: what was paid beyond what is due (all of it once
    /// the order is cancelled).
    pub refund_due: Money,
}

impl PaymentSummary {
    /// From the order's columns. `cancelled` orders owe nothing.
    pub fn new(status: PaymentStatus, total: Money, cancelled: bool, paid: Money, refunded: Money) -> Self {
        let due = if cancelled { 0 } else { total.minor() };
        let balance = due - paid.minor();
        Self {
            payment_status: status,
            paid_amount: paid,
            refunded_amount: refunded,
            balance_due: Money::from_minor(balance),
            refund_due: Money::from_minor((-balance).max(0)),
        }
    }
}

/// An order's journal and where it stands.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PaymentLedger {
    pub order_id: i64,
    pub order_number: String,
    pub total_amount: Money,
    #[serde(flatten)]
    pub summary: PaymentSummary,
    /// Oldest first.
    pub items: Vec<Payment>,
}
