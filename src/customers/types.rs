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
        }
    }
}
