//! /api/auth: sign in (token or cookie session), sign out, who am I, change my password.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::CurrentUser;
use super::cookie;
use super::service::{self, NewCookie, Origin, TokenResponse};
use crate::app::AppState;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::users::Me;
use crate::users::store;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(start_session, end_session))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(300).collect());
        Ok(Origin { ip, user_agent })
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "superAdmin")]
    pub username: String,
    #[schema(example = "admin123")]
    pub password: String,
}

/// Sign in with a username and password, for a bearer token.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", security(()), request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 422, description = "Invalid input, e.g. a password over 72 bytes", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins for this username or address; see Retry-After", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    from: Origin,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Json<TokenResponse>> {
    let result = service::login(&state.db, &state.auth, &body.username, &body.password, &from).await;
    count_failure(&state, &result);
    result.map(Json)
}

fn count_failure<T>(state: &AppState, result: &AppResult<T>) {
    if matches!(result, Err(AppError::Unauthorized { .. })) {
        state.metrics.failed_logins.inc();
    }
}

/// Sign in for a browser session: the answer sets an HttpOnly cookie and carries no token.
/// Like every cookie request that changes state, it needs `X-Requested-With: order-system`.
#[utoipa::path(post, path = "/api/auth/session", tag = "auth", security(()), request_body = LoginRequest,
    params(("X-Requested-With" = String, Header, description = "order-system", pattern = "^order-system$")),
    responses(
        (status = 200, description = "Signed in; Set-Cookie starts the session", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 403, description = "Not from this site's pages (csrf_rejected)", body = ErrorBody),
        (status = 422, description = "Invalid input, e.g. a password over 72 bytes", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins for this username or address; see Retry-After", body = ErrorBody),
    ))]
async fn start_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    from: Origin,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    cookie::check_csrf(&axum::http::Method::POST, &headers)?;
    let result = service::start_session(&state.db, &state.auth, &body.username, &body.password, &from).await;
    count_failure(&state, &result);
    let (answer, new) = result?;
    Ok(with_cookie(&state, Json(answer).into_response(), Some(new)))
}

/// Sign out: a browser session ends on the server and its cookie is cleared; called with a
/// bearer token, that token is revoked (the user's other tokens and sessions go on).
#[utoipa::path(delete, path = "/api/auth/session", tag = "auth", security(("bearer" = ["pending"])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "A token from an older version, which ends only at expiry (token_not_revocable)", body = ErrorBody),
        (status = 403, description = "Not from this site's pages (csrf_rejected)", body = ErrorBody),
    ))]
async fn end_session(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    service::end_session(&state.db, &user).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie::clear(state.secure_cookies));
    Ok(response)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = ["pending"])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Me>> {
    let id = user.id;
    let found = state.db.read(move |conn| store::get(conn, id)).await?;
    Ok(Json(Me::new(found, &user)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Change the signed-in user's password. Older tokens and sessions stop working; a new token
/// (or, for a browser session, a new session cookie) is returned.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", security(("bearer" = ["pending"])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Password changed", body = TokenResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Wrong current password, or the new one breaks a rule", body = ErrorBody),
        (status = 429, description = "Too many wrong current passwords; see Retry-After", body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    from: Origin,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> AppResult<Response> {
    let (answer, new) = service::change_password(
        &state.db,
        &state.auth,
        &user,
        &body.current_password,
        &body.new_password,
        &from,
    )
    .await?;
    Ok(with_cookie(&state, Json(answer).into_response(), new))
}

fn with_cookie(state: &AppState, mut response: Response, new: Option<NewCookie>) -> Response {
    if let Some(new) = new {
        response.headers_mut().insert(
            header::SET_COOKIE,
            cookie::set(&new.value, new.max_age, state.secure_cookies),
        );
    }
    response
}
