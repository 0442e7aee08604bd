//! HTTP plumbing shared by every capability: extractors, list shapes, errors, headers and the
//! embedded UI.

pub mod errors;
pub mod hosts;
pub mod json;
pub mod list;
pub mod maintenance;
pub mod openapi;
pub mod serve;
pub mod static_files;
pub mod threads;

use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

/// Content Security Policy for every response. No inline script anywhere; inline styles are
/// allowed because Swagger UI (and later Ant Design's runtime CSS-in-JS) set style attributes.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
                   frame-ancestors 'none'";

/// The security headers set on every response that does not set its own.
pub fn security_headers() -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let pairs: [(HeaderName, &'static str); 5] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    pairs
        .into_iter()
        .map(|(name, value)| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)))
        .collect()
}
