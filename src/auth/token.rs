//! HS256 access tokens, as the original FastAPI backend issued.
//!
//! A token names its user and the user's `token_version` at issue time. Every request checks
//! the user's current row, so a password change or a disabled account (both bump the version)
//! or a deleted account ends all older tokens at once. Each token also has its own id (`jti`),
//! so signing out with it (DELETE /api/auth/session) ends that one token.

use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id, as a string (JWT convention).
    pub sub: String,
    /// The user's token_version when the token was issued.
    pub tv: i64,
    pub iat: i64,
    pub exp: i64,
    /// This token's own id, for revoking it alone. Tokens issued before it existed have none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub jti: String,
}

/// What a verified token says.
#[derive(Clone, Debug)]
pub struct Verified {
    pub user_id: i64,
    pub token_version: i64,
    pub jti: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl TokenKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues a token for a user; returns it with its lifetime in seconds.
    pub fn issue(&self, user_id: i64, token_version: i64) -> AppResult<(String, u64)> {
        let now = chrono::Utc::now().timestamp();
        let ttl = self.ttl.as_secs();
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| AppError::internal(format!("no OS randomness: {e}")))?;
        let claims = Claims {
            sub: user_id.to_string(),
            tv: token_version,
            iat: now,
            exp: now + ttl as i64,
            jti: crate::digest::hex(&id),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)?;
        Ok((token, ttl))
    }

    /// Checks signature, algorithm and expiry.
    pub fn verify(&self, token: &str) -> AppResult<Verified> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).map_err(|err| {
            let message = match err.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => "the session has expired; sign in again",
                _ => "the access token is invalid",
            };
            unauthorized(message)
        })?;
        let user_id = data
            .claims
            .sub
            .parse()
            .map_err(|_| unauthorized("the access token is invalid"))?;
        Ok(Verified {
            user_id,
            token_version: data.claims.tv,
            jti: data.claims.jti,
            exp: data.claims.exp,
        })
    }
}

pub fn unauthorized(message: &str) -> AppError {
    AppError::Unauthorized {
        code: "unauthorized",
        message: message.into(),
    }
}
