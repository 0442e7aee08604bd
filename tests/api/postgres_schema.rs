//! The PostgreSQL schema (migrations/postgres) against SQLite's (migrations/sqlite): the same
//! tables, columns (type, NOT NULL, default), keys, foreign keys, CHECK constraints, indexes
//! and triggers, so the two folders cannot drift; and `migrate --database` itself: under its
//! lock, two at once apply each migration once, and another application's database is
//! refused.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rusqlite::Connection;

use crate::common::postgres::Cluster;
use crate::common::process::{run, text};

/// One table as both engines can describe it.
#[derive(Debug, Default)]
struct Table {
    /// name → (type, not null, default)
    columns: BTreeMap<String, (String, bool, Option<String>)>,
    primary_key: Vec<String>,
    /// Column lists of unique constraints and unique indexes ("<expr>" for an expression), with
    /// whether the index is partial.
    unique: BTreeSet<(Vec<String>, bool)>,
    /// (columns, referenced table, referenced columns, on delete)
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>, String)>,
    checks: usize,
    /// Indexes made by CREATE INDEX: name → columns.
    indexes: BTreeMap<String, Vec<String>>,
    triggers: BTreeSet<String>,
}

/// Sums of bigints kept by triggers, which may pass 64 bits: NUMERIC on PostgreSQL, where
/// SQLite's INTEGER holds such a value as REAL instead of failing.
const WIDER_ON_POSTGRES: &[(&str, &str)] = &[
    ("order_status_totals", "total_amount_minor"),
    ("order_daily_totals", "total_amount_minor"),
];

/// Triggers only PostgreSQL has: each NOTIFYs the other servers that a cached table changed
/// (V18). On SQLite one server owns the file and sees other processes' commits through
/// `PRAGMA data_version`.
const NOTICES_ON_POSTGRES: &[(&str, &str)] = &[
    ("users", "users_changed"),
    ("revoked_tokens", "revoked_tokens_changed"),
    ("products", "products_changed"),
    ("settings", "settings_changed"),
];

fn sqlite_type(t: &str) -> String {
    match t {
        "INTEGER" => "bigint",
        "TEXT" => "text",
        "BLOB" => "bytea",
        other => other,
    }
    .to_owned()
}

fn sqlite_schema(path: &Path) -> BTreeMap<String, Table> {
    let conn = Connection::open(path).unwrap();
    let strings = |sql: &str, arg: &str| -> Vec<Vec<Option<String>>> {
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([arg], |r| {
            (0..n)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                        rusqlite::types::Value::Null => None,
                        rusqlite::types::Value::Integer(i) => Some(i.to_string()),
                        rusqlite::types::Value::Text(t) => Some(t),
                        other => Some(format!("{other:?}")),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    let mut out = BTreeMap::new();
    let tables = strings(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> 'refinery_schema_history' AND ?1 = ?1",
        "",
    );
    for row in tables {
        let (name, sql) = (row[0].clone().unwrap(), row[1].clone().unwrap());
        let mut t = Table::default();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in strings(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?1)",
            &name,
        ) {
            let col = c[0].clone().unwrap();
            let pk_pos: i64 = c[4].as_deref().unwrap().parse().unwrap();
            if pk_pos > 0 {
                pk.push((pk_pos, col.clone()));
            }
            let not_null = c[2].as_deref() == Some("1") || pk_pos > 0;
            t.columns
                .insert(col, (sqlite_type(c[1].as_deref().unwrap()), not_null, c[3].clone()));
        }
        pk.sort();
        t.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        for ix in strings(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)",
            &name,
        ) {
            let ix_name = ix[0].clone().unwrap();
            let columns: Vec<String> = strings(
                "SELECT name FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno",
                &ix_name,
            )
            .into_iter()
            .map(|c| c[0].clone().unwrap_or_else(|| "<expr>".into()))
            .collect();
            let origin = ix[2].as_deref().unwrap();
            if ix[1].as_deref() == Some("1") && origin != "pk" {
                t.unique.insert((columns.clone(), ix[3].as_deref() == Some("1")));
            }
            if origin == "c" {
                t.indexes.insert(ix_name, columns);
            }
        }
        let mut fks: BTreeMap<i64, (Vec<String>, String, Vec<String>, String)> = BTreeMap::new();
        for fk in strings(
            "SELECT id, \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
            &name,
        ) {
            let e = fks
                .entry(fk[0].as_deref().unwrap().parse().unwrap())
                .or_insert_with(|| (Vec::new(), fk[2].clone().unwrap(), Vec::new(), fk[4].clone().unwrap()));
            e.0.push(fk[1].clone().unwrap());
            e.2.push(fk[3].clone().unwrap());
        }
        t.foreign_keys = fks.into_values().collect();
        t.checks = sql.matches("CHECK (").count();
        t.triggers = strings(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1",
            &name,
        )
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
        out.insert(name, t);
    }
    out
}

/// Rows of `sql` in PostgreSQL, each split on '|'.
fn rows(pg: &Cluster, db: &str, sql: &str) -> Vec<Vec<String>> {
    pg.sql(db, sql)
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.split('|').map(str::to_owned).collect())
        .collect()
}

