//! Signing in (with a bearer token for API clients, or a cookie session for the web UI),
//! signing out, and changing one's own password.

use chrono::Utc;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Auth, CurrentUser, cookie, store as sessions};
use crate::audit::{self, Event, Who};
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::users::store;
use crate::users::types::{NewPassword, User, Username, check_password_length};

/// The answer to a successful sign-in or password change. Cookie sessions get no token:
/// the credential stays in the HttpOnly cookie, out of reach of page scripts.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// "bearer", with a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'static str>,
    /// Seconds until the token or session expires.
    pub expires_in: u64,
    pub user: User,
}

/// Where a sign-in comes from, for the audit trail and the session row.
#[derive(Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A new session cookie to send with the answer.
pub struct NewCookie {
    pub value: String,
    pub max_age: u64,
}

fn invalid_credentials() -> AppError {
    AppError::Unauthorized {
        code: "invalid_credentials",
        message: "wrong username or password".into(),
    }
}

/// Checks a username and password and returns the user's id and token version. Unknown users
/// cost the same bcrypt time and get the same answer as a wrong password, so the answer does
/// not reveal which usernames exist. Failures go into the audit trail.
async fn check_credentials(
    db: &Db,
    auth: &Auth,
    username: &str,
    password: &str,
    from: &Origin,
) -> AppResult<(i64, i64)> {
    check_password_length("password", password)?;
    let name = Username::normalize(username);
    let ip = from.ip.as_deref();
    auth.throttle.check(&name, ip).await?;
    let (lookup, typed) = (name.clone(), username.trim().to_owned());
    let found = db
        .read(move |conn| match store::credentials_by_username(conn, &lookup)? {
            // Accounts made before names were normalised keep their spelling.
            None if typed != lookup => store::credentials_by_username(conn, &typed),
            found => Ok(found),
        })
        .await?;
    let Some(creds) = found else {
        auth.hasher.verify_dummy(password).await?;
        auth.throttle.failed(&name, ip).await?;
        record_failure(db, None, name, from, "unknown_user").await?;
        return Err(invalid_credentials());
    };
    if !auth.hasher.verify(password, &creds.password_hash).await? {
        auth.throttle.failed(&name, ip).await?;
        record_failure(db, Some(creds.id), name, from, "wrong_password").await?;
        return Err(invalid_credentials());
    }
    auth.throttle.succeeded(&name, ip).await?;
    if !creds.is_active {
        record_failure(db, Some(creds.id), name, from, "account_disabled").await?;
        return Err(AppError::Unauthorized {
            code: "account_disabled",
            message: "this account is disabled".into(),
        });
    }
    Ok((creds.id, creds.token_version))
}

async fn record_failure(db: &Db, user_id: Option<i64>, name: String, from: &Origin, why: &str) -> AppResult<()> {
    let after = serde_json::json!({ "reason": why });
    let ip = from.ip.clone();
    db.write(move |conn| {
        let who = Who {
            user_id,
            username: Some(name.chars().take(100).collect()),
            ip: ip.clone(),
        };
        let event = Event {
            action: "auth.login_failed",
            entity_type: "user",
            entity_id: user_id,
            before: None,
            after: Some(after.to_string()),
        };
        audit::store::record(conn, &who, &event, &clock::now())
    })
    .await
}

/// Records a successful sign-in (and starts a session, when asked) in one transaction.
async fn signed_in(
    db: &Db,
    auth: &Auth,
    id: i64,
    tv: i64,
    from: &Origin,
    session: bool,
) -> AppResult<(User, Option<NewCookie>)> {
    let cookie = session.then(cookie::new_value).transpose()?;
    let max_age = auth.keys.ttl().as_secs();
    let from = from.clone();
    let sid = cookie.as_deref().map(cookie::session_id);
    let user = db
        .write(move |conn| {
            let now = clock::now();
            store::record_login(conn, id, &now)?;
            let user = store::get(conn, id)?;
            if let Some(sid) = &sid {
                let expires = clock::format(Utc::now() + chrono::Duration::seconds(max_age as i64));
                sessions::insert(
                    conn,
                    &sessions::NewSession {
                        id: sid,
                        user_id: id,
                        token_version: tv,
                        now: &now,
                        expires_at: &expires,
                        ip: from.ip.as_deref(),
                        user_agent: from.user_agent.as_deref(),
                    },
                )?;
            }
            let who = Who {
                user_id: Some(id),
                username: Some(user.username.clone()),
                ip: from.ip.clone(),
            };
            let kind = if sid.is_some() { "session" } else { "token" };
            let event = Event {
                action: "auth.login",
                entity_type: "user",
                entity_id: Some(id),
                before: None,
                after: Some(serde_json::json!({ "kind": kind }).to_string()),
            };
            audit::store::record(conn, &who, &event, &now)?;
            Ok(user)
        })
        .await?;
    Ok((user, cookie.map(|value| NewCookie { value, max_age })))
}

