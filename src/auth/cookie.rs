//! The session cookie of the web UI and its CSRF rule.
//!
//! The cookie is HttpOnly (page scripts never read it), SameSite=Strict (other sites' pages
//! do not send it) and Secure under TLS. On top of that, a cookie-authenticated request that
//! changes state must carry `X-Requested-With: order-system`, which a cross-site form cannot
//! send and cross-site scripts cannot add without a CORS preflight that this server refuses,
//! and its Origin, when present, must be this host.

use crate::digest::{hex, sha256_hex};
use axum::http::{HeaderMap, HeaderValue, Method, header};

use crate::error::{AppError, AppResult};

pub const NAME: &str = "order_session";
pub const CSRF_HEADER: &str = "x-requested-with";
pub const CSRF_VALUE: &str = "order-system";

/// A new random cookie value (256 bits, hex).
pub fn new_value() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(hex(&bytes))
}

/// What the database stores for a cookie value.
pub fn session_id(value: &str) -> String {
    sha256_hex(value.as_bytes())
}

/// The session cookie's value in a request, if any.
pub fn from_headers(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == NAME)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty())
}

/// The Set-Cookie header that starts a session lasting `max_age_secs`.
pub fn set(value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{NAME}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("order_session=; Max-Age=0; Path=/"))
}

/// The Set-Cookie header that ends the session in the browser.
pub fn clear(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static("order_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure")
    } else {
        HeaderValue::from_static("order_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
    }
}

/// Refuses a state-changing request that could have come from another site.
pub fn check_csrf(method: &Method, headers: &HeaderMap) -> AppResult<()> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let marked = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case(CSRF_VALUE));
    let same_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or_default();
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            host.to_str().is_ok_and(|h| h.eq_ignore_ascii_case(origin_host))
        }
        (Some(_), None) => false,
    };
    if marked && same_origin {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "csrf_rejected",
            message: format!(
                "a request that changes data must come from this site's pages (header {CSRF_HEADER}: {CSRF_VALUE})"
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn reads_the_cookie_among_others() {
        let h = headers(&[("cookie", "a=1; order_session=abc; b=2")]);
        assert_eq!(from_headers(&h), Some("abc"));
        assert_eq!(from_headers(&headers(&[("cookie", "order_session=")])), None);
    }

    #[test]
    fn csrf_needs_the_header_and_a_same_origin() {
        let post = Method::POST;
        assert!(check_csrf(&Method::GET, &headers(&[])).is_ok());
        assert!(check_csrf(&post, &headers(&[])).is_err());
        assert!(check_csrf(&post, &headers(&[("x-requested-with", "order-system")])).is_ok());
        let same = headers(&[
            ("x-requested-with", "order-system"),
            ("origin", "https://shop.example"),
            ("host", "shop.example"),
        ]);
        assert!(check_csrf(&post, &same).is_ok());
        let cross = headers(&[
            ("x-requested-with", "order-system"),
            ("origin", "https://evil.example"),
            ("host", "shop.example"),
        ]);
        assert!(check_csrf(&post, &cross).is_err());
    }
}
