//! A product's photo: one JPEG, PNG or WebP of at most 2 MB, kept in the database (so every
//! backup and restore carries it) and served with the type its bytes are, never the one a
//! client claimed. /api/products/{id}/photo.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rusqlite::params;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store;
use super::types::{Product, ProductStatus};
use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::{Conn, OptionalExtension};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiQuery;

/// Sharp enough for a phone's screen and a catalogue page; a phone camera's original is
/// larger, and the UI says to resize it.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_photo, put_photo, delete_photo))
        // Room for the largest photo; a larger one is a 413 from the check below.
        .layer(DefaultBodyLimit::max(MAX_BYTES + 1))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhotoVersion {
    /// The version in the product's `photo_url`: when it is the current one, the answer may be
    /// kept for a year.
    pub v: Option<String>,
}

/// The photo. Customers see those of active products only.
#[utoipa::path(get, path = "/api/products/{id}/photo", tag = "products", security(("bearer" = ["user"])),
    params(("id" = i64, Path, description = "Product id"), PhotoVersion),
    responses(
        (status = 200, description = "The image", content_type = "image/*", body = Vec<u8>),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 404, description = "No such product, or it has no photo", body = ErrorBody),
    ))]
async fn get_photo(
    State(state): State<AppState>,
    viewer: CurrentUser,
    Path(id): Path<i64>,
    ApiQuery(version): ApiQuery<PhotoVersion>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let staff = viewer.is_staff();
    let (content_type, bytes, sha) = state
        .db
        .read(move |conn| {
            let product = store::get(conn, id)?;
            if !staff && product.status != ProductStatus::Active {
                return Err(AppError::not_found("product"));
            }
            get(conn, id)
        })
        .await?
        .ok_or_else(|| AppError::not_found("photo"))?;
    let etag = format!("\"{sha}\"");
    let current = version.v.is_some_and(|v| v.len() >= 8 && sha.starts_with(&v));
    let cache = if current {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    };
    let headers_out = [(header::ETAG, etag.clone()), (header::CACHE_CONTROL, cache.to_owned())];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, headers_out).into_response());
    }
    Ok((headers_out, [(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// Set the photo: the image file itself as the body, JPEG, PNG or WebP, at most 2 MB. The
/// type is read from the file's first bytes.
#[utoipa::path(put, path = "/api/products/{id}/photo", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 200, description = "Saved; the product with its new photo_url", body = Product),
        (status = 404, description = "No such product", body = ErrorBody),
        (status = 413, description = "Larger than 2 MB", body = ErrorBody),
        (status = 422, description = "Not a JPEG, PNG or WebP image", body = ErrorBody),
    ))]
async fn put_photo(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> AppResult<Json<Product>> {
    if body.len() > MAX_BYTES {
        return Err(AppError::PayloadTooLarge { limit: MAX_BYTES });
    }
    if body.is_empty() {
        return Err(AppError::validation("photo", "the file is empty"));
    }
    let content_type = crate::settings::logo::sniff(&body)
        .ok_or_else(|| AppError::validation("photo", "the photo must be a JPEG, PNG or WebP image"))?;
    let sha = crate::digest::sha256_hex(&body);
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = store::get(conn, id)?;
            let now = clock::now();
            save(conn, id, content_type, &body, &sha, &now)?;
            let after = store::get(conn, id)?;
            let details = serde_json::json!({ "content_type": content_type, "size_bytes": body.len(), "sha256": sha });
            let event = Event::changed_fields(
                "product.photo",
                "product",
                id,
                &serde_json::json!({ "photo_url": before.photo_url }),
                &details,
            );
            audit::store::record(conn, &who, &event, &now)?;
            Ok(after)
        })
        .await
        .map(Json)
}

/// Remove the photo.
#[utoipa::path(delete, path = "/api/products/{id}/photo", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Product id")),
    responses(
        (status = 200, description = "Removed; the product", body = Product),
        (status = 404, description = "No such product, or it has no photo", body = ErrorBody),
    ))]
async fn delete_photo(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Json<Product>> {
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = store::get(conn, id)?;
            let now = clock::now();
            if !delete(conn, id, &now)? {
                return Err(AppError::not_found("photo"));
            }
            let after = store::get(conn, id)?;
            audit::store::record(
                conn,
                &who,
                &Event::changed("product.photo_delete", "product", id, &before, &after),
                &now,
            )?;
            Ok(after)
        })
        .await
        .map(Json)
}

/// (content type, bytes, SHA-256) of a product's photo.
fn get(conn: &Conn, id: i64) -> AppResult<Option<(String, Vec<u8>, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT f.content_type, f.bytes, p.photo_sha256 FROM product_photos f JOIN products p ON p.id = f.product_id
             WHERE f.product_id = ?",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

fn save(conn: &Conn, id: i64, content_type: &str, bytes: &[u8], sha: &str, now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "INSERT INTO product_photos (product_id, content_type, bytes, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (product_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
           updated_at = excluded.updated_at",
    )?
    .execute(params![id, content_type, bytes, now])?;
    conn.prepare_cached("UPDATE products SET photo_sha256 = ?, updated_at = ? WHERE id = ?")?
        .execute(params![sha, now, id])?;
    Ok(())
}

/// Removes the photo; false when there was none.
fn delete(conn: &Conn, id: i64, now: &str) -> AppResult<bool> {
    let removed = conn
        .prepare_cached("DELETE FROM product_photos WHERE product_id = ?")?
        .execute([id])?;
    conn.prepare_cached(
        "UPDATE products SET photo_sha256 = NULL, updated_at = ? WHERE id = ? AND photo_sha256 IS NOT NULL",
    )?
    .execute(params![now, id])?;
    Ok(removed > 0)
}
