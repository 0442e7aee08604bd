//! Suppliers, purchase orders and what arrived on them, as the API shows and takes them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;
use crate::validate::nullable;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Supplier {
    pub id: i64,
    pub name: String,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
    /// Archived suppliers are kept (their purchase orders name them) but not offered.
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSupplier {
    #[schema(example = "金龙鱼华东经销部")]
    pub name: String,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub contact: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
}

/// Where a purchase order is. draft → ordered → partially_received → received; a draft or an
/// order still waiting for goods may be cancelled (what already came stays in stock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    Draft,
    Ordered,
    PartiallyReceived,
    Received,
    Cancelled,
}

impl PoStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PoStatus::Draft => "draft",
            PoStatus::Ordered => "ordered",
            PoStatus::PartiallyReceived => "partially_received",
            PoStatus::Received => "received",
            PoStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<PoStatus> {
        Some(match s {
            "draft" => PoStatus::Draft,
            "ordered" => PoStatus::Ordered,
            "partially_received" => PoStatus::PartiallyReceived,
            "received" => PoStatus::Received,
            "cancelled" => PoStatus::Cancelled,
            _ => return None,
        })
    }

    /// Whether goods may still arrive on it.
    pub fn awaits_goods(self) -> bool {
        matches!(self, PoStatus::Ordered | PoStatus::PartiallyReceived)
    }
}

impl rusqlite::types::FromSql for PoStatus {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "purchase order status", PoStatus::parse)
    }
}

/// A purchase order as lists show it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PurchaseOrder {
    pub id: i64,
    /// CG-00042: its id, as people say it.
    pub number: String,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub status: PoStatus,
    pub note: Option<String>,
    /// The lines' quantities at their costs (lines without a cost yet count as nothing).
    pub total: Money,
    /// Units ordered and received so far, over all lines.
    pub quantity: i64,
    pub received_quantity: i64,
    pub created_at: String,
    pub updated_at: String,
    pub ordered_at: Option<String>,
}

pub fn po_number(id: i64) -> String {
    format!("CG-{id:05}")
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PoLine {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub product_name: String,
    pub unit: Option<String>,
    pub quantity: i64,
    /// Null until known (a draft from reorder suggestions); required to order.
    pub unit_cost: Option<Money>,
    pub received_quantity: i64,
    /// Sent back to the supplier, out of those received.
    pub returned_quantity: i64,
}

/// Goods in, or goods back to the supplier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReceiptKind {
    Receipt,
    Return,
}

impl rusqlite::types::FromSql for ReceiptKind {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "purchase receipt kind", |s| match s {
            "receipt" => Some(ReceiptKind::Receipt),
            "return" => Some(ReceiptKind::Return),
            _ => None,
        })
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub id: i64,
    pub kind: ReceiptKind,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub lines: Vec<ReceiptLine>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptLine {
    /// The purchase order line.
    pub line_id: i64,
    pub quantity: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PurchaseOrderDetail {
    #[serde(flatten)]
    pub order: PurchaseOrder,
    pub lines: Vec<PoLine>,
    /// Receipts and returns, oldest first.
    pub receipts: Vec<Receipt>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    pub product_id: i64,
    pub quantity: i64,
    /// What one unit costs from this supplier; may be left out of a draft.
    pub unit_cost: Option<Money>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPurchaseOrder {
    pub supplier_id: i64,
    pub lines: Vec<LineInput>,
    pub note: Option<String>,
    /// true: placed with the supplier at once (status ordered); otherwise a draft.
    #[serde(default)]
    pub ordered: bool,
}

/// A draft's changes: the supplier, the note, or the whole list of lines.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseOrderPatch {
    pub supplier_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    pub lines: Option<Vec<LineInput>>,
}

/// Goods that arrived (or go back): which lines and how many of each.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReceipt {
    pub lines: Vec<ReceiptLine>,
    pub note: Option<String>,
}

/// A product at or under its low-stock threshold, with how many to order.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReorderSuggestion {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: Option<String>,
    pub stock_quantity: i64,
    pub low_stock_threshold: i64,
    /// Units on purchase orders not yet received (drafts included).
    pub on_order: i64,
    /// Twice the threshold, less the stock and what is on order.
    pub suggested_quantity: i64,
    pub cost_price: Option<Money>,
    /// Who it was last bought from, if ever.
    pub last_supplier_id: Option<i64>,
    pub last_supplier_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromReorder {
    pub supplier_id: i64,
    /// The suggestions to order, each at its suggested quantity and cost price.
    pub product_ids: Vec<i64>,
}
