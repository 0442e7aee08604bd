//! From the staged source to our tables, in the order the references need: users, products,
//! customers (one per user who ordered), orders, their lines, then what follows from them (the
//! totals that differ, the order-number counters). Runs inside the import's one transaction.
//!
//! Every row is checked; every problem is collected (up to a point) so that one run lists
//! them all, and then nothing is written. Rows that cannot be kept but whose loss changes no
//! money or stock (an order line whose order is gone) are skipped and listed.

use std::collections::{HashMap, HashSet};

use anyhow::{Context as _, bail};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use indicatif::ProgressBar;
use rusqlite::params;

use super::mapping::{self, Found, MapFile, Resolved, ValueMap};
use super::report::{Report, TotalDifference};
use crate::clock;
use crate::db::{Conn, OptionalExtension, Row};
use crate::money::Money;
use crate::orders::types::OrderStatus;
use crate::products::types::{ProductStatus, parse_name, parse_sku, sku_key};
use crate::users::types::{Role, Username};
use crate::validate::sort_key;

/// The problems listed before giving up; a source with more has a systematic fault that the
/// first ones show.
const MAX_PROBLEMS: usize = 200;

/// The first password every old system's superAdmin had.
const FIRST_PASSWORD: &str = "admin123";

/// A user who placed orders: old id, new id, role, username, full name, email.
type Buyer = (i64, i64, String, String, Option<String>, Option<String>);

pub struct Apply<'a> {
    pub conn: &'a Conn<'a>,
    pub found: &'a Found,
    pub map: &'a MapFile,
    pub tz: Tz,
    pub now: String,
    pub report: &'a mut Report,
    pub problems: Vec<String>,
    /// One bar per step, made by the caller (hidden when not at a terminal).
    pub bar: &'a dyn Fn(&str, u64) -> ProgressBar,
}

/// A cell as text: trimmed, and empty as none.
fn text(row: &Row, i: usize) -> crate::db::Result<Option<String>> {
    Ok(row
        .get::<_, Option<String>>(i)?
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty()))
}

fn integer(value: &str) -> Option<i64> {
    value.parse::<i64>().ok().or_else(|| {
        let (whole, fraction) = value.split_once('.')?;
        fraction
            .bytes()
            .all(|b| b == b'0')
            .then(|| whole.parse().ok())
            .flatten()
    })
}

fn boolean(value: &str) -> Option<bool> {
    match value.to_lowercase().as_str() {
        "t" | "true" | "1" | "yes" | "y" => Some(true),
        "f" | "false" | "0" | "no" | "n" => Some(false),
        _ => None,
    }
}

/// A source time: with an offset as it says, without one (`timestamp without time zone`) in
/// the source's time zone. Stored as our UTC text.
pub fn to_utc(value: &str, tz: Tz) -> Option<String> {
    let value = value.trim();
    for format in [
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(value, format) {
            return Some(clock::format(at.with_timezone(&Utc)));
        }
    }
    let naive = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .or_else(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?.and_hms_opt(0, 0, 0))?;
    let local = tz.from_local_datetime(&naive).earliest()?;
    Some(clock::format(local.with_timezone(&Utc)))
}

/// Money as the source wrote it ("12.50"), refusing what we cannot keep exactly.
fn money(value: &str) -> Result<Money, String> {
    let m: Money = value
        .parse()
        .map_err(|e: crate::money::MoneyError| format!("{value:?} {e}"))?;
    if m.is_negative() {
        return Err(format!("{value:?} is negative"));
    }
    Ok(m)
}

