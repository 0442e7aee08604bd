//! Writing CSV files that Excel opens correctly: UTF-8 with a BOM, headers and status values in
//! the shop's language, times in the shop's time zone, and text cells that start like a
//! formula neutralised.
//!
//! Orders come as two files, so that a sum in a spreadsheet never counts an amount twice:
//! `orders.csv`, one row per order with its total, and `order-lines.csv`, one row per line with
//! its line total and no order total.

use std::io::Write;

use crate::db::Conn;
use chrono_tz::Tz;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::clock::local_display;
use crate::customers::store::CustomerFilter;
use crate::error::{AppError, AppResult};
use crate::orders::store::OrderFilter;
use crate::orders::types::OrderStatus;
use crate::payments::store::PaymentFilter;
use crate::payments::types::{PaymentKind, PaymentStatus};
use crate::products::store::ProductFilter;
use crate::products::types::ProductStatus;
use crate::{customers, orders, payments, products};

/// What to export, with the list's filters.
pub enum Export {
    Orders(OrderFilter),
    OrderLines(OrderFilter),
    Products(ProductFilter),
    Customers(CustomerFilter),
    Payments(PaymentFilter),
}

impl Export {
    pub fn name(&self) -> &'static str {
        match self {
            Export::Orders(_) => "orders",
            Export::OrderLines(_) => "order-lines",
            Export::Products(_) => "products",
            Export::Customers(_) => "customers",
            Export::Payments(_) => "payments",
        }
    }
}

/// The language of a file's headers and values: the UI asks for its own; scripts get English,
/// the names imports expect.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub enum Lang {
    #[serde(rename = "zh-CN")]
    Chinese,
    #[default]
    #[serde(rename = "en")]
    English,
}

/// Column headers: (English, Chinese). The English ones are the names imports expect (and
/// imports take the Chinese ones too).
pub const PRODUCT_COLUMNS: [(&str, &str); 14] = [
    ("sku", "SKU"),
    ("name", "名称"),
    ("price", "价格"),
    ("stock_quantity", "库存"),
    ("low_stock_threshold", "低库存阈值"),
    ("status", "状态"),
    ("description", "描述"),
    ("is_low_stock", "库存偏低"),
    ("created_at", "创建时间"),
    ("updated_at", "更新时间"),
    ("category", "分类"),
    ("unit", "单位"),
    ("barcode", "条码"),
    ("cost_price", "成本价"),
];

pub const CUSTOMER_COLUMNS: [(&str, &str); 11] = [
    ("name", "姓名"),
    ("phone", "电话"),
    ("email", "邮箱"),
    ("address", "地址"),
    ("note", "备注"),
    ("id", "编号"),
    ("username", "登录名"),
    ("order_count", "订单数"),
    ("lifetime_total", "累计金额"),
    ("last_order_at", "最近下单"),
    ("created_at", "创建时间"),
];

const ORDER_COLUMNS: [(&str, &str); 17] = [
    ("order_number", "订单号"),
    ("created_at", "下单时间"),
    ("status", "状态"),
    ("customer", "客户"),
    ("created_by", "开单人"),
    ("lines", "行数"),
    ("subtotal", "商品金额"),
    ("discount", "优惠"),
    ("rounding", "抹零"),
    ("shipping_fee", "运费"),
    ("tax", "税额"),
    ("order_total", "订单金额"),
    ("payment_status", "收款状态"),
    ("paid", "已收金额"),
    ("balance_due", "待收金额"),
    ("note", "备注"),
    ("currency", "币种"),
];

const LINE_COLUMNS: [(&str, &str); 10] = [
    ("order_number", "订单号"),
    ("created_at", "下单时间"),
    ("status", "状态"),
    ("customer", "客户"),
    ("sku", "SKU"),
    ("product_name", "商品名称"),
    ("quantity", "数量"),
    ("unit_price", "单价"),
    ("line_total", "小计"),
    ("currency", "币种"),
];

