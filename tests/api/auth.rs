//! Signing in, the forced password change, and what tokens are refused.

use crate::common;

use common::{SECRET, TestServer, code};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn first_sign_in_requires_a_password_change() {
    let srv = TestServer::fresh().await;
    let (status, body) = srv.login("superAdmin", "admin123").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "bearer");
    assert!(body["expires_in"].as_u64().unwrap() > 0);
    assert_eq!(body["user"]["must_change_password"], true);
    assert_eq!(body["user"]["role"], "superadmin");
    let token = body["access_token"].as_str().unwrap().to_owned();

    // Everything but /me and /password is closed until the password changes.
    for path in ["/api/products", "/api/orders", "/api/users", "/api/stats"] {
        let (status, body) = srv.get(path, &token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(code(&body), "password_change_required");
    }
    let (status, me) = srv.get("/api/auth/me", &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], "superAdmin");

    // The new password must follow the rules.
    for (bad, field) in [
        ("short", "new_password"),
        ("superadmin", "new_password"),
        ("admin123", "new_password"),
    ] {
        let (status, body) = srv
            .post(
                "/api/auth/password",
                &token,
                json!({"current_password": "admin123", "new_password": bad}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["error"]["details"]["field"], field);
    }
    let (status, body) = srv
        .post(
            "/api/auth/password",
            &token,
            json!({"current_password": "wrong-one", "new_password": "Better-Pass-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["field"], "current_password");

    let (status, body) = srv
        .post(
            "/api/auth/password",
            &token,
            json!({"current_password": "admin123", "new_password": "Better-Pass-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user"]["must_change_password"], false);
    let new_token = body["access_token"].as_str().unwrap();

    // The old token ended with the change; the new one opens everything.
    let (status, _) = srv.get("/api/auth/me", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = srv.get("/api/products", new_token).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = srv.login("superAdmin", "admin123").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = srv.login("superAdmin", "Better-Pass-1").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn admin_password_flag_skips_the_forced_change() {
    let srv = TestServer::start().await;
    let (status, body) = srv.login("superAdmin", common::ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["must_change_password"], false);
    let (status, _) = srv.login("superAdmin", "admin123").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let srv = TestServer::start().await;
    let (s1, wrong) = srv.login("superAdmin", "not-the-password").await;
    let (s2, unknown) = srv.login("nobody-here", "not-the-password").await;
    assert_eq!(s1, StatusCode::UNAUTHORIZED);
    assert_eq!(s2, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown, "the answer must not reveal whether the user exists");
    assert_eq!(code(&wrong), "invalid_credentials");
}

#[tokio::test]
async fn passwords_over_72_bytes_are_refused_clearly() {
    let srv = TestServer::start().await;
    // 25 Chinese characters are 75 bytes: under 72 characters, over 72 bytes.
    let long = "密".repeat(25);
    let (status, body) = srv.login("superAdmin", &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["details"]["field"], "password");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("72 bytes"),
        "{body}"
    );

    let admin = srv.admin().await;
    let (status, body) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "longpw", "password": "x".repeat(73), "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("72 bytes"));
    // Exactly 72 bytes is fine, and is not truncated: a 73rd byte changes nothing else.
    let (status, _) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "pw72", "password": "y".repeat(72), "role": "staff", "must_change_password": false}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(srv.login("pw72", &"y".repeat(72)).await.0, StatusCode::OK);
    assert_eq!(srv.login("pw72", &"y".repeat(71)).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bcrypt_cost_is_configurable() {
    let srv = TestServer::start_with(|c| {
        c.bcrypt_cost = 5;
        c.admin_password = Some(common::ADMIN_PASSWORD.into());
    })
    .await;
    let hash: String = srv
        .with_db(|c| {
            c.query_row(
                "SELECT password_hash FROM users WHERE username = 'superAdmin'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert!(hash.starts_with("$2b$05$"), "{hash}");
}

#[tokio::test]
async fn missing_bad_expired_and_forged_tokens_are_refused() {
    let srv = TestServer::start().await;
    let (status, body) = srv.call(Method::GET, "/api/products", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "unauthorized");

    let now = chrono::Utc::now().timestamp();
    let sign = |claims: serde_json::Value, secret: &str| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    };
    let valid = sign(json!({"sub": "1", "tv": 0, "iat": now, "exp": now + 600}), SECRET);
    assert_eq!(
        srv.get("/api/products", &valid).await.0,
        StatusCode::OK,
        "a correctly made token works"
    );

    let expired = sign(
        json!({"sub": "1", "tv": 0, "iat": now - 7200, "exp": now - 3600}),
        SECRET,
    );
    let (status, body) = srv.get("/api/products", &expired).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"]["message"].as_str().unwrap().contains("expired"));

    let wrong_secret = sign(
        json!({"sub": "1", "tv": 0, "iat": now, "exp": now + 600}),
        "another-secret-another-secret-123",
    );
    assert_eq!(
        srv.get("/api/products", &wrong_secret).await.0,
        StatusCode::UNAUTHORIZED
    );

    // alg "none": header {"alg":"none"}, no signature.
    let b64 = |v: serde_json::Value| {
        use base64_url_encode as enc;
        enc(v.to_string().as_bytes())
    };
    let none = format!(
        "{}.{}.",
        b64(json!({"alg": "none", "typ": "JWT"})),
        b64(json!({"sub": "1", "tv": 0, "exp": now + 600}))
    );
    assert_eq!(srv.get("/api/products", &none).await.0, StatusCode::UNAUTHORIZED);

    // A tampered payload keeps the old signature.
    let parts: Vec<&str> = valid.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(json!({"sub": "2", "tv": 0, "iat": now, "exp": now + 600})),
        parts[2]
    );
    assert_eq!(srv.get("/api/products", &tampered).await.0, StatusCode::UNAUTHORIZED);

    assert_eq!(
        srv.get("/api/products", "not-a-token").await.0,
        StatusCode::UNAUTHORIZED
    );
}

/// base64url without padding, enough for hand-made JWTs.
fn base64_url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn disabled_and_deleted_users_lose_their_tokens() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (id, token) = srv.user_token(&admin, "clerk", "staff").await;
    assert_eq!(srv.get("/api/products", &token).await.0, StatusCode::OK);

    let (status, _) = srv
        .patch(&format!("/api/users/{id}"), &admin, json!({"is_active": false}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(srv.get("/api/products", &token).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = srv.login("clerk", "clerk-pass-123").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "account_disabled");

    srv.patch(&format!("/api/users/{id}"), &admin, json!({"is_active": true}))
        .await;
    let token = srv.token("clerk", "clerk-pass-123").await;
    let (status, _) = srv
        .call(Method::DELETE, &format!("/api/users/{id}"), Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(srv.get("/api/products", &token).await.0, StatusCode::UNAUTHORIZED);
}
