//! /api/settings: the business settings.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Settings, SettingsPatch, store};
use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, update_settings))
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
            let next = current.apply(patch)?;
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
