//! The one error type of the service and its one mapping to HTTP.
//!
//! Every failure a client can see is an [`AppError`]; [`IntoResponse`] turns it into
//! `{"error":{"code","message","details"}}` with the matching status. Internal causes are
//! logged here and never sent to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    /// The request is not well-formed (malformed JSON, bad query string).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    /// The request names a host this server does not answer for (see http::hosts).
    #[error("{0}")]
    Misdirected(String),
    #[error("method not allowed; {0}")]
    MethodNotAllowed(String),
    /// The request is valid but clashes with the current state (duplicate SKU, no stock, ...).
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        details: Value,
    },
    #[error("the body must be JSON, sent with Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("request body is too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    /// A field failed validation; `field` names it in the JSON body.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The input is well-formed but invalid in several places at once (e.g. rows of a CSV
    /// file); `details` lists them.
    #[error("{message}")]
    Unprocessable {
        code: &'static str,
        message: String,
        details: Value,
    },
    /// The client was too slow (a request body that stopped arriving).
    #[error("{0}")]
    RequestTimeout(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    /// The disk is full: reads keep working, writes are refused until space is freed.
    #[error("the server's disk is full; the change was not saved")]
    StorageFull,
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `insufficient_stock`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Extra facts, e.g. the field or product concerned.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub details: Value,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A validation error moved to another field (e.g. `price` to `items[2].unit_price`);
    /// any other error as it is.
    pub fn with_field(self, field: impl Into<String>) -> Self {
        match self {
            Self::Validation { message, .. } => Self::Validation {
                field: field.into(),
                message,
            },
            other => other,
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>, details: Value) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
            details,
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden {
            code: "forbidden",
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        Self::NotFound(format!("{what} not found"))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Misdirected(_) => StatusCode::MISDIRECTED_REQUEST,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation { .. } | Self::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::StorageFull => StatusCode::INSUFFICIENT_STORAGE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. }
            | Self::Unauthorized { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unprocessable { code, .. } => code,
            Self::NotFound(_) => "not_found",
            Self::Misdirected(_) => "unknown_host",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Validation { .. } => "validation_failed",
            Self::RequestTimeout(_) => "request_timeout",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::StorageFull => "storage_full",
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    pub fn details(&self) -> Value {
        match self {
            Self::Validation { field, .. } => json!({ "field": field }),
            Self::Conflict { details, .. } | Self::Unprocessable { details, .. } => details.clone(),
            Self::PayloadTooLarge { limit } => json!({ "limit_bytes": limit }),
            Self::TooManyRequests { retry_after_secs, .. } => json!({ "retry_after_secs": retry_after_secs }),
            _ => json!({}),
        }
    }
}

/// The seconds a client is told to wait after a 503.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            Self::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                "an internal error occurred; it has been logged".to_owned()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message,
                details: self.details(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        // Every 503 is passing (a restore, the database reopening), so it says when to retry;
        // a request that slipped past the maintenance check as a restore began ends here.
        let retry_after = match self {
            Self::TooManyRequests { retry_after_secs, .. } => Some(retry_after_secs),
            Self::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

impl From<rusqlite::Error> for AppError {
    /// Database failures the client can act on get their own status; the rest are internal.
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Self::StorageFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                Self::Unavailable("the database is busy; try again".into())
            }
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::SystemIoFailure) => {
                Self::Unavailable(format!("the database cannot be written: {err}"))
            }
            _ => Self::Internal(format!("database: {err}")),
        }
    }
}
