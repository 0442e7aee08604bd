//! Product categories (商品分类): a shallow tree, a top level (粮油) and one level under it
//! (食用油), which is what a small shop's shelves need and what a picker can show at once.
//! /api/categories.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::json::ApiJson;
use crate::validate::{identifier_key, nullable, required_text, sort_key};

const MAX_CATEGORIES: i64 = 500;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Category {
    pub id: i64,
    /// The top-level category it is under; null for a top-level one.
    pub parent_id: Option<i64>,
    pub name: String,
    /// Active products in it (not counting its sub-categories).
    pub product_count: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCategory {
    #[schema(example = "食用油")]
    pub name: String,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    pub name: Option<String>,
    /// Null to make it top-level.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
}

/// 1 to 40 characters, without "/", which separates a category from its parent in CSV files.
fn parse_name(raw: &str) -> AppResult<String> {
    let name = required_text("name", raw, 40)?;
    if name.contains('/') {
        return Err(AppError::validation("name", "must not contain \"/\""));
    }
    Ok(name)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories, create_category))
        .routes(routes!(update_category, delete_category))
}

/// Every category, each top-level one followed by those under it, by pinyin.
#[utoipa::path(get, path = "/api/categories", tag = "products", security(("bearer" = ["user"])),
    responses((status = 200, description = "The categories", body = Vec<Category>)))]
async fn list_categories(State(state): State<AppState>) -> AppResult<Json<Vec<Category>>> {
    state.db.read(store::all).await.map(Json)
}

/// Add a category, top-level or under a top-level one.
#[utoipa::path(post, path = "/api/categories", tag = "products", security(("bearer" = ["staff"])),
    request_body = NewCategory,
    responses(
        (status = 201, description = "Added", body = Category),
        (status = 409, description = "A sibling has that name", body = ErrorBody),
        (status = 422, description = "Bad name or parent", body = ErrorBody),
    ))]
async fn create_category(
    State(state): State<AppState>,
    actor: CurrentUser,
    ApiJson(body): ApiJson<NewCategory>,
) -> AppResult<(StatusCode, Json<Category>)> {
    let name = parse_name(&body.name)?;
    let who = Who::from(&actor);
    let created = state
        .db
        .write(move |conn| {
            if store::count(conn)? >= MAX_CATEGORIES {
                return Err(AppError::validation(
                    "name",
                    format!("a shop has at most {MAX_CATEGORIES} categories"),
                ));
            }
            store::check_parent(conn, None, body.parent_id)?;
            let now = clock::now();
            let id = store::insert(conn, &name, body.parent_id, &now)?;
            let created = store::get(conn, id)?;
            audit::store::record(
                conn,
                &who,
                &Event::created("category.create", "category", id, &created),
                &now,
            )?;
            Ok(created)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Rename a category or move it under another top-level one.
#[utoipa::path(patch, path = "/api/categories/{id}", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Category id")), request_body = CategoryPatch,
    responses(
        (status = 200, description = "Changed", body = Category),
        (status = 404, description = "No such category", body = ErrorBody),
        (status = 409, description = "A sibling has that name", body = ErrorBody),
        (status = 422, description = "Bad name or parent", body = ErrorBody),
    ))]
async fn update_category(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<CategoryPatch>,
) -> AppResult<Json<Category>> {
    let name = patch.name.as_deref().map(parse_name).transpose()?;
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = store::get(conn, id)?;
            let parent = patch.parent_id.unwrap_or(before.parent_id);
            store::check_parent(conn, Some(id), parent)?;
            let name = name.clone().unwrap_or_else(|| before.name.clone());
            let now = clock::now();
            store::update(conn, id, &name, parent, &now)?;
            let after = store::get(conn, id)?;
            audit::store::record(
                conn,
                &who,
                &Event::changed("category.update", "category", id, &before, &after),
                &now,
            )?;
            Ok(after)
        })
        .await
        .map(Json)
}

