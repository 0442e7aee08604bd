//! /api/settings: the business settings.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Settings, SettingsPatch, logo, store};
use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, update_settings))
        .routes(routes!(get_logo, put_logo, delete_logo))
}

/// The business settings. Every signed-in user may read them: the UI needs the shop's name
/// and currency to show prices.
#[utoipa::path(get, path = "/api/settings", tag = "settings", security(("bearer" = ["user"])),
    responses((status = 200, description = "The settings", body = Settings)))]
async fn get_settings(State(state): State<AppState>) -> Json<Settings> {
    Json((*state.settings.get()).clone())
}

/// Change business settings (admins). Only the fields given change.
#[utoipa::path(patch, path = "/api/settings", tag = "settings", security(("bearer" = ["admin"])),
    request_body = SettingsPatch,
    responses(
        (status = 200, description = "Updated", body = Settings),
        (status = 422, description = "Invalid value; details.field names it", body = ErrorBody),
    ))]
async fn update_settings(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(patch): ApiJson<SettingsPatch>,
) -> AppResult<Json<Settings>> {
    let who = Who::from(&actor);
    let shared = state.settings.clone();
    let (next, version) = state
        .db
        .write(move |conn| {
            // Read, change and save inside the writer, so concurrent changes never undo each other.
            let now = clock::now();
            let current = store::load(conn)?;
            let next = current.apply(patch.clone())?;
            store::save(conn, &next, &now)?;
            audit::store::record(
                conn,
                &who,
                &Event::changed("settings.update", "settings", 1, &current, &next),
                &now,
            )?;
            Ok((next, shared.next_version()))
        })
        .await?;
    state.settings.set(next.clone(), version);
    Ok(Json(next))
}

/// The shop's logo, for printed documents and the sign-in page (so it is public). Revalidated
/// by ETag; ask with `?v=` the settings' `logo_updated_at` to skip even that.
#[utoipa::path(get, path = "/api/settings/logo", tag = "settings", security(()),
    responses(
        (status = 200, description = "The image", content_type = "image/*", body = Vec<u8>),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 404, description = "The shop has no logo", body = ErrorBody),
    ))]
async fn get_logo(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let (content_type, bytes, updated_at) = state
        .db
        .read(logo::get)
        .await?
        .ok_or_else(|| AppError::not_found("logo"))?;
    let etag = format!("\"{}\"", crate::digest::sha256_hex(updated_at.as_bytes()));
    let cache = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
    ];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, [(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// Upload the shop's logo (admins): the image file itself as the body, PNG, JPEG or WebP, at
/// most 512 KiB. The type is read from the file's first bytes.
#[utoipa::path(put, path = "/api/settings/logo", tag = "settings", security(("bearer" = ["admin"])),
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses(
        (status = 200, description = "Saved; the settings with the new logo_updated_at", body = Settings),
        (status = 413, description = "Larger than 512 KiB", body = ErrorBody),
        (status = 422, description = "Not a PNG, JPEG or WebP image", body = ErrorBody),
    ))]
async fn put_logo(State(state): State<AppState>, actor: CurrentUser, body: Bytes) -> AppResult<Json<Settings>> {
    let content_type = logo::validate(&body)?;
    let size = body.len();
    change_logo(&state, &actor, "settings.logo", move |conn, now| {
        logo::save(conn, content_type, &body, now)?;
        Ok(serde_json::json!({ "content_type": content_type, "size_bytes": size }))
    })
    .await
    .map(Json)
}

/// Remove the shop's logo (admins).
#[utoipa::path(delete, path = "/api/settings/logo", tag = "settings", security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "Removed; the settings", body = Settings),
        (status = 404, description = "The shop has no logo", body = ErrorBody),
    ))]
async fn delete_logo(State(state): State<AppState>, actor: CurrentUser) -> AppResult<Json<Settings>> {
    change_logo(&state, &actor, "settings.logo_delete", |conn, _| {
        if !logo::delete(conn)? {
            return Err(AppError::not_found("logo"));
        }
        Ok(serde_json::json!({}))
    })
    .await
    .map(Json)
}

/// Changes the logo in the writer, audits it, and refreshes the settings every request sees.
async fn change_logo(
    state: &AppState,
    actor: &CurrentUser,
    action: &'static str,
    mut change: impl FnMut(&crate::db::Conn, &str) -> AppResult<serde_json::Value> + Send + 'static,
) -> AppResult<Settings> {
    let who = Who::from(actor);
    let shared = state.settings.clone();
    let (next, version) = state
        .db
        .write(move |conn| {
            let now = clock::now();
            let details = change(conn, &now)?;
            let event = Event {
                action,
                entity_type: "settings",
                entity_id: Some(1),
                before: None,
                after: Some(details.to_string()),
            };
            audit::store::record(conn, &who, &event, &now)?;
            Ok((store::load(conn)?, shared.next_version()))
        })
        .await?;
    state.settings.set(next.clone(), version);
    Ok(next)
}
