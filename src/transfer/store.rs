//! The SQL of import jobs.

use rusqlite::params;

use super::jobs::{ImportJob, JobError, Kind, Status};
use crate::audit::Who;
use crate::db::constraint::on_unique;
use crate::db::{Conn, OptionalExtension, Row};
use crate::error::{AppError, AppResult};

const COLUMNS: &str = "id, kind, file_sha256, file_name, dry_run, status, rows_total, created, updated, unchanged, \
                       error_code, error_message, error_details, username, created_at, finished_at";

fn job_from_row(r: &Row) -> crate::db::Result<ImportJob> {
    let code: Option<String> = r.get(10)?;
    let details: Option<String> = r.get(12)?;
    Ok(ImportJob {
        id: r.get(0)?,
        kind: r.get(1)?,
        file_sha256: r.get(2)?,
        file_name: r.get(3)?,
        dry_run: r.get(4)?,
        status: r.get(5)?,
        rows: r.get(6)?,
        rows_checked: 0,
        rows_written: 0,
        created: r.get(7)?,
        updated: r.get(8)?,
        unchanged: r.get(9)?,
        error: match code {
            Some(code) => Some(JobError {
                code,
                message: r.get(11)?,
                details: details.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_default(),
            }),
            None => None,
        },
        created_by: r.get(13)?,
        created_at: r.get(14)?,
        finished_at: r.get(15)?,
    })
}

pub fn get(conn: &Conn, id: i64) -> AppResult<Option<ImportJob>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM import_jobs WHERE id = ?"))?
        .query_row([id], job_from_row)
        .optional()?)
}

/// The newest jobs first.
pub fn recent(conn: &Conn, limit: i64) -> AppResult<Vec<ImportJob>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM import_jobs ORDER BY id DESC LIMIT ?"))?;
    let rows = stmt.query_map([limit], job_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The job that already imports (or imported) these bytes, if any.
pub fn repeat_of(conn: &Conn, kind: Kind, sha: &str) -> AppResult<Option<ImportJob>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM import_jobs WHERE kind = ? AND file_sha256 = ? AND dry_run = 0 AND status <> 'failed'"
        ))?
        .query_row(params![kind.as_str(), sha], job_from_row)
        .optional()?)
}

pub struct NewJob<'a> {
    pub kind: Kind,
    pub sha: &'a str,
    pub file_name: Option<&'a str>,
    pub dry_run: bool,
    pub who: &'a Who,
    pub now: &'a str,
}

/// Starts a job; a file imported before is refused with the earlier import, in a dry run too
/// (whose question, "would this import work?", has the same answer).
pub fn insert(conn: &Conn, job: &NewJob) -> AppResult<i64> {
    if let Some(earlier) = repeat_of(conn, job.kind, job.sha)? {
        return Err(already_imported(&earlier));
    }
    conn.prepare_cached(
        "INSERT INTO import_jobs (kind, file_sha256, file_name, dry_run, status, user_id, username, created_at, heartbeat_at)
         VALUES (?, ?, ?, ?, 'validating', ?, ?, ?7, ?7)",
    )?
    .execute(params![
        job.kind.as_str(),
        job.sha,
        job.file_name,
        job.dry_run,
        job.who.user_id,
        job.who.username,
        job.now
    ])
    .map_err(on_unique("import_jobs", || {
        AppError::conflict(
            "already_imported",
            "this file is being imported already",
            serde_json::json!({}),
        )
    }))?;
    Ok(conn.last_insert_rowid()?)
}

fn already_imported(earlier: &ImportJob) -> AppError {
    AppError::conflict(
        "already_imported",
        format!(
            "this file was imported already (import {}, {}, {}); it is not imported again",
            earlier.id,
            earlier.status.as_str(),
            earlier.created_at
        ),
        serde_json::json!({ "job": earlier }),
    )
}

pub fn set_writing(conn: &Conn, id: i64, rows: i64) -> AppResult<()> {
    conn.prepare_cached("UPDATE import_jobs SET status = 'writing', rows_total = ? WHERE id = ?")?
        .execute(params![rows, id])?;
    Ok(())
}

/// Marks a job done with its counts; for a real import, in the transaction that imported.
pub fn finish(conn: &Conn, id: i64, rows: i64, counts: (i64, i64, i64), now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE import_jobs SET status = 'done', rows_total = ?, created = ?, updated = ?, unchanged = ?, finished_at = ?
         WHERE id = ?",
    )?
    .execute(params![rows, counts.0, counts.1, counts.2, now, id])?;
    Ok(())
}

pub fn fail(conn: &Conn, id: i64, err: &AppError, now: &str) -> AppResult<()> {
    let details = err.details().to_string();
    conn.prepare_cached(
        "UPDATE import_jobs SET status = 'failed', error_code = ?, error_message = ?, error_details = ?, finished_at = ?
         WHERE id = ? AND status <> 'done'",
    )?
    .execute(params![err.code(), err.to_string(), details, now, id])?;
    Ok(())
}

/// Jobs a stopped process left unfinished: their transaction never committed, so nothing of
/// them was imported. Only those whose server last said it was at them before `quiet_since`:
/// on PostgreSQL another server may be running one now.
pub fn interrupt_unfinished(conn: &Conn, now: &str, quiet_since: &str) -> AppResult<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE import_jobs SET status = 'failed', error_code = 'interrupted',
                    error_message = 'the server stopped before this import finished; nothing of it was imported',
                    finished_at = ?
             WHERE status IN ('validating', 'writing') AND COALESCE(heartbeat_at, created_at) < ?",
        )?
        .execute(params![now, quiet_since])?)
}

/// Says that this server is still running the job (see [`interrupt_unfinished`]).
pub fn heartbeat(conn: &Conn, id: i64, now: &str) -> AppResult<()> {
    conn.prepare_cached(
        "UPDATE import_jobs SET heartbeat_at = ? WHERE id = ? AND status IN ('validating', 'writing')",
    )?
    .execute(params![now, id])?;
    Ok(())
}

impl rusqlite::types::FromSql for Kind {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "import kind", Kind::parse)
    }
}

impl rusqlite::types::FromSql for Status {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::db::text_enum(value, "import status", Status::parse)
    }
}