/// Remove a category that holds no products (archived ones included) and no sub-categories.
#[utoipa::path(delete, path = "/api/categories/{id}", tag = "products", security(("bearer" = ["staff"])),
    params(("id" = i64, Path, description = "Category id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such category", body = ErrorBody),
        (status = 409, description = "It still holds products or sub-categories", body = ErrorBody),
    ))]
async fn delete_category(
    State(state): State<AppState>,
    actor: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let who = Who::from(&actor);
    state
        .db
        .write(move |conn| {
            let before = store::get(conn, id)?;
            let (products, children) = store::contents(conn, id)?;
            if products > 0 || children > 0 {
                return Err(AppError::conflict(
                    "category_in_use",
                    format!(
                        "{} still holds {products} products and {children} sub-categories: move them first",
                        before.name
                    ),
                    serde_json::json!({ "products": products, "children": children }),
                ));
            }
            store::delete(conn, id)?;
            let now = clock::now();
            audit::store::record(
                conn,
                &who,
                &Event::deleted("category.delete", "category", id, &before),
                &now,
            )?;
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

pub mod store {
    //! The SQL of categories.

    use crate::db::{Conn, OptionalExtension, Row};
    use rusqlite::params;

    use super::*;
    use crate::db::constraint::on_unique;
    use crate::db::not_found_as;

    const SELECT: &str = "SELECT c.id, c.parent_id, c.name,
            (SELECT COUNT(*) FROM products p WHERE p.category_id = c.id AND p.status = 'active')
         FROM categories c";

    fn from_row(r: &Row) -> crate::db::Result<Category> {
        Ok(Category {
            id: r.get(0)?,
            parent_id: r.get(1)?,
            name: r.get(2)?,
            product_count: r.get(3)?,
        })
    }

    /// Top-level categories by pinyin, each followed by its own.
    pub fn all(conn: &Conn) -> AppResult<Vec<Category>> {
        Ok(conn
            .prepare_cached(&format!(
                "{SELECT} LEFT JOIN categories top ON top.id = c.parent_id
                 ORDER BY COALESCE(top.name_sort, c.name_sort), COALESCE(top.id, c.id), c.parent_id IS NOT NULL, c.name_sort, c.id"
            ))?
            .query_map([], from_row)?
            .collect::<Result<Vec<_>, _>>()?)
    }

    pub fn get(conn: &Conn, id: i64) -> AppResult<Category> {
        conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?"))?
            .query_row([id], from_row)
            .map_err(not_found_as("category"))
    }

    pub fn count(conn: &Conn) -> AppResult<i64> {
        Ok(conn
            .prepare_cached("SELECT COUNT(*) FROM categories")?
            .query_row([], |r| r.get(0))?)
    }

    /// A product's category must exist (a 422 naming the field, not a foreign-key error).
    pub fn must_exist(conn: &Conn, id: Option<i64>) -> AppResult<()> {
        let Some(id) = id else { return Ok(()) };
        let found: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?)")?
            .query_row([id], |r| r.get(0))?;
        if found {
            Ok(())
        } else {
            Err(AppError::validation("category_id", "no such category"))
        }
    }

    /// The tree stays two levels deep: a parent is a top-level category other than `id`, and
    /// a category with children of its own cannot go under another.
    pub fn check_parent(conn: &Conn, id: Option<i64>, parent: Option<i64>) -> AppResult<()> {
        let Some(parent) = parent else { return Ok(()) };
        if Some(parent) == id {
            return Err(AppError::validation("parent_id", "a category cannot be under itself"));
        }
        let grand: Option<Option<i64>> = conn
            .prepare_cached("SELECT parent_id FROM categories WHERE id = ?")?
            .query_row([parent], |r| r.get(0))
            .optional()?;
        match grand {
            None => return Err(AppError::validation("parent_id", "no such category")),
            Some(Some(_)) => {
                return Err(AppError::validation(
                    "parent_id",
                    "categories are two levels deep: pick a top-level category",
                ));
            }
            Some(None) => {}
        }
        if let Some(id) = id {
            let (_, children) = contents(conn, id)?;
            if children > 0 {
                return Err(AppError::validation(
                    "parent_id",
                    "this category has sub-categories of its own and must stay top-level",
                ));
            }
        }
        Ok(())
    }

    fn taken(name: &str) -> AppError {
        AppError::conflict(
            "category_taken",
            format!("there is already a category {name} here"),
            serde_json::json!({ "field": "name", "name": name }),
        )
    }

    pub fn insert(conn: &Conn, name: &str, parent: Option<i64>, now: &str) -> AppResult<i64> {
        conn.prepare_cached(
            "INSERT INTO categories (parent_id, name, name_key, name_sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        )?
        .execute(params![parent, name, identifier_key(name), sort_key(name), now, now])
        .map_err(on_unique("categories_sibling_name", || taken(name)))?;
        Ok(conn.last_insert_rowid()?)
    }

    pub fn update(conn: &Conn, id: i64, name: &str, parent: Option<i64>, now: &str) -> AppResult<()> {
        conn.prepare_cached(
            "UPDATE categories SET parent_id = ?, name = ?, name_key = ?, name_sort = ?, updated_at = ? WHERE id = ?",
        )?
        .execute(params![parent, name, identifier_key(name), sort_key(name), now, id])
        .map_err(on_unique("categories_sibling_name", || taken(name)))?;
        Ok(())
    }

    /// (products of any status in it, categories under it).
    pub fn contents(conn: &Conn, id: i64) -> AppResult<(i64, i64)> {
        Ok(conn
            .prepare_cached(
                "SELECT (SELECT COUNT(*) FROM products WHERE category_id = ?1),
                        (SELECT COUNT(*) FROM categories WHERE parent_id = ?1)",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    pub fn delete(conn: &Conn, id: i64) -> AppResult<()> {
        conn.prepare_cached("DELETE FROM categories WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }

    /// The category called `name` under `parent` (top level for None), whatever the case or
    /// width.
    fn child(conn: &Conn, parent: Option<i64>, name: &str) -> AppResult<Option<i64>> {
        Ok(conn
            .prepare_cached("SELECT id FROM categories WHERE COALESCE(parent_id, 0) = ? AND name_key = ?")?
            .query_row(params![parent.unwrap_or(0), identifier_key(name)], |r| r.get(0))
            .optional()?)
    }

    /// The id of the category called `path` ("粮油/食用油" or "食用油" for a top-level one),
    /// matched whatever the case or width; CSV imports name categories this way.
    pub fn id_by_path(conn: &Conn, path: &str) -> AppResult<Option<i64>> {
        let mut parent = None;
        for name in path.splitn(2, '/').map(str::trim) {
            match child(conn, parent, name)? {
                Some(id) => parent = Some(id),
                None => return Ok(None),
            }
        }
        Ok(parent)
    }

    /// The id of the category at `path` (see [`id_by_path`]), made (and its parent) if the
    /// shop has none yet; imports name categories this way.
    pub fn get_or_create_path(conn: &Conn, path: &str, now: &str) -> AppResult<i64> {
        let mut parent = None;
        for name in path.splitn(2, '/').map(str::trim) {
            parent = Some(match child(conn, parent, name)? {
                Some(id) => id,
                None => insert(conn, &parse_name(name)?, parent, now)?,
            });
        }
        parent.ok_or_else(|| AppError::validation("category", "must not be empty"))
    }

    /// Every category's path by id, for exports.
    pub fn paths(conn: &Conn) -> AppResult<std::collections::HashMap<i64, String>> {
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, COALESCE(top.name || '/', '') || c.name FROM categories c
             LEFT JOIN categories top ON top.id = c.parent_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
