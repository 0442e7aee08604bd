//! The JSON body and query string extractors of the API.
//!
//! axum's own `Json` answers bad input with plain text and does not say which field was wrong.
//! This one answers in the API's error format: 415 without a JSON content type, 413 past the
//! body limit, 400 for malformed JSON, and 422 naming the field for a wrong type, a missing or
//! unknown field, or a value that fails validation.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The most bytes a JSON body may have; larger bodies get 413.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        parse(&read_body(req).await?).map(ApiJson)
    }
}

/// How much of an oversized body is read and dropped before the 413. Closing on a client that
/// is still sending makes the kernel reset the connection, and the client often sees the reset
/// instead of the answer (a 2 MB test upload did, under load).
const DRAIN_LIMIT: usize = 16 * MAX_JSON_BODY;

/// The body, up to [`MAX_JSON_BODY`]; past it, 413 once the client has sent the rest (up to
/// [`DRAIN_LIMIT`]). A body that breaks off also gets 413, as before.
async fn read_body(req: Request) -> Result<Bytes, AppError> {
    let too_large = || AppError::PayloadTooLarge { limit: MAX_JSON_BODY };
    let mut chunks = req.into_body().into_data_stream();
    let (mut body, mut seen) = (Vec::new(), 0usize);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|_| too_large())?;
        seen += chunk.len();
        if seen <= MAX_JSON_BODY {
            body.extend_from_slice(&chunk);
        } else if seen > DRAIN_LIMIT {
            break;
        }
    }
    if seen > MAX_JSON_BODY {
        return Err(too_large());
    }
    Ok(Bytes::from(body))
}

/// No API body nests more than a few levels; anything deeper is refused before parsing, so
/// a hostile body cannot make the parser recurse.
pub const MAX_JSON_DEPTH: usize = 32;

/// The deepest nesting of arrays and objects in a JSON text (strings skipped).
fn depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Parses a JSON body, naming the offending field in the error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if depth(bytes) > MAX_JSON_DEPTH {
        return Err(AppError::BadRequest {
            code: "json_too_deep",
            message: format!("JSON nested more than {MAX_JSON_DEPTH} levels deep"),
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return AppError::BadRequest {
                code: "malformed_json",
                message: format!("malformed JSON: {inner}"),
            };
        }
        let message = strip_position(&inner.to_string());
        let field = if path == "." {
            field_from_message(&message).unwrap_or_default()
        } else {
            path
        };
        AppError::validation(field, message)
    })?;
    de.end().map_err(|err| AppError::BadRequest {
        code: "malformed_json",
        message: format!("malformed JSON: {err}"),
    })?;
    Ok(value)
}

/// serde_json appends " at line 1 column 42"; the field name says more to a user.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// "missing field `price`" is reported at the parent's path; the field is in the message.
fn field_from_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// The query string extractor: a value of the wrong type gets 422 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, AppError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|rejection| {
                // "Failed to deserialize query string: page: invalid digit found in string"
                let text = rejection.body_text();
                let detail = text.split_once(": ").map_or(text.as_str(), |(_, rest)| rest);
                match detail.split_once(": ") {
                    Some((field, message)) if !field.contains(' ') => AppError::validation(field, message),
                    _ => AppError::validation(field_from_message(detail).unwrap_or_default(), detail),
                }
            })
    }
}