/// Signs in for a bearer token (API clients, and the original system's contract).
pub async fn login(db: &Db, auth: &Auth, username: &str, password: &str, from: &Origin) -> AppResult<TokenResponse> {
    let (id, tv) = check_credentials(db, auth, username, password, from).await?;
    let (user, _) = signed_in(db, auth, id, tv, from, false).await?;
    issue(auth, user, tv)
}

/// Signs in for a cookie session (the web UI).
pub async fn start_session(
    db: &Db,
    auth: &Auth,
    username: &str,
    password: &str,
    from: &Origin,
) -> AppResult<(TokenResponse, NewCookie)> {
    let (id, tv) = check_credentials(db, auth, username, password, from).await?;
    let (user, cookie) = signed_in(db, auth, id, tv, from, true).await?;
    let cookie = cookie.ok_or_else(|| AppError::internal("no session cookie made"))?;
    Ok((
        TokenResponse {
            access_token: None,
            token_type: None,
            expires_in: cookie.max_age,
            user,
        },
        cookie,
    ))
}

/// Signs the caller out: ends their cookie session, or revokes the bearer token they called
/// with (that token alone; their other tokens and sessions go on).
pub async fn end_session(db: &Db, user: &CurrentUser) -> AppResult<()> {
    if let Some(sid) = user.session.clone() {
        return db.write(move |conn| sessions::revoke(conn, &sid, &clock::now())).await;
    }
    let Some((jti, exp)) = user.bearer.clone() else {
        return Ok(());
    };
    if jti.is_empty() {
        return Err(AppError::conflict(
            "token_not_revocable",
            "this token was issued by an older version and cannot be revoked; it ends when it expires",
            serde_json::json!({ "expires_at": clock::format(chrono::DateTime::from_timestamp(exp, 0).unwrap_or_default()) }),
        ));
    }
    let user_id = user.id;
    let expires_at = clock::format(chrono::DateTime::from_timestamp(exp, 0).unwrap_or_default());
    db.write(move |conn| sessions::revoke_token(conn, &jti, user_id, &expires_at, &clock::now()))
        .await
}

pub fn issue(auth: &Auth, user: User, token_version: i64) -> AppResult<TokenResponse> {
    let (access_token, expires_in) = auth.keys.issue(user.id, token_version)?;
    Ok(TokenResponse {
        access_token: Some(access_token),
        token_type: Some("bearer"),
        expires_in,
        user,
    })
}

/// Changes the caller's password after checking the current one. All older tokens and
/// sessions stop working; the caller gets a fresh token, or a fresh session cookie.
pub async fn change_password(
    db: &Db,
    auth: &Auth,
    caller: &CurrentUser,
    current: &str,
    new: &str,
    from: &Origin,
) -> AppResult<(TokenResponse, Option<NewCookie>)> {
    let user_id = caller.id;
    check_password_length("current_password", current)?;
    // Guessing the current password with a stolen session is throttled like signing in.
    auth.throttle.check(&caller.username, from.ip.as_deref()).await?;
    let creds = db.read(move |conn| store::credentials_by_id(conn, user_id)).await?;
    if !auth.hasher.verify(current, &creds.password_hash).await? {
        auth.throttle.failed(&caller.username, from.ip.as_deref()).await?;
        return Err(AppError::validation("current_password", "is not correct"));
    }
    let new = NewPassword::parse("new_password", new, &caller.username)?;
    if new.as_str() == current {
        return Err(AppError::validation(
            "new_password",
            "must differ from the current password",
        ));
    }
    let hash = auth.hasher.hash(new.as_str()).await?;
    let who = Who::from(caller);
    let version = db
        .write(move |conn| {
            let now = clock::now();
            let version = store::set_password(conn, user_id, &hash, false, &now)?;
            let event = Event {
                action: "auth.password_change",
                entity_type: "user",
                entity_id: Some(user_id),
                before: None,
                after: None,
            };
            audit::store::record(conn, &who, &event, &now)?;
            Ok(version)
        })
        .await?;
    if caller.session.is_some() {
        let (user, cookie) = signed_in(db, auth, user_id, version, from, true).await?;
        let max_age = auth.keys.ttl().as_secs();
        return Ok((
            TokenResponse {
                access_token: None,
                token_type: None,
                expires_in: max_age,
                user,
            },
            cookie,
        ));
    }
    let user = db.read(move |conn| store::get(conn, user_id)).await?;
    Ok((issue(auth, user, version)?, None))
}
