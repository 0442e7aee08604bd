//! Orders, their lines, and the status workflow.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::adjustments::RoundDown;
use crate::customers::types::InvoiceDetails;
use crate::money::Money;
use crate::payments::types::PaymentSummary;
use crate::pricing::Percent;
use crate::returns::types::OrderReturn;
use crate::shipping::types::{ShipTo, Shipment};
use crate::users::types::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OrderStatus {
    Pending,
    Confirmed,
    Shipped,
    Completed,
    Cancelled,
    /// Everything that was shipped came back (see `returns`).
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::Shipped,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
        OrderStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The workflow: pending → confirmed → shipped → completed; pending or confirmed →
    /// cancelled. Nothing leaves completed, cancelled or returned. (An order becomes
    /// `returned` by its returns, never by a status change; `shipped` also comes from its last
    /// shipment.)
    pub fn next_allowed(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Pending => &[Confirmed, Cancelled],
            Confirmed => &[Shipped, Cancelled],
            Shipped => &[Completed],
            Completed | Cancelled | Returned => &[],
        }
    }

    pub fn can_become(self, to: OrderStatus) -> bool {
        self.next_allowed().contains(&to)
    }
}

impl rusqlite::types::FromSql for OrderStatus {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "order status", OrderStatus::parse)
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Order {
    pub id: i64,
    /// Human-readable and unique, e.g. SO-20261128-0007.
    pub order_number: String,
    pub status: OrderStatus,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    /// The customer's phone and address as they are now.
    pub customer_phone: Option<String>,
    pub customer_address: Option<String>,
    /// Where the goods go (收货人), for the 装箱单 and the courier.
    pub ship_to: ShipTo,
    /// The value of the goods that came back (see `returns`); sales reports subtract it.
    pub returned_amount: Money,
    /// What an invoice for this order is made out to (copied from the customer when taken).
    #[serde(flatten)]
    pub invoice: InvoiceDetails,
    /// The user who created the order.
    pub user_id: i64,
    pub created_by: String,
    pub total_amount: Money,
    /// What the total is made of.
    #[serde(flatten)]
    pub amounts: OrderAmounts,
    /// What was paid, what is still owed, and the payment status.
    #[serde(flatten)]
    pub payment: PaymentSummary,
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What an order's total is made of (the rules are in `pricing` and `orders::adjustments`):
/// `total_amount = subtotal + (tax unless prices_include_tax) - discount - rounding + shipping_fee`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct OrderAmounts {
    /// The sum of the lines.
    pub subtotal: Money,
    /// The tax in the lines (their sum); part of the subtotal when prices include tax, added
    /// to it when they do not.
    pub tax: Money,
    /// As the shop's setting was when the order was taken; an order keeps it.
    pub prices_include_tax: bool,
    /// An amount off the order.
    pub discount: Money,
    /// 抹零: none, or down to the yuan or to ten yuan.
    pub round_down: RoundDown,
    /// What 抹零 took off.
    pub rounding: Money,
    pub shipping_fee: Money,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderItem {
    pub id: i64,
    pub product_id: i64,
    /// The product's name and SKU when the order was taken.
    pub product_name: String,
    pub sku: String,
    pub quantity: i64,
    /// The product's regular price when the order was taken.
    pub list_price: Money,
    /// The price charged per unit: the regular price, the customer's level price, or a price
    /// staff set.
    pub unit_price: Money,
    /// Off the unit price, on the whole line.
    pub discount_percent: Percent,
    /// `unit_price × quantity − discount`, rounded half-up (see `pricing`).
    pub line_total: Money,
    pub tax_rate: Percent,
    /// The tax in (or on) the line.
    pub tax: Money,
    /// How many units have gone out; `quantity − shipped_quantity` are still to ship.
    pub shipped_quantity: i64,
    /// How many of the shipped units came back.
    pub returned_quantity: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StatusChange {
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub created_at: String,
}

/// An order with its lines and its history.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub order: Order,
    pub items: Vec<OrderItem>,
    pub status_history: Vec<StatusChange>,
    /// The parcels that went out, oldest first.
    pub shipments: Vec<Shipment>,
    /// The goods that came back, oldest first.
    pub returns: Vec<OrderReturn>,
}

/// What the viewer may do with an order now. The server enforces the same rules, so the UI
/// offers exactly the buttons that will work instead of keeping its own copy of the workflow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct OrderActions {
    /// The statuses the viewer may move the order to.
    pub transitions: Vec<OrderStatus>,
    /// Whether the viewer may change its lines and note.
    pub editable: bool,
    /// Whether the viewer may record a payment on it (staff; not once cancelled).
    pub record_payment: bool,
    /// Whether the viewer may record a refund (staff; something was paid).
    pub refund: bool,
    /// Whether the viewer may void a payment or refund recorded by mistake (staff).
    pub void_payments: bool,
    /// Whether the viewer may record a shipment (staff; confirmed, something left to ship).
    pub ship: bool,
    /// Whether the viewer may record a return (staff; shipped or completed, something
    /// shipped that has not come back).
    pub return_goods: bool,
    /// Whether the viewer may change where it goes (staff; pending or confirmed).
    pub edit_ship_to: bool,
}

