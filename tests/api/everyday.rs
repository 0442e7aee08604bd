//! The desk as a shop uses it: finding orders by what people remember, Chinese names in
//! pinyin order, a dashboard about today, one record per customer, what customers may see.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestServer;

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn orders_are_found_by_last_digits_phone_and_name() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "FIND", "1.00", 100).await;
    let (_, zhang) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "张三", "phone": "+86 139-0011-2233", "address": "上海市浦东新区世纪大道100号"}),
        )
        .await;
    let (_, li) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "李四", "phone": "13800000000"}),
        )
        .await;
    let order = |customer: &Value| {
        let body = json!({"customer_id": customer["id"], "items": [{"product_id": p["id"], "quantity": 1}]});
        let srv = &srv;
        let admin = admin.clone();
        async move { srv.post("/api/orders", &admin, body).await.1 }
    };
    let first = order(&zhang).await;
    let second = order(&li).await;
    let second_number = second["order_number"].as_str().unwrap().to_owned();
    assert!(second_number.ends_with("0002"), "{second_number}");
    let search = |q: &str| {
        let srv = &srv;
        let path = format!("/api/orders?q={}", urlencode(q));
        let admin = admin.clone();
        async move { ids(&srv.get(&path, &admin).await.1) }
    };
    assert_eq!(
        search("0002").await,
        vec![second["id"].as_i64().unwrap()],
        "the last digits"
    );
    assert_eq!(search(&second_number[..6]).await.len(), 2, "the start, as before");
    for phone in ["13900112233", "139 0011 2233", "+8613900112233", "2233"] {
        assert_eq!(search(phone).await, vec![first["id"].as_i64().unwrap()], "{phone}");
    }
    assert_eq!(
        search("张").await,
        vec![first["id"].as_i64().unwrap()],
        "the customer's name"
    );
    // Customers by phone digits and by address.
    let (_, found) = srv
        .get(&format!("/api/customers?q={}", urlencode("139-0011-2233")), &admin)
        .await;
    assert_eq!(ids(&found), vec![zhang["id"].as_i64().unwrap()]);
    let (_, found) = srv
        .get(&format!("/api/customers?q={}", urlencode("世纪大道")), &admin)
        .await;
    assert_eq!(ids(&found), vec![zhang["id"].as_i64().unwrap()]);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn chinese_names_sort_by_pinyin_in_every_list() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    for (i, name) in ["张三", "阿姨", "Bob", "李四", "alice", "王五"].iter().enumerate() {
        let (status, _) = srv
            .post(
                "/api/products",
                &admin,
                json!({"sku": format!("PY-{i}"), "name": name, "price": "1.00", "stock_quantity": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        srv.post("/api/customers", &admin, json!({"name": name})).await;
    }
    let expected = vec!["alice", "阿姨", "Bob", "李四", "王五", "张三"];
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, products) = srv.get("/api/products?sort=name", &admin).await;
    assert_eq!(names(&products), expected);
    let (_, customers) = srv.get("/api/customers?sort=name", &admin).await;
    assert_eq!(names(&customers), expected);
    let (_, backwards) = srv.get("/api/products?sort=-name", &admin).await;
    assert_eq!(names(&backwards), expected.iter().rev().cloned().collect::<Vec<_>>());
}

#[tokio::test]
async fn the_dashboard_answers_how_today_is_going() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, empty) = srv.get("/api/stats", &admin).await;
    assert_eq!(
        empty["getting_started"],
        json!({"shop_named": false, "has_products": false, "has_orders": false}),
        "an empty shop gets its first steps"
    );
    let p = srv.product(&admin, "DAY", "10.00", 12).await;
    let low = srv.product(&admin, "LOW", "1.00", 2).await;
    let mut orders = Vec::new();
    for _ in 0..3 {
        let (_, o) = srv
            .post(
                "/api/orders",
                &admin,
                json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
            )
            .await;
        orders.push(o);
    }
    srv.post(
        "/api/orders",
        &admin,
        json!({"items": [{"product_id": low["id"], "quantity": 1}]}),
    )
    .await;
    let status = |i: usize, to: &str| {
        let srv = &srv;
        let path = format!("/api/orders/{}/status", orders[i]["id"]);
        let admin = admin.clone();
        let body = json!({ "status": to });
        async move { srv.post(&path, &admin, body).await.0 }
    };
    assert_eq!(status(0, "confirmed").await, StatusCode::OK);
    assert_eq!(status(1, "confirmed").await, StatusCode::OK);
    assert_eq!(status(1, "shipped").await, StatusCode::OK);
    srv.patch("/api/settings", &admin, json!({"business_name": "张记杂货"}))
        .await;
    let (_, s) = srv.get("/api/stats", &admin).await;
    assert_eq!(
        s["today"],
        json!({"orders": 4, "sale_orders": 2, "sales": "20.00", "takings": [], "takings_total": "0.00", "gross_profit": "0.00"}),
        "pending orders are not sales yet; nothing was paid; no cost prices, so no gross profit known"
    );
    assert_eq!((s["to_confirm"].as_i64(), s["to_ship"].as_i64()), (Some(2), Some(1)));
    assert_eq!(s["low_stock_count"], 2, "LOW at 1 and DAY at 9, under the default 10");
    assert_eq!(
        s["getting_started"],
        json!({"shop_named": true, "has_products": true, "has_orders": true})
    );
}

