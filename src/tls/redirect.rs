//! The plain HTTP listener once HTTPS is on: every request is sent to HTTPS with a 308, which
//! keeps the method and body.

use std::sync::Arc;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rustls_acme::ResolvesServerCertAcme;

use crate::http::hosts::strip_port;

/// The redirecting router; with ACME, it also answers http-01 challenges.
pub fn router(https_port: u16, acme: Option<Arc<ResolvesServerCertAcme>>) -> Router {
    let mut router = Router::new();
    if let Some(resolver) = acme {
        router = router.route(
            "/.well-known/acme-challenge/{token}",
            get(move |Path(token): Path<String>| async move {
                match resolver.get_http_01_key_auth(&token) {
                    Some(key_auth) => key_auth.into_response(),
                    None => StatusCode::NOT_FOUND.into_response(),
                }
            }),
        );
    }
    router.fallback(move |headers: HeaderMap, uri: Uri| async move { redirect(&headers, &uri, https_port) })
}

fn redirect(headers: &HeaderMap, uri: &Uri, https_port: u16) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| strip_port(h).to_owned())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || "-.[]:".contains(c)))
        .unwrap_or_else(|| "localhost".into());
    let port = if https_port == 443 {
        String::new()
    } else {
        format!(":{https_port}")
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let location = format!("https://{host}{port}{path}");
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}
