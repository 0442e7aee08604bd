//! Which source table and column holds each thing we import, and what the source's values
//! mean. Found by name, with the aliases SQLAlchemy apps commonly use; `--map FILE` (TOML)
//! overrides any of it:
//!
//! ```toml
//! [tables]                 # our table = the source's
//! order_items = "order_lines"
//! [columns.users]          # our field = the source's column
//! password_hash = "pwd"
//! [order_status]           # the source's value = ours
//! paid = "confirmed"
//! [roles]
//! manager = "admin"
//! [product_status]
//! hidden = "archived"
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, bail};
use serde::Deserialize;

use super::staging::Staged;
use crate::orders::types::OrderStatus;
use crate::products::types::ProductStatus;
use crate::users::types::Role;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    #[serde(default)]
    pub tables: HashMap<String, String>,
    #[serde(default)]
    pub columns: HashMap<String, HashMap<String, String>>,
    #[serde(default)]
    pub order_status: HashMap<String, String>,
    #[serde(default)]
    pub roles: HashMap<String, String>,
    #[serde(default)]
    pub product_status: HashMap<String, String>,
}

impl MapFile {
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let map: MapFile = toml::from_str(&text).with_context(|| format!("{} is not a valid map", path.display()))?;
        for table in map.tables.keys().chain(map.columns.keys()) {
            if !TABLES.iter().any(|t| t.name == table) {
                bail!(
                    "{}: there is no table {table} to map (the tables are users, products, orders, order_items)",
                    path.display()
                );
            }
        }
        for (table, fields) in &map.columns {
            let known = TABLES.iter().find(|t| t.name == table).map(|t| t.fields).unwrap_or(&[]);
            for field in fields.keys() {
                if !known.iter().any(|f| f.name == field) {
                    let names: Vec<&str> = known.iter().map(|f| f.name).collect();
                    bail!(
                        "{}: {table} has no field {field} (it has {})",
                        path.display(),
                        names.join(", ")
                    );
                }
            }
        }
        for (value, ours) in &map.order_status {
            OrderStatus::parse(ours).with_context(|| {
                format!(
                    "{}: order_status {value} = {ours:?} is not a status of ours",
                    path.display()
                )
            })?;
        }
        for (value, ours) in &map.roles {
            Role::parse(ours)
                .with_context(|| format!("{}: roles {value} = {ours:?} is not a role of ours", path.display()))?;
        }
        for (value, ours) in &map.product_status {
            ProductStatus::parse(ours).with_context(|| {
                format!(
                    "{}: product_status {value} = {ours:?} is not active or archived",
                    path.display()
                )
            })?;
        }
        Ok(map)
    }
}

/// One thing we import and the column names it is commonly found under.
pub struct Field {
    pub name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
}

const fn f(name: &'static str, aliases: &'static [&'static str], required: bool) -> Field {
    Field {
        name,
        aliases,
        required,
    }
}

pub struct Table {
    pub name: &'static str,
    aliases: &'static [&'static str],
    pub fields: &'static [Field],
}

pub const USERS: Table = Table {
    name: "users",
    aliases: &["users", "user", "accounts"],
    fields: &[
        f("id", &["id", "user_id"], true),
        f("username", &["username", "user_name", "login"], true),
        f("email", &["email", "email_address"], false),
        f(
            "full_name",
            &["full_name", "fullname", "display_name", "nickname", "name"],
            false,
        ),
        f(
            "password_hash",
            &["hashed_password", "password_hash", "password", "pwd_hash"],
            true,
        ),
        f("role", &["role", "user_role", "user_type"], false),
        f("is_active", &["is_active", "active", "enabled"], false),
        f(
            "created_at",
            &["created_at", "created", "create_time", "date_joined"],
            false,
        ),
        f(
            "updated_at",
            &["updated_at", "updated", "update_time", "modified_at"],
            false,
        ),
    ],
};

