//! The integration tests: one test binary, one harness (`common`).
//!
//! `common` starts the real server in-process on 127.0.0.1:0 with a fresh data dir
//! ([`common::TestServer`]) or runs the built binary ([`common::process`]); every module below
//! speaks HTTP to it or runs its commands, as a shop's clients and scripts would.

// Each module uses the part of the harness it needs.
#![allow(dead_code)]

mod common;

mod acme;
mod auth;
mod cli;
mod data_safety;
mod db;
mod desk;
mod discounts;
mod everyday;
mod faults;
mod foundations;
mod http;
mod https;
mod legacy;
mod limits;
mod observe;
mod offered;
mod operations;
mod orders;
mod payments;
mod postgres_copy;
mod postgres_schema;
mod postgres_serve;
mod postgres_servers;
mod postgres_store;
mod postgres_tls;
mod pricing;
mod products;
mod properties;
mod purchasing;
mod query_plans;
mod receivables;
mod reports;
mod safety;
mod security;
mod session;
mod shipping;
mod transfer;
mod users;
