//! /api/customers: who orders are for.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Removal;
use super::store::{self, CustomerFilter};
use super::types::{Customer, CustomerDetail, CustomerPatch, NewCustomer};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{ListParams, Page, read_page};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_customers, create_customer))
        .routes(routes!(get_customer, update_customer, delete_customer))
        .routes(routes!(archive_customer))
        .routes(routes!(restore_customer))
        .merge(super::addresses::router())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilters {
    /// true: only archived customers; false (default): only current ones.
    pub archived: Option<bool>,
}

const SORTS: &[(&str, &str)] = &[
    ("created_at", "c.created_at"),
    ("name", "c.name_sort"),
    ("updated_at", "c.updated_at"),
    ("id", "c.id"),
];

/// List customers; `q` searches name, phone (also by its digits alone), email and address;
/// names sort by pinyin.
#[utoipa::path(get, path = "/api/customers", tag = "customers", security(("bearer" = ["staff"])),
    params(ListParams, CustomerFilters),
    responses(
        (status = 200, description = "A page of customers with their order totals", body = Page<Customer>),
        (status = 422, description = "Bad paging or filter", body = ErrorBody),
    ))]
async fn list_customers(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filters): ApiQuery<CustomerFilters>,
) -> AppResult<Json<Page<Customer>>> {
    let filter = CustomerFilter {
        archived: Some(filters.archived.unwrap_or(false)),
    };
    read_page(&state.db, params, SORTS, move |conn, paging, order_by| {
        store::list(conn, &filter, paging, order_by)
    })
    .await
    .map(Json)
}

/// Create a customer.
#[utoipa::path(post, path = "/api/customers", tag = "customers", security(("bearer" = ["staff"])), request_body = NewCustomer,
    responses(
        (status = 201, description = "Created", body = Customer),
        (status = 409, description = "The login already belongs to another customer", body = ErrorBody),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn create_customer(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewCustomer>,
) -> AppResult<(StatusCode, Json<Customer>)> {
    let customer = super::create(&state.db, &actor, body).await?;
    Ok((StatusCode::CREATED, Json(customer)))
}

/// One customer, with lifetime totals and their newest orders.
#[utoipa::path(get, path = "/api/customers/{id}", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer", body = CustomerDetail),
        (status = 404, description = "No such customer", body = ErrorBody),
    ))]
async fn get_customer(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<CustomerDetail>> {
    super::detail(&state.db, id).await.map(Json)
}

/// Change a customer. Only the fields given change; null clears one.
#[utoipa::path(patch, path = "/api/customers/{id}", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")), request_body = CustomerPatch,
    responses(
        (status = 200, description = "Updated", body = Customer),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 409, description = "The login already belongs to another customer", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_customer(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<CustomerPatch>,
) -> AppResult<Json<Customer>> {
    super::update(&state.db, &actor, id, patch).await.map(Json)
}

/// Delete a customer without orders (204). A customer with orders is archived instead (200).
#[utoipa::path(delete, path = "/api/customers/{id}", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "The customer has orders and was archived", body = Customer),
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such customer", body = ErrorBody),
    ))]
async fn delete_customer(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    Ok(match super::remove(&state.db, &actor, id).await? {
        Removal::Deleted => StatusCode::NO_CONTENT.into_response(),
        Removal::Archived(customer) => Json(*customer).into_response(),
    })
}

/// Archive a customer: they leave the list but keep their orders.
#[utoipa::path(post, path = "/api/customers/{id}/archive", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "Archived", body = Customer),
        (status = 404, description = "No such customer", body = ErrorBody),
    ))]
async fn archive_customer(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Customer>> {
    super::set_archived(&state.db, &actor, id, true).await.map(Json)
}

/// Bring an archived customer back.
#[utoipa::path(post, path = "/api/customers/{id}/restore", tag = "customers", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Customer id")),
    responses(
        (status = 200, description = "Current again", body = Customer),
        (status = 404, description = "No such customer", body = ErrorBody),
    ))]
async fn restore_customer(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Customer>> {
    super::set_archived(&state.db, &actor, id, false).await.map(Json)
}
