//! The web UI, built into `ui/dist` and embedded in the binary.
//!
//! Hashed files under `assets/` never change, so browsers may keep them for a year;
//! `index.html` names the current hashes, so it is revalidated on every load.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::digest::hex;
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

/// The precompressed copies the UI build writes beside each file, best first.
const ENCODINGS: [(&str, &str); 2] = [("br", ".br"), ("gzip", ".gz")];

fn file(name: &str, request: &HeaderMap) -> Option<Response> {
    let original = Assets::get(name)?;
    let accepted = request
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (asset, encoding) = ENCODINGS
        .iter()
        .filter(|(encoding, _)| accepts(accepted, encoding))
        .find_map(|(encoding, suffix)| Assets::get(&format!("{name}{suffix}")).map(|a| (a, Some(*encoding))))
        .unwrap_or((original.clone(), None));
    let etag = format!(
        "\"{}{}\"",
        hex(&asset.metadata.sha256_hash()[..16]),
        encoding.map(|e| format!("-{e}")).unwrap_or_default()
    );
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
        let mime = original.metadata.mimetype();
        let content_type = if mime.starts_with("text/") {
            format!("{mime}; charset=utf-8")
        } else {
            mime.to_owned()
        };
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
        if let Some(encoding) = encoding {
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Some(response)
}

/// Does an Accept-Encoding header admit `encoding` (and not with q=0)?
fn accepts(header: &str, encoding: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let name = pieces.next().unwrap_or_default();
        let refused = pieces.any(|p| p.replace(' ', "") == "q=0" || p.replace(' ', "") == "q=0.0");
        name.eq_ignore_ascii_case(encoding) && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn reads_accept_encoding() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
    }
}