pub const PRODUCTS: Table = Table {
    name: "products",
    aliases: &["products", "product", "items", "goods"],
    fields: &[
        f("id", &["id", "product_id"], true),
        f("sku", &["sku", "code", "product_code"], true),
        f("name", &["name", "product_name", "title"], true),
        f("description", &["description", "desc", "details"], false),
        f("price", &["price", "unit_price", "sale_price"], true),
        f(
            "stock_quantity",
            &["stock_quantity", "stock", "quantity", "inventory", "qty"],
            false,
        ),
        f("status", &["status", "state"], false),
        f("is_active", &["is_active", "active", "enabled"], false),
        f(
            "low_stock_threshold",
            &["low_stock_threshold", "min_stock", "reorder_level"],
            false,
        ),
        f("created_at", &["created_at", "created", "create_time"], false),
        f(
            "updated_at",
            &["updated_at", "updated", "update_time", "modified_at"],
            false,
        ),
    ],
};

pub const ORDERS: Table = Table {
    name: "orders",
    aliases: &["orders", "order", "sales_orders"],
    fields: &[
        f("id", &["id", "order_id"], true),
        f("order_number", &["order_number", "order_no", "number", "code"], false),
        f("user_id", &["user_id", "created_by", "owner_id", "customer_id"], true),
        f("status", &["status", "state", "order_status"], true),
        f(
            "total_amount",
            &["total_amount", "total", "amount", "total_price"],
            true,
        ),
        f("note", &["notes", "note", "remark", "remarks", "comment"], false),
        f(
            "shipping_address",
            &["shipping_address", "address", "delivery_address"],
            false,
        ),
        f(
            "created_at",
            &["created_at", "created", "create_time", "order_date"],
            true,
        ),
        f(
            "updated_at",
            &["updated_at", "updated", "update_time", "modified_at"],
            false,
        ),
    ],
};

pub const ORDER_ITEMS: Table = Table {
    name: "order_items",
    aliases: &[
        "order_items",
        "order_item",
        "orderitems",
        "order_lines",
        "order_details",
    ],
    fields: &[
        f("id", &["id", "item_id"], false),
        f("order_id", &["order_id"], true),
        f("product_id", &["product_id"], true),
        f("quantity", &["quantity", "qty", "count"], true),
        f("unit_price", &["unit_price", "price"], true),
        f(
            "line_total",
            &["subtotal", "line_total", "total", "total_price", "amount"],
            false,
        ),
        f("product_name", &["product_name", "name"], false),
        f("sku", &["sku", "product_sku"], false),
    ],
};

pub const TABLES: [&Table; 4] = [&USERS, &PRODUCTS, &ORDERS, &ORDER_ITEMS];

/// A table of ours found in the source, with the source column of each field found.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub staged: Staged,
    columns: BTreeMap<&'static str, String>,
}

impl Resolved {
    pub fn col(&self, field: &str) -> Option<&str> {
        self.columns.get(field).map(String::as_str)
    }

    /// The SQL expression for a field: its quoted column, or NULL when the source has none.
    pub fn sql(&self, field: &str) -> String {
        self.col(field)
            .map(super::staging::ident)
            .unwrap_or_else(|| "NULL".into())
    }

    pub fn from(&self) -> String {
        format!("staging.{}", self.staged.staging_name)
    }
}

/// The four tables, found.
pub struct Found {
    pub users: Resolved,
    pub products: Resolved,
    pub orders: Resolved,
    pub order_items: Resolved,
    /// Source tables nothing was taken from, and columns of used tables nothing was taken from.
    pub unused_tables: Vec<String>,
    pub unused_columns: Vec<String>,
}

