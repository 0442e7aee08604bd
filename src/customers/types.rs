//! Customers and the validated values that describe them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::money::Total;
use crate::orders::types::Order;
use crate::validate::{nullable, optional_text, required_text};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
    /// The customer's own login (a user with the customer role), if any.
    pub user_id: Option<i64>,
    pub username: Option<String>,
    /// The price level (会员价) their new orders are priced at by default.
    pub price_level_id: Option<i64>,
    pub price_level_name: Option<String>,
    #[serde(flatten)]
    pub invoice: InvoiceDetails,
    pub is_archived: bool,
    /// All orders, cancelled ones included.
    pub order_count: i64,
    /// The sum of the customer's orders that were not cancelled.
    pub lifetime_total: Total,
    pub last_order_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A customer with their most recent orders.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub customer: Customer,
    /// The 20 newest orders; page through all of them with GET /api/orders?customer_id=.
    pub recent_orders: Vec<Order>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    #[schema(example = "张三")]
    pub name: String,
    #[schema(example = "138 0013 8000")]
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
    /// Link a login with the customer role, so they can see their own orders.
    pub user_id: Option<i64>,
    pub price_level_id: Option<i64>,
    /// 发票抬头: the name invoices are made out to.
    pub invoice_title: Option<String>,
    /// 税号: the taxpayer identification number (统一社会信用代码).
    #[schema(example = "91310000MA1FL0XX0X")]
    pub invoice_tax_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub user_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub price_level_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub invoice_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub invoice_tax_id: Option<Option<String>>,
}

/// What an invoice (发票) is made out to: 发票抬头 and 税号. Kept on the customer, and copied
/// onto each of their orders when it is taken (an order may give its own).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvoiceDetails {
    pub invoice_title: Option<String>,
    pub invoice_tax_id: Option<String>,
}

impl InvoiceDetails {
    pub fn parse(title: Option<&str>, tax_id: Option<&str>) -> Result<Self, AppError> {
        Ok(Self {
            invoice_title: parse_invoice_title(title)?,
            invoice_tax_id: parse_tax_id(tax_id)?,
        })
    }
}

/// A 发票抬头: up to 200 characters.
pub fn parse_invoice_title(raw: Option<&str>) -> Result<Option<String>, AppError> {
    optional_text("invoice_title", raw, 200)
}

/// A 税号: 15 to 20 letters and digits (the 18 of a 统一社会信用代码, or the older 15, 17
/// and 20), upper-cased, full-width characters and spaces folded away.
pub fn parse_tax_id(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(text) = optional_text("invoice_tax_id", raw, 40)? else {
        return Ok(None);
    };
    let id: String = crate::validate::identifier(&text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !(15..=20).contains(&id.len()) || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::validation(
            "invoice_tax_id",
            "must be 15 to 20 letters and digits, like 91310000MA1FL0XX0X",
        ));
    }
    Ok(Some(id))
}

/// The editable fields of a customer, validated.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerFields {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
    pub user_id: Option<i64>,
    pub price_level_id: Option<i64>,
    pub invoice: InvoiceDetails,
}

pub fn parse_name(raw: &str) -> Result<String, AppError> {
    required_text("name", raw, 100)
}

pub fn parse_phone(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let phone = optional_text("phone", raw, 30)?;
    if let Some(p) = &phone
        && !p
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
    {
        return Err(AppError::validation(
            "phone",
            "may contain only digits, spaces and + - ( )",
        ));
    }
    Ok(phone)
}

pub fn parse_email(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let email = optional_text("email", raw, 200)?;
    if let Some(e) = &email {
        let valid = e
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !e.chars().any(char::is_whitespace);
        if !valid {
            return Err(AppError::validation(
                "email",
                "must be an email address like name@example.com",
            ));
        }
    }
    Ok(email)
}

pub fn parse_address(raw: Option<&str>) -> Result<Option<String>, AppError> {
    optional_text("address", raw, 500)
}

pub fn parse_note(raw: Option<&str>) -> Result<Option<String>, AppError> {
    optional_text("note", raw, 1000)
}

impl NewCustomer {
    pub fn validate(&self) -> Result<CustomerFields, AppError> {
        Ok(CustomerFields {
            name: parse_name(&self.name)?,
            phone: parse_phone(self.phone.as_deref())?,
            email: parse_email(self.email.as_deref())?,
            address: parse_address(self.address.as_deref())?,
            note: parse_note(self.note.as_deref())?,
            user_id: self.user_id,
            price_level_id: self.price_level_id,
            invoice: InvoiceDetails::parse(self.invoice_title.as_deref(), self.invoice_tax_id.as_deref())?,
        })
    }
}

impl CustomerPatch {
    /// The customer's fields after this change.
    pub fn apply(&self, current: &CustomerFields) -> Result<CustomerFields, AppError> {
        let mut next = current.clone();
        if let Some(name) = &self.name {
            next.name = parse_name(name)?;
        }
        if let Some(phone) = &self.phone {
            next.phone = parse_phone(phone.as_deref())?;
        }
        if let Some(email) = &self.email {
            next.email = parse_email(email.as_deref())?;
        }
        if let Some(address) = &self.address {
            next.address = parse_address(address.as_deref())?;
        }
        if let Some(note) = &self.note {
            next.note = parse_note(note.as_deref())?;
        }
        if let Some(user_id) = self.user_id {
            next.user_id = user_id;
        }
        if let Some(level) = self.price_level_id {
            next.price_level_id = level;
        }
        if let Some(title) = &self.invoice_title {
            next.invoice.invoice_title = parse_invoice_title(title.as_deref())?;
        }
        if let Some(tax_id) = &self.invoice_tax_id {
            next.invoice.invoice_tax_id = parse_tax_id(tax_id.as_deref())?;
        }
        Ok(next)
    }
}

impl From<&Customer> for CustomerFields {
    fn from(c: &Customer) -> Self {
        CustomerFields {
            name: c.name.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            address: c.address.clone(),
            note: c.note.clone(),
            user_id: c.user_id,
            price_level_id: c.price_level_id,
            invoice: c.invoice.clone(),
        }
    }
}
