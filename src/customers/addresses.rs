//! A customer's addresses (收货地址), one of them the default the order form starts from:
//! /api/customers/{id}/addresses.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::{Conn, OptionalExtension, Row, not_found_as};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::shipping::types::ShipTo;
use crate::validate::optional_text;

const MAX_ADDRESSES: i64 = 20;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Address {
    pub id: i64,
    pub customer_id: i64,
    /// e.g. 公司, 家.
    pub label: Option<String>,
    #[serde(flatten)]
    pub ship_to: ShipTo,
    pub is_default: bool,
}

/// An address to keep. `name` and `street` are required; the customer's first address becomes
/// their default.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub label: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    #[serde(default)]
    pub is_default: bool,
}

struct Checked {
    label: Option<String>,
    to: ShipTo,
    is_default: bool,
}

impl AddressInput {
    fn checked(self) -> AppResult<Checked> {
        let to = ShipTo {
            name: self.name,
            phone: self.phone,
            province: self.province,
            city: self.city,
            district: self.district,
            street: self.street,
            postcode: self.postcode,
        }
        .validated()?;
        if to.name.is_none() {
            return Err(AppError::validation("name", "say who receives the goods"));
        }
        if to.street.is_none() {
            return Err(AppError::validation("street", "give the street and building"));
        }
        Ok(Checked {
            label: optional_text("label", self.label.as_deref(), 20)?,
            to,
            is_default: self.is_default,
        })
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_addresses, add_address))
        .routes(routes!(update_address, delete_address))
}

const SELECT: &str =
    "SELECT id, customer_id, label, name, phone, province, city, district, street, postcode, is_default
                      FROM customer_addresses";

fn from_row(r: &Row) -> crate::db::Result<Address> {
    Ok(Address {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        label: r.get(2)?,
        ship_to: ShipTo {
            name: r.get(3)?,
            phone: r.get(4)?,
            province: r.get(5)?,
            city: r.get(6)?,
            district: r.get(7)?,
            street: r.get(8)?,
            postcode: r.get(9)?,
        },
        is_default: r.get(10)?,
    })
}

pub fn for_customer(conn: &Conn, customer_id: i64) -> AppResult<Vec<Address>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE customer_id = ? ORDER BY is_default DESC, id"))?
        .query_map([customer_id], from_row)?
        .collect::<Result<Vec<_>, _>>()?)
}

fn get(conn: &Conn, customer_id: i64, id: i64) -> AppResult<Address> {
    conn.prepare_cached(&format!("{SELECT} WHERE customer_id = ? AND id = ?"))?
        .query_row(params![customer_id, id], from_row)
        .map_err(not_found_as("address"))
}

/// Where a new order goes: the address asked for (one of the customer's), else the customer's
/// default address, else their name, phone and address as on their record. A walk-in sale
/// goes nowhere.
pub fn ship_to_for(conn: &Conn, customer_id: Option<i64>, address_id: Option<i64>) -> AppResult<ShipTo> {
    let Some(customer_id) = customer_id else {
        if address_id.is_some() {
            return Err(AppError::validation(
                "address_id",
                "a walk-in sale has no saved addresses",
            ));
        }
        return Ok(ShipTo::default());
    };
    if let Some(id) = address_id {
        return get(conn, customer_id, id)
            .map(|a| a.ship_to)
            .map_err(|_| AppError::validation("address_id", "is not one of this customer's addresses"));
    }
    let default = conn
        .prepare_cached(&format!("{SELECT} WHERE customer_id = ? AND is_default = 1"))?
        .query_row([customer_id], from_row)
        .optional()?;
    if let Some(a) = default {
        return Ok(a.ship_to);
    }
    let (name, phone, street): (String, Option<String>, Option<String>) = conn
        .prepare_cached("SELECT name, phone, address FROM customers WHERE id = ?")?
        .query_row([customer_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(ShipTo {
        name: Some(name),
        phone,
        street,
        ..ShipTo::default()
    })
}

/// Makes `id` the customer's only default.
fn make_default(conn: &Conn, customer_id: i64, id: i64) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE customer_addresses SET is_default = 0 WHERE customer_id = ? AND is_default = 1 AND id <> ?",
    )?
    .execute(params![customer_id, id])?;
    conn.prepare_cached("UPDATE customer_addresses SET is_default = 1 WHERE id = ?")?
        .execute([id])?;
    Ok(())
}

