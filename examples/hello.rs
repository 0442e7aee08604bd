//! The ceiling for the load benchmark: a plain axum "hello world" on the same runtime and
//! machine, with nothing of ours in the way. `cargo run --release --example hello -- 127.0.0.1:9000`

use axum::{Router, routing::get};

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:9000".into());
    let app = Router::new().route("/", get(|| async { "hello, world" }));
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!("listening on {addr}");
    axum::serve(listener, app).await.expect("serve");
}
