//! Property tests: random input against the real code. The money parser is called directly;
//! order lines and CSV files go through the real server, which must answer every one with a
//! 2xx or a clear 4xx and keep its stock ledger consistent. `PROPTEST_CASES` sets how many.

use crate::common;

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

    /// Random lines, discount, fee and 抹零: the total is always its parts, never negative, and
    /// the rounding never takes a yuan (or ten) or more.
    #[test]
    fn order_totals_are_always_the_sum_of_their_parts(
        lines in proptest::collection::vec((0i64..1_000_000, 1i64..100), 1..20),
        discount in 0i64..5_000_000,
        fee in 0i64..100_000,
        mode in 0usize..3,
    ) {
        use order_system::orders::adjustments::{Adjustments, RoundDown, totals};
        let lines_total: i64 = lines.iter().map(|(price, qty)| price * qty).sum();
        let round_down = [RoundDown::None, RoundDown::Yuan, RoundDown::TenYuan][mode];
        let a = Adjustments { discount: Money::from_minor(discount), round_down, shipping_fee: Money::from_minor(fee) };
        match totals(Money::from_minor(lines_total), &a) {
            Ok(t) => {
                prop_assert_eq!(t.total.minor(), lines_total - discount - t.rounding.minor() + fee);
                prop_assert!(t.total.minor() >= 0);
                let step = [1, 100, 1_000][mode];
                prop_assert!(t.rounding.minor() >= 0 && t.rounding.minor() < step);
                prop_assert_eq!(t.total.minor() % step, 0);
            }
            Err(_) => prop_assert!(discount > lines_total + fee, "refused only a discount beyond the order"),
        }
    }

    /// Random lines with percentages off and tax rates, tax included or not: each line is
    /// within half a fen of its exact value, tax is never more than the line, and the order's
    /// total is always the sum of its rounded lines (and their tax, when it is added).
    #[test]
    fn line_prices_and_tax_round_half_up_and_sum(
        lines in proptest::collection::vec((0i64..1_000_000_000, 1i64..100_000, 0i64..=10_000, 0i64..=10_000), 1..20),
        include in any::<bool>(),
    ) {
        use order_system::pricing::{Percent, line_tax, line_total};
        let (mut subtotal, mut tax) = (0i64, 0i64);
        for (price, qty, off, rate) in lines {
            let total = line_total(Money::from_minor(price), qty, Percent::from_bp(off)).unwrap().minor();
            // |total − price·qty·(1 − off)| ≤ ½ fen, in exact integers scaled by 20,000.
            let exact = i128::from(price) * i128::from(qty) * i128::from(10_000 - off);
            prop_assert!((i128::from(total) * 10_000 - exact).abs() * 2 <= 10_000);
            prop_assert!(total >= 0 && total <= price * qty);
            let t = line_tax(Money::from_minor(total), Percent::from_bp(rate), include).minor();
            prop_assert!(t >= 0 && t <= total.max(0) + 1);
            let base = if include { 10_000 + rate } else { 10_000 };
            prop_assert!((i128::from(t) * i128::from(base) - i128::from(total) * i128::from(rate)).abs() * 2 <= i128::from(base));
            subtotal += total;
            tax += t;
        }
        let goods = if include { subtotal } else { subtotal + tax };
        prop_assert!(goods >= subtotal);
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
            // 409: the same bytes again (already_imported), or a clash with what is there.
            prop_assert!(
                [200, 202, 400, 409, 413, 415, 422].contains(&status),
                "{} for:\n{}",
                status,
                csv
            );
            Ok(())
        })
        .unwrap();
    srv.assert_ledger_consistent();
}

/// The order list's count over a date range (whole days from the daily totals kept by
/// triggers, partial days from the orders) equals counting the orders, also after status
/// changes, edits of totals and deletions.
#[test]
fn order_counts_by_day_totals_equal_counting_the_orders() {
    use order_system::http::list::Paging;
    use order_system::orders::store::{OrderFilter, list};
    use order_system::orders::types::OrderStatus;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("order-system.db");
    order_system::db::migrations::apply(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO users (username, role, password_hash, created_at, updated_at)
         VALUES ('superAdmin', 'superadmin', 'x', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
        [],
    )
    .unwrap();
    let plan = order_system::demo::Plan {
        products: 20,
        customers: 50,
        orders: 3_000,
        seed: 11,
    };
    order_system::demo::generate(&(&conn).into(), plan, |_| {}).unwrap();
    conn.execute_batch(
        "UPDATE orders SET status = 'cancelled' WHERE id % 7 = 0;
         UPDATE orders SET total_amount_minor = total_amount_minor + 1 WHERE id % 11 = 0;
         UPDATE orders SET created_at = '2026-06-15T12:00:00.000Z' WHERE id % 13 = 0;
         DELETE FROM payments WHERE order_id % 17 = 0;
         DELETE FROM orders WHERE id % 17 = 0;",
    )
    .unwrap();
    let statuses = [None, Some(OrderStatus::Completed), Some(OrderStatus::Cancelled)];
    let time =
        (0u32..400, 0u32..24, prop_oneof![Just(0u32), 0u32..60], any::<bool>()).prop_map(|(d, h, m, midnight)| {
            let day = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap() + chrono::Duration::days(i64::from(d));
            if midnight {
                format!("{}T00:00:00.000Z", day.format("%Y-%m-%d"))
            } else {
                format!("{}T{h:02}:{m:02}:00.000Z", day.format("%Y-%m-%d"))
            }
        });
    let range = (
        0usize..3,
        proptest::option::of(time.clone()),
        proptest::option::of(time),
    );
    let paging = Paging {
        page: 1,
        per_page: 1,
        search: None,
        sort: None,
    };
    let mut runner = TestRunner::new(cases(300));
    runner
        .run(&range, |(s, from, to)| {
            let filter = OrderFilter {
                status: statuses[s],
                customer_id: None,
                payment_status: None,
                from: from.clone(),
                to: to.clone(),
            };
            let (_, total) = list(&(&conn).into(), &filter, &paging, "o.created_at DESC, o.id DESC").unwrap();
            let direct: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM orders WHERE (?1 IS NULL OR status = ?1)
                     AND (?2 IS NULL OR created_at >= ?2) AND (?3 IS NULL OR created_at < ?3)",
                    rusqlite::params![statuses[s].map(|x| x.as_str()), from, to],
                    |r| r.get(0),
                )
                .unwrap();
            prop_assert_eq!(total, direct);
            Ok(())
        })
        .unwrap();
}

