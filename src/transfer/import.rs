//! Reading product and customer CSV files. Every row is checked first and every problem is
//! reported by line and column; only a file without problems is imported, in one transaction.
//! The steps are separate so that only the last holds the writer (see jobs.rs): [`parse`]
//! (no database), [`plan`] (a read-only connection), [`apply`] (the write transaction).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::export::{CUSTOMER_COLUMNS, PRODUCT_COLUMNS};
use super::jobs::Kind;
use crate::audit::{self, Event, Who};
use crate::clock;
use crate::customers;
use crate::customers::types::{CustomerFields, NewCustomer};
use crate::error::{AppError, AppResult};
use crate::money::Money;
use crate::products::types::{NewProduct, Product, ProductStatus};
use crate::products::{self, ValidPatch};

/// The most problems listed in one answer; the count covers them all.
const MAX_LISTED_ERRORS: usize = 100;
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// One problem in the file. Line 1 is the header.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    /// The cell's text as the file has it (at most 100 characters), when one cell is at fault.
    pub value: Option<String>,
    pub message: String,
}

struct Problems(Vec<RowError>, usize);

impl Problems {
    fn add(&mut self, line: u64, column: Option<&str>, message: impl Into<String>) {
        self.add_with_value(line, column, None, message);
    }

    fn add_with_value(&mut self, line: u64, column: Option<&str>, value: Option<&str>, message: impl Into<String>) {
        self.1 += 1;
        if self.0.len() < MAX_LISTED_ERRORS {
            self.0.push(RowError {
                line,
                column: column.map(str::to_owned),
                value: value.map(|v| v.chars().take(100).collect()),
                message: message.into(),
            });
        }
    }

    fn add_error(&mut self, line: u64, err: AppError) {
        self.add_cell_error(line, err, |_| None);
    }

    /// A row's error, with the text of the cell it blames (`cell` looks a column up).
    fn add_cell_error(&mut self, line: u64, err: AppError, cell: impl Fn(&str) -> Option<String>) {
        match err {
            AppError::Validation { field, message } => {
                let value = cell(&field);
                self.add_with_value(line, Some(&field), value.as_deref(), message)
            }
            other => self.add(line, None, other.to_string()),
        }
    }

    fn into_result(self) -> AppResult<()> {
        if self.1 == 0 {
            return Ok(());
        }
        Err(AppError::Unprocessable {
            code: "invalid_csv",
            message: format!("the file has {} problem(s); nothing was imported", self.1),
            details: json!({ "error_count": self.1, "errors": self.0 }),
        })
    }
}

/// The file as text: UTF-8, with or without a BOM.
fn decode(bytes: &[u8]) -> AppResult<&str> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| AppError::Unprocessable {
        code: "bad_encoding",
        message: format!(
            "the file is not UTF-8 text (first bad byte at offset {}); in Excel choose \"Save As\" → \"CSV UTF-8\"",
            e.valid_up_to()
        ),
        details: json!({ "offset": e.valid_up_to() }),
    })
}

/// Maps column names to positions, checking that every required column is there and that
/// no column is unknown or repeated. Columns our own export adds are accepted and ignored, and
/// so are the Chinese headers of a Chinese export (`exported` pairs each English name with it).
fn columns(
    header: &csv::StringRecord,
    required: &[&str],
    importable: &[&str],
    exported: &[(&str, &str)],
) -> AppResult<HashMap<String, usize>> {
    let mut problems = Problems(Vec::new(), 0);
    let mut map = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (i, name) in header.iter().enumerate() {
        let typed = name.trim();
        let name = exported
            .iter()
            .find(|(_, zh)| *zh == typed)
            .map_or_else(|| typed.to_lowercase(), |(en, _)| (*en).to_owned());
        if !seen.insert(name.clone()) {
            problems.add(1, Some(&name), "this column appears twice");
        } else if importable.contains(&name.as_str()) {
            map.insert(name, i);
        } else if !exported.iter().any(|(en, _)| *en == name) {
            problems.add(
                1,
                Some(&name),
                format!("unknown column; the columns are {}", importable.join(", ")),
            );
        }
    }
    for name in required {
        if !map.contains_key(*name) {
            problems.add(1, Some(name), "this required column is missing");
        }
    }
    problems.into_result()?;
    Ok(map)
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// A cell by column name; None when the column is absent from the file. The apostrophe our
/// exports put before formula-like text is taken off again, so an export imports back as it was.
fn cell<'a>(record: &'a csv::StringRecord, cols: &HashMap<String, usize>, name: &str) -> Option<&'a str> {
    let value = cols.get(name).and_then(|i| record.get(*i)).map(str::trim)?;
    let rest = value.strip_prefix('\'');
    Some(match rest {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    })
}