/// Payments: `amount` is what the entry did to the money taken (negative for a refund or a
/// voided payment), so the column sums to the takings; `entry_amount` is as recorded.
const PAYMENT_COLUMNS: [(&str, &str); 12] = [
    ("paid_at", "收付时间"),
    ("order_number", "订单号"),
    ("kind", "类型"),
    ("method", "方式"),
    ("amount", "金额"),
    ("entry_amount", "记录金额"),
    ("reference", "交易号"),
    ("note", "备注"),
    ("reason", "原因"),
    ("recorded_by", "经手人"),
    ("recorded_at", "记录时间"),
    ("currency", "币种"),
];

impl Lang {
    fn headers<const N: usize>(self, columns: [(&'static str, &'static str); N]) -> Vec<&'static str> {
        columns
            .iter()
            .map(|(en, zh)| if self == Lang::English { *en } else { *zh })
            .collect()
    }

    pub fn order_status(self, s: OrderStatus) -> &'static str {
        match self {
            Lang::English => s.as_str(),
            Lang::Chinese => match s {
                OrderStatus::Pending => "待处理",
                OrderStatus::Confirmed => "已确认",
                OrderStatus::Shipped => "已发货",
                OrderStatus::Completed => "已完成",
                OrderStatus::Cancelled => "已取消",
                OrderStatus::Returned => "已退货",
            },
        }
    }

    pub fn payment_status(self, s: PaymentStatus) -> &'static str {
        match self {
            Lang::English => s.as_str(),
            Lang::Chinese => match s {
                PaymentStatus::Untracked => "未记录",
                PaymentStatus::Unpaid => "未收款",
                PaymentStatus::PartiallyPaid => "部分收款",
                PaymentStatus::Paid => "已收款",
                PaymentStatus::Overpaid => "多收",
                PaymentStatus::Refunded => "已退款",
            },
        }
    }

    pub fn payment_kind(self, k: PaymentKind) -> &'static str {
        match (self, k) {
            (Lang::English, k) => k.as_str(),
            (Lang::Chinese, PaymentKind::Payment) => "收款",
            (Lang::Chinese, PaymentKind::Refund) => "退款",
            (Lang::Chinese, PaymentKind::Void) => "冲销",
        }
    }

    /// The built-in methods by name; a shop's own are written as the shop named them.
    pub fn payment_method(self, m: &str) -> String {
        let zh = match m {
            "cash" => "现金",
            "wechat" => "微信",
            "alipay" => "支付宝",
            "bank_transfer" => "银行转账",
            "card" => "刷卡",
            "on_account" => "挂账",
            other => return neutralise(other).into_owned(),
        };
        if self == Lang::Chinese {
            zh.to_owned()
        } else {
            m.to_owned()
        }
    }

    pub fn product_status(self, s: ProductStatus) -> &'static str {
        match (self, s) {
            (Lang::English, s) => s.as_str(),
            (Lang::Chinese, ProductStatus::Active) => "在售",
            (Lang::Chinese, ProductStatus::Archived) => "已下架",
        }
    }

    fn yes_no(self, b: bool) -> &'static str {
        match (self, b) {
            (Lang::English, b) => {
                if b {
                    "true"
                } else {
                    "false"
                }
            }
            (Lang::Chinese, true) => "是",
            (Lang::Chinese, false) => "否",
        }
    }
}

/// A text cell that a spreadsheet would run as a formula (= + - @, or a leading tab or
/// carriage return) gets a leading apostrophe, so it is shown as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn text(cell: &Option<String>) -> String {
    cell.as_deref().map(|c| neutralise(c).into_owned()).unwrap_or_default()
}

/// How a file is written: in which language, time zone and currency.
pub struct Format<'a> {
    pub lang: Lang,
    pub tz: Tz,
    pub currency: &'a str,
}