impl OrderActions {
    /// Staff follow the workflow, edit pending orders and record money; a customer may only
    /// cancel their own pending order.
    pub fn for_role(detail: &OrderDetail, role: Role) -> Self {
        let order = &detail.order;
        let status = order.status;
        if role.is_staff() {
            let shipped: i64 = detail.items.iter().map(|i| i.shipped_quantity).sum();
            let returned: i64 = detail.items.iter().map(|i| i.returned_quantity).sum();
            let ordered: i64 = detail.items.iter().map(|i| i.quantity).sum();
            // Part of it has gone out: it can no longer be cancelled, only shipped and returned.
            let transitions = status
                .next_allowed()
                .iter()
                .copied()
                .filter(|to| *to != OrderStatus::Cancelled || shipped == 0)
                .collect();
            return Self {
                transitions,
                editable: status == OrderStatus::Pending,
                record_payment: status != OrderStatus::Cancelled,
                refund: order.payment.paid_amount.minor() > 0,
                void_payments: true,
                ship: status == OrderStatus::Confirmed && shipped < ordered,
                return_goods: matches!(status, OrderStatus::Shipped | OrderStatus::Completed) && returned < shipped,
                edit_ship_to: matches!(status, OrderStatus::Pending | OrderStatus::Confirmed),
            };
        }
        let transitions = match status {
            OrderStatus::Pending => vec![OrderStatus::Cancelled],
            _ => Vec::new(),
        };
        Self {
            transitions,
            editable: false,
            record_payment: false,
            refund: false,
            void_payments: false,
            ship: false,
            return_goods: false,
            edit_ship_to: false,
        }
    }
}

/// An order as one viewer sees it: the order and what they may do with it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderView {
    #[serde(flatten)]
    pub detail: OrderDetail,
    pub actions: OrderActions,
}

impl OrderView {
    pub fn new(detail: OrderDetail, viewer: Role) -> Self {
        let actions = OrderActions::for_role(&detail, viewer);
        Self { detail, actions }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrderItem {
    pub product_id: i64,
    pub quantity: i64,
    /// A price of the line's own (staff and up); the regular price stays on the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    /// A percentage off the line (staff and up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<Percent>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    pub items: Vec<NewOrderItem>,
    /// Who the order is for; omit for a walk-in sale. Customers always order for themselves.
    pub customer_id: Option<i64>,
    pub note: Option<String>,
    /// An amount off the order (staff and up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "5.00")]
    pub discount: Option<Money>,
    /// 抹零 (staff and up): round the total down to the yuan or to ten yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round_down: Option<RoundDown>,
    /// A shipping fee added to the order (staff and up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, example = "8.00")]
    pub shipping_fee: Option<Money>,
    /// 发票抬头 and 税号 for this order; omitted, the customer's are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_tax_id: Option<String>,
    /// Where the goods go; omitted, the customer's address `address_id`, or their default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<ShipTo>,
    /// One of the customer's saved addresses (staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_id: Option<i64>,
}

/// A change to a pending order. Only the fields given change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPatch {
    /// The order's new lines, replacing the old ones.
    pub items: Option<Vec<NewOrderItem>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    /// A new amount off; the total follows.
    #[schema(value_type = Option<String>)]
    pub discount: Option<Money>,
    pub round_down: Option<RoundDown>,
    #[schema(value_type = Option<String>)]
    pub shipping_fee: Option<Money>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub invoice_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::nullable")]
    #[schema(value_type = Option<String>)]
    pub invoice_tax_id: Option<Option<String>>,
}

/// What an order would come to, priced as it would be taken now; nothing is written.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OrderQuote {
    pub items: Vec<OrderItem>,
    #[serde(flatten)]
    pub amounts: OrderAmounts,
    pub total_amount: Money,
    /// The price level the lines were priced at, if any.
    pub price_level_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    pub status: OrderStatus,
}
