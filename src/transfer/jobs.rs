//! CSV imports as jobs: started by an upload (or the command line), followed by id, finished
//! with a report that stays in the database.
//!
//! Why jobs: a million-row import took 85 s in one write request, so the request timed out
//! (408) and then committed anyway, and a retry imported everything twice; meanwhile every
//! order waited behind it. Now:
//!
//! 1. the file is parsed and every row checked on a blocking thread, and compared with the
//!    catalogue on a read-only connection of its own: the writer is not involved, and a dry
//!    run never reaches it;
//! 2. the rows, prepared, are applied in one write transaction (all or nothing), which also
//!    marks the job done: if the process dies, neither happened;
//! 3. the client learns the outcome from the job (GET /api/imports/jobs/{id}), however its
//!    upload request ended; the same file uploaded again is recognised by its SHA-256 and not
//!    imported twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;
use utoipa::ToSchema;

use super::import;
use super::store;
use crate::audit::Who;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Products,
    Customers,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Products => "products",
            Kind::Customers => "customers",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "products" => Some(Kind::Products),
            "customers" => Some(Kind::Customers),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Reading and checking the file.
    Validating,
    /// Applying it to the database.
    Writing,
    Done,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Validating => "validating",
            Status::Writing => "writing",
            Status::Done => "done",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Validating, Status::Writing, Status::Done, Status::Failed]
            .into_iter()
            .find(|st| st.as_str() == s)
    }

    pub fn finished(self) -> bool {
        matches!(self, Status::Done | Status::Failed)
    }
}

/// Why a job failed: the error its upload would have answered.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct JobError {
    pub code: String,
    pub message: String,
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub details: serde_json::Value,
}

/// An import, as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ImportJob {
    pub id: i64,
    pub kind: Kind,
    pub status: Status,
    pub dry_run: bool,
    pub file_name: Option<String>,
    /// The file's SHA-256: the same file uploaded again is recognised by it.
    pub file_sha256: String,
    /// Data rows in the file, once it has been read.
    pub rows: Option<i64>,
    /// Progress while running: rows checked, then rows written.
    pub rows_checked: i64,
    pub rows_written: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub error: Option<JobError>,
    pub created_by: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
}

impl ImportJob {
    /// The answer an upload gives once its job has ended: the job, or the error it failed with.
    pub fn outcome(self) -> AppResult<ImportJob> {
        match (&self.status, &self.error) {
            (Status::Failed, Some(e)) => Err(e.to_app_error()),
            _ => Ok(self),
        }
    }
}

impl JobError {
    /// The error again, with the status it had: 422 for a file with problems, 409 for a clash
    /// with the data, 503/507 for the server's trouble.
    fn to_app_error(&self) -> AppError {
        let (message, details) = (self.message.clone(), self.details.clone());
        match self.code.as_str() {
            "invalid_csv" | "bad_encoding" | "validation_failed" => {
                let code = ["invalid_csv", "bad_encoding", "validation_failed"]
                    .into_iter()
                    .find(|c| *c == self.code)
                    .unwrap_or("invalid_csv");
                AppError::Unprocessable { code, message, details }
            }
            "sku_taken" | "insufficient_stock" | "login_taken" => {
                let code = ["sku_taken", "insufficient_stock", "login_taken"]
                    .into_iter()
                    .find(|c| *c == self.code)
                    .unwrap_or("conflict");
                AppError::Conflict { code, message, details }
            }
            "storage_full" => AppError::StorageFull,
            "service_unavailable" | "interrupted" => AppError::Unavailable(message),
            _ => AppError::Internal(message),
        }
    }
}

/// What a running job has done so far, shared with whoever asks.
#[derive(Default)]
pub struct Progress {
    pub checked: AtomicI64,
    pub written: AtomicI64,
}

/// A running job's progress, and a signal that turns true when it ends.
type Running = (Arc<Progress>, watch::Receiver<bool>);

/// The jobs this process runs.
#[derive(Default)]
pub struct Jobs {
    running: Mutex<HashMap<i64, Running>>,
}

impl Jobs {
    fn progress(&self, id: i64) -> Option<Running> {
        self.running.lock().ok()?.get(&id).cloned()
    }
}

/// What to import.
pub struct Upload {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    pub dry_run: bool,
    pub file_name: Option<String>,
}

