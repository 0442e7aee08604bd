//! Backups on a schedule, inside `serve`: every interval, or daily at a time of the shop's day.
//! Each is verified; failures are logged loudly and shown by the admin API; old scheduled
//! backups beyond `keep` are pruned.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::SharedStatus;

#[derive(Clone, Debug)]
pub enum When {
    Every(Duration),
    DailyAt(NaiveTime),
}

#[derive(Clone, Debug)]
pub struct Schedule {
    pub when: When,
    pub keep: usize,
}

/// How long until the next backup is due.
pub fn until_next(when: &When, tz: Tz) -> Duration {
    match when {
        When::Every(every) => *every,
        When::DailyAt(at) => {
            let now = Utc::now().with_timezone(&tz);
            let today = now.date_naive().and_time(*at);
            let next = tz
                .from_local_datetime(&today)
                .earliest()
                .filter(|t| *t > now)
                .unwrap_or_else(|| {
                    let tomorrow = (now.date_naive() + chrono::Days::new(1)).and_time(*at);
                    tz.from_local_datetime(&tomorrow)
                        .earliest()
                        .unwrap_or(now + chrono::Duration::days(1))
                });
            (next - now).to_std().unwrap_or(Duration::from_secs(60))
        }
    }
}

/// Runs the schedule until the task is dropped.
pub async fn run(schedule: Schedule, db_path: PathBuf, dir: PathBuf, tz: Tz, status: SharedStatus) {
    loop {
        tokio::time::sleep(until_next(&schedule.when, tz)).await;
        let (db, out) = (db_path.clone(), dir.clone());
        let outcome = tokio::task::spawn_blocking(move || super::create(&db, &out, "scheduled"))
            .await
            .unwrap_or_else(|e| Err(crate::error::AppError::internal(e)));
        match &outcome {
            Ok(info) => {
                tracing::info!(name = %info.name, bytes = info.size_bytes, ms = info.duration_ms, "scheduled backup done")
            }
            Err(err) => tracing::error!(error = %err, dir = %dir.display(), "SCHEDULED BACKUP FAILED"),
        }
        status.record(&outcome);
        if outcome.is_ok() {
            let (out, keep) = (dir.clone(), schedule.keep);
            match tokio::task::spawn_blocking(move || super::prune(&out, "scheduled", keep)).await {
                Ok(Ok(pruned)) if !pruned.is_empty() => tracing::info!(?pruned, "old scheduled backups removed"),
                Ok(Err(err)) => tracing::error!(error = %err, "pruning old backups failed"),
                _ => {}
            }
        }
    }
}
