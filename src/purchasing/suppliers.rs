//! Suppliers (供应商): /api/suppliers. A supplier a purchase order names is archived, never
//! deleted, so every past order still says who it was from.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use rusqlite::params;
use rusqlite::types::Value;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::{NewSupplier, Supplier, SupplierPatch};
use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::customers::types::parse_phone;
use crate::db::constraint::on_unique;
use crate::db::{Conditions, Conn, Row, not_found_as, params_from_iter};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{ListParams, Page, Paging, read_page};
use crate::validate::{identifier_key, optional_text, required_text, sort_key};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_suppliers, create_supplier))
        .routes(routes!(get_supplier, update_supplier, delete_supplier))
        .routes(routes!(archive_supplier))
        .routes(routes!(restore_supplier))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupplierFilters {
    /// true: archived ones only; false (default): the others.
    pub archived: Option<bool>,
}

const SORTS: &[(&str, &str)] = &[("created_at", "created_at"), ("name", "name_sort"), ("id", "id")];

/// Suppliers, newest first (`sort=name` by pinyin); `q` searches name, contact and phone.
#[utoipa::path(get, path = "/api/suppliers", tag = "purchasing", security(("bearer" = ["staff"])),
    params(ListParams, SupplierFilters),
    responses(
        (status = 200, description = "A page of suppliers", body = Page<Supplier>),
        (status = 422, description = "Bad paging", body = ErrorBody),
    ))]
async fn list_suppliers(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<SupplierFilters>,
) -> AppResult<Json<Page<Supplier>>> {
    let archived = f.archived.unwrap_or(false);
    let page = read_page(&state.db, params, SORTS, move |conn, paging, order_by| {
        list(conn, archived, paging, order_by)
    })
    .await?;
    Ok(Json(page))
}

