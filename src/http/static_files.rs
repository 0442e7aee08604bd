//! The web UI, built into `ui/dist` and embedded in the binary.
//!
//! Hashed files under `assets/` never change, so browsers may keep them for a year;
//! `index.html` names the current hashes, so it is revalidated on every load.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::AppError;

#[derive(RustEmbed)]
#[folder = "ui/dist"]
struct Assets;

const INDEX: &str = "index.html";

/// Serves an embedded file; unknown page paths get `index.html` so the UI's router can show
/// them, while unknown `/api` paths and missing files get a 404.
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") {
        return AppError::NotFound(format!("no API endpoint at {}", uri.path())).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response = AppError::MethodNotAllowed("pages only answer GET".into()).into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let name = if path.is_empty() { INDEX } else { path };
    if let Some(response) = file(name, &headers) {
        return response;
    }
    let last = name.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return AppError::NotFound(format!("no file at {}", uri.path())).into_response();
    }
    file(INDEX, &headers)
        .unwrap_or_else(|| AppError::NotFound("the web UI is not built into this binary".into()).into_response())
}

fn file(name: &str, request: &HeaderMap) -> Option<Response> {
    let asset = Assets::get(name)?;
    let etag = format!("\"{}\"", hex(&asset.metadata.sha256_hash()[..16]));
    let cache = if name.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = if request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = Response::new(Body::from(asset.data));
        let mime = asset.metadata.mimetype();
        let content_type = if mime.starts_with("text/") {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_owned()
        };
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Some(response)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