fn write(conn: &Conn, customer_id: i64, id: Option<i64>, c: &Checked, now: &str) -> AppResult<i64> {
    let t = &c.to;
    let id =
        match id {
            Some(id) => {
                conn.prepare_cached(
                "UPDATE customer_addresses SET label = ?, name = ?, phone = ?, province = ?, city = ?, district = ?,
                        street = ?, postcode = ?, updated_at = ? WHERE id = ?",
            )?
            .execute(params![c.label, t.name, t.phone, t.province, t.city, t.district, t.street, t.postcode, now, id])?;
                id
            }
            None => {
                conn.prepare_cached(
                    "INSERT INTO customer_addresses (customer_id, label, name, phone, province, city, district, street,
                                                 postcode, is_default, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                )?
                .execute(params![
                    customer_id,
                    c.label,
                    t.name,
                    t.phone,
                    t.province,
                    t.city,
                    t.district,
                    t.street,
                    t.postcode,
                    now,
                    now
                ])?;
                conn.last_insert_rowid()?
            }
        };
    let has_default: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM customer_addresses WHERE customer_id = ? AND is_default = 1)")?
        .query_row([customer_id], |r| r.get(0))?;
    if c.is_default || !has_default {
        make_default(conn, customer_id, id)?;
    }
    Ok(id)
}

/// A customer's saved addresses, the default first.
#[utoipa::path(get, path = "/api/customers/{id}/addresses", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The addresses", body = Vec<Address>),
        (status = 404, description = "No such customer", body = ErrorBody),
    ))]
async fn list_addresses(
    State(state): State<AppState>,
    _staff: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Address>>> {
    let list = state
        .db
        .read(move |conn| {
            super::store::get(conn, id)?;
            for_customer(conn, id)
        })
        .await?;
    Ok(Json(list))
}

/// Keep another address for a customer (at most 20).
#[utoipa::path(post, path = "/api/customers/{id}/addresses", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")), request_body = AddressInput,
    responses(
        (status = 201, description = "Kept", body = Address),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 409, description = "The customer has 20 addresses already (too_many_addresses)", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn add_address(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(customer_id): Path<i64>,
    ApiJson(body): ApiJson<AddressInput>,
) -> AppResult<(StatusCode, Json<Address>)> {
    let checked = body.checked()?;
    let who = Who::from(&actor);
    let address = state
        .db
        .write(move |conn| {
            super::store::get(conn, customer_id)?;
            let count: i64 = conn
                .prepare_cached("SELECT COUNT(*) FROM customer_addresses WHERE customer_id = ?")?
                .query_row([customer_id], |r| r.get(0))?;
            if count >= MAX_ADDRESSES {
                return Err(AppError::conflict(
                    "too_many_addresses",
                    format!("a customer keeps at most {MAX_ADDRESSES} addresses; remove one first"),
                    serde_json::json!({ "count": count }),
                ));
            }
            let now = clock::now();
            let id = write(conn, customer_id, None, &checked, &now)?;
            let address = get(conn, customer_id, id)?;
            let event = Event::created("customer.address_add", "customer", customer_id, &address);
            audit::store::record(conn, &who, &event, &now)?;
            Ok(address)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(address)))
}

/// Change a saved address, or make it the default. Orders taken before keep the address they
/// were sent to.
#[utoipa::path(put, path = "/api/customers/{id}/addresses/{address_id}", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id"), ("address_id" = i64, Path, description = "Address id")),
    request_body = AddressInput,
    responses(
        (status = 200, description = "Changed", body = Address),
        (status = 404, description = "No such customer or address", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_address(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path((customer_id, address_id)): Path<(i64, i64)>,
    ApiJson(body): ApiJson<AddressInput>,
) -> AppResult<Json<Address>> {
    let checked = body.checked()?;
    let who = Who::from(&actor);
    let address = state
        .db
        .write(move |conn| {
            let before = get(conn, customer_id, address_id)?;
            let now = clock::now();
            write(conn, customer_id, Some(address_id), &checked, &now)?;
            let after = get(conn, customer_id, address_id)?;
            let event = Event::changed("customer.address_update", "customer", customer_id, &before, &after);
            audit::store::record(conn, &who, &event, &now)?;
            Ok(after)
        })
        .await?;
    Ok(Json(address))
}

/// Forget a saved address. If it was the default, the oldest other address becomes it.
#[utoipa::path(delete, path = "/api/customers/{id}/addresses/{address_id}", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id"), ("address_id" = i64, Path, description = "Address id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such customer or address", body = ErrorBody),
    ))]
async fn delete_address(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path((customer_id, address_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = get(conn, customer_id, address_id)?;
            conn.prepare_cached("DELETE FROM customer_addresses WHERE id = ?")?
                .execute([address_id])?;
            if before.is_default {
                let next: Option<i64> = conn
                    .prepare_cached("SELECT MIN(id) FROM customer_addresses WHERE customer_id = ?")?
                    .query_row([customer_id], |r| r.get(0))?;
                if let Some(next) = next {
                    make_default(conn, customer_id, next)?;
                }
            }
            let now = clock::now();
            let event = Event::deleted("customer.address_delete", "customer", customer_id, &before);
            audit::store::record(conn, &who, &event, &now)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
