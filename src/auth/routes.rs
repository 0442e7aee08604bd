//! /api/auth: sign in, who am I, change my password.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::CurrentUser;
use super::service::{self, TokenResponse};
use crate::app::AppState;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::users::store;
use crate::users::types::User;
use axum::Json;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "superAdmin")]
    pub username: String,
    #[schema(example = "admin123")]
    pub password: String,
}

/// Sign in with a username and password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", security(()), request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = ErrorBody),
        (status = 422, description = "Invalid input, e.g. a password over 72 bytes", body = ErrorBody),
    ))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Json<TokenResponse>> {
    let ip = Some(peer.ip().to_string());
    service::login(&state.db, &state.auth, &body.username, &body.password, ip)
        .await
        .map(Json)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = ["pending"])),
    responses(
        (status = 200, description = "The signed-in user", body = User),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<User>> {
    let id = user.id;
    state.db.read(move |conn| store::get(conn, id)).await.map(Json)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Change the signed-in user's password. Older tokens stop working; a new one is returned.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", security(("bearer" = ["pending"])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Password changed", body = TokenResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "Wrong current password, or the new one breaks a rule", body = ErrorBody),
    ))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> AppResult<Json<TokenResponse>> {
    service::change_password(
        &state.db,
        &state.auth,
        user.id,
        &body.current_password,
        &body.new_password,
    )
    .await
    .map(Json)
}
