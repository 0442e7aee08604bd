//! A real server on 127.0.0.1 with a fresh data dir, and a real HTTP client.

pub mod postgres;
pub mod process;

use std::path::PathBuf;
use std::time::Duration;

use order_system::app::{self, Server};
use order_system::config::Config;
use order_system::db::Conn;
use order_system::db::postgres::session::Session;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const SECRET: &str = "test-secret-test-secret-test-secret-0123456789";
pub const ADMIN_PASSWORD: &str = "Admin-Passw0rd";

pub struct TestServer {
    pub server: Option<Server>,
    pub url: String,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database the server keeps its data in, if not the data dir's file.
    pub database: Option<String>,
}

/// `ORDER_SYSTEM_TEST_POSTGRES`: a PostgreSQL server (the URL of its `postgres` database) to
/// run every test server on instead of a SQLite file, each in a database of its own.
pub fn test_postgres() -> Option<String> {
    std::env::var("ORDER_SYSTEM_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
}

/// True, and says so, when the suite runs on PostgreSQL and the calling test is about SQLite
/// itself (its backups, its file, the command line on the data dir's file): such a test returns
/// early there. `why` names what it covers instead, if anything does.
pub fn sqlite_only(why: &str) -> bool {
    let skip = test_postgres().is_some();
    if skip {
        eprintln!("not on PostgreSQL: {why}");
    }
    skip
}

pub fn config(dir: &std::path::Path) -> Config {
    let mut config = Config::new(dir);
    config.http = "127.0.0.1:0".parse().unwrap();
    config.jwt_secret = Some(SECRET.into());
    config.bcrypt_cost = 4;
    config.db_readers = 2;
    config
}

impl TestServer {
    /// A server whose superAdmin already has ADMIN_PASSWORD (no forced change).
    pub async fn start() -> Self {
        Self::start_with(|c| c.admin_password = Some(ADMIN_PASSWORD.into())).await
    }

    /// A server exactly as a first `serve` leaves it: superAdmin / admin123, must change.
    pub async fn fresh() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        // reqwest is built with rustls but no provider of its own: use the server's (ring).
        order_system::tls::install_crypto_provider();
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(&dir.path().join("data"));
        tweak(&mut config);
        if config.database.is_none()
            && let Some(server) = test_postgres()
        {
            config.database = Some(postgres::database_for(&server, &config.data_dir));
        }
        let server = app::start(&config).await.expect("server starts");
        let database = config.database.clone();
        let url = server.url();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Self {
            server: Some(server),
            url,
            client,
            dir,
            database,
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn db_path(&self) -> PathBuf {
        self.data_dir().join("order-system.db")
    }

    pub fn server(&self) -> &Server {
        self.server.as_ref().unwrap()
    }

    pub async fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop().await.unwrap();
        }
    }

    /// Sends a request; `body` is sent as JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, format!("{}{}", self.url, path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
        .await
    }

    pub async fn token(&self, username: &str, password: &str) -> String {
        let (status, body) = self.login(username, password).await;
        assert_eq!(status, StatusCode::OK, "login {username}: {body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn admin(&self) -> String {
        self.token("superAdmin", ADMIN_PASSWORD).await
    }

    /// Creates a user (no forced password change) and returns a token for them.
    pub async fn user_token(&self, admin: &str, username: &str, role: &str) -> (i64, String) {
        let password = format!("{username}-pass-123");
        let (status, body) = self
            .post(
                "/api/users",
                admin,
                json!({"username": username, "password": password, "role": role, "must_change_password": false}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        (body["id"].as_i64().unwrap(), self.token(username, &password).await)
    }

    pub async fn product(&self, token: &str, sku: &str, price: &str, stock: i64) -> Value {
        let (status, body) = self
            .post(
                "/api/products",
                token,
                json!({"sku": sku, "name": format!("商品 {sku}"), "price": price, "stock_quantity": stock}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Opens the database file directly, as the sqlite3 shell would (tests about SQLite itself).
    pub fn sqlite(&self) -> rusqlite::Connection {
        rusqlite::Connection::open_with_flags(self.db_path(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
    }

    /// Runs `f` on a connection of its own to the server's database, whichever engine it is
    /// on, as a person with the sqlite3 shell or psql would look.
    pub fn with_db<T: Send>(
        &self,
        f: impl FnOnce(&Conn) -> order_system::db::Result<T> + Send,
    ) -> order_system::db::Result<T> {
        self.on_db(false, f)
    }

    /// [`TestServer::with_db`] on a connection that may write: a test that breaks a rule behind
    /// the server's back, as a person with a database shell could.
    pub fn write_db<T: Send>(
        &self,
        f: impl FnOnce(&Conn) -> order_system::db::Result<T> + Send,
    ) -> order_system::db::Result<T> {
        self.on_db(true, f)
    }

    /// On a thread of its own: the blocking PostgreSQL client cannot run inside the test's
    /// runtime.
    fn on_db<T: Send>(
        &self,
        write: bool,
        f: impl FnOnce(&Conn) -> order_system::db::Result<T> + Send,
    ) -> order_system::db::Result<T> {
        let database = self.database.clone();
        let path = self.db_path();
        std::thread::scope(|s| {
            s.spawn(move || match database {
                Some(url) => f(&Conn::from(&Session::connect(&url).unwrap())),
                None => {
                    let flags = if write {
                        rusqlite::OpenFlags::default()
                    } else {
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    };
                    let raw = rusqlite::Connection::open_with_flags(path, flags).unwrap();
                    raw.busy_timeout(Duration::from_secs(5)).unwrap();
                    f(&Conn::from(&raw))
                }
            })
            .join()
            .unwrap()
        })
    }

    /// Runs the binary on this server's database (its data dir, and `--database` when the
    /// server is on PostgreSQL), as an admin at the server's console would.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        let mut all: Vec<&str> = Vec::new();
        if let Some(url) = &self.database {
            all.extend(["--database", url.as_str()]);
        }
        all.extend_from_slice(args);
        process::run(&self.data_dir(), &all, stdin)
    }

    /// Asserts the stock ledger explains every product's stock, and no stock is negative.
    pub fn assert_ledger_consistent(&self) {
        self.with_db(|conn| {
            assert_ledger_consistent_on(conn);
            Ok(())
        })
        .unwrap();
    }
}

fn assert_ledger_consistent_on(conn: &Conn) {
    let bad: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM products p WHERE p.stock_quantity < 0 OR p.stock_quantity <>
               (SELECT COALESCE(SUM(quantity_delta), 0) FROM inventory_movements m WHERE m.product_id = p.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "stock differs from the ledger");
    let bad_totals: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM orders o WHERE o.total_amount_minor <>
               (SELECT COALESCE(SUM(line_total_minor), 0) FROM order_items i WHERE i.order_id = o.id)
               AND o.id NOT IN (SELECT order_id FROM imported_total_differences)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad_totals, 0, "order totals differ from their items");
}

/// The error code of an error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// Uploads a CSV file to an import route (`path` may carry `?dry_run=true`) and, when the server
/// answers 202, follows the job until it ends: returns the final status and body (the job, or
/// the error the upload got).
pub async fn import_csv(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let resp = client
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "text/csv")
        .timeout(Duration::from_secs(600))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let value: Value = resp.json().await.unwrap_or(Value::Null);
    if status != StatusCode::ACCEPTED {
        return (status, value);
    }
    let url = format!("{base}/api/imports/jobs/{}", value["id"]);
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let job: Value = client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        match job["status"].as_str() {
            Some("done") => return (StatusCode::OK, job),
            Some("failed") => return (StatusCode::UNPROCESSABLE_ENTITY, json!({ "error": job["error"] })),
            _ => {}
        }
    }
}

/// What an import job reports, without its bookkeeping.
pub fn import_report(job: &Value) -> Value {
    json!({
        "dry_run": job["dry_run"],
        "rows": job["rows"],
        "created": job["created"],
        "updated": job["updated"],
        "unchanged": job["unchanged"],
    })
}