/// One step on an order's money: pay, refund, void an entry, cancel, or shrink the order.
#[derive(Clone, Debug)]
enum MoneyStep {
    Pay(i64, bool),
    Refund(i64),
    Void(usize),
    Cancel,
    Shrink,
}

fn money_step() -> impl Strategy<Value = MoneyStep> {
    let cents = prop_oneof![1i64..=5_000, Just(10_000i64), Just(2_500i64), any::<i64>()];
    prop_oneof![
        4 => (cents.clone(), any::<bool>()).prop_map(|(c, over)| MoneyStep::Pay(c, over)),
        2 => cents.prop_map(MoneyStep::Refund),
        2 => (0usize..8).prop_map(MoneyStep::Void),
        1 => Just(MoneyStep::Cancel),
        1 => Just(MoneyStep::Shrink),
    ]
}

fn cents(minor: i64) -> String {
    Money::from_minor(minor).to_string()
}

/// Random payments, refunds, voids, cancels and edits on one order: every answer is a 2xx or
/// a clear 4xx, paid is never negative nor a refund more than was paid, the balance is always
/// what is due less what was paid, and `check` finds the order equal to its journal.
#[test]
fn random_money_steps_keep_paid_equal_to_the_payments() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(TestServer::start());
    let admin = rt.block_on(srv.admin());
    let product = rt.block_on(srv.product(&admin, "MONEY", "50.00", 1_000_000));
    let steps = proptest::collection::vec(money_step(), 1..12);
    let mut runner = TestRunner::new(cases(60));
    runner
        .run(&steps, |steps| {
            rt.block_on(async {
                let (_, order) = srv
                    .post(
                        "/api/orders",
                        &admin,
                        json!({"items": [{"product_id": product["id"], "quantity": 2}]}),
                    )
                    .await;
                let id = order["id"].as_i64().unwrap();
                let path = format!("/api/orders/{id}/payments");
                for step in &steps {
                    let (status, answer) = match step {
                        MoneyStep::Pay(c, over) => {
                            srv.post(
                                &path,
                                &admin,
                                json!({"amount": cents(*c), "method": "cash", "allow_overpayment": over}),
                            )
                            .await
                        }
                        MoneyStep::Refund(c) => {
                            srv.post(
                                &path,
                                &admin,
                                json!({"kind": "refund", "amount": cents(*c), "method": "card", "reason": "r"}),
                            )
                            .await
                        }
                        MoneyStep::Void(i) => {
                            let (_, ledger) = srv.get(&path, &admin).await;
                            let items = ledger["items"].as_array().unwrap();
                            if items.is_empty() {
                                continue;
                            }
                            let pid = &items[i % items.len()]["id"];
                            srv.post(&format!("{path}/{pid}/void"), &admin, json!({"reason": "v"}))
                                .await
                        }
                        MoneyStep::Cancel => {
                            srv.post(
                                &format!("/api/orders/{id}/status"),
                                &admin,
                                json!({"status": "cancelled"}),
                            )
                            .await
                        }
                        MoneyStep::Shrink => {
                            let items = json!([{"product_id": product["id"], "quantity": 1}]);
                            srv.patch(&format!("/api/orders/{id}"), &admin, json!({"items": items}))
                                .await
                        }
                    };
                    prop_assert!(
                        [200, 201, 409, 422].contains(&status.as_u16()),
                        "{:?} -> {} {}",
                        step,
                        status,
                        answer
                    );
                    let (_, ledger) = srv.get(&path, &admin).await;
                    let minor = |k: &str| ledger[k].as_str().unwrap().parse::<Money>().unwrap().minor();
                    let (_, order) = srv.get(&format!("/api/orders/{id}"), &admin).await;
                    let due = if order["status"] == "cancelled" {
                        0
                    } else {
                        minor("total_amount")
                    };
                    prop_assert!(minor("paid_amount") >= 0 && minor("refunded_amount") >= 0, "{}", ledger);
                    prop_assert_eq!(minor("balance_due"), due - minor("paid_amount"), "{}", ledger);
                    prop_assert_eq!(minor("refund_due"), (minor("paid_amount") - due).max(0), "{}", ledger);
                }
                Ok(())
            })
        })
        .unwrap();
    let (_, report) = rt.block_on(srv.get("/api/maintenance/check", &admin));
    assert_eq!(report["ok"], true, "{report}");
}