/// Starts a job and returns its id; it runs in the background.
pub async fn start(db: &Db, jobs: &Arc<Jobs>, who: Who, upload: Upload) -> AppResult<i64> {
    let sha = crate::digest::sha256_hex(&upload.bytes);
    let (kind, dry_run, file_name) = (upload.kind, upload.dry_run, upload.file_name.clone());
    let job_who = who.clone();
    let id = db
        .write(move |conn| {
            let job = store::NewJob {
                kind,
                sha: &sha,
                file_name: file_name.as_deref(),
                dry_run,
                who: &job_who,
                now: &clock::now(),
            };
            store::insert(conn, &job)
        })
        .await?;
    let progress = Arc::new(Progress::default());
    let (done_tx, done_rx) = watch::channel(false);
    if let Ok(mut running) = jobs.running.lock() {
        running.insert(id, (progress.clone(), done_rx));
    }
    let (db, jobs) = (db.clone(), jobs.clone());
    tokio::spawn(async move {
        let beating = db.is_postgres().then(|| tokio::spawn(heartbeat(db.clone(), id)));
        let outcome = run(&db, id, who, upload, progress).await;
        if let Some(beating) = beating {
            beating.abort();
        }
        if let Err(err) = outcome {
            tracing::warn!(job = id, error = %err, "import failed");
            let _ = db.write(move |conn| store::fail(conn, id, &err, &clock::now())).await;
        }
        if let Ok(mut running) = jobs.running.lock() {
            running.remove(&id);
        }
        let _ = done_tx.send(true);
    });
    Ok(id)
}

async fn run(db: &Db, id: i64, who: Who, upload: Upload, progress: Arc<Progress>) -> AppResult<()> {
    let Upload {
        kind, bytes, dry_run, ..
    } = upload;
    // 1. Read and check every row, and compare with the catalogue, off the writer.
    let reader = db.clone();
    let checking = progress.clone();
    let plan = tokio::task::spawn_blocking(move || -> AppResult<import::Plan> {
        let rows = import::parse(kind, &bytes, &checking.checked)?;
        let conn = reader.open_private_reader()?;
        import::plan(&conn.conn(), rows)
    })
    .await
    .map_err(AppError::internal)??;
    let rows = plan.len() as i64;
    if dry_run {
        let counts = plan.counts();
        return db
            .write(move |conn| store::finish(conn, id, rows, counts, &clock::now()))
            .await;
    }
    db.write(move |conn| store::set_writing(conn, id, rows)).await?;
    // 2. All rows in one transaction, with the job's end.
    // The plan is large and read once: a retried attempt (PostgreSQL, after a conflict with
    // another transaction) reports the conflict instead of copying it for every try.
    let mut plan = Some(plan);
    db.write(move |conn| {
        let now = clock::now();
        let plan = plan
            .take()
            .ok_or_else(|| AppError::Unavailable("the import met another change; run it again".into()))?;
        let counts = import::apply(conn, &who, id, plan, &progress.written, &now)?;
        store::finish(conn, id, rows, counts, &now)
    })
    .await
}

/// A job as it stands, with the progress of a running one.
pub async fn get(db: &Db, jobs: &Jobs, id: i64) -> AppResult<ImportJob> {
    let mut job = db
        .read(move |conn| store::get(conn, id))
        .await?
        .ok_or_else(|| AppError::not_found("import job"))?;
    if let Some((progress, _)) = jobs.progress(id) {
        job.rows_checked = progress.checked.load(Ordering::Relaxed);
        job.rows_written = progress.written.load(Ordering::Relaxed);
    } else if job.status == Status::Done {
        job.rows_checked = job.rows.unwrap_or(0);
        job.rows_written = if job.dry_run { 0 } else { job.rows.unwrap_or(0) };
    }
    Ok(job)
}

/// Waits up to `limit` for a job to end; returns it as it then stands.
pub async fn wait(db: &Db, jobs: &Jobs, id: i64, limit: Duration) -> AppResult<ImportJob> {
    if let Some((_, mut done)) = jobs.progress(id) {
        let _ = tokio::time::timeout(limit, done.wait_for(|d| *d)).await;
    }
    get(db, jobs, id).await
}

/// How often a running import's server says it is still at it, on PostgreSQL.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// How long without a heartbeat before a server starting up takes a job's server for stopped.
const STOPPED_AFTER: Duration = Duration::from_secs(60);

/// Several servers share PostgreSQL's jobs: each says every [`HEARTBEAT`] that it is still
/// running its own, until aborted.
async fn heartbeat(db: Db, id: i64) {
    let mut every = tokio::time::interval(HEARTBEAT);
    loop {
        every.tick().await;
        if let Err(err) = db.write(move |conn| store::heartbeat(conn, id, &clock::now())).await {
            tracing::warn!(job = id, error = %err, "cannot record that an import is still running");
        }
    }
}

/// At start: jobs a stopped process left running never committed; they are failed. On SQLite
/// every unfinished job was this file's stopped server's; on PostgreSQL only those whose server
/// has been silent for [`STOPPED_AFTER`].
pub async fn interrupt_unfinished(db: &Db) -> AppResult<usize> {
    let now = chrono::Utc::now();
    let quiet_since = match db.is_postgres() {
        true => clock::format(now - chrono::TimeDelta::from_std(STOPPED_AFTER).unwrap_or_default()),
        // Later than any stamp: every unfinished job.
        false => "9999-12-31T23:59:59.999Z".to_owned(),
    };
    db.write(move |conn| store::interrupt_unfinished(conn, &clock::format(now), &quiet_since))
        .await
}

pub async fn recent(db: &Db, limit: i64) -> AppResult<Vec<ImportJob>> {
    db.read(move |conn| store::recent(conn, limit)).await
}
