//! CSV in and out: exports of orders (with their items), products and customers, streamed so
//! memory stays flat; imports of products and customers, validated in full before anything is
//! written, then applied all at once or not at all. The HTTP routes and the command line
//! share this code.

pub mod export;
pub mod import;
pub mod jobs;
pub mod routes;
mod store;