fn pg_schema(pg: &Cluster, db: &str) -> BTreeMap<String, Table> {
    let mut out: BTreeMap<String, Table> = BTreeMap::new();
    for r in rows(
        pg,
        db,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
         AND table_type = 'BASE TABLE' AND table_name <> 'refinery_schema_history'",
    ) {
        out.insert(r[0].clone(), Table::default());
    }
    for r in rows(
        pg,
        db,
        "SELECT table_name, column_name, data_type, is_nullable, COALESCE(column_default, '<none>')
         FROM information_schema.columns WHERE table_schema = 'public'",
    ) {
        let Some(t) = out.get_mut(&r[0]) else { continue };
        // '0', 'unpaid'::text: the value as SQLite writes it.
        let default = (r[4] != "<none>").then(|| r[4].split("::").next().unwrap().to_owned());
        t.columns.insert(r[1].clone(), (r[2].clone(), r[3] == "NO", default));
    }
    // Keys, foreign keys and checks, from the constraints.
    let names = "(SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest({cols}) WITH ORDINALITY AS k(n, i)
                  JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.n)";
    let sql = format!(
        "SELECT c.conrelid::regclass::text, c.contype, array_to_string({}, ','), COALESCE(c.confrelid::regclass::text, ''),
                COALESCE(array_to_string({}, ','), ''), c.confdeltype
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'",
        names.replace("{cols}", "c.conkey").replace("{rel}", "c.conrelid"),
        names.replace("{cols}", "c.confkey").replace("{rel}", "c.confrelid"),
    );
    for r in rows(pg, db, &sql) {
        let Some(t) = out.get_mut(&r[0]) else { continue };
        let columns: Vec<String> = r[2].split(',').map(str::to_owned).collect();
        match r[1].as_str() {
            "p" => t.primary_key = columns,
            "u" => {
                t.unique.insert((columns, false));
            }
            "c" => t.checks += 1,
            "f" => {
                let on_delete = match r[5].as_str() {
                    "c" => "CASCADE",
                    "n" => "SET NULL",
                    "r" => "RESTRICT",
                    "d" => "SET DEFAULT",
                    _ => "NO ACTION",
                };
                t.foreign_keys.insert((
                    columns,
                    r[3].clone(),
                    r[4].split(',').map(str::to_owned).collect(),
                    on_delete.to_owned(),
                ));
            }
            _ => {}
        }
    }
    // Indexes that back no constraint: made by CREATE INDEX.
    for r in rows(
        pg,
        db,
        "SELECT t.relname, i.relname, x.indisunique, x.indpred IS NOT NULL,
                (SELECT string_agg(COALESCE(a.attname::text, '<expr>'), ',' ORDER BY k.i)
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(n, i)
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n)
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    ) {
        let Some(t) = out.get_mut(&r[0]) else { continue };
        let columns: Vec<String> = r[4].split(',').map(str::to_owned).collect();
        if r[2] == "t" {
            t.unique.insert((columns.clone(), r[3] == "t"));
        }
        t.indexes.insert(r[1].clone(), columns);
    }
    for r in rows(
        pg,
        db,
        "SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers
         WHERE trigger_schema = 'public'",
    ) {
        if let Some(t) = out.get_mut(&r[0]) {
            t.triggers.insert(r[1].clone());
        }
    }
    out
}