#[tokio::test]
async fn a_customer_login_and_its_customer_are_one_record() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "ONE", "5.00", 10).await;
    let (_, shop_record) = srv
        .post(
            "/api/customers",
            &admin,
            json!({"name": "王老板", "phone": "13700000000"}),
        )
        .await;
    let (login_id, login) = srv.user_token(&admin, "wang", "customer").await;
    // The login orders before anyone linked it: a record is made for it.
    let (status, first) = srv
        .post(
            "/api/orders",
            &login,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let made = first["customer_id"].as_i64().unwrap();
    assert_ne!(made, shop_record["id"].as_i64().unwrap());
    // An admin links the login to the shop's own record, from the user's side: the record made
    // for it is folded in, its order moves along.
    let (status, user) = srv
        .patch(
            &format!("/api/users/{login_id}"),
            &admin,
            json!({"customer_id": shop_record["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["customer_id"], shop_record["id"]);
    let (status, _) = srv.get(&format!("/api/customers/{made}"), &admin).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no second record of one person");
    let (_, moved) = srv.get(&format!("/api/orders/{}", first["id"]), &admin).await;
    assert_eq!(moved["customer_id"], shop_record["id"]);
    // New orders by the login go to the linked record.
    let (_, next) = srv
        .post(
            "/api/orders",
            &login,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    assert_eq!(next["customer_id"], shop_record["id"]);
    let (_, mine) = srv.get("/api/orders", &login).await;
    assert_eq!(mine["total"], 2, "the login sees both orders");
    // Only customer logins can be linked.
    let (staff_id, _) = srv.user_token(&admin, "clerk", "staff").await;
    let (status, _) = srv
        .patch(
            &format!("/api/users/{staff_id}"),
            &admin,
            json!({"customer_id": shop_record["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn customers_see_in_stock_not_exact_stock_or_skus_unless_the_shop_shows_them() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "SECRET-SKU", "3.00", 7).await;
    srv.product(&admin, "GONE", "3.00", 0).await;
    let (_, customer) = srv.user_token(&admin, "shopper", "customer").await;
    let (_, page) = srv.get("/api/products?sort=sku", &customer).await;
    let first = &page["items"][0];
    assert_eq!(first["in_stock"], false, "GONE sorts first and is out of stock");
    let (_, one) = srv.get(&format!("/api/products/{}", p["id"]), &customer).await;
    assert_eq!(one["in_stock"], true);
    assert!(one["sku"].is_null() && one["stock_quantity"].is_null(), "{one}");
    // Ordering too much tells them it is short, not how many there are.
    let too_many = json!({"items": [{"product_id": p["id"], "quantity": 8}]});
    let (status, refused) = srv.post("/api/orders", &customer, too_many.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["error"]["code"], "insufficient_stock");
    let (details, message) = (
        &refused["error"]["details"],
        refused["error"]["message"].as_str().unwrap(),
    );
    assert!(details["sku"].is_null() && details["available"].is_null(), "{refused}");
    assert!(!message.contains("available"), "{message}");
    srv.patch("/api/settings", &admin, json!({"show_stock_to_customers": true}))
        .await;
    let (_, refused) = srv.post("/api/orders", &customer, too_many).await;
    assert_eq!(
        refused["error"]["details"]["available"], 7,
        "shown when the shop shows stock"
    );
    let (_, one) = srv.get(&format!("/api/products/{}", p["id"]), &customer).await;
    assert_eq!(
        (one["sku"].as_str(), one["stock_quantity"].as_i64()),
        (Some("SECRET-SKU"), Some(7))
    );
    // Staff always see everything.
    let (_, staff_view) = srv.get(&format!("/api/products/{}", p["id"]), &admin).await;
    assert_eq!(staff_view["stock_quantity"], 7);
}

#[tokio::test]
async fn the_shop_keeps_its_address_and_phone() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (status, s) = srv
        .patch(
            "/api/settings",
            &admin,
            json!({"business_address": "杭州市西湖区文三路1号", "business_phone": "0571-8888 6666"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["business_address"], "杭州市西湖区文三路1号");
    let (status, _) = srv
        .patch("/api/settings", &admin, json!({"business_phone": "call me"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, s) = srv.get("/api/settings", &admin).await;
    assert_eq!(s["business_phone"], "0571-8888 6666");
}

#[tokio::test]
async fn the_audit_log_names_things_and_lists_what_changed() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let p = srv.product(&admin, "AUD-1", "1.00", 10).await;
    srv.patch(&format!("/api/products/{}", p["id"]), &admin, json!({"price": "2.50"}))
        .await;
    let (_, order) = srv
        .post(
            "/api/orders",
            &admin,
            json!({"items": [{"product_id": p["id"], "quantity": 1}]}),
        )
        .await;
    srv.post(
        &format!("/api/orders/{}/status", order["id"]),
        &admin,
        json!({"status": "confirmed"}),
    )
    .await;
    let (_, c) = srv.post("/api/customers", &admin, json!({"name": "王五"})).await;
    let (status, _) = srv
        .call(
            reqwest::Method::DELETE,
            &format!("/api/customers/{}", c["id"]),
            Some(&admin),
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");

    let entry = |action: &str| {
        let (srv, admin, path) = (&srv, admin.clone(), format!("/api/audit?action={action}"));
        async move { srv.get(&path, &admin).await.1["items"][0].clone() }
    };
    let moved = entry("order.status").await;
    assert_eq!(moved["entity_label"], order["order_number"], "the number, not #id");
    assert_eq!(
        moved["changes"],
        json!([{"field": "status", "from": "pending", "to": "confirmed"}])
    );
    let priced = entry("product.update").await;
    assert_eq!(priced["entity_label"], "AUD-1");
    let fields: Vec<&str> = priced["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"price"), "{priced}");
    assert!(!fields.contains(&"updated_at"), "bookkeeping is left out: {priced}");
    let gone = entry("customer.delete").await;
    assert_eq!(gone["entity_label"], "王五", "kept from the entry once the row is gone");
    assert!(gone["changes"].as_array().unwrap().iter().all(|c| c["to"].is_null()));
}

#[tokio::test]
async fn backup_names_carry_the_shop_time() {
    if crate::common::sqlite_only("SQLite backups") {
        return;
    }
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    // UTC+14 all year, so the name's day or hour differs from UTC's whatever the clock says.
    let (status, body) = srv
        .patch("/api/settings", &admin, json!({"time_zone": "Pacific/Kiritimati"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, first) = srv.post("/api/backups", &admin, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let taken = chrono::DateTime::parse_from_rfc3339(first["created_at"].as_str().unwrap()).unwrap();
    let local = taken.with_timezone(&chrono_tz::Pacific::Kiritimati);
    let name = first["name"].as_str().unwrap();
    assert!(
        name.starts_with(&format!("order-system-{}", local.format("%Y%m%d-%H%M"))),
        "{name} vs {local}"
    );
    // The list stays newest first when the zone moves back: by when, not by name.
    srv.patch("/api/settings", &admin, json!({"time_zone": "Etc/GMT+12"}))
        .await;
    let (_, second) = srv.post("/api/backups", &admin, json!({})).await;
    assert!(second["name"].as_str().unwrap() < name, "an earlier-looking name");
    let (_, list) = srv.get("/api/backups", &admin).await;
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![second["name"].as_str().unwrap(), name]);
}

#[tokio::test]
async fn the_shop_logo_is_uploaded_checked_and_served() {
    let srv = TestServer::start().await;
    let admin = srv.admin().await;
    let (_, staff) = srv.user_token(&admin, "clerk", "staff").await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/settings/logo", srv.url);
    let put = |token: &str, body: Vec<u8>| {
        client
            .put(&url)
            .bearer_auth(token)
            .header("content-type", "image/png")
            .body(body)
            .send()
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[7u8; 1000]);

    assert_eq!(client.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(put(&staff, png.clone()).await.unwrap().status(), StatusCode::FORBIDDEN);
    let svg = put(
        &admin,
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(
        svg.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a claimed type is not believed"
    );
    let mut big = png.clone();
    big.resize(600 * 1024, 0);
    assert_eq!(put(&admin, big).await.unwrap().status(), StatusCode::PAYLOAD_TOO_LARGE);

    let saved = put(&admin, png.clone()).await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let settings: Value = saved.json().await.unwrap();
    assert!(settings["logo_updated_at"].is_string(), "{settings}");
    let (_, read) = srv.get("/api/settings", &staff).await;
    assert_eq!(
        read["logo_updated_at"], settings["logo_updated_at"],
        "every reader sees it"
    );

    let got = client.get(&url).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK, "public: the sign-in page shows it");
    assert_eq!(got.headers()["content-type"], "image/png");
    let etag = got.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(got.bytes().await.unwrap().to_vec(), png);
    let again = client.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let (_, trail) = srv.get("/api/audit?action=settings.logo", &admin).await;
    assert_eq!(trail["total"], 1);
    let (status, body) = srv
        .call(reqwest::Method::DELETE, "/api/settings/logo", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["logo_updated_at"].is_null());
    assert_eq!(client.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}