/// Writes one export to `out`: BOM, header, rows. `search` is the list's `q`.
pub fn write(conn: &Conn, export: &Export, search: Option<&str>, format: &Format, out: impl Write) -> AppResult<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut csv = csv::Writer::from_writer(out);
    let (lang, currency) = (format.lang, format.currency);
    let time = |t: &str| local_display(t, format.tz);
    match export {
        Export::Products(filter) => {
            csv.write_record(lang.headers(PRODUCT_COLUMNS)).map_err(io)?;
            let categories = products::categories::store::paths(conn)?;
            products::store::for_each(conn, filter, search, |p| {
                csv.write_record([
                    neutralise(&p.sku).into_owned(),
                    neutralise(&p.name).into_owned(),
                    p.price.to_string(),
                    p.stock_quantity.to_string(),
                    p.low_stock_threshold.map(|t| t.to_string()).unwrap_or_default(),
                    lang.product_status(p.status).to_owned(),
                    text(&p.description),
                    lang.yes_no(p.is_low_stock).to_owned(),
                    time(&p.created_at),
                    time(&p.updated_at),
                    p.category_id
                        .and_then(|c| categories.get(&c))
                        .map(|c| neutralise(c).into_owned())
                        .unwrap_or_default(),
                    text(&p.unit),
                    text(&p.barcode),
                    p.cost_price.map(|c| c.to_string()).unwrap_or_default(),
                ])
                .map_err(io)
            })?;
        }
        Export::Customers(filter) => {
            csv.write_record(lang.headers(CUSTOMER_COLUMNS)).map_err(io)?;
            customers::store::for_each(conn, filter, search, |c| {
                csv.write_record([
                    neutralise(&c.name).into_owned(),
                    text(&c.phone),
                    text(&c.email),
                    text(&c.address),
                    text(&c.note),
                    c.id.to_string(),
                    text(&c.username),
                    c.order_count.to_string(),
                    c.lifetime_total.to_string(),
                    c.last_order_at.as_deref().map(time).unwrap_or_default(),
                    time(&c.created_at),
                ])
                .map_err(io)
            })?;
        }
        Export::Orders(filter) => {
            csv.write_record(lang.headers(ORDER_COLUMNS)).map_err(io)?;
            orders::store::for_each(conn, filter, search, |o, lines| {
                csv.write_record([
                    o.order_number.clone(),
                    time(&o.created_at),
                    lang.order_status(o.status).to_owned(),
                    text(&o.customer_name),
                    neutralise(&o.created_by).into_owned(),
                    lines.to_string(),
                    o.amounts.subtotal.to_string(),
                    o.amounts.discount.to_string(),
                    o.amounts.rounding.to_string(),
                    o.amounts.shipping_fee.to_string(),
                    o.amounts.tax.to_string(),
                    o.total_amount.to_string(),
                    lang.payment_status(o.payment.payment_status).to_owned(),
                    o.payment.paid_amount.to_string(),
                    o.payment.balance_due.to_string(),
                    text(&o.note),
                    currency.to_owned(),
                ])
                .map_err(io)
            })?;
        }
        Export::OrderLines(filter) => {
            csv.write_record(lang.headers(LINE_COLUMNS)).map_err(io)?;
            orders::store::for_each_line(conn, filter, search, |o, i| {
                csv.write_record([
                    o.order_number.clone(),
                    time(&o.created_at),
                    lang.order_status(o.status).to_owned(),
                    text(&o.customer_name),
                    neutralise(&i.sku).into_owned(),
                    neutralise(&i.product_name).into_owned(),
                    i.quantity.to_string(),
                    i.unit_price.to_string(),
                    i.line_total.to_string(),
                    currency.to_owned(),
                ])
                .map_err(io)
            })?;
        }
        Export::Payments(filter) => {
            csv.write_record(lang.headers(PAYMENT_COLUMNS)).map_err(io)?;
            payments::store::for_each(conn, filter, |p, number, effect| {
                csv.write_record([
                    time(&p.paid_at),
                    number.to_owned(),
                    lang.payment_kind(p.kind).to_owned(),
                    lang.payment_method(&p.method),
                    effect.to_string(),
                    p.amount.to_string(),
                    text(&p.reference),
                    text(&p.note),
                    text(&p.reason),
                    neutralise(&p.recorded_by).into_owned(),
                    time(&p.created_at),
                    currency.to_owned(),
                ])
                .map_err(io)
            })?;
        }
    }
    csv.flush().map_err(io)?;
    Ok(())
}

/// Writing failed: usually the client went away mid-download, or the disk is full.
fn io(err: impl std::fmt::Display) -> AppError {
    AppError::Unavailable(format!("the export could not be written: {err}"))
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("普洱茶"), "普洱茶");
        assert_eq!(neutralise(""), "");
    }
}
