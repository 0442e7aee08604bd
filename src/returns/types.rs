//! Returns (退货): goods that came back from a shipped order.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::money::Money;

/// Why goods came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// 商品破损.
    Damaged,
    /// 发错货.
    WrongItem,
    /// 与描述不符.
    NotAsDescribed,
    /// 不想要了.
    NotNeeded,
    /// 送达太晚.
    Late,
    Other,
}

impl ReturnReason {
    pub const ALL: [ReturnReason; 6] = [
        ReturnReason::Damaged,
        ReturnReason::WrongItem,
        ReturnReason::NotAsDescribed,
        ReturnReason::NotNeeded,
        ReturnReason::Late,
        ReturnReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnReason::Damaged => "damaged",
            ReturnReason::WrongItem => "wrong_item",
            ReturnReason::NotAsDescribed => "not_as_described",
            ReturnReason::NotNeeded => "not_needed",
            ReturnReason::Late => "late",
            ReturnReason::Other => "other",
        }
    }
}

impl rusqlite::types::FromSql for ReturnReason {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "return reason", |s| {
            ReturnReason::ALL.into_iter().find(|r| r.as_str() == s)
        })
    }
}

/// Goods that came back, and the refund given with them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderReturn {
    pub id: i64,
    pub order_id: i64,
    pub reason: ReturnReason,
    pub note: Option<String>,
    /// The value of the goods that came back (the sum of the lines' amounts).
    pub amount: Money,
    /// The refund entry in the order's payments, if money went back with the goods.
    pub refund_payment_id: Option<i64>,
    pub refund_amount: Option<Money>,
    pub returned_by: String,
    pub created_at: String,
    pub lines: Vec<ReturnLine>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReturnLine {
    pub order_item_id: i64,
    pub product_name: String,
    pub sku: String,
    pub quantity: i64,
    /// Back on the shelf (true) or written off as damaged (false).
    pub restock: bool,
    /// The value of these units (see `returns::returned_value`).
    pub amount: Money,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReturnLine {
    pub order_item_id: i64,
    pub quantity: i64,
    /// true: back to stock (a `return` movement); false: damaged, written off (a `return` and
    /// a `damage` movement, stock unchanged).
    pub restock: bool,
}

/// Money given back with the goods, recorded in the order's payments as a refund.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRefund {
    #[schema(value_type = String, example = "25.00")]
    pub amount: Money,
    /// One of the shop's payment methods: how the money went back.
    pub method: String,
    /// The transaction number of the refund, if any.
    pub reference: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReturn {
    pub reason: ReturnReason,
    pub note: Option<String>,
    pub lines: Vec<NewReturnLine>,
    pub refund: Option<ReturnRefund>,
}
