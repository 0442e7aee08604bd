//! /api/exports and /api/imports: CSV files for spreadsheets.

use std::io::{self, Write};

use axum::Json;
use axum::body::{Body, Bytes};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::export::{self, Export, Format, Lang};
use super::import::MAX_IMPORT_BYTES;
use super::jobs::{self, ImportJob, Upload};
use crate::app::AppState;
use crate::audit::Who;
use crate::auth::CurrentUser;
use crate::customers::routes::CustomerFilters;
use crate::customers::store::CustomerFilter;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiQuery;
use crate::http::list::DateRange;
use crate::orders::store::OrderFilter;
use crate::orders::types::OrderStatus;
use crate::payments::store::PaymentFilter;
use crate::payments::types::{PaymentKind, PaymentStatus};
use crate::products::routes::ProductFilters;
use crate::products::store::ProductFilter;
use crate::validate::optional_text;

pub fn router() -> OpenApiRouter<AppState> {
    let imports = OpenApiRouter::new()
        .routes(routes!(import_products))
        .routes(routes!(import_customers))
        .routes(routes!(import_job))
        .routes(routes!(import_jobs))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES));
    OpenApiRouter::new()
        .routes(routes!(export_orders))
        .routes(routes!(export_order_lines))
        .routes(routes!(export_products))
        .routes(routes!(export_customers))
        .routes(routes!(export_payments))
        .merge(imports)
}

/// What every export takes besides its list's filters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// The language of headers and values: zh-CN or en (the default, as imports expect).
    pub lang: Option<Lang>,
    /// The list's search, as on its page.
    pub q: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOrderFilters {
    pub status: Option<OrderStatus>,
    pub customer_id: Option<i64>,
    pub payment_status: Option<PaymentStatus>,
}

fn order_filter(state: &AppState, f: ExportOrderFilters, range: DateRange) -> AppResult<OrderFilter> {
    let (from, to) = range.resolve(state.settings.get().tz())?;
    Ok(OrderFilter {
        status: f.status,
        customer_id: f.customer_id,
        payment_status: f.payment_status,
        from,
        to,
    })
}

/// Orders, one row each with its total (UTF-8 CSV with a BOM, for Excel); their lines are in
/// order-lines.csv. Takes the order list's filters and search.
#[utoipa::path(get, path = "/api/exports/orders.csv", tag = "transfer", security(("bearer" = ["staff"])),
    params(ExportParams, ExportOrderFilters, DateRange),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = String),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn export_orders(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(f): ApiQuery<ExportOrderFilters>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Response> {
    let filter = order_filter(&state, f, range)?;
    stream(&state, Export::Orders(filter), p)
}

/// The lines of orders, one row each with its line total and no order total, so that sums
/// in a spreadsheet count every amount once. Takes the order list's filters and search.
#[utoipa::path(get, path = "/api/exports/order-lines.csv", tag = "transfer", security(("bearer" = ["staff"])),
    params(ExportParams, ExportOrderFilters, DateRange),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = String),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn export_order_lines(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(f): ApiQuery<ExportOrderFilters>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Response> {
    let filter = order_filter(&state, f, range)?;
    stream(&state, Export::OrderLines(filter), p)
}

/// Products (UTF-8 CSV with a BOM), with the product list's filters and search; the file can
/// be edited and imported back.
#[utoipa::path(get, path = "/api/exports/products.csv", tag = "transfer", security(("bearer" = ["staff"])),
    params(ExportParams, ProductFilters),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = String),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn export_products(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(f): ApiQuery<ProductFilters>,
) -> AppResult<Response> {
    let filter = ProductFilter {
        status: f.status,
        low_stock: f.low_stock,
        category_id: f.category_id,
    };
    stream(&state, Export::Products(filter), p)
}

