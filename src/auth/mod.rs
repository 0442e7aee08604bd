//! Who is calling: sign-in, tokens, passwords, and the access policy of every route.

pub mod cache;
pub mod cookie;
pub mod password;
pub mod policy;
pub mod routes;
pub mod service;
pub mod store;
pub mod throttle;
pub mod token;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::AppError;
use crate::users::types::Role;

/// The signed-in user of a request, put there by the policy layer.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub must_change_password: bool,
    /// The client's address, for the audit trail.
    pub ip: Option<String>,
    /// The session id when signed in with the web UI's cookie rather than a bearer token.
    pub session: Option<String>,
    /// The bearer token's id and expiry, when signed in with one.
    pub bearer: Option<(String, i64)>,
}

impl CurrentUser {
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| AppError::Internal("a handler needs a signed-in user but its route is public".into()))
    }
}

/// Token keys and the password hasher, shared by every request.
pub struct Auth {
    pub keys: token::TokenKeys,
    pub hasher: password::PasswordHasher,
    pub throttle: throttle::Throttle,
    pub cache: cache::AuthCache,
}
