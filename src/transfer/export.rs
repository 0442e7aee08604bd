//! Writing CSV files that Excel opens correctly: UTF-8 with a BOM, times in the shop's time
//! zone, and text cells that start like a formula neutralised.

use std::io::Write;

use chrono_tz::Tz;
use rusqlite::Connection;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::clock::local_display;
use crate::error::{AppError, AppResult};
use crate::orders::store::OrderFilter;
use crate::{customers, orders, products};

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Orders,
    Products,
    Customers,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Orders => "orders",
            Kind::Products => "products",
            Kind::Customers => "customers",
        }
    }
}

pub const PRODUCT_COLUMNS: [&str; 10] = [
    "sku",
    "name",
    "price",
    "stock_quantity",
    "low_stock_threshold",
    "status",
    "description",
    "is_low_stock",
    "created_at",
    "updated_at",
];

pub const CUSTOMER_COLUMNS: [&str; 11] = [
    "name",
    "phone",
    "email",
    "address",
    "note",
    "id",
    "username",
    "order_count",
    "lifetime_total",
    "last_order_at",
    "created_at",
];

const ORDER_COLUMNS: [&str; 13] = [
    "order_number",
    "created_at",
    "status",
    "customer",
    "created_by",
    "order_total",
    "note",
    "sku",
    "product_name",
    "quantity",
    "unit_price",
    "line_total",
    "currency",
];

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

/// Writes one export to `out`: BOM, header, rows.
pub fn write(
    conn: &Connection,
    kind: Kind,
    filter: &OrderFilter,
    tz: Tz,
    currency: &str,
    out: impl Write,
) -> AppResult<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes()).map_err(io)?;
    let mut csv = csv::Writer::from_writer(out);
    let time = |t: &str| local_display(t, tz);
    match kind {
        Kind::Products => {
            csv.write_record(PRODUCT_COLUMNS).map_err(io)?;
            products::store::for_each(conn, |p| {
                csv.write_record([
                    neutralise(&p.sku).into_owned(),
                    neutralise(&p.name).into_owned(),
                    p.price.to_string(),
                    p.stock_quantity.to_string(),
                    p.low_stock_threshold.map(|t| t.to_string()).unwrap_or_default(),
                    p.status.as_str().to_owned(),
                    text(&p.description),
                    p.is_low_stock.to_string(),
                    time(&p.created_at),
                    time(&p.updated_at),
                ])
                .map_err(io)
            })?;
        }
        Kind::Customers => {
            csv.write_record(CUSTOMER_COLUMNS).map_err(io)?;
            customers::store::for_each(conn, |c| {
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
        Kind::Orders => {
            csv.write_record(ORDER_COLUMNS).map_err(io)?;
            orders::store::for_each_line(conn, filter, |o, i| {
                csv.write_record([
                    o.order_number.clone(),
                    time(&o.created_at),
                    o.status.as_str().to_owned(),
                    text(&o.customer_name),
                    neutralise(&o.created_by).into_owned(),
                    o.total_amount.to_string(),
                    text(&o.note),
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
