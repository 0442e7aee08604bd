//! The per-request layer: a request id, one log line, and the HTTP metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::UserId;
use super::metrics::{Metrics, RequestLabels, RouteLabels};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a per-process random prefix and a counter, so ids from two runs never clash
/// and making one costs no system call.
struct Ids {
    prefix: u32,
    next: AtomicU64,
}

static IDS: std::sync::LazyLock<Ids> = std::sync::LazyLock::new(|| {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    Ids {
        prefix: u32::from_le_bytes(bytes),
        next: AtomicU64::new(1),
    }
});

fn new_id() -> String {
    format!("{:08x}-{}", IDS.prefix, IDS.next.fetch_add(1, Ordering::Relaxed))
}

/// A client's own id (from a proxy in front, say) is kept when it is short and plain.
fn incoming_id(req: &Request) -> Option<String> {
    let value = req.headers().get(&REQUEST_ID)?.to_str().ok()?;
    let plain = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    (plain && !value.is_empty() && value.len() <= 64).then(|| value.to_owned())
}

/// A route label for requests no API route matched: the UI's files, or an unknown API path.
fn route_of(req: &Request) -> String {
    match req.extensions().get::<MatchedPath>() {
        Some(path) => path.as_str().to_owned(),
        None if req.uri().path().starts_with("/api/") => "/api/{unknown}".to_owned(),
        None => "{static}".to_owned(),
    }
}

pub async fn observe(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    crate::memory::note_activity();
    let id = incoming_id(&req).unwrap_or_else(new_id);
    let method = req.method().as_str().to_owned();
    let route = route_of(&req);
    metrics.in_flight.inc();
    let mut response = next.run(req).await;
    metrics.in_flight.dec();
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let user_id = response.extensions().get::<UserId>().map(|u| u.0);
    let latency_ms = (elapsed.as_secs_f64() * 1e6).round() / 1e3;
    if status >= 500 {
        tracing::warn!(target: "request", request_id = %id, %method, %route, status, latency_ms, user_id, "request failed");
    } else {
        tracing::info!(target: "request", request_id = %id, %method, %route, status, latency_ms, user_id, "request");
    }
    metrics
        .latency
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(elapsed.as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels { method, route, status })
        .inc();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}