/// Customers with their order totals (UTF-8 CSV with a BOM), with the customer list's filter
/// and search.
#[utoipa::path(get, path = "/api/exports/customers.csv", tag = "transfer", security(("bearer" = ["staff"])),
    params(ExportParams, CustomerFilters),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = String),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn export_customers(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(f): ApiQuery<CustomerFilters>,
) -> AppResult<Response> {
    let filter = CustomerFilter {
        archived: Some(f.archived.unwrap_or(false)),
    };
    stream(&state, Export::Customers(filter), p)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportPaymentFilters {
    /// Only this method.
    pub method: Option<String>,
    /// Only payments, refunds or voids.
    pub kind: Option<PaymentKind>,
}

/// Payments, refunds and voids (UTF-8 CSV with a BOM), by when the money changed hands; the
/// `amount` column sums to the money taken. `from`/`to` bound `paid_at`.
#[utoipa::path(get, path = "/api/exports/payments.csv", tag = "transfer", security(("bearer" = ["staff"])),
    params(ExportParams, ExportPaymentFilters, DateRange),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = String),
        (status = 422, description = "Bad filter", body = ErrorBody),
    ))]
async fn export_payments(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<ExportParams>,
    ApiQuery(f): ApiQuery<ExportPaymentFilters>,
    ApiQuery(range): ApiQuery<DateRange>,
) -> AppResult<Response> {
    let (from, to) = range.resolve(state.settings.get().tz())?;
    let filter = PaymentFilter {
        method: f.method.map(|m| m.trim().to_owned()).filter(|m| !m.is_empty()),
        kind: f.kind,
        from,
        to,
    };
    stream(&state, Export::Payments(filter), p)
}

/// Streams an export from a connection of its own on a blocking thread, through a small
/// channel: memory stays flat however many rows there are, and a slow download holds no
/// shared reader. A client that stops reading for the body timeout is given up on, so its
/// read snapshot cannot keep WAL checkpoints from completing.
fn stream(state: &AppState, export: Export, p: ExportParams) -> AppResult<Response> {
    let search = p.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    if search.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::validation("q", "must be at most 200 characters"));
    }
    let settings = state.settings.get();
    let (tz, currency, lang) = (
        settings.tz(),
        settings.currency_code.clone(),
        p.lang.unwrap_or_default(),
    );
    let name = export.name();
    let (tx, rx) = flume::bounded::<io::Result<Bytes>>(8);
    let db = state.db.clone();
    let stall = state.body_timeout;
    tokio::task::spawn_blocking(move || {
        let writer = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
            stall,
        };
        let format = Format {
            lang,
            tz,
            currency: &currency,
        };
        let result = db
            .open_private_reader()
            .and_then(|conn| export::write(&conn.conn(), &export, search.as_deref(), &format, writer));
        if let Err(err) = result {
            tracing::warn!(error = %err, export = name, "export stopped");
            // An error after the first bytes can only cut the download short, never pass as complete.
            let _ = tx.send_timeout(Err(io::Error::other(err.to_string())), stall);
        }
    });
    let body = Body::from_stream(rx.into_stream());
    let day = chrono::Utc::now().with_timezone(&tz).format("%Y%m%d");
    let disposition = format!("attachment; filename=\"{name}-{day}.csv\"");
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

const CHUNK: usize = 64 * 1024;

/// Hands the export to the HTTP body in 64 KiB chunks; blocks while the client is slow, and
/// fails once it has not taken a chunk for `stall`.
struct ChannelWriter {
    tx: flume::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
    stall: std::time::Duration,
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx.send_timeout(Ok(chunk), self.stall).map_err(|err| match err {
            flume::SendTimeoutError::Timeout(_) => {
                io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading")
            }
            flume::SendTimeoutError::Disconnected(_) => {
                io::Error::new(io::ErrorKind::BrokenPipe, "the client went away")
            }
        })
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check the whole file against the database and report, writing nothing.
    pub dry_run: Option<bool>,
    /// The file's name, shown in the list of imports.
    pub file_name: Option<String>,
}

/// How long an upload waits for its import to end before answering 202 with the job.
const WAIT: Duration = Duration::from_secs(2);

