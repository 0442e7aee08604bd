//! The SQL of customers.

use rusqlite::params;
use rusqlite::types::Value;

use super::types::{Customer, CustomerFields, InvoiceDetails};
use crate::db::constraint::on_unique;
use crate::db::{Conditions, Conn, OptionalExtension, Row, not_found_as, params_from_iter};
use crate::error::{AppError, AppResult};
use crate::http::list::Paging;
use crate::maintenance::derived::digits;
use crate::validate::{phone_digits, sort_key};

const SELECT: &str = "SELECT c.id, c.name, c.phone, c.email, c.address, c.note, c.user_id, u.username, c.is_archived,
        c.price_level_id, l.name, c.invoice_title, c.invoice_tax_id,
        (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id),
        (SELECT COALESCE(exact_sum(o.total_amount_minor), 0) FROM orders o WHERE o.customer_id = c.id AND o.status <> 'cancelled'),
        (SELECT MAX(o.created_at) FROM orders o WHERE o.customer_id = c.id),
        c.created_at, c.updated_at
    FROM customers c LEFT JOIN users u ON u.id = c.user_id LEFT JOIN price_levels l ON l.id = c.price_level_id";

fn customer_from_row(r: &Row) -> crate::db::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        phone: r.get(2)?,
        email: r.get(3)?,
        address: r.get(4)?,
        note: r.get(5)?,
        user_id: r.get(6)?,
        username: r.get(7)?,
        is_archived: r.get(8)?,
        price_level_id: r.get(9)?,
        price_level_name: r.get(10)?,
        invoice: InvoiceDetails {
            invoice_title: r.get(11)?,
            invoice_tax_id: r.get(12)?,
        },
        order_count: r.get(13)?,
        lifetime_total: r.get(14)?,
        last_order_at: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
    })
}

pub fn get(conn: &Conn, id: i64) -> AppResult<Customer> {
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?"))?
        .query_row([id], customer_from_row)
        .map_err(not_found_as("customer"))
}

pub fn insert(conn: &Conn, f: &CustomerFields, now: &str) -> AppResult<i64> {
    check_login(conn, f.user_id)?;
    check_level(conn, f.price_level_id)?;
    conn.prepare_cached(
        "INSERT INTO customers (name, name_sort, phone, phone_digits, email, address, note, user_id,
                                price_level_id, invoice_title, invoice_tax_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )?
    .execute(params![
        f.name,
        sort_key(&f.name),
        f.phone,
        f.phone.as_deref().map(digits),
        f.email,
        f.address,
        f.note,
        f.user_id,
        f.price_level_id,
        f.invoice.invoice_title,
        f.invoice.invoice_tax_id,
        now,
        now
    ])
    .map_err(on_unique("customers.user_id", login_taken))?;
    Ok(conn.last_insert_rowid()?)
}

pub fn update(conn: &Conn, id: i64, f: &CustomerFields, now: &str) -> AppResult<()> {
    check_login(conn, f.user_id)?;
    check_level(conn, f.price_level_id)?;
    conn.prepare_cached(
        "UPDATE customers SET name = ?, name_sort = ?, phone = ?, phone_digits = ?, email = ?, address = ?, note = ?,
                user_id = ?, price_level_id = ?, invoice_title = ?, invoice_tax_id = ?, updated_at = ?
         WHERE id = ?",
    )?
    .execute(params![
        f.name,
        sort_key(&f.name),
        f.phone,
        f.phone.as_deref().map(digits),
        f.email,
        f.address,
        f.note,
        f.user_id,
        f.price_level_id,
        f.invoice.invoice_title,
        f.invoice.invoice_tax_id,
        now,
        id
    ])
    .map_err(on_unique("customers.user_id", login_taken))?;
    Ok(())
}

/// A linked login must exist and have the customer role.
fn check_login(conn: &Conn, user_id: Option<i64>) -> AppResult<()> {
    let Some(user_id) = user_id else { return Ok(()) };
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM users WHERE id = ?")?
        .query_row([user_id], |r| r.get(0))
        .optional()?;
    match role.as_deref() {
        Some("customer") => Ok(()),
        Some(_) => Err(AppError::validation("user_id", "must be a user with the customer role")),
        None => Err(AppError::validation("user_id", "no such user")),
    }
}

/// What a customer's invoices are made out to.
pub fn invoice_of(conn: &Conn, id: i64) -> AppResult<InvoiceDetails> {
    Ok(conn
        .prepare_cached("SELECT invoice_title, invoice_tax_id FROM customers WHERE id = ?")?
        .query_row([id], |r| {
            Ok(InvoiceDetails {
                invoice_title: r.get(0)?,
                invoice_tax_id: r.get(1)?,
            })
        })
        .optional()?
        .unwrap_or_default())
}

/// A price level given must exist.
fn check_level(conn: &Conn, level_id: Option<i64>) -> AppResult<()> {
    match level_id {
        Some(id) if !crate::price_levels::store::exists(conn, id)? => {
            Err(AppError::validation("price_level_id", "no such price level"))
        }
        _ => Ok(()),
    }
}

fn login_taken() -> AppError {
    AppError::conflict(
        "login_taken",
        "that login already belongs to another customer",
        serde_json::json!({ "field": "user_id" }),
    )
}

