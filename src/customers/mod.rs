//! Customers: who an order is for. A customer may have a login of their own (a user with the
//! customer role), through which they see only their own orders. A customer who has orders
//! is archived, never deleted, so past orders keep their customer.

pub mod routes;
pub mod store;
pub mod types;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::AppResult;
use crate::http::list::Paging;
use crate::orders;
use crate::orders::store::OrderFilter;
use types::{Customer, CustomerDetail, CustomerFields, CustomerPatch, NewCustomer};

pub async fn create(db: &Db, actor: &CurrentUser, input: NewCustomer) -> AppResult<Customer> {
    let fields = input.validate()?;
    let who = Who::from(actor);
    db.write(move |conn| insert(conn, &who, &fields, &clock::now())).await
}

/// Stores a validated customer with its audit row.
pub fn insert(conn: &rusqlite::Connection, who: &Who, fields: &CustomerFields, now: &str) -> AppResult<Customer> {
    let id = store::insert(conn, fields, now)?;
    let created = store::get(conn, id)?;
    audit::store::record(
        conn,
        who,
        &Event::created("customer.create", "customer", id, &created),
        now,
    )?;
    Ok(created)
}

pub async fn update(db: &Db, actor: &CurrentUser, id: i64, patch: CustomerPatch) -> AppResult<Customer> {
    let who = Who::from(actor);
    db.write(move |conn| {
        let now = clock::now();
        let before = store::get(conn, id)?;
        let fields = patch.apply(&CustomerFields::from(&before))?;
        store::update(conn, id, &fields, &now)?;
        let after = store::get(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::changed("customer.update", "customer", id, &before, &after),
            &now,
        )?;
        Ok(after)
    })
    .await
}

pub async fn set_archived(db: &Db, actor: &CurrentUser, id: i64, archived: bool) -> AppResult<Customer> {
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = store::get(conn, id)?;
        if before.is_archived == archived {
            return Ok(before);
        }
        let now = clock::now();
        store::set_archived(conn, id, archived, &now)?;
        let after = store::get(conn, id)?;
        let action = if archived {
            "customer.archive"
        } else {
            "customer.restore"
        };
        audit::store::record(
            conn,
            &who,
            &Event::changed(action, "customer", id, &before, &after),
            &now,
        )?;
        Ok(after)
    })
    .await
}

/// What deleting a customer did.
pub enum Removal {
    Deleted,
    /// The customer has orders, so they were archived instead.
    Archived(Box<Customer>),
}

/// Deletes a customer without orders; one with orders is archived instead, so that past
/// orders keep their customer.
pub async fn remove(db: &Db, actor: &CurrentUser, id: i64) -> AppResult<Removal> {
    let who = Who::from(actor);
    db.write(move |conn| {
        let before = store::get(conn, id)?;
        let now = clock::now();
        if before.order_count > 0 {
            store::set_archived(conn, id, true, &now)?;
            let after = store::get(conn, id)?;
            audit::store::record(
                conn,
                &who,
                &Event::changed("customer.archive", "customer", id, &before, &after),
                &now,
            )?;
            return Ok(Removal::Archived(Box::new(after)));
        }
        store::delete(conn, id)?;
        audit::store::record(
            conn,
            &who,
            &Event::deleted("customer.delete", "customer", id, &before),
            &now,
        )?;
        Ok(Removal::Deleted)
    })
    .await
}

pub async fn detail(db: &Db, id: i64) -> AppResult<CustomerDetail> {
    db.read(move |conn| {
        let customer = store::get(conn, id)?;
        let filter = OrderFilter {
            customer_id: Some(id),
            ..Default::default()
        };
        let recent = Paging {
            page: 1,
            per_page: 20,
            search: None,
            sort: None,
        };
        let (recent_orders, _) = orders::store::list(conn, &filter, &recent, "o.created_at DESC, o.id DESC")?;
        Ok(CustomerDetail {
            customer,
            recent_orders,
        })
    })
    .await
}
