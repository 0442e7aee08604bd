//! Maintenance mode: while a backup is restored under the running server, every request that
//! would reach the database gets 503 with Retry-After, so nothing writes to (or reads from) a
//! file being swapped. The embedded UI's files are still served, so its pages can say so.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};

#[derive(Default)]
pub struct Maintenance {
    on: AtomicBool,
}

/// Maintenance lasts while this lives.
pub struct Window<'a>(&'a Maintenance);

impl Drop for Window<'_> {
    fn drop(&mut self) {
        self.0.on.store(false, Ordering::SeqCst);
    }
}

impl Maintenance {
    /// Turns maintenance on, unless it is on already (another restore).
    pub fn begin(&self) -> AppResult<Window<'_>> {
        if self.on.swap(true, Ordering::SeqCst) {
            return Err(AppError::conflict(
                "maintenance",
                "a restore is under way already",
                serde_json::json!({}),
            ));
        }
        Ok(Window(self))
    }

    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::SeqCst)
    }
}

pub async fn refuse_while_on(State(m): State<Arc<Maintenance>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let reaches_db = path.starts_with("/api/") || path == "/health" || path == "/metrics";
    if m.is_on() && reaches_db && path != "/api/openapi.json" {
        return AppError::Unavailable(
            "the shop's data is being restored from a backup; try again in a few seconds".into(),
        )
        .into_response();
    }
    next.run(req).await
}
