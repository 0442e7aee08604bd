//! The one shape of every list in the API: `page`, `per_page`, `q`, `sort` in, and
//! `{"items","total","page","per_page"}` out.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::AppError;

pub const MAX_PER_PAGE: u32 = 200;
const DEFAULT_PER_PAGE: u32 = 20;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, at most 200.
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<u32>,
    /// Free-text search.
    pub q: Option<String>,
    /// A field to sort by; prefix with `-` for descending (e.g. `-created_at`).
    pub sort: Option<String>,
}

/// Validated paging and sorting, ready for `LIMIT ? OFFSET ?`.
#[derive(Debug, Clone)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
    pub search: Option<String>,
    pub sort: Option<String>,
}

impl Paging {
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    /// The search text as a LIKE pattern, with LIKE's wildcards escaped (ESCAPE '\').
    pub fn like_pattern(&self) -> Option<String> {
        self.search.as_deref().map(like_pattern)
    }

    /// Resolves `sort` against the columns a list allows; the first entry is the default.
    /// The answer is an ORDER BY clause whose last key is the list's `id` column, so pages are
    /// stable.
    pub fn order_by(&self, allowed: &[(&str, &str)], default_desc: bool) -> Result<String, AppError> {
        let (name, desc) = match self.sort.as_deref() {
            None | Some("") => (allowed[0].0, default_desc),
            Some(s) => match s.strip_prefix('-') {
                Some(name) => (name, true),
                None => (s, false),
            },
        };
        let Some((_, column)) = allowed.iter().find(|(key, _)| *key == name) else {
            let names: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
            return Err(AppError::validation(
                "sort",
                format!("must be one of {} (prefix - for descending)", names.join(", ")),
            ));
        };
        let id = allowed.iter().find(|(key, _)| *key == "id").map_or("id", |(_, c)| *c);
        let dir = if desc { "DESC" } else { "ASC" };
        Ok(if *column == id {
            format!("{id} {dir}")
        } else {
            format!("{column} {dir}, {id} {dir}")
        })
    }
}

impl TryFrom<ListParams> for Paging {
    type Error = AppError;

    fn try_from(p: ListParams) -> Result<Self, AppError> {
        let page = p.page.unwrap_or(1);
        if page == 0 || page > 1_000_000 {
            return Err(AppError::validation("page", "must be between 1 and 1000000"));
        }
        let per_page = p.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(AppError::validation(
                "per_page",
                format!("must be between 1 and {MAX_PER_PAGE}"),
            ));
        }
        let search = p.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
        if search.as_ref().is_some_and(|q| q.chars().count() > 200) {
            return Err(AppError::validation("q", "must be at most 200 characters"));
        }
        Ok(Self {
            page,
            per_page,
            search,
            sort: p.sort,
        })
    }
}

/// Text to find anywhere, as a LIKE pattern with LIKE's wildcards escaped (ESCAPE '\').
pub fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match, over all pages.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, paging: &Paging) -> Self {
        Self {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        }
    }

    /// The same page with every item turned into another shape.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// A created-at range filter, shared by every list and report that has one.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DateRange {
    /// From this time on: an RFC 3339 time, or a date (the start of that day in the shop's time zone).
    pub date_from: Option<String>,
    /// Before this time: an RFC 3339 time, or a date, which includes that whole day.
    pub date_to: Option<String>,
}

impl DateRange {
    /// The bounds as stored UTC times: inclusive start, exclusive end.
    pub fn resolve(&self, tz: chrono_tz::Tz) -> Result<(Option<String>, Option<String>), AppError> {
        use crate::clock::{Bound, parse_bound};
        let one = |field: &str, value: &Option<String>, bound: Bound| {
            value
                .as_deref()
                .map(|v| {
                    parse_bound(v.trim(), bound, tz)
                        .ok_or_else(|| AppError::validation(field, "must be a date (2026-11-28) or an RFC 3339 time"))
                })
                .transpose()
        };
        Ok((
            one("date_from", &self.date_from, Bound::From)?,
            one("date_to", &self.date_to, Bound::To)?,
        ))
    }
}

/// Reads one page of a list on a reader thread: `query` gets the connection, the paging and
/// the resolved ORDER BY, and returns the page's items and the total count.
pub async fn read_page<T, F>(
    db: &crate::db::Db,
    params: ListParams,
    sorts: &'static [(&'static str, &'static str)],
    query: F,
) -> Result<Page<T>, AppError>
where
    T: Send + 'static,
    F: FnOnce(&crate::db::Conn, &Paging, &str) -> Result<(Vec<T>, i64), AppError> + Send + 'static,
{
    let paging = Paging::try_from(params)?;
    let order_by = paging.order_by(sorts, true)?;
    db.read(move |conn| {
        let (items, total) = query(conn, &paging, &order_by)?;
        Ok(Page::new(items, total, &paging))
    })
    .await
}