fn migrate_pg(pg: &Cluster, db: &str) -> std::process::Output {
    let dir = pg.dir().join(format!("data-{db}"));
    let url = format!("{}?sslmode=disable", pg.url(db));
    run(&dir, &["migrate", "--database", &url], None)
}

#[test]
fn the_postgres_schema_is_the_sqlite_schema() {
    let pg = Cluster::start();
    pg.create_db("desk");
    let out = migrate_pg(&pg, "desk");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("applied V16, V17"), "{}", text(&out.stdout));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reference.db");
    order_system::db::migrations::apply(&file).unwrap();
    let sqlite = sqlite_schema(&file);
    let postgres = pg_schema(&pg, "desk");
    let products = &sqlite["products"];
    assert!(
        sqlite.len() > 30 && products.columns.len() >= 20,
        "the description is not empty"
    );
    assert!(products.checks >= 5 && products.indexes.len() >= 7 && !products.foreign_keys.is_empty());
    assert_eq!(
        sqlite.keys().collect::<Vec<_>>(),
        postgres.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    // Part by part, SQLite on the left, so that a difference names what differs.
    for (name, want) in &sqlite {
        let got = &postgres[name];
        let mut want_columns = want.columns.clone();
        for (table, column) in WIDER_ON_POSTGRES {
            if name == table
                && let Some(c) = want_columns.get_mut(*column)
            {
                c.0 = "numeric".into();
            }
        }
        assert_eq!(want_columns, got.columns, "{name}: columns (type, not null, default)");
        assert_eq!(want.primary_key, got.primary_key, "{name}: primary key");
        assert_eq!(want.unique, got.unique, "{name}: unique keys (columns, partial)");
        assert_eq!(want.foreign_keys, got.foreign_keys, "{name}: foreign keys");
        assert_eq!(want.checks, got.checks, "{name}: CHECK constraints");
        assert_eq!(want.indexes, got.indexes, "{name}: indexes");
        let mut want_triggers = want.triggers.clone();
        for (table, trigger) in NOTICES_ON_POSTGRES {
            if name == table {
                want_triggers.insert((*trigger).to_owned());
            }
        }
        assert_eq!(want_triggers, got.triggers, "{name}: triggers");
    }
    assert_eq!(
        order_system::db::postgres::latest_version(),
        order_system::db::migrations::latest_version(),
        "the folders end at the same version"
    );
    // The totals the triggers keep start where SQLite's do.
    assert_eq!(
        pg.sql(
            "desk",
            "SELECT string_agg(status, ',' ORDER BY status) FROM order_status_totals"
        ),
        "cancelled,completed,confirmed,pending,returned,shipped"
    );
}