/// Starts an import job, and answers with its outcome when it ends within [`WAIT`]: 200 with
/// the job, or the error it failed with; otherwise 202 with the job, to follow at its URL.
async fn import(
    state: AppState,
    actor: CurrentUser,
    kind: jobs::Kind,
    p: ImportParams,
    body: Bytes,
) -> AppResult<Response> {
    let file_name = p
        .file_name
        .map(|n| optional_text("file_name", Some(&n), 200))
        .transpose()?
        .flatten();
    let upload = Upload {
        kind,
        bytes: body.to_vec(),
        dry_run: p.dry_run.unwrap_or(false),
        file_name,
    };
    let id = jobs::start(&state.db, &state.imports, Who::from(&actor), upload).await?;
    let job = jobs::wait(&state.db, &state.imports, id, WAIT).await?;
    if !job.status.finished() {
        let location = format!("/api/imports/jobs/{id}");
        let mut response = (StatusCode::ACCEPTED, Json(job)).into_response();
        if let Ok(v) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, v);
        }
        return Ok(response);
    }
    Ok(Json(job.outcome()?).into_response())
}

/// Import products from CSV (the columns of the products export; sku, name and price are
/// required). Products are matched by SKU (whatever its case or width) and updated, or
/// created. Every row is checked first: one bad row and nothing is imported. Runs as a job:
/// a large file answers 202 at once, with the job to follow; the same file again is refused.
#[utoipa::path(post, path = "/api/imports/products", tag = "transfer", security(("bearer" = ["admin"])),
    params(ImportParams), request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "Imported (or, in a dry run, what would be)", body = ImportJob),
        (status = 202, description = "Still running: follow the job at Location", body = ImportJob),
        (status = 409, description = "This file was imported already (already_imported), or a row clashes", body = ErrorBody),
        (status = 413, description = "File over 64 MiB", body = ErrorBody),
        (status = 422, description = "Problems by line and column (invalid_csv), or not UTF-8 (bad_encoding)", body = ErrorBody),
    ))]
async fn import_products(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> AppResult<Response> {
    import(state, actor, jobs::Kind::Products, p, body).await
}

/// Import customers from CSV (name required; phone, email, address, note). Every row
/// becomes a new customer. Every row is checked first: one bad row and nothing is imported.
/// Runs as a job, like the product import.
#[utoipa::path(post, path = "/api/imports/customers", tag = "transfer", security(("bearer" = ["admin"])),
    params(ImportParams), request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "Imported (or, in a dry run, what would be)", body = ImportJob),
        (status = 202, description = "Still running: follow the job at Location", body = ImportJob),
        (status = 409, description = "This file was imported already (already_imported)", body = ErrorBody),
        (status = 413, description = "File over 64 MiB", body = ErrorBody),
        (status = 422, description = "Problems by line and column (invalid_csv), or not UTF-8 (bad_encoding)", body = ErrorBody),
    ))]
async fn import_customers(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> AppResult<Response> {
    import(state, actor, jobs::Kind::Customers, p, body).await
}

/// One import job: its progress while it runs, its report or error once it has ended.
#[utoipa::path(get, path = "/api/imports/jobs/{id}", tag = "transfer", security(("bearer" = ["admin"])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = ImportJob),
        (status = 404, description = "No such job", body = ErrorBody),
    ))]
async fn import_job(State(state): State<AppState>, Path(id): Path<i64>) -> AppResult<Json<ImportJob>> {
    jobs::get(&state.db, &state.imports, id).await.map(Json)
}

/// The latest 50 imports, newest first.
#[utoipa::path(get, path = "/api/imports/jobs", tag = "transfer", security(("bearer" = ["admin"])),
    responses((status = 200, description = "Recent import jobs", body = Vec<ImportJob>)))]
async fn import_jobs(State(state): State<AppState>) -> AppResult<Json<Vec<ImportJob>>> {
    jobs::recent(&state.db, 50).await.map(Json)
}
