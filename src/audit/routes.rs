//! /api/audit: the audit trail, for admins.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, AuditEntry, AuditFilter};
use crate::app::AppState;
use crate::error::{AppResult, ErrorBody};
use crate::http::json::ApiQuery;
use crate::http::list::{DateRange, ListParams, Page, Paging};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilters {
    /// user, product, customer, order, settings or auth.
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    /// Who acted.
    pub user_id: Option<i64>,
    /// e.g. order.status, auth.login_failed.
    pub action: Option<String>,
}

/// The audit trail, newest first (`sort`: at or id, `-` for descending); `q` searches the
/// username.
#[utoipa::path(get, path = "/api/audit", tag = "audit", security(("bearer" = ["admin"])),
    params(ListParams, AuditFilters, DateRange),
    responses(
        (status = 200, description = "A page of audit entries", body = Page<AuditEntry>),
        (status = 422, description = "Bad paging or filter", body = ErrorBody),
    ))]
async fn list_audit(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
    ApiQuery(f): ApiQuery<AuditFilters>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Json<Page<AuditEntry>>> {
    let paging = Paging::try_from(params)?;
    let order_by = paging.order_by(store::SORTS, true)?;
    let (from, to) = range.resolve(state.settings.get().tz())?;
    let filter = AuditFilter {
        entity_type: f.entity_type,
        entity_id: f.entity_id,
        user_id: f.user_id,
        action: f.action,
        from,
        to,
    };
    let page = state
        .db
        .read(move |conn| {
            let (items, total) = store::list(conn, &filter, &paging, &order_by)?;
            Ok(Page::new(items, total, &paging))
        })
        .await?;
    Ok(Json(page))
}