#[test]
fn two_migrating_at_once_apply_each_migration_once_and_a_foreign_database_is_refused() {
    let pg = Cluster::start();
    pg.create_db("race");
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| migrate_pg(&pg, "race"));
        let b = s.spawn(|| migrate_pg(&pg, "race"));
        (a.join().unwrap(), b.join().unwrap())
    });
    for out in [&a, &b] {
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    let said = format!("{}{}", text(&a.stdout), text(&b.stdout));
    // PostgreSQL's folder starts at V16 (the baseline of SQLite's V1-V16).
    let versions: Vec<String> = (16..=order_system::db::postgres::latest_version())
        .map(|v| format!("V{v}"))
        .collect();
    let applied = format!("applied {}", versions.join(", "));
    assert_eq!(said.matches(&applied).count(), 1, "{said}");
    assert_eq!(said.matches("up to date").count(), 1, "{said}");
    assert_eq!(
        pg.sql("race", "SELECT count(*) FROM refinery_schema_history"),
        versions.len().to_string()
    );

    // The old system's database (a DATABASE_URL left behind) gets nothing of ours.
    pg.create_db("old_shop");
    pg.sql("old_shop", "CREATE TABLE users (id int); CREATE TABLE orders (id int)");
    let out = migrate_pg(&pg, "old_shop");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("another application (orders, users)"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        pg.sql(
            "old_shop",
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ),
        "2"
    );
    // A URL that is not PostgreSQL's says what --database takes.
    let out = run(
        &pg.dir().join("data-x"),
        &["migrate", "--database", "/var/lib/shop.db"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("takes a PostgreSQL URL"),
        "{}",
        text(&out.stderr)
    );
}

/// Statements the suite runs that belong to SQLite alone, each with why: (how to know it, why).
const SQLITE_ONLY: &[(&str, &str)] = &[
    ("--", "a trigger's body starting (SQLite reports it as a statement)"),
    ("PRAGMA", "SQLite's own settings, set by the db layer"),
    ("pragma_", "SQLite's catalogue: schema checks and migrations"),
    ("sqlite_", "SQLite's catalogue: schema checks and migrations"),
    ("BEGIN", "transaction control, the db layer's per engine"),
    ("COMMIT", "transaction control, the db layer's per engine"),
    ("ROLLBACK", "transaction control, the db layer's per engine"),
    ("SAVEPOINT", "transaction control, the db layer's per engine"),
    ("RELEASE", "transaction control, the db layer's per engine"),
    (
        "VACUUM",
        "SQLite backups (PostgreSQL's belong to pg_dump and its own tools)",
    ),
    ("ANALYZE", "SQLite's planner statistics"),
    ("ATTACH", "the legacy import's staging file, a SQLite database"),
    ("DETACH", "the legacy import's staging file, a SQLite database"),
    ("staging.", "the legacy import's staging file, a SQLite database"),
    (
        "refinery_schema_history",
        "refinery's bookkeeping, written per engine by refinery",
    ),
];

/// Every statement the test suite ran on SQLite (logged to ORDER_SYSTEM_SQL_LOG by .ci/run's
/// test run), in the words the PostgreSQL backend will send (db::dialect::to_postgres),
/// prepares on PostgreSQL against its schema; but the SQLite migrations' own steps and those
/// in [`SQLITE_ONLY`]. This is what keeps the store's SQL one body for both engines.
#[test]
#[ignore = "reads the statements the whole suite logged: .ci/run runs it after the suite"]
fn every_statement_the_suite_ran_prepares_on_postgres() {
    let var = order_system::db::SQL_LOG;
    let log = std::env::var(var).unwrap_or_else(|_| panic!("set {var} to the file the suite's run logged to"));
    let logged = std::fs::read_to_string(&log).unwrap();
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let migrations: String = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite"))
        .unwrap()
        .map(|f| one_line(&std::fs::read_to_string(f.unwrap().path()).unwrap()))
        .collect::<Vec<_>>()
        .join(" ");
    let statements: BTreeSet<&str> = logged.lines().filter(|l| !l.trim().is_empty()).collect();

    let pg = Cluster::start();
    pg.create_db("probe");
    let out = migrate_pg(&pg, "probe");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut client = postgres::Client::connect(&pg.url("probe"), postgres::NoTls).unwrap();
    let (mut prepared, mut failures) = (0, Vec::new());
    for sql in statements {
        let upper = sql.to_ascii_uppercase();
        let sqlite_only = SQLITE_ONLY
            .iter()
            .any(|(mark, _)| upper.starts_with(&mark.to_ascii_uppercase()) || sql.contains(mark));
        if sqlite_only || migrations.contains(sql.trim_end_matches(';')) {
            continue;
        }
        match client.prepare(&order_system::db::dialect::to_postgres(sql)) {
            Ok(_) => prepared += 1,
            Err(e) => failures.push(format!(
                "{}\n    {sql}",
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_owned())
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} statement(s) PostgreSQL refuses:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        prepared > 250,
        "only {prepared} statements in {log}: did the whole suite run with {var} set?"
    );
}

/// The store's values cross to PostgreSQL and back as SQLite gives them (db::pg_value): each
/// parameter as the type the server inferred, booleans as 0/1, a SUM past 64 bits as its
/// decimal text, which money::Total reads as it reads SQLite's exact_sum; a value that does
/// not fit its placeholder is an error that names both, never a silent conversion.
#[test]
fn values_cross_to_postgres_and_back_as_sqlite_gives_them() {
    use order_system::db::dialect::to_postgres;
    use order_system::db::pg_value::{PgParam, value};
    use rusqlite::types::{FromSql, ToSql, Value, ValueRef};

    let pg = Cluster::start();
    let mut client = postgres::Client::connect(&pg.url("postgres"), postgres::NoTls).unwrap();
    fn bind(v: &dyn ToSql) -> PgParam<'_> {
        PgParam(v.to_sql().unwrap())
    }
    let row = |client: &mut postgres::Client, sql: &str, params: &[&dyn ToSql]| -> Vec<Value> {
        let params: Vec<PgParam> = params.iter().map(|p| bind(*p)).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = params
            .iter()
            .map(|p| p as &(dyn postgres::types::ToSql + Sync))
            .collect();
        let r = client.query_one(to_postgres(sql).as_ref(), &refs).unwrap();
        (0..r.len()).map(|i| value(&r, i).unwrap()).collect()
    };

    let none: Option<i64> = None;
    let got = row(
        &mut client,
        "SELECT CAST(? AS BIGINT) + 1, CAST(? AS TEXT) || '!', ? < 2, CAST(? AS BYTEA), CAST(? AS BIGINT) IS NULL, \
         EXISTS (SELECT 1 WHERE false)",
        &[&41_i64, &"粮油", &true, &vec![0_u8, 255], &none],
    );
    assert_eq!(
        got,
        [
            Value::Integer(42),
            Value::Text("粮油!".into()),
            Value::Integer(1),
            Value::Blob(vec![0, 255]),
            Value::Integer(1),
            Value::Integer(0)
        ]
    );

    client.batch_execute("CREATE TEMP TABLE t (n BIGINT NOT NULL)").unwrap();
    for _ in 0..2 {
        let p = bind(&i64::MAX);
        client
            .execute(to_postgres("INSERT INTO t (n) VALUES (?)").as_ref(), &[&p])
            .unwrap();
    }
    let sums = row(
        &mut client,
        "SELECT SUM(n), exact_sum(n - ?), COUNT(*) FROM t",
        &[&(i64::MAX - 1)],
    );
    assert_eq!(
        sums,
        [
            Value::Text("18446744073709551614".into()),
            Value::Integer(2),
            Value::Integer(2)
        ]
    );
    let total = order_system::money::Total::column_result(ValueRef::from(&sums[0])).unwrap();
    assert_eq!(
        total.to_string(),
        "184467440737095516.14",
        "read as SQLite's exact_sum is"
    );

    // Text where a number belongs is refused, naming the type, as SQLite would not.
    let p = bind(&"12");
    let err = client
        .execute(to_postgres("INSERT INTO t (n) VALUES (?)").as_ref(), &[&p])
        .unwrap_err();
    assert!(format!("{err:?}").contains("a text cannot be bound as int8"), "{err:?}");
}
