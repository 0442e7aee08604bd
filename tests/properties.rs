//! Property tests: random input against the real code. The money parser is called directly;
//! order lines and CSV files go through the real server, which must answer every one with a
//! 2xx or a clear 4xx and keep its stock ledger consistent. `PROPTEST_CASES` sets how many.

mod common;

use common::TestServer;
use order_system::money::Money;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(cases(2000))]

    #[test]
    fn any_text_parses_to_money_or_a_clear_error(text in any::<String>()) {
        let _ = text.parse::<Money>();
    }

    #[test]
    fn money_text_round_trips(minor in -9_223_372_036_854_700_i64..=9_223_372_036_854_700_i64) {
        let money = Money::from_minor(minor);
        let text = money.to_string();
        prop_assert_eq!(text.parse::<Money>().ok(), Some(money), "{}", text);
    }

    #[test]
    fn decimal_like_text_is_exact_or_refused(whole in "[0-9]{1,20}", fraction in "[0-9]{0,6}", negative in any::<bool>()) {
        let text = format!("{}{whole}{}{fraction}", if negative { "-" } else { "" }, if fraction.is_empty() { "" } else { "." });
        if let Ok(money) = text.parse::<Money>() {
            // Exactly the cents written, never a rounded value.
            let cents = format!("{fraction:0<2}");
            prop_assert!(cents[2..].bytes().all(|b| b == b'0'), "{} accepted with extra precision", text);
            let expected = format!("{}{}.{}", if negative && money.minor() != 0 { "-" } else { "" }, whole.trim_start_matches('0').parse::<u128>().unwrap_or(0), &cents[..2]);
            prop_assert_eq!(money.to_string(), expected);
        }
    }

    #[test]
    fn json_numbers_never_panic(x in any::<f64>()) {
        let _ = serde_json::from_value::<Money>(json!(x));
    }
}

#[test]
fn random_orders_get_2xx_or_clear_4xx_and_stock_always_matches_the_ledger() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(TestServer::start());
    let admin = rt.block_on(srv.admin());
    let ids: Vec<i64> = rt.block_on(async {
        let mut ids = Vec::new();
        for (i, stock) in [0, 1, 5, 1_000].into_iter().enumerate() {
            let p = srv.product(&admin, &format!("P-{i}"), "12.34", stock).await;
            ids.push(p["id"].as_i64().unwrap());
        }
        ids
    });
    let product = prop_oneof![
        proptest::sample::select(ids.clone()),
        any::<i64>(),
        Just(0i64),
        Just(-1i64),
    ];
    let quantity = prop_oneof![1i64..5, any::<i64>(), Just(100_000i64), Just(100_001i64), Just(0i64)];
    let items = proptest::collection::vec((product, quantity), 0..6);
    let mut runner = TestRunner::new(cases(150));
    runner
        .run(&items, |items| {
            let body = json!({
                "items": items.iter().map(|(p, q)| json!({"product_id": p, "quantity": q})).collect::<Vec<_>>()
            });
            let (status, answer) = rt.block_on(srv.post("/api/orders", &admin, body));
            prop_assert!(
                [201, 404, 409, 422].contains(&status.as_u16()),
                "{:?} -> {} {}",
                items,
                status,
                answer
            );
            Ok(())
        })
        .unwrap();
    srv.assert_ledger_consistent();
}

/// A CSV cell: plain, numeric, formula-like, quoted, multi-line, Chinese, huge or empty.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 _-]{0,12}",
        "-?[0-9]{1,25}(\\.[0-9]{0,4})?",
        "[=+@-][a-zA-Z0-9()]{0,8}",
        "\"[^\"]{0,10}\"",
        "[中文商品价格]{1,6}",
        any::<String>().prop_map(|s| s.chars().take(20).collect()),
        Just(String::new()),
    ]
}

#[test]
fn random_csv_files_are_imported_whole_or_refused_clearly() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(TestServer::start());
    let admin = rt.block_on(srv.admin());
    let header = prop_oneof![
        Just("sku,name,price,stock_quantity".to_owned()),
        Just("sku,name,price".to_owned()),
        Just("\u{feff}sku,name,price,description,low_stock_threshold".to_owned()),
        "[a-z,]{0,30}",
    ];
    let rows = proptest::collection::vec(proptest::collection::vec(cell(), 0..6), 0..8);
    let file = (header, rows, any::<bool>());
    let mut runner = TestRunner::new(cases(120));
    runner
        .run(&file, |(header, rows, dry_run)| {
            let mut csv = header.clone();
            for row in &rows {
                csv.push('\n');
                csv.push_str(&row.join(","));
            }
            let res = rt.block_on(async {
                srv.client
                    .post(format!("{}/api/imports/products?dry_run={dry_run}", srv.url))
                    .bearer_auth(&admin)
                    .header("content-type", "text/csv")
                    .body(csv.clone())
                    .send()
                    .await
            });
            let status = res.unwrap().status().as_u16();
            prop_assert!([200, 400, 413, 415, 422].contains(&status), "{} for:\n{}", status, csv);
            Ok(())
        })
        .unwrap();
    srv.assert_ledger_consistent();
}