/// Add a supplier.
#[utoipa::path(post, path = "/api/suppliers", tag = "purchasing", security(("bearer" = ["staff"])),
    request_body = NewSupplier,
    responses(
        (status = 201, description = "Added", body = Supplier),
        (status = 409, description = "A supplier has that name", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn create_supplier(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewSupplier>,
) -> AppResult<(StatusCode, Json<Supplier>)> {
    let fields = Fields {
        name: required_text("name", &body.name, 100)?,
        contact: optional_text("contact", body.contact.as_deref(), 50)?,
        phone: parse_phone(body.phone.as_deref())?,
        address: optional_text("address", body.address.as_deref(), 300)?,
        note: optional_text("note", body.note.as_deref(), 500)?,
    };
    let who = Who::from(&actor);
    let created = state
        .db
        .write(move |conn| {
            let now = clock::now();
            let id = insert(conn, &fields, &now)?;
            let created = get(conn, id)?;
            audit::store::record(
                conn,
                &who,
                &Event::created("supplier.create", "supplier", id, &created),
                &now,
            )?;
            Ok(created)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One supplier.
#[utoipa::path(get, path = "/api/suppliers/{id}", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 200, description = "The supplier", body = Supplier),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ))]
async fn get_supplier(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<Supplier>> {
    state.db.read(move |conn| get(conn, id)).await.map(Json)
}

/// Change a supplier; only the fields given change.
#[utoipa::path(patch, path = "/api/suppliers/{id}", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Supplier id")), request_body = SupplierPatch,
    responses(
        (status = 200, description = "Changed", body = Supplier),
        (status = 404, description = "No such supplier", body = ErrorBody),
        (status = 409, description = "A supplier has that name", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_supplier(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<SupplierPatch>,
) -> AppResult<Json<Supplier>> {
    let name = patch
        .name
        .as_deref()
        .map(|n| required_text("name", n, 100))
        .transpose()?;
    let contact = patch
        .contact
        .map(|c| optional_text("contact", c.as_deref(), 50))
        .transpose()?;
    let phone = patch.phone.map(|p| parse_phone(p.as_deref())).transpose()?;
    let address = patch
        .address
        .map(|a| optional_text("address", a.as_deref(), 300))
        .transpose()?;
    let note = patch
        .note
        .map(|n| optional_text("note", n.as_deref(), 500))
        .transpose()?;
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = get(conn, id)?;
            let fields = Fields {
                name: name.clone().unwrap_or_else(|| before.name.clone()),
                contact: contact.clone().unwrap_or_else(|| before.contact.clone()),
                phone: phone.clone().unwrap_or_else(|| before.phone.clone()),
                address: address.clone().unwrap_or_else(|| before.address.clone()),
                note: note.clone().unwrap_or_else(|| before.note.clone()),
            };
            let now = clock::now();
            update(conn, id, &fields, &now)?;
            let after = get(conn, id)?;
            audit::store::record(
                conn,
                &who,
                &Event::changed("supplier.update", "supplier", id, &before, &after),
                &now,
            )?;
            Ok(after)
        })
        .await
        .map(Json)
}

/// Delete a supplier no purchase order names; one that has them is archived instead.
#[utoipa::path(delete, path = "/api/suppliers/{id}", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such supplier", body = ErrorBody),
        (status = 409, description = "Purchase orders name it (supplier_in_use): archive it", body = ErrorBody),
    ))]
async fn delete_supplier(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = get(conn, id)?;
            let orders: i64 = conn
                .prepare_cached("SELECT COUNT(*) FROM purchase_orders WHERE supplier_id = ?")?
                .query_row([id], |r| r.get(0))?;
            if orders > 0 {
                return Err(AppError::conflict(
                    "supplier_in_use",
                    format!(
                        "{} has {orders} purchase orders: archive the supplier instead",
                        before.name
                    ),
                    serde_json::json!({ "purchase_orders": orders }),
                ));
            }
            conn.prepare_cached("DELETE FROM suppliers WHERE id = ?")?
                .execute([id])?;
            let now = clock::now();
            audit::store::record(
                conn,
                &who,
                &Event::deleted("supplier.delete", "supplier", id, &before),
                &now,
            )?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

/// Archive a supplier: kept, with its purchase orders, but no longer offered.
#[utoipa::path(post, path = "/api/suppliers/{id}/archive", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 200, description = "Archived", body = Supplier),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ))]
async fn archive_supplier(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Supplier>> {
    set_archived(&state, &actor, id, true).await.map(Json)
}

/// Offer an archived supplier again.
#[utoipa::path(post, path = "/api/suppliers/{id}/restore", tag = "purchasing", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Supplier id")),
    responses(
        (status = 200, description = "Offered again", body = Supplier),
        (status = 404, description = "No such supplier", body = ErrorBody),
    ))]
async fn restore_supplier(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Supplier>> {
    set_archived(&state, &actor, id, false).await.map(Json)
}

async fn set_archived(state: &AppState, actor: &CurrentUser, id: i64, archived: bool) -> AppResult<Supplier> {
    let who = Who::from(actor);
    state
        .db
        .write(move |conn| {
            let before = get(conn, id)?;
            if before.archived == archived {
                return Ok(before);
            }
            let now = clock::now();
            conn.prepare_cached("UPDATE suppliers SET archived = ?, updated_at = ? WHERE id = ?")?
                .execute(params![archived, now, id])?;
            let after = get(conn, id)?;
            let action = if archived {
                "supplier.archive"
            } else {
                "supplier.restore"
            };
            audit::store::record(
                conn,
                &who,
                &Event::changed(action, "supplier", id, &before, &after),
                &now,
            )?;
            Ok(after)
        })
        .await
}

/// A supplier's validated fields.
pub(crate) struct Fields {
    pub name: String,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub note: Option<String>,
}

const SELECT: &str = "SELECT id, name, contact, phone, address, note, archived, created_at, updated_at FROM suppliers";

fn from_row(r: &Row) -> crate::db::Result<Supplier> {
    Ok(Supplier {
        id: r.get(0)?,
        name: r.get(1)?,
        contact: r.get(2)?,
        phone: r.get(3)?,
        address: r.get(4)?,
        note: r.get(5)?,
        archived: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

pub fn get(conn: &Conn, id: i64) -> AppResult<Supplier> {
    conn.prepare_cached(&format!("{SELECT} WHERE id = ?"))?
        .query_row([id], from_row)
        .map_err(not_found_as("supplier"))
}

fn list(conn: &Conn, archived: bool, paging: &Paging, order_by: &str) -> AppResult<(Vec<Supplier>, i64)> {
    let mut w = Conditions::default();
    w.add("archived = ?", [Value::Integer(archived.into())]);
    if let Some(pattern) = paging.like_pattern() {
        w.add(
            "(name LIKE ? ESCAPE '\\' OR contact LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\')",
            [
                Value::Text(pattern.clone()),
                Value::Text(pattern.clone()),
                Value::Text(pattern),
            ],
        );
    }
    let where_sql = w.sql();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM suppliers {where_sql}"))?
        .query_row(params_from_iter(w.values()), |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!("{SELECT} {where_sql} ORDER BY {order_by} LIMIT ? OFFSET ?"))?
        .query_map(
            params_from_iter(w.values_and([Value::Integer(paging.limit()), Value::Integer(paging.offset())])),
            from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

fn taken(name: &str) -> AppError {
    AppError::conflict(
        "supplier_taken",
        format!("there is already a supplier called {name}"),
        serde_json::json!({ "field": "name", "name": name }),
    )
}

pub(crate) fn insert(conn: &Conn, f: &Fields, now: &str) -> AppResult<i64> {
    conn.prepare_cached(
        "INSERT INTO suppliers (name, name_key, name_sort, contact, phone, address, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        f.name,
        identifier_key(&f.name),
        sort_key(&f.name),
        f.contact,
        f.phone,
        f.address,
        f.note,
        now,
        now
    ])
    .map_err(on_unique("suppliers.name_key", || taken(&f.name)))?;
    Ok(conn.last_insert_rowid()?)
}

fn update(conn: &Conn, id: i64, f: &Fields, now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE suppliers SET name = ?, name_key = ?, name_sort = ?, contact = ?, phone = ?, address = ?, note = ?,
                updated_at = ? WHERE id = ?",
    )?
    .execute(params![
        f.name,
        identifier_key(&f.name),
        sort_key(&f.name),
        f.contact,
        f.phone,
        f.address,
        f.note,
        now,
        id
    ])
    .map_err(on_unique("suppliers.name_key", || taken(&f.name)))?;
    Ok(())
}

/// A supplier a purchase order may name: one that exists and is not archived.
pub fn must_be_offered(conn: &Conn, id: i64) -> AppResult<Supplier> {
    let s = get(conn, id).map_err(|_| AppError::validation("supplier_id", "no such supplier"))?;
    if s.archived {
        return Err(AppError::validation(
            "supplier_id",
            format!("{} is archived: restore it to order from it", s.name),
        ));
    }
    Ok(s)
}
