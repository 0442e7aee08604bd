//! /api/maintenance: the consistency check and clean-up, for admins.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{CheckReport, CleanupReport};
use crate::app::AppState;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiJson;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(check)).routes(routes!(cleanup))
}

/// Run the consistency check: SQLite's integrity and foreign-key checks, stock against the
/// ledger, order totals against their items.
#[utoipa::path(get, path = "/api/maintenance/check", tag = "maintenance", security(("bearer" = ["admin"])),
    responses((status = 200, description = "The report; ok is false when anything is off", body = CheckReport)))]
async fn check(State(state): State<AppState>) -> AppResult<Json<CheckReport>> {
    let db = state.db.clone();
    let report = tokio::task::spawn_blocking(move || {
        let conn = db.open_private_reader()?;
        super::check(&conn.conn())
    })
    .await
    .map_err(AppError::internal)??;
    Ok(Json(report))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CleanupRequest {
    /// Delete cancelled orders created more than this many days ago (1 to 36500).
    #[schema(minimum = 1, maximum = 36500)]
    pub cancelled_older_than_days: u32,
    /// List what would be deleted, deleting nothing (default true).
    pub dry_run: Option<bool>,
}

/// Delete old cancelled orders (dry run by default). Their stock movements stay, so the
/// ledger still explains every product's stock.
#[utoipa::path(post, path = "/api/maintenance/cleanup", tag = "maintenance", security(("bearer" = ["admin"])),
    request_body = CleanupRequest,
    responses(
        (status = 200, description = "What was (or would be) deleted", body = CleanupReport),
        (status = 422, description = "Bad request", body = ErrorBody),
    ))]
async fn cleanup(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<CleanupRequest>,
) -> AppResult<Json<CleanupReport>> {
    if body.cancelled_older_than_days == 0 {
        return Err(AppError::validation("cancelled_older_than_days", "must be at least 1"));
    }
    let who = Who::from(&actor);
    let (days, dry) = (body.cancelled_older_than_days, body.dry_run.unwrap_or(true));
    state
        .db
        .write(move |conn| super::cleanup(conn, &who, days, dry))
        .await
        .map(Json)
}
