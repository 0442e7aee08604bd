//! `demo-data`: a realistic shop to try the product on, or to benchmark it.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::data::open_db;
use crate::auth::password::PasswordHasher;
use crate::datadir::DataDir;
use crate::db::open_read_write;
use crate::demo::{self, Plan};

#[derive(Args)]
pub struct DemoArgs {
    /// How many orders to create (spread over the last year).
    #[arg(long, default_value_t = 2_000)]
    orders: u64,
    /// How many products.
    #[arg(long, default_value_t = 200)]
    products: u64,
    /// How many customers.
    #[arg(long, default_value_t = 500)]
    customers: u64,
    /// Seed of the random choices: the same seed gives the same shop.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

pub async fn run(data_dir: &Path, database: Option<&str>, bcrypt_cost: u32, args: DemoArgs) -> anyhow::Result<()> {
    // The server must not run meanwhile: it would not see the new rows' effects on its caches,
    // and a demo must never be mixed into a shop that is open.
    let _lock = DataDir::prepare(data_dir)?.try_lock()?;
    // Migrates and creates the superAdmin, whose name the demo orders carry.
    let db = open_db(data_dir, database, &PasswordHasher::new(bcrypt_cost)).await?;
    let path = db.path().to_path_buf();
    let url = database.map(str::to_owned);
    tokio::task::spawn_blocking(move || db.close()).await?;
    let plan = Plan {
        products: args.products,
        customers: args.customers,
        orders: args.orders,
        seed: args.seed,
    };
    let started = Instant::now();
    let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<demo::Summary> {
        let mut bar = progress_bar(plan.orders);
        let summary = match &url {
            Some(url) => {
                let session = crate::db::postgres::session::Session::connect(url)?;
                demo::generate(&(&session).into(), plan, |done| bar.set_position(done))
                    .with_context(|| format!("cannot fill {}", crate::db::postgres::place(url)))?
            }
            None => {
                let conn = open_read_write(&path)?;
                demo::generate(&(&conn).into(), plan, |done| bar.set_position(done))
                    .with_context(|| format!("cannot fill {}", path.display()))?
            }
        };
        bar.finish_and_clear();
        Ok(summary)
    })
    .await??;
    println!(
        "demo data: {} products, {} customers, {} orders with {} lines, {} purchase orders, in {:.1} s",
        summary.products,
        summary.customers,
        summary.orders,
        summary.order_items,
        summary.purchase_orders,
        started.elapsed().as_secs_f64()
    );
    println!("start it with: order-system serve --data-dir {}", data_dir.display());
    Ok(())
}

/// A bar on a terminal; elsewhere (CI logs, pipes) a plain line every tenth of the way.
fn progress_bar(total: u64) -> Progress {
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} orders, {per_sec}, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress::Bar(bar)
    } else {
        Progress::Lines { total, shown: 0 }
    }
}

enum Progress {
    Bar(ProgressBar),
    Lines { total: u64, shown: u64 },
}

impl Progress {
    fn set_position(&mut self, done: u64) {
        match self {
            Progress::Bar(bar) => bar.set_position(done),
            Progress::Lines { total, shown } => {
                let tenth = done * 10 / (*total).max(1);
                if tenth > *shown {
                    *shown = tenth;
                    eprintln!("  {done} of {total} orders");
                }
            }
        }
    }

    fn finish_and_clear(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}
