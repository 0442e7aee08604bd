//! /api/users: account management for admins.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::types::Role;
use super::{NewUser, UserPatch, UserView, store};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::{ApiJson, ApiQuery};
use crate::http::list::{ListParams, Page, read_page};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user, delete_user))
        .routes(routes!(reset_password))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilters {
    pub role: Option<Role>,
    pub is_active: Option<bool>,
}

const SORTS: &[(&str, &str)] = &[
    ("created_at", "created_at"),
    ("username", "username"),
    ("role", "role"),
    ("last_login_at", "last_login_at"),
    ("id", "id"),
];

/// List users; `q` searches username, email and name.
#[utoipa::path(get, path = "/api/users", tag = "users", security(("bearer" = ["admin"])),
    params(ListParams, UserFilters),
    responses(
        (status = 200, description = "A page of users", body = Page<UserView>),
        (status = 422, description = "Bad paging or filter", body = ErrorBody),
    ))]
async fn list_users(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(filters): ApiQuery<UserFilters>,
) -> AppResult<Json<Page<UserView>>> {
    let filter = store::UserFilter {
        role: filters.role,
        is_active: filters.is_active,
    };
    read_page(&state.db, params, SORTS, move |conn, paging, order_by| {
        store::list(conn, &filter, paging, order_by)
    })
    .await
    .map(|page| Json(page.map(|user| UserView::new(user, &actor))))
}

/// Create a user. By default they choose their own password at first sign-in.
#[utoipa::path(post, path = "/api/users", tag = "users", security(("bearer" = ["admin"])), request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 403, description = "Only the superadmin grants the admin role", body = ErrorBody),
        (status = 409, description = "Username taken", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn create_user(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewUser>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    let user = super::create(&state.db, &state.auth.hasher, Some(&actor), body).await?;
    Ok((StatusCode::CREATED, Json(UserView::new(user, &actor))))
}

/// One user.
#[utoipa::path(get, path = "/api/users/{id}", tag = "users", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = UserView),
        (status = 404, description = "No such user", body = ErrorBody),
    ))]
async fn get_user(State(state): State<AppState>, actor: CurrentUser, Path(id): Path<i64>) -> AppResult<Json<UserView>> {
    let user = state.db.read(move |conn| store::get(conn, id)).await?;
    Ok(Json(UserView::new(user, &actor)))
}

/// Change a user's details, role or whether the account is active.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "users", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "User id")), request_body = UserPatch,
    responses(
        (status = 200, description = "Updated", body = UserView),
        (status = 403, description = "The superAdmin cannot be demoted or disabled", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "Not allowed on one's own account", body = ErrorBody),
        (status = 422, description = "Invalid input", body = ErrorBody),
    ))]
async fn update_user(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<UserPatch>,
) -> AppResult<Json<UserView>> {
    let user = super::update(&state.db, Some(&actor), id, patch).await?;
    Ok(Json(UserView::new(user, &actor)))
}

/// Delete a user who has created no orders (disable the others).
#[utoipa::path(delete, path = "/api/users/{id}", tag = "users", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The superAdmin cannot be deleted", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "The user has orders, or is the caller", body = ErrorBody),
    ))]
async fn delete_user(State(state): State<AppState>, actor: CurrentUser, Path(id): Path<i64>) -> AppResult<StatusCode> {
    super::delete(&state.db, Some(&actor), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    pub password: String,
    /// Ask the user to choose a new password at next sign-in (default true).
    pub must_change_password: Option<bool>,
}

/// Set a new password for a user; their older tokens stop working.
#[utoipa::path(post, path = "/api/users/{id}/password", tag = "users", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "User id")), request_body = ResetPassword,
    responses(
        (status = 200, description = "Password set", body = UserView),
        (status = 403, description = "Not allowed for this account", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "The password breaks a rule", body = ErrorBody),
    ))]
async fn reset_password(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ResetPassword>,
) -> AppResult<Json<UserView>> {
    let must_change = body.must_change_password.unwrap_or(true);
    super::reset_password(
        &state.db,
        &state.auth.hasher,
        Some(&actor),
        id,
        &body.password,
        must_change,
    )
    .await
    .map(|user| Json(UserView::new(user, &actor)))
}
