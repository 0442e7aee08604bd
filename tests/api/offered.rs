//! What the server offers a viewer is exactly what it then allows: the `actions` on orders
//! and accounts and the roles on /api/auth/me are checked against the changes themselves, so
//! a UI that draws its buttons from them can neither show a button that fails nor hide one
//! that works.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestServer;

const STATUSES: [&str; 5] = ["pending", "confirmed", "shipped", "completed", "cancelled"];

/// The way from pending to each status, as the admin walks it.
fn path_to(status: &str) -> &'static [&'static str] {
    match status {
        "pending" => &[],
        "confirmed" => &["confirmed"],
        "shipped" => &["confirmed", "shipped"],
        "completed" => &["confirmed", "shipped", "completed"],
        "cancelled" => &["cancelled"],
        other => panic!("{other}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn order_actions_are_what_the_server_allows() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "ACT", "1.00", 1000).await;
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let (_, customer) = srv.user_token(&admin, "buyer", "customer").await;
    let items = json!([{"product_id": p["id"], "quantity": 1}]);

    // An order at `status`, placed by the customer (so both viewers may see it).
    let order_at = |status: &'static str| {
        let (srv, admin, customer, items) = (&srv, admin.clone(), customer.clone(), items.clone());
        async move {
            let (code, order) = srv.post("/api/orders", &customer, json!({"items": items})).await;
            assert_eq!(code, StatusCode::CREATED, "{order}");
            let id = order["id"].as_i64().unwrap();
            for step in path_to(status) {
                let (code, body) = srv
                    .post(&format!("/api/orders/{id}/status"), &admin, json!({"status": step}))
                    .await;
                assert_eq!(code, StatusCode::OK, "{body}");
            }
            id
        }
    };

    let mut checked = 0;
    for (viewer, token) in [("staff", &staff), ("customer", &customer)] {
        for from in STATUSES {
            let id = order_at(from).await;
            let (_, seen) = srv.get(&format!("/api/orders/{id}"), token).await;
            assert_eq!(seen["status"], from);
            let offered = strings(&seen["actions"]["transitions"]);
            for to in STATUSES {
                let target = if offered.contains(&to.to_owned()) {
                    order_at(from).await
                } else {
                    id
                };
                let (code, body) = srv
                    .post(&format!("/api/orders/{target}/status"), token, json!({"status": to}))
                    .await;
                if offered.contains(&to.to_owned()) {
                    assert_eq!(code, StatusCode::OK, "{viewer} offered {from}→{to}: {body}");
                    assert_eq!(body["status"], to);
                } else {
                    assert!(
                        code == StatusCode::FORBIDDEN || code == StatusCode::CONFLICT,
                        "{viewer} not offered {from}→{to} but got {code}: {body}"
                    );
                }
                checked += 1;
            }
            let (_, still) = srv.get(&format!("/api/orders/{id}"), token).await;
            assert_eq!(still["status"], from, "refusals change nothing");
            let editable = seen["actions"]["editable"].as_bool().unwrap();
            let (code, body) = srv
                .patch(&format!("/api/orders/{id}"), token, json!({"note": "changed"}))
                .await;
            assert_eq!(
                code == StatusCode::OK,
                editable,
                "{viewer} editable={editable} on {from}: {code} {body}"
            );
        }
    }
    assert_eq!(checked, 50);
    // The rules, spelled out once, so a change to them is a visible change here.
    let (_, o) = srv
        .get(&format!("/api/orders/{}", order_at("pending").await), &customer)
        .await;
    assert_eq!(
        o["actions"],
        json!({"transitions": ["cancelled"], "editable": false,
               "record_payment": false, "refund": false, "void_payments": false,
               "ship": false, "return_goods": false, "edit_ship_to": false})
    );
    let (_, o) = srv
        .get(&format!("/api/orders/{}", order_at("confirmed").await), &staff)
        .await;
    assert_eq!(
        o["actions"],
        json!({"transitions": ["shipped", "cancelled"], "editable": false,
               "record_payment": true, "refund": false, "void_payments": true,
               "ship": true, "return_goods": false, "edit_ship_to": true})
    );
    srv.assert_ledger_consistent();
}

#[tokio::test]
async fn account_actions_are_what_the_server_allows() {
    let srv = TestServer::start().await;
    let superadmin = srv.admin().await;
    let (admin_id, admin) = srv.user_token(&superadmin, "deputy", "admin").await;
    let (_, me) = srv.get("/api/auth/me", &admin).await;
    assert_eq!(me["grantable_roles"], json!(["customer", "staff"]));
    let (_, me) = srv.get("/api/auth/me", &superadmin).await;
    assert_eq!(me["grantable_roles"], json!(["customer", "staff", "admin"]));
    let (_, staff) = srv.user_token(&superadmin, "clerk", "staff").await;
    let (_, me) = srv.get("/api/auth/me", &staff).await;
    assert_eq!(me["grantable_roles"], json!([]));

    // Creating an account with each role works exactly for the grantable ones.
    for (actor, token) in [("deputy", &admin), ("superAdmin", &superadmin)] {
        let (_, me) = srv.get("/api/auth/me", token).await;
        let grantable = strings(&me["grantable_roles"]);
        for role in ["customer", "staff", "admin", "superadmin"] {
            let name = format!("new-{role}-{}", actor.to_lowercase());
            let (code, body) = srv
                .post(
                    "/api/users",
                    token,
                    json!({"username": name, "password": "a-long-pass-123", "role": role}),
                )
                .await;
            assert_eq!(
                code == StatusCode::CREATED,
                grantable.contains(&role.to_owned()),
                "{actor} creating {role}: {code} {body}"
            );
        }
    }

    let targets = [
        "superAdmin",
        "deputy",
        "clerk",
        "new-customer-deputy",
        "new-admin-superadmin",
    ];
    for (actor, token) in [("deputy", &admin), ("superAdmin", &superadmin)] {
        let (_, list) = srv.get("/api/users?per_page=100", token).await;
        for target in targets {
            let user = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["username"] == target)
                .unwrap()
                .clone();
            let id = user["id"].as_i64().unwrap();
            let url = format!("/api/users/{id}");
            let actions = &user["actions"];
            let flag = |name: &str| actions[name].as_bool().unwrap();
            let ok = |code: StatusCode| code.is_success();
            let why = format!("{actor} on {target}: {actions}");

            let (code, _) = srv.patch(&url, token, json!({"full_name": "某人"})).await;
            assert_eq!(ok(code), flag("edit"), "edit, {why}");

            let offered = strings(&actions["roles"]);
            let current = user["role"].as_str().unwrap();
            for role in ["customer", "staff", "admin"].into_iter().filter(|r| *r != current) {
                let (code, body) = srv.patch(&url, token, json!({"role": role})).await;
                assert_eq!(
                    ok(code),
                    offered.contains(&role.to_owned()),
                    "role {role}, {why}: {body}"
                );
                if ok(code) {
                    let (code, body) = srv.patch(&url, token, json!({"role": current})).await;
                    assert!(ok(code), "{body}");
                }
            }

            let (code, _) = srv.patch(&url, token, json!({"is_active": false})).await;
            assert_eq!(ok(code), flag("disable"), "disable, {why}");
            if ok(code) {
                srv.patch(&url, token, json!({"is_active": true})).await;
            }

            let (code, _) = srv
                .post(
                    &format!("{url}/password"),
                    token,
                    json!({"password": "another-pass-456", "must_change_password": false}),
                )
                .await;
            assert_eq!(ok(code), flag("reset_password"), "reset, {why}");

            if !flag("delete") {
                let (code, _) = srv.call(reqwest::Method::DELETE, &url, Some(token), None).await;
                assert!(!ok(code), "delete not offered, {why}");
            }
            assert_eq!(
                flag("link_customer"),
                flag("edit") && current == "customer" && id != admin_id
            );
        }
    }
    // A delete that is offered works. (The superadmin reset deputy's password above, which
    // ended deputy's sessions.)
    let (_, list) = srv.get("/api/users?q=new-staff-deputy", &superadmin).await;
    let user = &list["items"][0];
    assert_eq!(user["actions"]["delete"], true);
    let url = format!("/api/users/{}", user["id"]);
    let (code, _) = srv.call(reqwest::Method::DELETE, &url, Some(&superadmin), None).await;
    assert_eq!(code, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn restore_is_offered_to_whoever_may_restore() {
    if crate::common::sqlite_only("SQLite restore") {
        return;
    }
    let srv = TestServer::start().await;
    let superadmin = srv.admin().await;
    let (_, admin) = srv.user_token(&superadmin, "deputy", "admin").await;
    let (status, backup) = srv.post("/api/backups", &superadmin, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{backup}");
    let url = format!("/api/backups/{}/restore", backup["name"].as_str().unwrap());
    for (who, token, code) in [
        ("admin", &admin, StatusCode::FORBIDDEN),
        ("superadmin", &superadmin, StatusCode::OK),
    ] {
        let (_, list) = srv.get("/api/backups", token).await;
        let offered = list["can_restore"].as_bool().unwrap();
        let (status, body) = srv.post(&url, token, json!({})).await;
        assert_eq!(status, code, "{who}: {body}");
        assert_eq!(offered, status.is_success(), "{who}");
    }
}

#[tokio::test]
async fn only_admins_link_a_customer_record_to_a_login() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let (login, _) = srv.user_token(&admin, "buyer", "customer").await;
    let (_, record) = srv.post("/api/customers", &admin, json!({"name": "李雷"})).await;
    let url = format!("/api/customers/{}", record["id"]);
    let (status, _) = srv.patch(&url, &staff, json!({"user_id": login})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = srv.patch(&url, &staff, json!({"note": "常客"})).await;
    assert_eq!(status, StatusCode::OK, "staff still edit the record: {body}");
    let (status, body) = srv.patch(&url, &admin, json!({"user_id": login})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["user_id"], login);
}