pub fn set_archived(conn: &Conn, id: i64, archived: bool, now: &str) -> AppResult<()> {
    conn.prepare_cached("UPDATE customers SET is_archived = ?, updated_at = ? WHERE id = ?")?
        .execute(params![archived, now, id])?;
    Ok(())
}

pub fn delete(conn: &Conn, id: i64) -> AppResult<()> {
    conn.prepare_cached("DELETE FROM customers WHERE id = ?")?
        .execute([id])?;
    Ok(())
}

#[derive(Default)]
pub struct CustomerFilter {
    pub archived: Option<bool>,
}

/// The list's filter and search (as typed) as a WHERE clause; exports use it too.
fn conditions(f: &CustomerFilter, search: Option<&str>) -> Conditions {
    let mut w = Conditions::default();
    if let Some(pattern) = search.map(crate::http::list::like_pattern) {
        // The phone by its digits too, whatever the spaces, dashes or +86 on either side.
        let digits = search
            .and_then(phone_digits)
            .map_or(Value::Null, |d| Value::Text(format!("%{d}%")));
        w.add(
            "(c.name LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\' \
              OR c.address LIKE ? ESCAPE '\\' OR c.phone_digits LIKE ?)",
            [0, 1, 2, 3]
                .map(|_| Value::Text(pattern.clone()))
                .into_iter()
                .chain([digits]),
        );
    }
    if let Some(archived) = f.archived {
        w.add("c.is_archived = ?", [Value::Integer(archived.into())]);
    }
    w
}

pub fn list(conn: &Conn, f: &CustomerFilter, paging: &Paging, order_by: &str) -> AppResult<(Vec<Customer>, i64)> {
    let w = conditions(f, paging.search.as_deref());
    let where_sql = w.sql();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM customers c {where_sql}"))?
        .query_row(params_from_iter(w.values()), |r| r.get(0))?;
    let items = conn
        .prepare_cached(&format!("{SELECT} {where_sql} ORDER BY {order_by} LIMIT ? OFFSET ?"))?
        .query_map(
            params_from_iter(w.values_and([Value::Integer(paging.limit()), Value::Integer(paging.offset())])),
            customer_from_row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, total))
}

/// The customer record linked to a login, if any.
pub fn id_for_user(conn: &Conn, user_id: i64) -> AppResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM customers WHERE user_id = ?")?
        .query_row([user_id], |r| r.get(0))
        .optional()?)
}

/// The customer record of a login, created from the user's name on first need.
pub fn ensure_for_user(conn: &Conn, user_id: i64, now: &str) -> AppResult<i64> {
    if let Some(id) = id_for_user(conn, user_id)? {
        return Ok(id);
    }
    // An upsert: a login's first two orders placed at once on two servers make one record.
    let made = conn
        .prepare_cached(
            "INSERT INTO customers (name, email, user_id, made_for_login, created_at, updated_at)
             SELECT COALESCE(full_name, username), email, id, 1, ?2, ?2 FROM users WHERE id = ?1
             ON CONFLICT (user_id) DO NOTHING",
        )?
        .execute(params![user_id, now])?;
    let id = id_for_user(conn, user_id)?.ok_or_else(|| AppError::not_found("user"))?;
    if made == 1 {
        let name: String = conn
            .prepare_cached("SELECT name FROM customers WHERE id = ?")?
            .query_row([id], |r| r.get(0))?;
        conn.prepare_cached("UPDATE customers SET name_sort = ? WHERE id = ?")?
            .execute(params![sort_key(&name), id])?;
    }
    Ok(id)
}

/// The record a login is linked to, if it is one made for the login (see V9) rather than the
/// shop's own: (id, orders it holds).
pub fn made_for_login(conn: &Conn, user_id: i64) -> AppResult<Option<(i64, bool)>> {
    Ok(conn
        .prepare_cached("SELECT id, made_for_login FROM customers WHERE user_id = ?")?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Moves every order of customer `from` to `to`, and deletes `from`; returns the orders moved.
pub fn fold_into(conn: &Conn, from: i64, to: i64, now: &str) -> AppResult<usize> {
    let moved = conn
        .prepare_cached("UPDATE orders SET customer_id = ?, updated_at = ? WHERE customer_id = ?")?
        .execute(params![to, now, from])?;
    conn.prepare_cached("DELETE FROM customers WHERE id = ?")?
        .execute([from])?;
    Ok(moved)
}

/// True if the customer exists and is not archived.
pub fn is_active(conn: &Conn, id: i64) -> AppResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM customers WHERE id = ? AND is_archived = 0")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Calls `each` for every customer, by id, reading row by row.
/// Calls `each` for every customer the filter and search select, by name, row by row.
pub fn for_each(
    conn: &Conn,
    f: &CustomerFilter,
    search: Option<&str>,
    mut each: impl FnMut(&Customer) -> AppResult<()>,
) -> AppResult<()> {
    let w = conditions(f, search);
    let mut stmt = conn.prepare(&format!("{SELECT} {} ORDER BY c.name_sort, c.id", w.sql()))?;
    let mut rows = stmt.query(params_from_iter(w.values()))?;
    while let Some(row) = rows.next()? {
        each(&customer_from_row(&row)?)?;
    }
    Ok(())
}