/// A row of a product file: a product to create, or the changes to one with that SKU.
pub struct ProductRow {
    line: u64,
    new: Product,
    /// Which optional columns the file has, so absent ones leave existing products alone.
    has_stock: bool,
    has_threshold: bool,
    has_status: bool,
    has_description: bool,
    has_unit: bool,
    has_barcode: bool,
    has_cost: bool,
    /// The category column's path ("粮油/食用油"; empty for none), when the file has one.
    category: Option<String>,
}

/// The checked rows of a file.
pub enum Rows {
    Products(Vec<ProductRow>),
    Customers(Vec<CustomerFields>),
}

/// Reads and checks every row of a file; `checked` counts them as it goes.
pub fn parse(kind: Kind, bytes: &[u8], checked: &AtomicI64) -> AppResult<Rows> {
    let text = decode(bytes)?;
    Ok(match kind {
        Kind::Products => Rows::Products(parse_products(text, checked)?),
        Kind::Customers => Rows::Customers(parse_customers(text, checked)?),
    })
}

/// The rows with what they would do to the database as it is now: (created, updated,
/// unchanged). The counts are a forecast (a dry run's answer); [`apply`] decides again inside
/// its transaction.
pub struct Plan {
    rows: Rows,
    counts: (i64, i64, i64),
}

