//! /api/products: the catalogue.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, ProductFilter};
use super::types::{CatalogueProduct, NewProduct, Product, ProductPatch, ProductStatus};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::db::Table;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{ListParams, Page, read_page};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, update_product))
        .routes(routes!(archive_product))
        .routes(routes!(restore_product))
        .routes(routes!(product_by_code))
        .merge(super::categories::router())
        .merge(super::photos::router())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductFilters {
    /// Only products with this status (customers always see active ones only).
    pub status: Option<ProductStatus>,
    /// true: only products below their low-stock threshold; false: only the others.
    pub low_stock: Option<bool>,
    /// Only products in this category, or for a top-level one, in any under it.
    pub category_id: Option<i64>,
}

const SORTS: &[(&str, &str)] = &[
    ("created_at", "created_at"),
    ("name", "name_sort"),
    ("sku", "sku"),
    ("price", "price_minor"),
    ("stock_quantity", "stock_quantity"),
    ("updated_at", "updated_at"),
    ("id", "id"),
];

/// List products; `q` searches name and SKU, a whole barcode, and pinyin initials (`jly`
/// finds 金龙鱼).
#[utoipa::path(get, path = "/api/products", tag = "products", security(("bearer" = ["user"])),
    params(ListParams, ProductFilters),
    responses(
        (status = 200, description = "A page of products; customers get Page<CatalogueProduct>, without exact stock or SKUs unless the shop shows them", body = Page<Product>),
        (status = 422, description = "Bad paging or filter", body = ErrorBody),
    ))]
async fn list_products(
    State(state): State<AppState>,
    viewer: CurrentUser,
    RawQuery(query): RawQuery,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filters): ApiQuery<ProductFilters>,
) -> AppResult<Response> {
    // Staff and customers see different products for the same query.
    let key = format!("{}?{}", viewer.is_staff(), query.unwrap_or_default());
    let generation = cache_stamp(&state);
    if let Some(body) = state.product_pages.get(&key, &generation) {
        return Ok(json_body(body));
    }
    let status = if viewer.is_staff() {
        filters.status
    } else {
        Some(ProductStatus::Active)
    };
    let filter = ProductFilter {
        status,
        low_stock: filters.low_stock,
        category_id: filters.category_id,
    };
    let page: Page<Product> = read_page(&state.db, params, SORTS, move |conn, paging, order_by| {
        store::list(conn, &filter, paging, order_by)
    })
    .await?;
    let body = if viewer.is_staff() {
        json_bytes(&page)?
    } else {
        let show = state.settings.get().show_stock_to_customers;
        json_bytes(&page.map(|p| CatalogueProduct::of(p, show)))?
    };
    if key.len() <= super::cache::MAX_KEY {
        state.product_pages.put(key, generation, body.clone());
    }
    Ok(json_body(body))
}

/// What cached product JSON is valid under (see products::cache).
fn cache_stamp(state: &AppState) -> super::cache::Stamp {
    (state.db.generation(Table::Products), state.settings.version())
}

fn json_bytes(value: &impl serde::Serialize) -> AppResult<Bytes> {
    serde_json::to_vec(value).map(Bytes::from).map_err(AppError::internal)
}

fn json_body(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeParams {
    /// What a scanner typed: a barcode or a SKU, in any case or width.
    pub code: String,
}

/// The product a scanned code names: its barcode, or else its SKU. Customers find active
/// products only, as they see them in the catalogue.
#[utoipa::path(get, path = "/api/products/by-code", tag = "products", security(("bearer" = ["user"])),
    params(CodeParams),
    responses(
        (status = 200, description = "The product (customers get a CatalogueProduct)", body = Product),
        (status = 404, description = "No product has this barcode or SKU", body = ErrorBody),
    ))]
async fn product_by_code(
    State(state): State<AppState>,
    viewer: CurrentUser,
    ApiQuery(p): ApiQuery<CodeParams>,
) -> AppResult<Response> {
    let code = crate::validate::identifier(&p.code);
    if code.is_empty() || code.chars().count() > 64 {
        return Err(AppError::validation("code", "must be 1 to 64 characters"));
    }
    let found = state.db.read(move |conn| store::by_code(conn, &code)).await?;
    let not_found = || AppError::NotFound(format!("no product has the barcode or SKU {}", p.code.trim()));
    let product = found.ok_or_else(not_found)?;
    if viewer.is_staff() {
        return Ok(json_body(json_bytes(&product)?));
    }
    if product.status != ProductStatus::Active {
        return Err(not_found());
    }
    let show = state.settings.get().show_stock_to_customers;
    Ok(json_body(json_bytes(&CatalogueProduct::of(product, show))?))
}

/// Create a product. Its initial stock is the first row of its stock ledger.
#[utoipa::path(post, path = "/api/products", tag = "products", security(("bearer" = ["staff"])), request_body = NewProduct,
    responses(
        (status = 201, description = "Created", body = Product),
        (status = 409, description = "The SKU is taken", body = ErrorBody),
        (status = 422, description = "Invalid input; details.field names the field", body = ErrorBody),
    ))]
async fn create_product(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewProduct>,
) -> AppResult<(StatusCode, Json<Product>)> {
    let product = super::create(&state.db, &actor, body).await?;
    Ok((StatusCode::CREATED, Json(product)))
}

/// One product.
#[utoipa::path(get, path = "/api/products/{id}", tag = "products", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "The product", body = Product),
        (status = 404, description = "No such product", body = ErrorBody),
    ))]
async fn get_product(State(state): State<AppState>, viewer: CurrentUser, Path(id): Path<i64>) -> AppResult<Response> {
    let key = (viewer.is_staff(), id);
    let stamp = cache_stamp(&state);
    if let Some(body) = state.one_product.get(&key, &stamp) {
        return Ok(json_body(body));
    }
    let product = super::get_for(&state.db, &viewer, id).await?;
    let body = if viewer.is_staff() {
        json_bytes(&product)?
    } else {
        json_bytes(&CatalogueProduct::of(
            product,
            state.settings.get().show_stock_to_customers,
        ))?
    };
    state.one_product.put(key, stamp, body.clone());
    Ok(json_body(body))
}

/// Change a product. Only the fields given change.
#[utoipa::path(patch, path = "/api/products/{id}", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id")), request_body = ProductPatch,
    responses(
        (status = 200, description = "Updated", body = Product),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 409, description = "The SKU is taken", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_product(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<ProductPatch>,
) -> AppResult<Json<Product>> {
    super::update(&state.db, &actor, id, patch).await.map(Json)
}

/// Archive a product: it leaves the catalogue but stays in past orders.
#[utoipa::path(post, path = "/api/products/{id}/archive", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Archived", body = Product),
        (status = 404, description = "No such product", body = ErrorBody),
    ))]
async fn archive_product(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Product>> {
    super::set_status(&state.db, &actor, id, ProductStatus::Archived)
        .await
        .map(Json)
}

/// Bring an archived product back into the catalogue.
#[utoipa::path(post, path = "/api/products/{id}/restore", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Active again", body = Product),
        (status = 404, description = "No such product", body = ErrorBody),
    ))]
async fn restore_product(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Product>> {
    super::set_status(&state.db, &actor, id, ProductStatus::Active)
        .await
        .map(Json)
}
