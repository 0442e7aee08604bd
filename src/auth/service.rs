//! Signing in and changing one's own password.

use serde::Serialize;
use utoipa::ToSchema;

use super::Auth;
use crate::audit::{self, Event, Who};
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::users::store;
use crate::users::types::{NewPassword, User, check_password_length};

/// The answer to a successful sign-in or password change.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always "bearer".
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub user: User,
}

fn invalid_credentials() -> AppError {
    AppError::Unauthorized {
        code: "invalid_credentials",
        message: "wrong username or password".into(),
    }
}

/// Checks a username and password. Unknown users cost the same bcrypt time and get the same
/// answer as a wrong password, so the answer does not reveal which usernames exist. Every
/// attempt, good or bad, goes into the audit trail.
pub async fn login(
    db: &Db,
    auth: &Auth,
    username: &str,
    password: &str,
    ip: Option<String>,
) -> AppResult<TokenResponse> {
    check_password_length("password", password)?;
    let name = username.trim().to_owned();
    let lookup = name.clone();
    let found = db
        .read(move |conn| store::credentials_by_username(conn, &lookup))
        .await?;
    let Some(creds) = found else {
        auth.hasher.verify_dummy(password).await?;
        record_failure(db, None, name, ip, "unknown_user").await?;
        return Err(invalid_credentials());
    };
    if !auth.hasher.verify(password, &creds.password_hash).await? {
        record_failure(db, Some(creds.id), name, ip, "wrong_password").await?;
        return Err(invalid_credentials());
    }
    if !creds.is_active {
        record_failure(db, Some(creds.id), name, ip, "account_disabled").await?;
        return Err(AppError::Unauthorized {
            code: "account_disabled",
            message: "this account is disabled".into(),
        });
    }
    let id = creds.id;
    let user = db
        .write(move |conn| {
            let now = clock::now();
            store::record_login(conn, id, &now)?;
            let user = store::get(conn, id)?;
            let who = Who {
                user_id: Some(id),
                username: Some(user.username.clone()),
                ip,
            };
            let event = Event {
                action: "auth.login",
                entity_type: "user",
                entity_id: Some(id),
                before: None,
                after: None,
            };
            audit::store::record(conn, &who, &event, &now)?;
            Ok(user)
        })
        .await?;
    issue(auth, user, creds.token_version)
}

/// A failed sign-in goes into the audit trail with the name that was tried and why.
async fn record_failure(db: &Db, user_id: Option<i64>, name: String, ip: Option<String>, why: &str) -> AppResult<()> {
    let after = serde_json::json!({ "reason": why });
    db.write(move |conn| {
        let who = Who {
            user_id,
            username: Some(name.chars().take(100).collect()),
            ip,
        };
        let event = Event {
            action: "auth.login_failed",
            entity_type: "user",
            entity_id: user_id,
            before: None,
            after: Some(after),
        };
        audit::store::record(conn, &who, &event, &clock::now())
    })
    .await
}

pub fn issue(auth: &Auth, user: User, token_version: i64) -> AppResult<TokenResponse> {
    let (access_token, expires_in) = auth.keys.issue(user.id, token_version)?;
    Ok(TokenResponse {
        access_token,
        token_type: "bearer",
        expires_in,
        user,
    })
}

/// Changes the caller's password after checking the current one; all older tokens stop
/// working and a fresh token is returned.
pub async fn change_password(db: &Db, auth: &Auth, user_id: i64, current: &str, new: &str) -> AppResult<TokenResponse> {
    check_password_length("current_password", current)?;
    let creds = db.read(move |conn| store::credentials_by_id(conn, user_id)).await?;
    if !auth.hasher.verify(current, &creds.password_hash).await? {
        return Err(AppError::validation("current_password", "is not correct"));
    }
    let user = db.read(move |conn| store::get(conn, user_id)).await?;
    let new = NewPassword::parse("new_password", new, &user.username)?;
    if new.as_str() == current {
        return Err(AppError::validation(
            "new_password",
            "must differ from the current password",
        ));
    }
    let hash = auth.hasher.hash(new.as_str()).await?;
    let (user, version) = db
        .write(move |conn| {
            let version = store::set_password(conn, user_id, &hash, false, &clock::now())?;
            Ok((store::get(conn, user_id)?, version))
        })
        .await?;
    issue(auth, user, version)
}
