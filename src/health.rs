//! GET /health: is the service able to serve? Used by monitors and the old nginx-style checks.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::AppResult;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(system))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// "ok" or "unavailable".
    pub status: &'static str,
    /// "ok", or what is wrong with the database.
    pub database: String,
    pub version: &'static str,
    pub uptime_seconds: u64,
    /// How long the database round trip took, in milliseconds.
    pub database_latency_ms: f64,
}

/// Health, including a database round trip through the readers and the writer's liveness.
#[utoipa::path(get, path = "/health", tag = "system", security(()),
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The database is unusable", body = Health),
    ))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let started = Instant::now();
    let database = database_status(&state).await;
    let latency = started.elapsed().as_secs_f64() * 1000.0;
    let healthy = database == "ok";
    let body = Health {
        status: if healthy { "ok" } else { "unavailable" },
        database,
        version: env!("CARGO_PKG_VERSION"),
        uptime_seconds: state.started.elapsed().as_secs(),
        database_latency_ms: (latency * 1000.0).round() / 1000.0,
    };
    (
        if healthy {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(body),
    )
}

#[derive(Serialize, ToSchema)]
pub struct DatabaseInfo {
    /// The database file's size on disk.
    pub size_bytes: u64,
    /// The write-ahead log's size; it is folded into the file at checkpoints.
    pub wal_bytes: u64,
    /// The newest migration the database has (read from it, not from this binary).
    pub schema_version: i32,
    /// Write requests since start, and the transactions they were committed in.
    pub write_requests: u64,
    pub write_transactions: u64,
    pub write_queue: usize,
}

#[derive(Serialize, ToSchema)]
pub struct SystemInfo {
    pub version: &'static str,
    /// "ok" or what is wrong.
    pub health: String,
    pub uptime_seconds: u64,
    pub data_dir: String,
    pub database: DatabaseInfo,
    /// How many accounts there are (the System page shows it, not the dashboard).
    pub users: i64,
}

/// Version, uptime, health and database size, for the admins' system page.
#[utoipa::path(get, path = "/api/system", tag = "system", security(("bearer" = ["admin"])),
    responses((status = 200, description = "System facts", body = SystemInfo)))]
async fn system(State(state): State<AppState>) -> AppResult<Json<SystemInfo>> {
    let path = state.db.path().to_path_buf();
    let size = |suffix: &str| {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
    };
    let health = database_status(&state).await;
    // PostgreSQL keeps no file of ours: its size is what the server says the database takes.
    let size_bytes = if state.db.is_postgres() {
        state
            .db
            .read(|conn| {
                Ok(conn.query_row("SELECT pg_database_size(current_database())", [], |r| {
                    r.get::<_, i64>(0)
                })?)
            })
            .await
            .map_or(0, |n| u64::try_from(n).unwrap_or(0))
    } else {
        size("")
    };
    let schema_version = state.db.read(crate::backup::store::schema_version).await?;
    let writes = state.db.writer_stats();
    let users = state.db.read(crate::users::store::count).await?;
    Ok(Json(SystemInfo {
        users,
        version: env!("CARGO_PKG_VERSION"),
        health,
        uptime_seconds: state.started.elapsed().as_secs(),
        data_dir: path.parent().map(|p| p.display().to_string()).unwrap_or_default(),
        database: DatabaseInfo {
            size_bytes,
            wal_bytes: size("-wal"),
            schema_version,
            write_requests: writes.requests,
            write_transactions: writes.transactions,
            write_queue: writes.queued,
        },
    }))
}

/// "ok" when a reader answers a round trip and the writer is alive; otherwise what is wrong.
async fn database_status(state: &AppState) -> String {
    let probe = state
        .db
        .read(|conn| {
            // SQLite: reading the schema page proves the file is readable, not just open.
            let sql = if conn.is_postgres() {
                "SELECT 1"
            } else {
                "SELECT count(*) FROM sqlite_schema"
            };
            Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))?)
        })
        .await;
    match probe {
        Ok(_) if state.db.writer_alive() => "ok".to_owned(),
        Ok(_) => "the database writer has stopped".to_owned(),
        Err(err) => err.to_string(),
    }
}
