//! order-system: a small business's order desk in one binary.
//!
//! One folder per business capability (users, products, customers, inventory, orders, stats,
//! audit, settings),
//! each owning its routes, its SQL (`store.rs`, the only place SQL lives) and its types,
//! beside the infrastructure (db, http, auth, cli).

pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod clock;
pub mod config;
pub mod customers;
pub mod datadir;
pub mod db;
pub mod demo;
pub mod digest;
pub mod error;
pub mod health;
pub mod http;
pub mod inventory;
pub mod legacy;
pub mod maintenance;
pub mod memory;
pub mod money;
pub mod observe;
pub mod orders;
pub mod payments;
pub mod price_levels;
pub mod pricing;
pub mod products;
pub mod purchasing;
pub mod receivables;
pub mod reports;
pub mod returns;
pub mod settings;
pub mod shipping;
pub mod stats;
pub mod tls;
pub mod transfer;
pub mod users;
pub mod validate;
