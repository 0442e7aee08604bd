//! Reads the old system's tables straight from its PostgreSQL: every table of the `public`
//! schema, each streamed with `COPY ... TO STDOUT` (the same text format a dump holds), all
//! inside one read-only REPEATABLE READ transaction, so the tables agree with each other even
//! if the old shop is still taking orders.

use std::io::{BufRead, BufReader};

use anyhow::Context;
use postgres::{Client, IsolationLevel};

use super::source::{Sink, decode_copy_line};
use super::staging::ident;
use crate::db::postgres::one_line;

fn connect(url: &str) -> anyhow::Result<Client> {
    crate::db::postgres::connect(url, "cannot read the old database")
}

/// Reads every table into `sink`; `rows` is told each table's size first, for the progress bar.
pub fn read(url: &str, sink: &mut dyn Sink, mut sizes: impl FnMut(&str, u64)) -> anyhow::Result<()> {
    let mut client = connect(url)?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(|e| anyhow::anyhow!("cannot start reading: {}", one_line(&e)))?;
    let tables: Vec<String> = tx
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
            &[],
        )
        .map_err(|e| anyhow::anyhow!("cannot list the tables: {}", one_line(&e)))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for table in tables {
        let columns: Vec<String> = tx
            .query(
                "SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                &[&table],
            )
            .map_err(|e| anyhow::anyhow!("cannot read the columns of {table}: {}", one_line(&e)))?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let count: i64 = tx
            .query_one(&format!("SELECT count(*) FROM public.{}", ident(&table)), &[])
            .map_err(|e| anyhow::anyhow!("cannot count {table}: {}", one_line(&e)))?
            .get(0);
        sizes(&table, count as u64);
        sink.table(&table, &columns)?;
        let list: Vec<String> = columns.iter().map(|c| ident(c)).collect();
        let copy = format!("COPY public.{} ({}) TO STDOUT", ident(&table), list.join(", "));
        let reader = tx
            .copy_out(copy.as_str())
            .map_err(|e| anyhow::anyhow!("cannot read {table}: {}", one_line(&e)))?;
        let mut lines = BufReader::with_capacity(256 * 1024, reader);
        let mut line = String::new();
        loop {
            line.clear();
            if lines
                .read_line(&mut line)
                .with_context(|| format!("reading {table} was cut off"))?
                == 0
            {
                break;
            }
            let text = line.strip_suffix('\n').unwrap_or(&line);
            sink.row(decode_copy_line(text, columns.len()).with_context(|| format!("table {table}"))?)?;
        }
    }
    tx.commit().ok();
    Ok(())
}