impl Plan {
    pub fn len(&self) -> usize {
        match &self.rows {
            Rows::Products(r) => r.len(),
            Rows::Customers(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn counts(&self) -> (i64, i64, i64) {
        self.counts
    }
}

pub fn plan(conn: &crate::db::Conn, rows: Rows) -> AppResult<Plan> {
    let counts = match &rows {
        Rows::Customers(r) => (r.len() as i64, 0, 0),
        Rows::Products(r) => {
            let mut counts = (0, 0, 0);
            for row in r {
                let category = row.category_in(conn, None)?;
                match products::store::id_by_sku(conn, &row.new.sku)? {
                    None => counts.0 += 1,
                    Some(id) if unchanged(&products::store::get(conn, id)?, &row.patch(category)) => counts.2 += 1,
                    Some(_) => counts.1 += 1,
                }
            }
            counts
        }
    };
    Ok(Plan { rows, counts })
}

/// Imports the rows, all in the caller's transaction; returns (created, updated, unchanged).
/// `written` counts rows as they go. Products are matched by SKU and updated, or created,
/// each change audited; customers are all new, with one audit row for the import.
pub fn apply(
    conn: &crate::db::Conn,
    who: &Who,
    job_id: i64,
    plan: Plan,
    written: &AtomicI64,
    now: &str,
) -> AppResult<(i64, i64, i64)> {
    let mut counts = (0, 0, 0);
    match plan.rows {
        Rows::Products(rows) => {
            for mut row in rows {
                let at_line = |e: AppError| line_error(row.line, e);
                let category = row.category_in(conn, Some(now))?;
                match products::store::id_by_sku(conn, &row.new.sku)? {
                    None => {
                        row.new.category_id = category.flatten();
                        products::insert_with_stock(conn, who, &row.new, now).map_err(at_line)?;
                        counts.0 += 1;
                    }
                    Some(id) => {
                        let patch = row.patch(category);
                        if unchanged(&products::store::get(conn, id)?, &patch) {
                            counts.2 += 1;
                        } else {
                            products::apply_patch(conn, who, id, patch, now).map_err(at_line)?;
                            counts.1 += 1;
                        }
                    }
                }
                written.fetch_add(1, Ordering::Relaxed);
            }
        }
        Rows::Customers(rows) => {
            for fields in &rows {
                customers::store::insert(conn, fields, now)?;
                written.fetch_add(1, Ordering::Relaxed);
            }
            counts.0 = rows.len() as i64;
            let event = Event {
                action: "customer.import",
                entity_type: "import",
                entity_id: Some(job_id),
                before: None,
                after: Some(json!({ "customers_created": rows.len() }).to_string()),
            };
            audit::store::record(conn, who, &event, now)?;
        }
    }
    Ok(counts)
}

impl ProductRow {
    /// The row's category, when the file has the column: Some(None) for an empty cell. A
    /// category the shop does not have yet is made when `now` is given (applying), and
    /// counted as none when not (a dry run's forecast).
    fn category_in(&self, conn: &crate::db::Conn, now: Option<&str>) -> AppResult<Option<Option<i64>>> {
        let Some(path) = self.category.as_deref() else {
            return Ok(None);
        };
        if path.is_empty() {
            return Ok(Some(None));
        }
        let found = match now {
            Some(now) => Some(products::categories::store::get_or_create_path(conn, path, now)?),
            None => products::categories::store::id_by_path(conn, path)?,
        };
        Ok(Some(found))
    }

    /// The changes this row makes to an existing product: only the columns the file has.
    fn patch(&self, category: Option<Option<i64>>) -> ValidPatch {
        ValidPatch {
            name: Some(self.new.name.clone()),
            price: Some(self.new.price),
            stock: self.has_stock.then_some(self.new.stock_quantity),
            threshold: self.has_threshold.then_some(self.new.low_stock_threshold),
            status: self.has_status.then_some(self.new.status),
            description: self.has_description.then(|| self.new.description.clone()),
            sku: None,
            tax_rate: None,
            category_id: category,
            unit: self.has_unit.then(|| self.new.unit.clone()),
            barcode: self.has_barcode.then(|| self.new.barcode.clone()),
            cost_price: self.has_cost.then_some(self.new.cost_price),
        }
    }
}

fn parse_products(text: &str, checked: &AtomicI64) -> AppResult<Vec<ProductRow>> {
    const REQUIRED: [&str; 3] = ["sku", "name", "price"];
    const IMPORTABLE: [&str; 11] = [
        "sku",
        "name",
        "price",
        "stock_quantity",
        "low_stock_threshold",
        "status",
        "description",
        "category",
        "unit",
        "barcode",
        "cost_price",
    ];
    let mut rdr = reader(text);
    let header = rdr.headers().map_err(csv_error)?.clone();
    let cols = columns(&header, &REQUIRED, &IMPORTABLE, &PRODUCT_COLUMNS)?;
    let mut problems = Problems(Vec::new(), 0);
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let now = clock::now();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                problems.add(line, None, csv_message(&err));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        checked.fetch_add(1, Ordering::Relaxed);
        let c = |name| cell(&record, &cols, name);
        let mut bad = false;
        let mut check = |ok: Result<(), AppError>| {
            if let Err(e) = ok {
                problems.add_cell_error(line, e, |field| cell(&record, &cols, field).map(str::to_owned));
                bad = true;
            }
        };
        let price = c("price")
            .unwrap_or_default()
            .parse::<Money>()
            .map_err(|e| AppError::validation("price", e.to_string()));
        let int = |name: &'static str| -> Result<Option<i64>, AppError> {
            match c(name) {
                None | Some("") => Ok(None),
                Some(v) => v
                    .parse()
                    .map(Some)
                    .map_err(|_| AppError::validation(name, "must be a whole number")),
            }
        };
        let cost = match c("cost_price") {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<Money>()
                .map(Some)
                .map_err(|e| AppError::validation("cost_price", e.to_string())),
        };
        let stock = int("stock_quantity");
        let threshold = int("low_stock_threshold");
        let status = match c("status") {
            None | Some("") => Ok(None),
            Some("active" | "在售") => Ok(Some(ProductStatus::Active)),
            Some("archived" | "已下架") => Ok(Some(ProductStatus::Archived)),
            Some(_) => Err(AppError::validation("status", "must be active or archived")),
        };
        let (Ok(price), Ok(stock), Ok(threshold), Ok(status), Ok(cost)) = (
            price.clone(),
            stock.clone(),
            threshold.clone(),
            status.clone(),
            cost.clone(),
        ) else {
            for e in [price.err(), stock.err(), threshold.err(), status.err(), cost.err()]
                .into_iter()
                .flatten()
            {
                check(Err(e));
            }
            continue;
        };
        let input = NewProduct {
            sku: c("sku").unwrap_or_default().to_owned(),
            name: c("name").unwrap_or_default().to_owned(),
            description: c("description").map(str::to_owned),
            price,
            stock_quantity: stock.unwrap_or(0),
            low_stock_threshold: threshold,
            status,
            tax_rate: None,
            category_id: None,
            unit: c("unit").map(str::to_owned),
            barcode: c("barcode").map(str::to_owned),
            cost_price: cost,
        };
        let category = match c("category").map(category_path) {
            Some(Err(e)) => {
                check(Err(e));
                continue;
            }
            Some(Ok(path)) => Some(path),
            None => None,
        };
        let product = match input.validate(&now) {
            Ok(p) => p,
            Err(e) => {
                check(Err(e));
                continue;
            }
        };
        if let Some(first) = seen.get(&product.sku) {
            check(Err(AppError::validation(
                "sku",
                format!("SKU {} already appears on line {first}", product.sku),
            )));
        } else {
            seen.insert(product.sku.clone(), line);
        }
        if !bad {
            rows.push(ProductRow {
                line,
                new: product,
                has_stock: cols.contains_key("stock_quantity"),
                has_threshold: cols.contains_key("low_stock_threshold"),
                has_status: cols.contains_key("status"),
                has_description: cols.contains_key("description"),
                has_unit: cols.contains_key("unit"),
                has_barcode: cols.contains_key("barcode"),
                has_cost: cols.contains_key("cost_price"),
                category,
            });
        }
    }
    problems.into_result()?;
    Ok(rows)
}

/// A category cell: "粮油/食用油", "粮油" or empty, each name as a category's name must be.
fn category_path(cell: &str) -> AppResult<String> {
    let parts: Vec<&str> = cell.split('/').map(str::trim).collect();
    if cell.trim().is_empty() {
        return Ok(String::new());
    }
    if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
        return Err(AppError::validation(
            "category",
            "must be a category or a category under one, as 粮油/食用油",
        ));
    }
    let names = parts
        .iter()
        .map(|p| crate::validate::required_text("category", p, 40))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(names.join("/"))
}

