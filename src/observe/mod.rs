//! Seeing what the running service does: one log line per request, Prometheus metrics, and
//! the logging set-up shared by every command.

pub mod logging;
pub mod metrics;
pub mod requests;
pub mod routes;

pub use metrics::{Metrics, MetricsAccess};

/// Put in a response's extensions by the access-policy layer, so the request log can name the
/// signed-in user without authenticating twice.
#[derive(Clone, Copy, Debug)]
pub struct UserId(pub i64);
