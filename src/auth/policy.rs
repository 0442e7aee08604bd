//! Every route's access policy, declared once in its OpenAPI annotation and enforced here.
//!
//! A handler's `#[utoipa::path]` says `security(())` for a public route or
//! `security(("bearer" = ["staff"]))` for a role. The policy table is read from the generated
//! OpenAPI document at start-up, so the documentation and the enforcement cannot disagree, and
//! a route without a declared policy is refused (a test checks there is none).

use std::collections::HashMap;
use std::sync::Arc;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::OpenApi;

use super::store as auth_store;
use super::token::unauthorized;
use super::{CurrentUser, cookie};
use crate::app::AppState;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::users;
use crate::users::types::Role;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Public,
    /// Any signed-in user, even one who must still change their password.
    Pending,
    /// Any signed-in user; a customer only ever sees their own data.
    User,
    Staff,
    Admin,
    Superadmin,
}

impl Policy {
    fn from_scope(scope: &str) -> Option<Policy> {
        Some(match scope {
            "pending" => Policy::Pending,
            "user" => Policy::User,
            "staff" => Policy::Staff,
            "admin" => Policy::Admin,
            "superadmin" => Policy::Superadmin,
            _ => return None,
        })
    }

    /// The weakest role this policy admits, if it needs one.
    pub fn min_role(self) -> Option<Role> {
        match self {
            Policy::Public => None,
            Policy::Pending | Policy::User => Some(Role::Customer),
            Policy::Staff => Some(Role::Staff),
            Policy::Admin => Some(Role::Admin),
            Policy::Superadmin => Some(Role::Superadmin),
        }
    }
}

/// (method, path template) → policy, for every documented operation.
#[derive(Debug, Default)]
pub struct PolicyTable(HashMap<(Method, String), Policy>);

impl PolicyTable {
    /// Reads the policies from the OpenAPI document; an operation without one is an error.
    pub fn from_openapi(doc: &OpenApi) -> Result<Self, String> {
        let value = serde_json::to_value(doc).map_err(|e| e.to_string())?;
        let mut table = HashMap::new();
        let paths = value["paths"].as_object().cloned().unwrap_or_default();
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let Ok(method) = method.to_uppercase().parse::<Method>() else {
                    continue;
                };
                if !op.is_object() || op.get("responses").is_none() {
                    continue;
                }
                let policy = policy_of(op).ok_or_else(|| format!("{method} {path} declares no access policy"))?;
                table.insert((method, path.clone()), policy);
            }
        }
        Ok(Self(table))
    }

    pub fn get(&self, method: &Method, path: &str) -> Option<Policy> {
        let method = if method == Method::HEAD { &Method::GET } else { method };
        self.0.get(&(method.clone(), path.to_owned())).copied()
    }

    /// The methods documented for a path, for the Allow header of a 405.
    pub fn methods(&self, path: &str) -> Vec<&Method> {
        let mut methods: Vec<&Method> = self.0.keys().filter(|(_, p)| p == path).map(|(m, _)| m).collect();
        methods.sort_by_key(|m| m.as_str());
        methods
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Method, &str, Policy)> {
        self.0.iter().map(|((m, p), policy)| (m, p.as_str(), *policy))
    }
}

fn policy_of(op: &serde_json::Value) -> Option<Policy> {
    let requirements = op.get("security")?.as_array()?;
    let first = requirements.first()?.as_object()?;
    if first.is_empty() {
        return Some(Policy::Public);
    }
    let scopes = first.get("bearer")?.as_array()?;
    Policy::from_scope(scopes.first()?.as_str()?)
}

/// The middleware: authenticates the caller when the route needs it and checks the role.
pub async fn enforce(
    State((state, table)): State<(AppState, Arc<PolicyTable>)>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(path) = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()) else {
        return next.run(req).await;
    };
    let Some(policy) = table.get(req.method(), &path) else {
        let allowed = table.methods(&path);
        if allowed.is_empty() {
            // A route registered without an OpenAPI annotation: refuse rather than run it open.
            return AppError::Internal(format!("{} {path} has no access policy", req.method())).into_response();
        }
        return method_not_allowed(&allowed);
    };
    if policy == Policy::Public {
        return next.run(req).await;
    }
    let credential = match credential(&req) {
        Ok(c) => c,
        Err(err) => return err.into_response(),
    };
    match authorize(&state, credential, policy).await {
        Ok(mut user) => {
            user.ip = client_ip(&req);
            let id = user.id;
            req.extensions_mut().insert(user);
            let mut response = next.run(req).await;
            response.extensions_mut().insert(crate::observe::UserId(id));
            response
        }
        Err(err) => err.into_response(),
    }
}