pub fn resolve(staged: &HashMap<String, Staged>, map: &MapFile) -> anyhow::Result<Found> {
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    let mut found = Vec::new();
    for table in TABLES {
        let wanted = map.tables.get(table.name);
        let hit = match wanted {
            Some(name) => staged.get(&name.to_lowercase()),
            None => table.aliases.iter().find_map(|a| staged.get(*a)),
        };
        let Some(hit) = hit else {
            problems.push(match wanted {
                Some(name) => format!(
                    "the map names table {name} for {}, but the source has no such table",
                    table.name
                ),
                None => format!("no {} table (looked for {})", table.name, table.aliases.join(", ")),
            });
            continue;
        };
        used.insert(hit.source_name.to_lowercase());
        let overrides = map.columns.get(table.name);
        let mut columns = BTreeMap::new();
        let has = |name: &str| hit.columns.iter().find(|c| c.eq_ignore_ascii_case(name)).cloned();
        for field in table.fields {
            let column = match overrides.and_then(|o| o.get(field.name)) {
                Some(name) => match has(name) {
                    Some(c) => Some(c),
                    None => {
                        problems.push(format!(
                            "the map names column {name} for {}.{}, but {} has no such column",
                            table.name, field.name, hit.source_name
                        ));
                        continue;
                    }
                },
                None => field
                    .aliases
                    .iter()
                    .filter(|a| !columns.values().any(|taken: &String| taken.eq_ignore_ascii_case(a)))
                    .find_map(|a| has(a)),
            };
            match column {
                Some(c) => {
                    columns.insert(field.name, c);
                }
                None if field.required => problems.push(format!(
                    "{} has no column for {} (looked for {}; it has {}): name it with --map [columns.{}] {} = \"...\"",
                    hit.source_name,
                    field.name,
                    field.aliases.join(", "),
                    hit.columns.join(", "),
                    table.name,
                    field.name
                )),
                None => {}
            }
        }
        found.push(Resolved {
            staged: hit.clone(),
            columns,
        });
    }
    if !problems.is_empty() {
        let mut names: Vec<&str> = staged.values().map(|s| s.source_name.as_str()).collect();
        names.sort();
        bail!(
            "this does not look like the old system's database:\n  {}\n(the source has the tables: {})",
            problems.join("\n  "),
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        );
    }
    let mut unused_tables: Vec<String> = staged
        .values()
        .filter(|s| !used.contains(&s.source_name.to_lowercase()))
        .map(|s| s.source_name.clone())
        .collect();
    unused_tables.sort();
    let mut unused_columns = Vec::new();
    for r in &found {
        for c in &r.staged.columns {
            if !r.columns.values().any(|u| u == c) {
                unused_columns.push(format!("{}.{c}", r.staged.source_name));
            }
        }
    }
    let mut it = found.into_iter();
    Ok(Found {
        users: it.next().unwrap(),
        products: it.next().unwrap(),
        orders: it.next().unwrap(),
        order_items: it.next().unwrap(),
        unused_tables,
        unused_columns,
    })
}

/// Reads the source's values of one kind (statuses, roles) as ours: the map first, then the
/// obvious spellings. What is neither is collected, so one error can list every such value.
pub struct ValueMap<T> {
    overrides: HashMap<String, T>,
    defaults: &'static [(&'static str, &'static str)],
    parse: fn(&str) -> Option<T>,
    pub unknown: BTreeMap<String, u64>,
}

impl<T: Copy> ValueMap<T> {
    pub fn new(
        overrides: &HashMap<String, String>,
        defaults: &'static [(&'static str, &'static str)],
        parse: fn(&str) -> Option<T>,
    ) -> Self {
        let overrides = overrides
            .iter()
            .filter_map(|(k, v)| Some((k.trim().to_lowercase(), parse(v)?)))
            .collect();
        Self {
            overrides,
            defaults,
            parse,
            unknown: BTreeMap::new(),
        }
    }

    pub fn get(&mut self, value: &str) -> Option<T> {
        let key = value.trim().to_lowercase();
        if let Some(v) = self.overrides.get(&key) {
            return Some(*v);
        }
        if let Some(v) = self
            .defaults
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| (self.parse)(v))
        {
            return Some(v);
        }
        *self.unknown.entry(value.to_owned()).or_default() += 1;
        None
    }
}

pub const ORDER_STATUSES: &[(&str, &str)] = &[
    ("pending", "pending"),
    ("new", "pending"),
    ("confirmed", "confirmed"),
    ("processing", "confirmed"),
    ("shipped", "shipped"),
    ("delivered", "completed"),
    ("completed", "completed"),
    ("cancelled", "cancelled"),
    ("canceled", "cancelled"),
];

pub const ROLES: &[(&str, &str)] = &[
    ("superadmin", "superadmin"),
    ("super_admin", "superadmin"),
    ("admin", "admin"),
    ("staff", "staff"),
    ("customer", "customer"),
    ("user", "customer"),
];

pub const PRODUCT_STATUSES: &[(&str, &str)] = &[
    ("active", "active"),
    ("t", "active"),
    ("true", "active"),
    ("inactive", "archived"),
    ("archived", "archived"),
    ("discontinued", "archived"),
    ("disabled", "archived"),
    ("f", "archived"),
    ("false", "archived"),
];