impl Apply<'_> {
    fn problem(&mut self, text: String) -> anyhow::Result<()> {
        self.problems.push(text);
        if self.problems.len() >= MAX_PROBLEMS {
            self.give_up()?;
        }
        Ok(())
    }

    /// Ends the import with every problem found, if there are any.
    pub fn give_up(&mut self) -> anyhow::Result<()> {
        if self.problems.is_empty() {
            return Ok(());
        }
        let more = if self.problems.len() >= MAX_PROBLEMS {
            " (stopped looking here)"
        } else {
            ""
        };
        bail!(
            "the source has {} problem(s){more}; nothing was imported:\n  {}",
            self.problems.len(),
            self.problems.join("\n  ")
        )
    }

    fn unknown_values<T: Copy>(&mut self, what: &str, section: &str, values: &ValueMap<T>) -> anyhow::Result<()> {
        if values.unknown.is_empty() {
            return Ok(());
        }
        let found: Vec<String> = values
            .unknown
            .iter()
            .map(|(v, n)| format!("{v:?} ({n} rows)"))
            .collect();
        self.problem(format!(
            "unknown {what} values {}: give their meaning in --map [{section}], e.g. {:?} = \"...\"",
            found.join(", "),
            values.unknown.keys().next().map(String::as_str).unwrap_or_default()
        ))
    }

    fn time(&self, value: Option<&str>, fallback: &str) -> Option<String> {
        match value {
            Some(v) => to_utc(v, self.tz),
            None => Some(fallback.to_owned()),
        }
    }

    fn count(&mut self, table: &'static str, n: u64) {
        *self.report.counts.entry(table).or_default() += n;
    }

    pub fn create_maps(&self) -> anyhow::Result<()> {
        let conn = self.conn;
        conn.execute_batch(
            "CREATE TABLE staging.user_map (old INTEGER PRIMARY KEY, new INTEGER NOT NULL, role TEXT NOT NULL,
                                            username TEXT NOT NULL, full_name TEXT, email TEXT);
             CREATE TABLE staging.product_map (old INTEGER PRIMARY KEY, new INTEGER NOT NULL, sku TEXT NOT NULL, name TEXT NOT NULL);
             CREATE TABLE staging.customer_map (old_user INTEGER PRIMARY KEY, customer INTEGER NOT NULL);
             CREATE TABLE staging.order_map (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);",
        )?;
        Ok(())
    }

    pub fn users(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let found = self.found;
        let r: &Resolved = &found.users;
        let sql = format!(
            "SELECT _row, {}, {}, {}, {}, {}, {}, {}, {}, {} FROM {} ORDER BY _row",
            r.sql("id"),
            r.sql("username"),
            r.sql("email"),
            r.sql("full_name"),
            r.sql("password_hash"),
            r.sql("role"),
            r.sql("is_active"),
            r.sql("created_at"),
            r.sql("updated_at"),
            r.from()
        );
        let bar = (self.bar)("users", r.staged.rows);
        let superadmin: (i64, String) = conn.query_row(
            "SELECT id, username_key FROM users WHERE role = 'superadmin'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let mut roles = ValueMap::new(&self.map.roles, mapping::ROLES, Role::parse);
        let mut keys: HashMap<String, String> = HashMap::new();
        let mut hashes: Vec<(i64, String, String)> = Vec::new();
        let (mut demoted, mut from_user) = (Vec::new(), 0u64);
        let rows: Vec<[Option<String>; 9]> = conn
            .prepare(&sql)?
            .query_map([], |row| {
                let mut cells: [Option<String>; 9] = Default::default();
                for (k, cell) in cells.iter_mut().enumerate() {
                    *cell = text(row, k + 1)?;
                }
                Ok(cells)
            })?
            .collect::<Result<_, _>>()?;
        for [id, username, email, full_name, hash, role, active, created, updated] in rows {
            bar.inc(1);
            let at = |what: &str| format!("users row id {}: {what}", id.as_deref().unwrap_or("?"));
            let Some(old_id) = id.as_deref().and_then(integer) else {
                self.problem(at("no usable id"))?;
                continue;
            };
            let name = match Username::parse(username.as_deref().unwrap_or_default()) {
                Ok(n) => n.as_str().to_owned(),
                Err(e) => {
                    self.problem(at(&format!("username {:?}: {e}", username.unwrap_or_default())))?;
                    continue;
                }
            };
            let key = Username::key(&name);
            if let Some(earlier) = keys.insert(key.clone(), name.clone()) {
                self.problem(at(&format!("username {name:?} is the same name as {earlier:?}")))?;
                continue;
            }
            let hash = hash.unwrap_or_default();
            if !(hash.len() == 60 && ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p))) {
                self.problem(at(&format!("{name}'s password is not a bcrypt hash ($2a$/$2b$/$2y$)")))?;
                continue;
            }
            let role_text = role.unwrap_or_else(|| "customer".into());
            let Some(mut role) = roles.get(&role_text) else {
                continue;
            };
            if role_text.trim().eq_ignore_ascii_case("user") {
                from_user += 1;
            }
            let is_super = key == superadmin.1;
            if role == Role::Superadmin && !is_super {
                demoted.push(name.clone());
                role = Role::Admin;
            }
            let is_active = active.as_deref().and_then(boolean).unwrap_or(true);
            let Some(created) = self.time(created.as_deref(), &self.now) else {
                self.problem(at("created_at is not a time"))?;
                continue;
            };
            let updated = self
                .time(updated.as_deref(), &created)
                .unwrap_or_else(|| created.clone());
            let new_id = if is_super {
                // The built-in account stays the built-in account: it takes the old one's
                // password, address and age, never another role or a disable.
                conn.execute(
                    "UPDATE users SET password_hash = ?, email = ?, full_name = ?, must_change_password = 0,
                       created_at = ?, updated_at = ?, token_version = token_version + 1 WHERE id = ?",
                    params![hash, email, full_name, created, updated, superadmin.0],
                )?;
                role = Role::Superadmin;
                superadmin.0
            } else {
                conn.prepare_cached(
                    "INSERT INTO users (username, username_key, email, full_name, role, password_hash, is_active,
                           must_change_password, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                )?
                .execute(params![
                    name,
                    key,
                    email,
                    full_name,
                    role.as_str(),
                    hash,
                    is_active,
                    created,
                    updated
                ])?;
                conn.last_insert_rowid()?
            };
            conn.prepare_cached(
                "INSERT INTO staging.user_map (old, new, role, username, full_name, email) VALUES (?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![old_id, new_id, role.as_str(), name, full_name, email])
            .with_context(|| at("the id appears twice"))?;
            hashes.push((new_id, name, hash));
            self.count("users", 1);
        }
        bar.finish_and_clear();
        self.unknown_values("role", "roles", &roles)?;
        if !demoted.is_empty() {
            self.report.notes.push(format!(
                "only the built-in superAdmin is a superadmin here; these became admins: {}",
                demoted.join(", ")
            ));
        }
        if from_user > 0 {
            self.report.notes.push(format!(
                "{from_user} account(s) with the role \"user\" became customers"
            ));
        }
        self.still_first_password(hashes)
    }

    /// Marks the accounts whose password is still admin123: they must choose their own.
    /// bcrypt is slow by design, so the checks run on every core.
    fn still_first_password(&mut self, hashes: Vec<(i64, String, String)>) -> anyhow::Result<()> {
        let conn = self.conn;
        let bar = (self.bar)("passwords checked", hashes.len() as u64);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = hashes.len().div_ceil(threads).max(1);
        let found: Vec<(i64, String)> = std::thread::scope(|s| {
            let handles: Vec<_> = hashes
                .chunks(chunk)
                .map(|part| {
                    let bar = bar.clone();
                    s.spawn(move || {
                        part.iter()
                            .filter(|(_, _, hash)| {
                                bar.inc(1);
                                bcrypt::verify(FIRST_PASSWORD, hash).unwrap_or(false)
                            })
                            .map(|(id, name, _)| (*id, name.clone()))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
        });
        bar.finish_and_clear();
        for (id, name) in found {
            conn.execute("UPDATE users SET must_change_password = 1 WHERE id = ?", [id])?;
            self.report.must_change.push(name);
        }
        Ok(())
    }

    pub fn products(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let found = self.found;
        let r = &found.products;
        let sql = format!(
            "SELECT _row, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {} FROM {} ORDER BY _row",
            r.sql("id"),
            r.sql("sku"),
            r.sql("name"),
            r.sql("description"),
            r.sql("price"),
            r.sql("stock_quantity"),
            r.sql("status"),
            r.sql("is_active"),
            r.sql("low_stock_threshold"),
            r.sql("created_at"),
            r.sql("updated_at"),
            r.from()
        );
        let bar = (self.bar)("products", r.staged.rows);
        let mut statuses = ValueMap::new(
            &self.map.product_status,
            mapping::PRODUCT_STATUSES,
            ProductStatus::parse,
        );
        let mut keys: HashMap<String, String> = HashMap::new();
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let row = &row;
            bar.inc(1);
            let cells: Vec<Option<String>> = (1..=11).map(|i| text(row, i)).collect::<Result<_, _>>()?;
            let [
                id,
                sku,
                name,
                description,
                price,
                stock,
                status,
                active,
                threshold,
                created,
                updated,
            ] = <[Option<String>; 11]>::try_from(cells).expect("eleven cells");
            let at = |what: &str| format!("products row id {}: {what}", id.as_deref().unwrap_or("?"));
            let Some(old_id) = id.as_deref().and_then(integer) else {
                self.problem(at("no usable id"))?;
                continue;
            };
            let sku = match parse_sku(sku.as_deref().unwrap_or_default()) {
                Ok(s) => s,
                Err(e) => {
                    self.problem(at(&e.to_string()))?;
                    continue;
                }
            };
            if let Some(earlier) = keys.insert(sku_key(&sku), sku.clone()) {
                self.problem(at(&format!("SKU {sku:?} is the same as {earlier:?}")))?;
                continue;
            }
            let name = match parse_name(name.as_deref().unwrap_or_default()) {
                Ok(n) => n,
                Err(e) => {
                    self.problem(at(&format!("{sku}: {e}")))?;
                    continue;
                }
            };
            let price = match price.as_deref().map(money) {
                Some(Ok(p)) if p <= Money::MAX_PRICE => p,
                Some(Ok(p)) => {
                    self.problem(at(&format!("{sku}: price {p} is above the most a price can be")))?;
                    continue;
                }
                Some(Err(e)) => {
                    self.problem(at(&format!("{sku}: price {e}")))?;
                    continue;
                }
                None => {
                    self.problem(at(&format!("{sku}: no price")))?;
                    continue;
                }
            };
            let stock = match stock.as_deref().map(|s| integer(s).ok_or(s)) {
                None => 0,
                Some(Ok(n)) if n >= 0 => n,
                Some(Ok(n)) => {
                    self.problem(at(&format!("{sku}: stock {n} is negative")))?;
                    continue;
                }
                Some(Err(s)) => {
                    self.problem(at(&format!("{sku}: stock {s:?} is not a whole number")))?;
                    continue;
                }
            };
            let status = match (status, active) {
                (Some(s), _) | (None, Some(s)) => match statuses.get(&s) {
                    Some(st) => st,
                    None => continue,
                },
                (None, None) => ProductStatus::Active,
            };
            let threshold = threshold.as_deref().and_then(integer).filter(|t| *t >= 0);
            let Some(created) = self.time(created.as_deref(), &self.now) else {
                self.problem(at(&format!("{sku}: created_at is not a time")))?;
                continue;
            };
            let updated = self
                .time(updated.as_deref(), &created)
                .unwrap_or_else(|| created.clone());
            conn.prepare_cached(
                "INSERT INTO products (sku, sku_key, name, name_sort, description, price_minor, stock_quantity,
                       low_stock_threshold, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                sku,
                sku_key(&sku),
                name,
                sort_key(&name),
                description,
                price.minor(),
                stock,
                threshold,
                status.as_str(),
                created,
                updated
            ])?;
            let new_id = conn.last_insert_rowid()?;
            if stock > 0 {
                self.initial_stock(new_id, stock)?;
            }
            conn.prepare_cached("INSERT INTO staging.product_map (old, new, sku, name) VALUES (?, ?, ?, ?)")?
                .execute(params![old_id, new_id, sku, name])
                .with_context(|| at("the id appears twice"))?;
            self.count("products", 1);
        }
        bar.finish_and_clear();
        drop(rows);
        drop(stmt);
        self.unknown_values("product status", "product_status", &statuses)
    }

    /// The stock a product came with, as one ledger row dated at the import, so stock equals
    /// the ledger from the first second.
    fn initial_stock(&mut self, product: i64, stock: i64) -> anyhow::Result<()> {
        let conn = self.conn;
        conn.prepare_cached(
            "INSERT INTO inventory_movements (product_id, quantity_delta, balance_after, reason, note, created_at)
                 VALUES (?, ?, ?, 'initial', 'stock brought over from the old system', ?)",
        )?
        .execute(params![product, stock, stock, self.now])?;
        self.count("stock movements", 1);
        Ok(())
    }

    /// One customer record per user who placed orders (the old system had none), linked to
    /// the user when it is a customer login.
    pub fn customers(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let found = self.found;
        let o = &found.orders;
        let sql = format!(
            "SELECT m.old, m.new, m.role, m.username, m.full_name, m.email FROM staging.user_map m
             WHERE m.old IN (SELECT CAST({} AS INTEGER) FROM {}) ORDER BY m.old",
            o.sql("user_id"),
            o.from()
        );
        let buyers: Vec<Buyer> = conn
            .prepare(&sql)?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut linked = 0;
        for (old, new, role, username, full_name, email) in &buyers {
            let name = full_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| username.clone());
            let login = (role == "customer").then_some(*new);
            linked += u64::from(login.is_some());
            conn.prepare_cached(
                "INSERT INTO customers (name, name_sort, email, user_id, made_for_login, created_at, updated_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
            )?
            .execute(params![
                name,
                sort_key(&name),
                email,
                login,
                login.is_some(),
                self.now,
                self.now
            ])?;
            let customer = conn.last_insert_rowid()?;
            conn.prepare_cached("INSERT INTO staging.customer_map (old_user, customer) VALUES (?, ?)")?
                .execute(params![old, customer])?;
        }
        self.count("customers", buyers.len() as u64);
        self.report.notes.push(format!(
            "the old system had no customer records: one was made for each of the {} account(s) that placed orders ({linked} linked to their customer login)",
            buyers.len()
        ));
        Ok(())
    }

    pub fn orders(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let found = self.found;
        let r = &found.orders;
        let sql = format!(
            "SELECT s._row, s.{id}, s.{number}, um.new, cm.customer, s.{status}, s.{total}, s.{note}, s.{address},
                    s.{created}, s.{updated}, s.{user}
             FROM {from} s
             LEFT JOIN staging.user_map um ON um.old = CAST(s.{user} AS INTEGER)
             LEFT JOIN staging.customer_map cm ON cm.old_user = um.old
             ORDER BY s._row",
            id = r.sql("id"),
            number = r.sql("order_number"),
            status = r.sql("status"),
            total = r.sql("total_amount"),
            note = r.sql("note"),
            address = r.sql("shipping_address"),
            created = r.sql("created_at"),
            updated = r.sql("updated_at"),
            user = r.sql("user_id"),
            from = r.from()
        )
        .replace("s.NULL", "NULL");
        let bar = (self.bar)("orders", r.staged.rows);
        let mut statuses = ValueMap::new(&self.map.order_status, mapping::ORDER_STATUSES, OrderStatus::parse);
        let mut numbers: HashSet<String> = HashSet::new();
        let (mut addresses, mut made_numbers) = (0u64, 0u64);
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let row = &row;
            bar.inc(1);
            let id = text(row, 1)?;
            let at = |what: &str| format!("orders row id {}: {what}", id.as_deref().unwrap_or("?"));
            let Some(old_id) = id.as_deref().and_then(integer) else {
                self.problem(at("no usable id"))?;
                continue;
            };
            let number = match text(row, 2)? {
                Some(n) => n,
                None => {
                    made_numbers += 1;
                    format!("OLD-{old_id}")
                }
            };
            if !numbers.insert(number.clone()) {
                self.problem(at(&format!("order number {number} appears twice")))?;
                continue;
            }
            let (Some(user), customer): (Option<i64>, Option<i64>) = (row.get(3)?, row.get(4)?) else {
                let user = text(row, 11)?.unwrap_or_default();
                self.problem(at(&format!("{number}: its user {user} is not among the users")))?;
                continue;
            };
            let Some(status) = statuses.get(&text(row, 5)?.unwrap_or_default()) else {
                continue;
            };
            let total = match text(row, 6)?.as_deref().map(money) {
                Some(Ok(t)) if t <= Money::MAX_ORDER_TOTAL => t,
                Some(Ok(t)) => {
                    self.problem(at(&format!("{number}: total {t} is above the most an order can be")))?;
                    continue;
                }
                Some(Err(e)) => {
                    self.problem(at(&format!("{number}: total {e}")))?;
                    continue;
                }
                None => {
                    self.problem(at(&format!("{number}: no total")))?;
                    continue;
                }
            };
            let mut note = text(row, 7)?;
            if let Some(address) = text(row, 8)? {
                addresses += 1;
                let line = format!("收货地址 / Ship to: {address}");
                note = Some(match note {
                    Some(n) => format!("{n}\n{line}"),
                    None => line,
                });
            }
            let Some(created) = text(row, 9)?.and_then(|c| to_utc(&c, self.tz)) else {
                self.problem(at(&format!("{number}: created_at is missing or not a time")))?;
                continue;
            };
            let updated = text(row, 10)?
                .and_then(|u| to_utc(&u, self.tz))
                .unwrap_or_else(|| created.clone());
            conn.prepare_cached(
                // The old system recorded no payments: whether these were paid is unknown,
                // so they are 'untracked', not money owed (see migrations/V12).
                "INSERT INTO orders (order_number, number_reversed, user_id, customer_id, status, total_amount_minor,
                       note, created_at, updated_at, payment_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'untracked')",
            )?
            .execute(params![
                number,
                crate::maintenance::derived::reversed(&number),
                user,
                customer,
                status.as_str(),
                total.minor(),
                note,
                created,
                updated
            ])?;
            let new_id = conn.last_insert_rowid()?;
            conn.prepare_cached(
                "INSERT INTO order_status_history (order_id, from_status, to_status, user_id, created_at)
                     VALUES (?, NULL, ?, ?, ?)",
            )?
            .execute(params![new_id, status.as_str(), user, created])?;
            conn.prepare_cached("INSERT INTO staging.order_map (old, new) VALUES (?, ?)")?
                .execute(params![old_id, new_id])
                .with_context(|| at("the id appears twice"))?;
            self.count("orders", 1);
        }
        bar.finish_and_clear();
        drop(rows);
        drop(stmt);
        if addresses > 0 {
            self.report.notes.push(format!(
                "{addresses} order(s) had a shipping address: it is in the order's note"
            ));
        }
        if made_numbers > 0 {
            self.report.notes.push(format!(
                "{made_numbers} order(s) had no order number: they are numbered OLD-<their old id>"
            ));
        }
        self.unknown_values("order status", "order_status", &statuses)
    }

    /// Products the order lines name but the products table no longer has (deleted in the
    /// old system): kept as archived products, so the orders stay whole.
    pub fn missing_products(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let found = self.found;
        let i = &found.order_items;
        let sql = format!(
            "SELECT CAST(i.{pid} AS INTEGER), MAX(i.{name}) FROM {from} i
             WHERE CAST(i.{pid} AS INTEGER) NOT IN (SELECT old FROM staging.product_map)
               AND CAST(i.{oid} AS INTEGER) IN (SELECT old FROM staging.order_map)
             GROUP BY CAST(i.{pid} AS INTEGER)",
            pid = i.sql("product_id"),
            oid = i.sql("order_id"),
            name = i.sql("product_name"),
            from = i.from()
        )
        .replace("i.NULL", "NULL");
        let missing: Vec<(Option<i64>, Option<String>)> = conn
            .prepare(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (old, name) in &missing {
            let Some(old) = old else { continue };
            let sku = format!("OLD-{old}");
            let name = name
                .clone()
                .unwrap_or_else(|| format!("已删除的商品 / deleted product {old}"));
            conn.execute(
                "INSERT INTO products (sku, sku_key, name, name_sort, price_minor, stock_quantity, status, created_at, updated_at)
                 VALUES (?, ?, ?, ?, 0, 0, 'archived', ?, ?)",
                params![sku, sku_key(&sku), name, sort_key(&name), self.now, self.now],
            )?;
            let new = conn.last_insert_rowid()?;
            conn.execute(
                "INSERT INTO staging.product_map (old, new, sku, name) VALUES (?, ?, ?, ?)",
                params![old, new, sku, name],
            )?;
            self.count("products", 1);
        }
        if !missing.is_empty() {
            self.report.notes.push(format!(
                "{} product(s) named by order lines were no longer in the products table: kept as archived products with SKU OLD-<old id>",
                missing.len()
            ));
        }
        Ok(())
    }

    pub fn order_items(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let found = self.found;
        let r = &found.order_items;
        let sql = format!(
            "SELECT i._row, i.{id}, om.new, pm.new, i.{qty}, i.{price}, i.{line}, i.{name}, i.{sku}, pm.name, pm.sku, i.{oid}
             FROM {from} i
             LEFT JOIN staging.order_map om ON om.old = CAST(i.{oid} AS INTEGER)
             LEFT JOIN staging.product_map pm ON pm.old = CAST(i.{pid} AS INTEGER)
             ORDER BY i._row",
            id = r.sql("id"),
            qty = r.sql("quantity"),
            price = r.sql("unit_price"),
            line = r.sql("line_total"),
            name = r.sql("product_name"),
            sku = r.sql("sku"),
            oid = r.sql("order_id"),
            pid = r.sql("product_id"),
            from = r.from()
        )
        .replace("i.NULL", "NULL");
        let bar = (self.bar)("order lines", r.staged.rows);
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let row = &row;
            bar.inc(1);
            let id = text(row, 1)?.unwrap_or_else(|| format!("(row {})", row.get::<_, i64>(0).unwrap_or(0)));
            let at = |what: &str| format!("order_items id {id}: {what}");
            let (order, product): (Option<i64>, Option<i64>) = (row.get(2)?, row.get(3)?);
            let Some(order) = order else {
                let old = text(row, 11)?.unwrap_or_default();
                self.report
                    .skipped
                    .push(at(&format!("its order {old} is not among the orders")));
                continue;
            };
            let Some(product) = product else {
                self.problem(at("it names no product"))?;
                continue;
            };
            let quantity = match text(row, 4)?.as_deref().and_then(integer) {
                Some(q) if q > 0 => q,
                other => {
                    self.report.skipped.push(at(&format!(
                        "quantity {} is not a positive whole number",
                        other.map_or("?".into(), |q| q.to_string())
                    )));
                    continue;
                }
            };
            let unit = match text(row, 5)?.as_deref().map(money) {
                Some(Ok(p)) if p <= Money::MAX_PRICE => p,
                Some(Ok(p)) => {
                    self.problem(at(&format!("unit price {p} is above the most a price can be")))?;
                    continue;
                }
                Some(Err(e)) => {
                    self.problem(at(&format!("unit price {e}")))?;
                    continue;
                }
                None => {
                    self.problem(at("no unit price"))?;
                    continue;
                }
            };
            let line = match text(row, 6)?.as_deref().map(money) {
                Some(Ok(l)) => l,
                Some(Err(e)) => {
                    self.problem(at(&format!("line total {e}")))?;
                    continue;
                }
                None => match unit.times(quantity) {
                    Some(l) => l,
                    None => {
                        self.problem(at("the line total is too large"))?;
                        continue;
                    }
                },
            };
            let name = text(row, 7)?.or(text(row, 9)?).unwrap_or_default();
            let sku = text(row, 8)?.or(text(row, 10)?).unwrap_or_default();
            conn
                .prepare_cached(
                    "INSERT INTO order_items (order_id, product_id, product_name, sku, quantity, unit_price_minor, line_total_minor)
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )?
                .execute(params![order, product, name, sku, quantity, unit.minor(), line.minor()])?;
            self.count("order lines", 1);
        }
        bar.finish_and_clear();
        Ok(())
    }

    /// The old system's shipped and completed orders went out whole, in one parcel each.
    pub fn shipments(&mut self) -> anyhow::Result<()> {
        crate::shipping::store::record_untracked(self.conn)?;
        Ok(())
    }

    /// Orders whose recorded total is not their lines' sum: kept as recorded, listed, and
    /// known to `check` (imported_total_differences).
    pub fn totals(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        conn.execute_batch(
            "INSERT INTO imported_total_differences (order_id, recorded_total_minor, lines_total_minor)
             SELECT o.id, o.total_amount_minor, COALESCE(SUM(i.line_total_minor), 0)
             FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
             GROUP BY o.id, o.total_amount_minor
             HAVING o.total_amount_minor <> COALESCE(SUM(i.line_total_minor), 0)",
        )?;
        let differ: Vec<TotalDifference> = conn
            .prepare(
                "SELECT o.order_number, d.recorded_total_minor, d.lines_total_minor
                 FROM imported_total_differences d JOIN orders o ON o.id = d.order_id ORDER BY o.id",
            )?
            .query_map([], |r| {
                Ok(TotalDifference {
                    order_number: r.get(0)?,
                    recorded: Money::from_minor(r.get(1)?).to_string(),
                    lines: Money::from_minor(r.get(2)?).to_string(),
                })
            })?
            .collect::<Result<_, _>>()?;
        self.report.totals_differ = differ;
        Ok(())
    }

    /// Numbers shaped like ours (PREFIX-YYYYMMDD-NNNN) move their day's counter past them, so
    /// no new order can ever be given an imported number.
    pub fn counters(&mut self) -> anyhow::Result<()> {
        let conn = self.conn;
        let numbers: Vec<String> = conn
            .prepare("SELECT order_number FROM orders")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut last: HashMap<String, i64> = HashMap::new();
        for number in &numbers {
            let mut parts = number.rsplitn(3, '-');
            let (Some(seq), Some(day)) = (parts.next(), parts.next()) else {
                continue;
            };
            if day.len() == 8
                && day.bytes().all(|b| b.is_ascii_digit())
                && parts.next().is_some()
                && let Ok(seq) = seq.parse::<i64>()
            {
                let entry = last.entry(day.to_owned()).or_default();
                *entry = (*entry).max(seq);
            }
        }
        for (day, seq) in &last {
            conn.execute(
                "INSERT INTO order_number_counters (day, last) VALUES (?1, ?2)
                 ON CONFLICT (day) DO UPDATE
                 SET last = CASE WHEN order_number_counters.last > ?2 THEN order_number_counters.last ELSE ?2 END",
                params![day, seq],
            )?;
        }
        Ok(())
    }

    /// The target must hold nothing a shop made: no products, orders or customers, and no
    /// account but the built-in superAdmin.
    pub fn check_empty(conn: &Conn) -> anyhow::Result<()> {
        let count = |sql: &str| -> anyhow::Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
        let (products, orders, customers, users) = (
            count("SELECT COUNT(*) FROM products")?,
            count("SELECT COUNT(*) FROM orders")?,
            count("SELECT COUNT(*) FROM customers")?,
            count("SELECT COUNT(*) FROM users WHERE role <> 'superadmin'")?,
        );
        if products + orders + customers + users > 0 {
            bail!(
                "the database is not empty ({products} products, {orders} orders, {customers} customers, {users} accounts besides superAdmin): \
                 the old system can only be imported into a new shop; use a new --data-dir"
            );
        }
        let imported: Option<String> = conn
            .query_row(
                "SELECT at FROM audit_log WHERE action = 'legacy.import' LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(at) = imported {
            bail!("the old system was imported into this database already (at {at})");
        }
        Ok(())
    }
}
