//! The real binary as a child process: running commands, serving, signals.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_order-system");

pub fn cmd(data: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("ORDER_SYSTEM_DATA_DIR", data)
        .env("ORDER_SYSTEM_BCRYPT_COST", "4")
        .env("ORDER_SYSTEM_CONFIG", "/dev/null")
        .env_remove("SECRET_KEY")
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG");
    c
}

pub fn run(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = cmd(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Served {
    pub child: Child,
    pub url: String,
    pub banner: String,
}

pub fn serve(data: &Path, extra_env: &[(&str, &str)]) -> Served {
    serve_with(data, &[], extra_env)
}

/// `serve` on a free loopback port with more flags; its stderr goes to `data.log`.
pub fn serve_with(data: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Served {
    serve_on(data, free_port(), args, extra_env)
}

/// `serve` on a given loopback port (a restart on the same address); its stderr is appended to
/// `data.log`. Returns once the server has printed its banner, i.e. listens.
pub fn serve_on(data: &Path, port: u16, args: &[&str], extra_env: &[(&str, &str)]) -> Served {
    let mut c = cmd(data);
    c.args(["serve", "--http", &format!("127.0.0.1:{port}")]).args(args);
    for (k, v) in extra_env {
        c.env(k, v);
    }
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data.with_extension("log"))
        .unwrap();
    let mut child = c.stdout(Stdio::piped()).stderr(log).spawn().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    while !banner.contains("Stop with") {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            panic!("serve exited early: {banner}");
        }
        banner.push_str(&line);
    }
    Served {
        child,
        url: format!("http://127.0.0.1:{port}"),
        banner,
    }
}

/// `order-system check` on a data dir: (passed, its report and any error).
pub fn check(data: &Path) -> (bool, String) {
    let out = run(data, &["check"], None);
    (out.status.success(), text(&out.stdout) + &text(&out.stderr))
}

/// A client for talking to a served binary: rustls with the server's provider, a 10 s limit.
pub fn http_client() -> reqwest::Client {
    order_system::tls::install_crypto_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

pub fn get_status(url: &str) -> Option<u16> {
    order_system::tls::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async { reqwest::get(url).await.ok().map(|r| r.status().as_u16()) })
}

pub fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

pub fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A test that fails half-way must not leave its server running.
impl Drop for Served {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// POSTs JSON, with a bearer token when given, and returns the answer's JSON.
async fn post_json(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: serde_json::Value,
) -> serde_json::Value {
    let mut req = client.post(url).json(&body);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.unwrap().json().await.unwrap()
}

/// Signs superAdmin in over HTTP and returns the bearer token.
pub async fn sign_in(client: &reqwest::Client, url: &str, password: &str) -> String {
    let body = serde_json::json!({"username": "superAdmin", "password": password});
    let answer = post_json(client, format!("{url}/api/auth/login"), None, body).await;
    answer["access_token"].as_str().expect("signed in").to_owned()
}

/// Creates a product with a million in stock, over HTTP; returns its id.
pub async fn create_product(client: &reqwest::Client, url: &str, token: &str, sku: &str, name: &str) -> i64 {
    let body = serde_json::json!({"sku": sku, "name": name, "price": "1.00", "stock_quantity": 1_000_000});
    let product = post_json(client, format!("{url}/api/products"), Some(token), body).await;
    product["id"].as_i64().expect("product created")
}
