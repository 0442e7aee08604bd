//! `GET /metrics`, outside the API: Prometheus scrapes it without a user account, so it has its
//! own gate (networks or a token) instead of a role.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

pub async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !state.metrics_access.permits(peer, bearer) {
        return (
            StatusCode::FORBIDDEN,
            "metrics are open only to the networks in --metrics-allow, or with --metrics-token\n",
        )
            .into_response();
    }
    let dir = state.backups.dir.clone();
    let newest = tokio::task::spawn_blocking(move || {
        crate::backup::list(&dir)
            .ok()
            .and_then(|all| all.into_iter().max_by(|a, b| a.created_at.cmp(&b.created_at)))
    })
    .await
    .ok()
    .flatten();
    let body = state.metrics.render(&state.db, newest.as_ref());
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
