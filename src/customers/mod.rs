//! Customers: who an order is for. A customer may have a login of their own (a user with the
//! customer role), through which they see only their own orders. A customer who has orders
//! is archived, never deleted, so past orders keep their customer.

pub mod addresses;
pub mod routes;
pub mod store;
pub mod types;

use crate::audit::{self, Event, Who};
use crate::auth::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
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
pub fn insert(conn: &crate::db::Conn, who: &Who, fields: &CustomerFields, now: &str) -> AppResult<Customer> {
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
    let actor_role = actor.role;
    db.write(move |conn| {
        let now = clock::now();
        let before = store::get(conn, id)?;
        let fields = patch.apply(&CustomerFields::from(&before))?;
        if fields.user_id != before.user_id && actor_role < crate::users::types::Role::Admin {
            // Which login's orders land on which record is account management.
            return Err(AppError::forbidden("only admins link a customer record to a login"));
        }
        if let Some(login) = fields.user_id.filter(|l| before.user_id != Some(*l)) {
            take_login(conn, &who, login, id, &now)?;
        }
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

/// Before a login is linked to customer `to`: if it is linked to a record made for it when it
/// first ordered, that record is folded into `to` (its orders move; it goes), so one person
/// has one record. A login linked to another of the shop's own records stays a conflict.
fn take_login(conn: &crate::db::Conn, who: &Who, login: i64, to: i64, now: &str) -> AppResult<()> {
    let Some((from, true)) = store::made_for_login(conn, login)? else {
        return Ok(());
    };
    let folded = store::get(conn, from)?;
    let moved = store::fold_into(conn, from, to, now)?;
    let event = Event {
        action: "customer.merge",
        entity_type: "customer",
        entity_id: Some(to),
        before: Some(serde_json::to_string(&folded).map_err(AppError::internal)?),
        after: Some(serde_json::json!({ "merged_from": from, "orders_moved": moved }).to_string()),
    };
    audit::store::record(conn, who, &event, now)
}

/// Links a customer login to a customer record, or (None) unlinks it: the users page's side
/// of the link the customer page sets with `user_id`.
pub fn link_login(conn: &crate::db::Conn, who: &Who, login: i64, customer: Option<i64>, now: &str) -> AppResult<()> {
    let current = store::id_for_user(conn, login)?;
    if current == customer {
        return Ok(());
    }
    match customer {
        None => {
            let id = current.ok_or_else(|| AppError::internal("no linked customer"))?;
            let before = store::get(conn, id)?;
            let fields = CustomerFields {
                user_id: None,
                ..CustomerFields::from(&before)
            };
            store::update(conn, id, &fields, now)?;
            let after = store::get(conn, id)?;
            audit::store::record(
                conn,
                who,
                &Event::changed("customer.update", "customer", id, &before, &after),
                now,
            )
        }
        Some(id) => {
            let before = store::get(conn, id)?;
            take_login(conn, who, login, id, now)?;
            if let Some(other) = store::id_for_user(conn, login)? {
                // Linked to another of the shop's own records: move the link.
                let held = store::get(conn, other)?;
                store::update(
                    conn,
                    other,
                    &CustomerFields {
                        user_id: None,
                        ..CustomerFields::from(&held)
                    },
                    now,
                )?;
            }
            let fields = CustomerFields {
                user_id: Some(login),
                ..CustomerFields::from(&before)
            };
            store::update(conn, id, &fields, now)?;
            let after = store::get(conn, id)?;
            audit::store::record(
                conn,
                who,
                &Event::changed("customer.update", "customer", id, &before, &after),
                now,
            )
        }
    }
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
