//! Customers: who an order is for. A customer may have a login of their own (a user with the
//! customer role), through which they see only their own orders.

pub mod store;