/// How a request proves who it is.
enum Credential {
    Bearer(String),
    /// A session id (the SHA-256 of the cookie), already past the CSRF check.
    Session(String),
    None,
}

/// A bearer token wins over a cookie; a cookie-authenticated request that changes state must
/// pass the CSRF rule.
fn credential(req: &Request) -> AppResult<Credential> {
    if let Some(token) = bearer_token(req) {
        return Ok(Credential::Bearer(token.to_owned()));
    }
    match cookie::from_headers(req.headers()) {
        Some(value) => {
            cookie::check_csrf(req.method(), req.headers())?;
            Ok(Credential::Session(cookie::session_id(value)))
        }
        None => Ok(Credential::None),
    }
}

async fn authorize(state: &AppState, credential: Credential, policy: Policy) -> AppResult<CurrentUser> {
    let user = match credential {
        Credential::Bearer(token) => authenticate(state, &token).await?,
        Credential::Session(sid) => authenticate_session(state, sid).await?,
        Credential::None => {
            return Err(unauthorized(
                "sign in first: this endpoint needs an access token or a session",
            ));
        }
    };
    if user.must_change_password && policy != Policy::Pending {
        return Err(AppError::Forbidden {
            code: "password_change_required",
            message: "change your password first (POST /api/auth/password)".into(),
        });
    }
    if policy.min_role().is_some_and(|min| user.role < min) {
        return Err(AppError::forbidden("your role does not allow this"));
    }
    Ok(user)
}

/// The peer address of the connection (the binary faces clients directly, with no proxy).
pub fn client_ip(req: &Request) -> Option<String> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

fn bearer_token(req: &Request) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// Resolves a token to its user, refusing tokens of disabled or deleted users and tokens
/// issued before the user's last password change.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<CurrentUser> {
    let verified = state.auth.keys.verify(token)?;
    let user_id = verified.user_id;
    // Read before the row, so a stale row is never cached as current (see auth::cache).
    let generation = state.db.generation(crate::db::Table::Users);
    let row = match state.auth.cache.get(&user_id, &generation) {
        Some(row) => Some(row),
        None => {
            let row = state
                .db
                .read(move |conn| users::store::auth_row(conn, user_id, &clock::now()))
                .await?;
            if let Some(row) = &row {
                state.auth.cache.put(user_id, generation, row.clone());
            }
            row
        }
    };
    let row = row
        .filter(|r| r.is_active && r.token_version == verified.token_version)
        .filter(|r| verified.jti.is_empty() || !r.revoked_tokens.contains(&verified.jti))
        .ok_or_else(|| unauthorized("the session is no longer valid; sign in again"))?;
    Ok(CurrentUser {
        id: user_id,
        username: row.username,
        role: row.role,
        must_change_password: row.must_change_password,
        ip: None,
        session: None,
        bearer: Some((verified.jti, verified.exp)),
    })
}

/// Resolves a session to its user: not revoked, not expired, the user active and with the
/// same password as when the session began.
async fn authenticate_session(state: &AppState, sid: String) -> AppResult<CurrentUser> {
    let lookup = sid.clone();
    let row = state
        .db
        .read(move |conn| auth_store::live(conn, &lookup, &clock::now()))
        .await?;
    let row = row.ok_or_else(|| unauthorized("the session has ended; sign in again"))?;
    Ok(CurrentUser {
        id: row.user_id,
        username: row.username,
        role: row.role,
        must_change_password: row.must_change_password,
        ip: None,
        session: Some(sid),
        bearer: None,
    })
}

fn method_not_allowed(allowed: &[&Method]) -> Response {
    let list: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
    let mut response = AppError::MethodNotAllowed(format!("allowed methods: {}", list.join(", "))).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&list.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}
