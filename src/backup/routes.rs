//! /api/backups: list, take, download and delete backups (admins).

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::io::AsyncReadExt;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::restore::RestoreReport;
use super::{BackupInfo, BackupStatus, valid_name};
use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::datadir::DataDir;
use crate::error::{AppError, AppResult, ErrorBody};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_backups, create_backup))
        .routes(routes!(download_backup, delete_backup))
        .routes(routes!(restore_backup))
}

/// Replace the database with a backup, while the server runs (superAdmin). The server stops
/// taking requests (503 with Retry-After, "maintenance") while it finishes the writes under
/// way, keeps the current database as a pre-restore backup, checks the backup (integrity,
/// schema) and swaps it in, then goes on serving it. A backup that fails its checks is
/// refused and the current database goes on as it was.
#[utoipa::path(post, path = "/api/backups/{name}/restore", tag = "backups", security(("bearer" = ["superadmin"])),
    params(("name" = String, Path, description = "Backup file name")),
    responses(
        (status = 200, description = "Restored; the server serves the backup's data now", body = RestoreReport),
        (status = 404, description = "No such backup", body = ErrorBody),
        (status = 409, description = "Another restore is under way (maintenance)", body = ErrorBody),
        (status = 422, description = "The file fails its checks; nothing changed", body = ErrorBody),
    ))]
async fn restore_backup(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(name): Path<String>,
) -> AppResult<Json<RestoreReport>> {
    on_sqlite(&state)?;
    if !valid_name(&name) || !state.backups.dir.join(&name).is_file() {
        return Err(AppError::not_found("backup"));
    }
    let _maintenance = state.maintenance.begin()?;
    state.db.close();
    let (db_path, file, backups) = (
        state.db.path().to_path_buf(),
        state.backups.dir.join(&name),
        state.backups.dir.clone(),
    );
    let restored = tokio::task::spawn_blocking(move || -> AppResult<RestoreReport> {
        let root = db_path
            .parent()
            .ok_or_else(|| AppError::internal("the database has no directory"))?;
        let data_dir = DataDir::prepare(root).map_err(AppError::internal)?;
        super::restore::restore_locked(&data_dir, &file, &backups)
    })
    .await
    .map_err(AppError::internal)?;
    // Whatever happened, the server goes on: with the backup's data, or with what it had.
    state.db.reopen()?;
    let report = restored?;
    let settings = state.db.read(crate::settings::store::load).await?;
    state.settings.set(settings, state.settings.next_version());
    let who = Who::from(&actor);
    let after = serde_json::to_string(&report).map_err(AppError::internal)?;
    state
        .db
        .write(move |conn| {
            let event = Event {
                action: "backup.restore",
                entity_type: "database",
                entity_id: None,
                before: None,
                after: Some(after.clone()),
            };
            audit::store::record(conn, &who, &event, &clock::now())
        })
        .await?;
    Ok(Json(report))
}

#[derive(Serialize, ToSchema)]
pub struct BackupList {
    pub directory: String,
    pub status: BackupStatus,
    /// Newest first.
    pub items: Vec<BackupInfo>,
    /// Why the directory could not be read, if it could not.
    pub problem: Option<String>,
    /// Whether the viewer may restore one (POST /api/backups/{name}/restore, superadmin).
    pub can_restore: bool,
}

/// The backups on disk, and how the latest scheduled or manual backups went.
#[utoipa::path(get, path = "/api/backups", tag = "backups", security(("bearer" = ["admin"])),
    responses((status = 200, description = "Backups, newest first", body = BackupList)))]
async fn list_backups(State(state): State<AppState>, viewer: CurrentUser) -> AppResult<Json<BackupList>> {
    on_sqlite(&state)?;
    let dir = state.backups.dir.clone();
    let listed = tokio::task::spawn_blocking(move || super::list(&dir))
        .await
        .map_err(AppError::internal)?;
    let (items, problem) = match listed {
        Ok(items) => (items, None),
        Err(err) => (Vec::new(), Some(err.to_string())),
    };
    Ok(Json(BackupList {
        directory: state.backups.dir.display().to_string(),
        status: state.backups.status.get(),
        items,
        problem,
        can_restore: viewer.role == crate::users::types::Role::Superadmin,
    }))
}

/// Take a verified backup now, while the server keeps serving.
#[utoipa::path(post, path = "/api/backups", tag = "backups", security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "Taken and verified", body = BackupInfo),
        (status = 507, description = "No space left for the backup", body = ErrorBody),
    ))]
async fn create_backup(State(state): State<AppState>) -> AppResult<(StatusCode, Json<BackupInfo>)> {
    on_sqlite(&state)?;
    let (db, dir) = (state.db.path().to_path_buf(), state.backups.dir.clone());
    let outcome = tokio::task::spawn_blocking(move || super::create(&db, &dir, "manual"))
        .await
        .map_err(AppError::internal)?;
    state.backups.status.record(&outcome);
    Ok((StatusCode::CREATED, Json(outcome?)))
}

/// Download a backup file, streamed.
#[utoipa::path(get, path = "/api/backups/{name}", tag = "backups", security(("bearer" = ["admin"])),
    params(("name" = String, Path, description = "Backup file name")),
    responses(
        (status = 200, description = "The SQLite file", content_type = "application/vnd.sqlite3", body = Vec<u8>),
        (status = 404, description = "No such backup", body = ErrorBody),
    ))]
async fn download_backup(State(state): State<AppState>, Path(name): Path<String>) -> AppResult<Response> {
    on_sqlite(&state)?;
    if !valid_name(&name) {
        return Err(AppError::not_found("backup"));
    }
    let file = tokio::fs::File::open(state.backups.dir.join(&name))
        .await
        .map_err(|_| AppError::not_found("backup"))?;
    let size = file.metadata().await.map(|m| m.len()).ok();
    let stream = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 256 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), Some(file)))
            }
            Err(err) => Some((Err(err), None)),
        }
    });
    let mut response = Body::from_stream(stream).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.sqlite3"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(size) = size {
        h.insert(header::CONTENT_LENGTH, size.into());
    }
    Ok(response)
}

/// Delete a backup.
#[utoipa::path(delete, path = "/api/backups/{name}", tag = "backups", security(("bearer" = ["admin"])),
    params(("name" = String, Path, description = "Backup file name")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such backup", body = ErrorBody),
    ))]
async fn delete_backup(State(state): State<AppState>, Path(name): Path<String>) -> AppResult<StatusCode> {
    on_sqlite(&state)?;
    let dir = state.backups.dir.clone();
    tokio::task::spawn_blocking(move || super::delete(&dir, &name))
        .await
        .map_err(AppError::internal)??;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses the backup pages on PostgreSQL, saying whose job backups are there.
fn on_sqlite(state: &AppState) -> AppResult<()> {
    if !state.db.is_postgres() {
        return Ok(());
    }
    Err(AppError::conflict(
        "backups_by_postgresql",
        "this shop's data is in PostgreSQL, which backs itself up with its own tools: pg_dump, pgBackRest, \
         or a managed service's point-in-time recovery (docs/postgresql.md)",
        serde_json::json!({}),
    ))
}
