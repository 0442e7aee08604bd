//! The web UI's cookie session: HttpOnly cookie, CSRF rule, sign-out, and password changes.

use crate::common;

use common::{ADMIN_PASSWORD, TestServer, code};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

struct Browser<'a> {
    srv: &'a TestServer,
    cookie: Option<String>,
}

impl Browser<'_> {
    async fn send(&mut self, method: Method, path: &str, body: Option<Value>, csrf: bool) -> (StatusCode, Value) {
        let mut req = self.srv.client.request(method, format!("{}{path}", self.srv.url));
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, format!("order_session={c}"));
        }
        if csrf {
            req = req.header("X-Requested-With", "order-system");
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        if let Some(set) = resp.headers().get(header::SET_COOKIE) {
            let set = set.to_str().unwrap().to_owned();
            let value = set
                .split(';')
                .next()
                .unwrap()
                .trim_start_matches("order_session=")
                .to_owned();
            self.cookie = (!value.is_empty()).then_some(value);
        }
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn sign_in(&mut self, user: &str, password: &str) -> (StatusCode, Value) {
        self.send(
            Method::POST,
            "/api/auth/session",
            Some(json!({"username": user, "password": password})),
            true,
        )
        .await
    }
}

#[tokio::test]
async fn a_cookie_session_never_shows_a_token_and_ends_on_sign_out() {
    let srv = TestServer::start().await;
    let resp = srv
        .client
        .post(format!("{}/api/auth/session", srv.url))
        .header("X-Requested-With", "order-system")
        .json(&json!({"username": "superAdmin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let set = resp.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    for attr in [
        "order_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=28800",
    ] {
        assert!(set.contains(attr), "{set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP: no Secure flag");
    let body: Value = resp.json().await.unwrap();
    assert!(body.get("access_token").is_none(), "no token for page scripts: {body}");
    assert_eq!(body["user"]["username"], "superAdmin");

    let mut b = Browser {
        srv: &srv,
        cookie: Some(
            set.split(';')
                .next()
                .unwrap()
                .trim_start_matches("order_session=")
                .into(),
        ),
    };
    let stored: i64 = srv
        .with_db(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM sessions WHERE id = ?",
                [b.cookie.clone().unwrap()],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(stored, 0, "only the cookie's hash is stored");
    assert_eq!(b.send(Method::GET, "/api/auth/me", None, false).await.0, StatusCode::OK);
    assert_eq!(b.send(Method::GET, "/api/stats", None, false).await.0, StatusCode::OK);

    let product = json!({"sku": "S-1", "name": "x", "price": "1", "stock_quantity": 1});
    let (status, body) = b
        .send(Method::POST, "/api/products", Some(product.clone()), false)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a cookie alone cannot change state");
    assert_eq!(code(&body), "csrf_rejected");
    assert_eq!(
        b.send(Method::POST, "/api/products", Some(product), true).await.0,
        StatusCode::CREATED
    );

    let old = b.cookie.clone();
    let (status, _) = b.send(Method::DELETE, "/api/auth/session", None, true).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(b.cookie, None, "the cookie is cleared");
    b.cookie = old;
    let (status, body) = b.send(Method::GET, "/api/auth/me", None, false).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old cookie is revoked on the server: {body}"
    );
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let srv = TestServer::start().await;
    let mut b = Browser {
        srv: &srv,
        cookie: None,
    };
    let (status, body) = b
        .send(
            Method::POST,
            "/api/auth/session",
            Some(json!({"username": "superAdmin", "password": ADMIN_PASSWORD})),
            false,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "sign-in needs the header too: {body}");
    b.sign_in("superAdmin", ADMIN_PASSWORD).await;
    let resp = srv
        .client
        .post(format!("{}/api/customers", srv.url))
        .header(header::COOKIE, format!("order_session={}", b.cookie.clone().unwrap()))
        .header("X-Requested-With", "order-system")
        .header(header::ORIGIN, "https://evil.example")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // Bearer tokens are not cookies: no CSRF rule for API clients.
    let token = srv.admin().await;
    assert_eq!(
        srv.post("/api/customers", &token, json!({"name": "y"})).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn the_first_password_change_through_the_browser() {
    let srv = TestServer::fresh().await;
    let mut b = Browser {
        srv: &srv,
        cookie: None,
    };
    let (status, body) = b.sign_in("superAdmin", "admin123").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["must_change_password"], true);
    let (status, body) = b.send(Method::GET, "/api/products", None, false).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::FORBIDDEN, "password_change_required")
    );
    let before = b.cookie.clone();

    // A second browser signed in as the same user loses its session with the change.
    let mut other = Browser {
        srv: &srv,
        cookie: None,
    };
    other.sign_in("superAdmin", "admin123").await;

    let (status, body) = b
        .send(
            Method::POST,
            "/api/auth/password",
            Some(json!({"current_password": "admin123", "new_password": "Browser-Pass-1"})),
            true,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("access_token").is_none());
    assert_eq!(body["user"]["must_change_password"], false);
    assert_ne!(b.cookie, before, "a fresh session cookie");
    assert_eq!(
        b.send(Method::GET, "/api/products", None, false).await.0,
        StatusCode::OK
    );
    assert_eq!(
        other.send(Method::GET, "/api/auth/me", None, false).await.0,
        StatusCode::UNAUTHORIZED
    );
    b.cookie = before;
    assert_eq!(
        b.send(Method::GET, "/api/auth/me", None, false).await.0,
        StatusCode::UNAUTHORIZED
    );

    let (status, body) = b.sign_in("superAdmin", "wrong-pass").await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (id, _) = srv.user_token(&admin, "clerk", "staff").await;
    let mut b = Browser {
        srv: &srv,
        cookie: None,
    };
    assert_eq!(b.sign_in("clerk", "clerk-pass-123").await.0, StatusCode::OK);
    assert_eq!(
        b.send(Method::GET, "/api/products", None, false).await.0,
        StatusCode::OK
    );
    srv.patch(&format!("/api/users/{id}"), &admin, json!({"is_active": false}))
        .await;
    assert_eq!(
        b.send(Method::GET, "/api/products", None, false).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (_, sys) = srv.get("/api/system", &admin).await;
    assert!(sys["database"]["size_bytes"].as_u64().unwrap() > 0, "{sys}");
    assert_eq!(sys["health"], "ok");
}