fn unchanged(p: &Product, patch: &ValidPatch) -> bool {
    patch.name.as_ref().is_none_or(|v| *v == p.name)
        && patch.price.is_none_or(|v| v == p.price)
        && patch.stock.is_none_or(|v| v == p.stock_quantity)
        && patch.threshold.is_none_or(|v| v == p.low_stock_threshold)
        && patch.status.is_none_or(|v| v == p.status)
        && patch.description.as_ref().is_none_or(|v| *v == p.description)
        && patch.category_id.is_none_or(|v| v == p.category_id)
        && patch.unit.as_ref().is_none_or(|v| *v == p.unit)
        && patch.barcode.as_ref().is_none_or(|v| *v == p.barcode)
        && patch.cost_price.is_none_or(|v| v == p.cost_price)
}

/// A database-level refusal of one row (e.g. a stock correction below zero) names its line.
fn line_error(line: u64, err: AppError) -> AppError {
    match err {
        AppError::Validation { .. } | AppError::Conflict { .. } => {
            let mut problems = Problems(Vec::new(), 0);
            problems.add_error(line, err);
            problems
                .into_result()
                .err()
                .unwrap_or_else(|| AppError::internal("no problem recorded"))
        }
        other => other,
    }
}

fn parse_customers(text: &str, checked: &AtomicI64) -> AppResult<Vec<CustomerFields>> {
    const IMPORTABLE: [&str; 5] = ["name", "phone", "email", "address", "note"];
    let mut rdr = reader(text);
    let header = rdr.headers().map_err(csv_error)?.clone();
    let cols = columns(&header, &["name"], &IMPORTABLE, &CUSTOMER_COLUMNS)?;
    let mut problems = Problems(Vec::new(), 0);
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                problems.add(err.position().map_or(0, |p| p.line()), None, csv_message(&err));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        checked.fetch_add(1, Ordering::Relaxed);
        let c = |name| cell(&record, &cols, name).map(str::to_owned);
        let input = NewCustomer {
            name: c("name").unwrap_or_default(),
            phone: c("phone"),
            email: c("email"),
            address: c("address"),
            note: c("note"),
            user_id: None,
            price_level_id: None,
            invoice_title: c("invoice_title"),
            invoice_tax_id: c("invoice_tax_id"),
        };
        match input.validate() {
            Ok(fields) => rows.push(fields),
            Err(e) => problems.add_cell_error(line, e, |field| cell(&record, &cols, field).map(str::to_owned)),
        }
    }
    problems.into_result()?;
    Ok(rows)
}

fn csv_message(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("this row has {len} cells but the header has {expected_len}")
        }
        _ => format!("unreadable CSV: {err}"),
    }
}

fn csv_error(err: csv::Error) -> AppError {
    AppError::Unprocessable {
        code: "invalid_csv",
        message: csv_message(&err),
        details: json!({}),
    }
}
