//! Reports as CSV files for Excel (`?format=csv`), headers in the asked language, like the
//! exports: UTF-8 with a BOM, text cells that look like formulas neutralised.

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult};
use crate::transfer::export::{Lang, neutralise};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Json,
    Csv,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// json (the default) or csv, a file for Excel.
    pub format: Option<Format>,
    /// For csv: the language of the headers, zh-CN or en (the default).
    pub lang: Option<Lang>,
}

/// A report row as a spreadsheet row.
pub trait Row {
    /// (English, Chinese) headers.
    const HEADERS: &'static [(&'static str, &'static str)];
    fn cells(&self, lang: Lang) -> Vec<String>;
}

/// A cell as written: a plain number (-30.00, a refund on a statement) stays a number for
/// Excel to add up; any other text that a spreadsheet would run as a formula is neutralised.
fn cell(c: &str) -> std::borrow::Cow<'_, str> {
    let digits = c.strip_prefix('-').unwrap_or(c);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let number = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if number(whole) && number(frac) {
        c.into()
    } else {
        neutralise(c)
    }
}

/// The report as JSON (`json`, the whole body) or CSV (`rows`), named `name` for the file.
pub fn respond<T: Serialize, R: Row>(p: &FormatParams, name: &str, json: T, rows: &[R]) -> AppResult<Response> {
    if p.format.unwrap_or_default() == Format::Json {
        return Ok(Json(json).into_response());
    }
    let lang = p.lang.unwrap_or_default();
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut csv = csv::Writer::from_writer(&mut out);
        let headers: Vec<&str> = R::HEADERS
            .iter()
            .map(|(en, zh)| if lang == Lang::English { *en } else { *zh })
            .collect();
        csv.write_record(headers).map_err(AppError::internal)?;
        for row in rows {
            let cells: Vec<String> = row.cells(lang).iter().map(|c| cell(c).into_owned()).collect();
            csv.write_record(cells).map_err(AppError::internal)?;
        }
        csv.flush().map_err(AppError::internal)?;
    }
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"report-{name}.csv\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn negative_amounts_stay_numbers_and_formulas_do_not_run() {
        assert_eq!(cell("-30.00"), "-30.00");
        assert_eq!(cell("12"), "12");
        assert_eq!(cell("-1+1"), "'-1+1");
        assert_eq!(cell("-"), "'-");
        assert_eq!(cell("-.5"), "'-.5");
        assert_eq!(cell("=1"), "'=1");
    }
}
