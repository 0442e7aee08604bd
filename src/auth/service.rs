//! Signing in and changing one's own password.

use serde::Serialize;
use utoipa::ToSchema;

use super::Auth;
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
/// answer as a wrong password, so the answer does not reveal which usernames exist.
pub async fn login(
    db: &Db,
    auth: &Auth,
    username: &str,
    password: &str,
) -> AppResult<TokenResponse> {
    check_password_length("password", password)?;
    let name = username.trim().to_owned();
    let found = db
        .read(move |conn| store::credentials_by_username(conn, &name))
        .await?;
    let Some(creds) = found else {
        auth.hasher.verify_dummy(password).await?;
        return Err(invalid_credentials());
    };
    if !auth.hasher.verify(password, &creds.password_hash).await? {
        return Err(invalid_credentials());
    }
    if !creds.is_active {
        return Err(AppError::Unauthorized {
            code: "account_disabled",
            message: "this account is disabled".into(),
        });
    }
    let id = creds.id;
    let user = db
        .write(move |conn| {
            store::record_login(conn, id, &clock::now())?;
            store::get(conn, id)
        })
        .await?;
    issue(auth, user, creds.token_version)
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
pub async fn change_password(
    db: &Db,
    auth: &Auth,
    user_id: i64,
    current: &str,
    new: &str,
) -> AppResult<TokenResponse> {
    check_password_length("current_password", current)?;
    let creds = db
        .read(move |conn| store::credentials_by_id(conn, user_id))
        .await?;
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
