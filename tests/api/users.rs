//! Account management and the protected superAdmin.

use crate::common;

use common::{TestServer, code};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn admins_manage_users() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, u) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "王小明", "password": "start-pass-1", "role": "staff", "email": "wang@example.cn"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{u}");
    assert_eq!(
        u["must_change_password"], true,
        "new accounts choose their own password by default"
    );
    assert!(u.get("password_hash").is_none());
    let id = u["id"].as_i64().unwrap();

    let (status, _) = srv
        .post(
            "/api/users",
            &admin,
            json!({"username": "王小明", "password": "start-pass-1", "role": "staff"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, up) = srv
        .patch(
            &format!("/api/users/{id}"),
            &admin,
            json!({"full_name": "Wang Xiaoming", "email": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{up}");
    assert_eq!(up["full_name"], "Wang Xiaoming");
    assert_eq!(up["email"], serde_json::Value::Null);

    let (_, page) = srv.get("/api/users?q=wang&per_page=5", &admin).await;
    assert_eq!(page["total"], 1);
    let (_, page) = srv.get("/api/users?role=superadmin", &admin).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["per_page"], 20);

    let (status, reset) = srv
        .post(
            &format!("/api/users/{id}/password"),
            &admin,
            json!({"password": "reset-pass-2"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(reset["must_change_password"], true);
    assert_eq!(srv.login("王小明", "reset-pass-2").await.0, StatusCode::OK);

    let (status, _) = srv
        .call(Method::DELETE, &format!("/api/users/{id}"), Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        srv.get(&format!("/api/users/{id}"), &admin).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn nobody_can_delete_disable_or_demote_superadmin() {
    let srv = TestServer::start().await;
    let root = srv.admin().await;
    let (_, admin) = srv.user_token(&root, "second-admin", "admin").await;
    for token in [&root, &admin] {
        for patch in [
            json!({"role": "admin"}),
            json!({"role": "staff"}),
            json!({"is_active": false}),
        ] {
            let (status, body) = srv.patch("/api/users/1", token, patch.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{patch}: {body}");
        }
        let (status, _) = srv.call(Method::DELETE, "/api/users/1", Some(token), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = srv
        .post("/api/users/1/password", &admin, json!({"password": "hijacked-123"}))
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an admin cannot reset superAdmin's password"
    );
    let (status, body) = srv
        .post(
            "/api/users",
            &root,
            json!({"username": "root2", "password": "another-pass", "role": "superadmin"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(srv.login("superAdmin", common::ADMIN_PASSWORD).await.0, StatusCode::OK);
}

#[tokio::test]
async fn only_the_superadmin_grants_or_changes_admins() {
    let srv = TestServer::start().await;
    let root = srv.admin().await;
    let (admin_id, admin) = srv.user_token(&root, "boss", "admin").await;
    let (other_admin, _) = srv.user_token(&root, "boss2", "admin").await;
    let (staff_id, _) = srv.user_token(&root, "clerk", "staff").await;
    assert_eq!(
        srv.patch(&format!("/api/users/{staff_id}"), &admin, json!({"role": "admin"}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        srv.patch(
            &format!("/api/users/{other_admin}"),
            &admin,
            json!({"is_active": false})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (status, body) = srv
        .patch(&format!("/api/users/{admin_id}"), &admin, json!({"is_active": false}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "own_account");
    assert_eq!(
        srv.patch(&format!("/api/users/{staff_id}"), &admin, json!({"role": "customer"}))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        srv.patch(&format!("/api/users/{staff_id}"), &root, json!({"role": "admin"}))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn weaker_roles_get_403_on_user_management() {
    let srv = TestServer::start().await;
    let root = srv.admin().await;
    let (_, staff) = srv.user_token(&root, "clerk", "staff").await;
    let (_, customer) = srv.user_token(&root, "buyer", "customer").await;
    for token in [&staff, &customer] {
        assert_eq!(srv.get("/api/users", token).await.0, StatusCode::FORBIDDEN);
        let (status, body) = srv
            .post(
                "/api/users",
                token,
                json!({"username": "x1x", "password": "password-1", "role": "staff"}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(code(&body), "forbidden");
    }
    assert_eq!(srv.get("/api/stats", &staff).await.0, StatusCode::OK);
}

#[tokio::test]
async fn users_who_took_orders_are_disabled_not_deleted() {
    let srv = TestServer::start().await;
    let root = srv.admin().await;
    let (id, staff) = srv.user_token(&root, "clerk", "staff").await;
    let p = srv.product(&root, "U", "1.00", 5).await;
    srv.post(
        "/api/orders",
        &staff,
        json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
    )
    .await;
    let (status, body) = srv
        .call(Method::DELETE, &format!("/api/users/{id}"), Some(&root), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code(&body), "user_in_use");
}
