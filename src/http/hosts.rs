//! Only the names the server is meant to be reached by: a defence against DNS rebinding.
//!
//! A web page on any site can point its own domain at 127.0.0.1 (or at the shop's server) and
//! then talk to the desk from the victim's browser, as same-origin, with the first-start
//! `admin123`. Such requests carry the attacker's name in `Host`, so the server answers only:
//!
//! - an IP address in `Host` (a rebinding attack always needs a name);
//! - `localhost` and `*.localhost`;
//! - the names given by `--domain` and `--allowed-host`;
//! - when listening beyond loopback, this machine's own name (and `NAME.local`), which is how
//!   the other computers in a shop find it.
//!
//! Anything else gets 421 Misdirected Request, naming the flag that would allow it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

#[derive(Clone, Debug, Default)]
pub struct AllowedHosts {
    /// Lower case, without a trailing dot.
    names: Vec<String>,
}

impl AllowedHosts {
    /// The names for a server listening on `listening`, with `extra` names (domains, flags).
    pub fn new(listening: &[SocketAddr], extra: &[String]) -> Self {
        let mut names: Vec<String> = extra.iter().map(|n| normalize(n)).collect();
        if listening.iter().any(|a| !a.ip().is_loopback()) {
            for name in machine_names() {
                names.push(name);
            }
        }
        names.sort();
        names.dedup();
        Self { names }
    }

    pub fn allows(&self, host: &str) -> bool {
        let host = normalize(strip_port(host));
        if host.is_empty() {
            return true;
        }
        if host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok() {
            return true;
        }
        host == "localhost" || host.ends_with(".localhost") || self.names.contains(&host)
    }
}

fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// "shop.example:80" → "shop.example"; "[::1]:80" → "[::1]".
pub fn strip_port(host: &str) -> &str {
    if let Some(end) = host.rfind(']') {
        return &host[..=end];
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

/// This machine's name and its mDNS form, as the shop's other computers may type them.
fn machine_names() -> Vec<String> {
    let Ok(name) =
        std::fs::read_to_string("/proc/sys/kernel/hostname").or_else(|_| std::fs::read_to_string("/etc/hostname"))
    else {
        return Vec::new();
    };
    let name = normalize(&name);
    if name.is_empty() {
        return Vec::new();
    }
    let short = name.split('.').next().unwrap_or(&name).to_owned();
    let mut names = vec![name.clone(), format!("{short}.local")];
    if short != name {
        names.push(short);
    }
    names
}

/// The middleware: 421 for a request whose `Host` (or HTTP/2 `:authority`) is not allowed.
pub async fn check(State(allowed): State<Arc<AllowedHosts>>, req: Request, next: Next) -> Response {
    let host = req.uri().authority().map(|a| a.as_str().to_owned()).or_else(|| {
        req.headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
    });
    match host {
        Some(host) if !allowed.allows(&host) => misdirected(strip_port(&host)),
        _ => next.run(req).await,
    }
}

fn misdirected(host: &str) -> Response {
    let shown: String = host.chars().take(100).collect();
    AppError::Misdirected(format!(
        "this server does not answer for the name {shown:?}; if that is how it should be reached, start it with --allowed-host {shown}"
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_addresses() {
        let local = AllowedHosts::new(&["127.0.0.1:8080".parse().unwrap()], &["Shop.Example.".into()]);
        for ok in [
            "127.0.0.1:8080",
            "[::1]:8080",
            "192.168.1.20",
            "localhost:8080",
            "LOCALHOST",
            "app.localhost",
            "shop.example",
            "shop.example.:443",
            "",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example",
            "evil.example:8080",
            "127.0.0.1.nip.io",
            "localhost.evil.example",
        ] {
            assert!(!local.allows(refused), "{refused}");
        }
    }

    #[test]
    fn hosts_lose_their_port() {
        assert_eq!(strip_port("shop.example:80"), "shop.example");
        assert_eq!(strip_port("shop.example"), "shop.example");
        assert_eq!(strip_port("[::1]:8080"), "[::1]");
        assert_eq!(strip_port("127.0.0.1:8080"), "127.0.0.1");
    }
}
