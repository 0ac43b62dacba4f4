//! The analysis job queue: apalis on the same database engine as the store.
//!
//! * SQLite: apalis gets its own file beside the database (`PATH-queue.sqlite`), because its
//!   migrations share sqlx's `_sqlx_migrations` table name with ours and it sets
//!   `synchronous=OFF` on its pool.
//! * PostgreSQL: apalis keeps its tables in schema `apalis` (its `_sqlx_migrations` in the
//!   default schema) while our tables live in schema `leakscope`.
//!
//! Crash recovery: apalis re-enqueues the jobs of a worker whose heartbeat is older than
//! `heartbeat × missed_heartbeats` (see [`QueueTiming`]); we run that query once when a worker
//! starts and apalis runs it on every heartbeat after that. Worker names are made unique per
//! run, because apalis refuses to register a name whose heartbeat is still fresh (the case of a
//! server restarted right after `kill -9`).

use std::time::Duration;

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_core::backend::BackendConfig;
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use serde::{Deserialize, Serialize};

use crate::{Result, StoreError};

/// apalis queue name of analysis jobs (stored in `job_type`).
pub(crate) const QUEUE: &str = "leakscope::analysis";

/// Max attempts apalis itself allows; the store gives up earlier (see `MAX_ATTEMPTS`).
const APALIS_MAX_ATTEMPTS: usize = 25;

/// The arguments of one analysis job.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AnalysisJob {
    pub(crate) sha256: String,
}

/// Heartbeat and polling of queue workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueTiming {
    /// How often a worker proves it is alive (apalis heartbeat).
    pub heartbeat: Duration,
    /// Heartbeats missed before a worker's jobs are re-enqueued.
    pub missed_heartbeats: usize,
    /// How often an idle worker looks for new jobs.
    pub poll_interval: Duration,
}

impl Default for QueueTiming {
    /// Heartbeat 10 s, orphaned after 30 s, poll every 500 ms.
    fn default() -> Self {
        QueueTiming {
            heartbeat: Duration::from_secs(10),
            missed_heartbeats: 3,
            poll_interval: Duration::from_millis(500),
        }
    }
}

impl QueueTiming {
    /// After how long a silent worker counts as dead.
    pub fn orphaned_after(&self) -> Duration {
        self.heartbeat
            .saturating_mul(u32::try_from(self.missed_heartbeats).unwrap_or(u32::MAX))
    }
}

/// The apalis storage of analysis jobs.
#[derive(Clone)]
pub(crate) enum Queue {
    Sqlite(SqliteStorage<AnalysisJob>),
    Postgres(PostgresStorage<AnalysisJob>),
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Queue::Sqlite(_) => f.write_str("Queue::Sqlite"),
            Queue::Postgres(_) => f.write_str("Queue::Postgres"),
        }
    }
}

fn queue_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Queue(e.to_string())
}

impl Queue {
    /// Runs apalis's migrations on its own pool and returns the storage.
    pub(crate) async fn open_sqlite(pool: sqlx::SqlitePool, timing: QueueTiming) -> Result<Queue> {
        SqliteStorage::setup(&pool).await.map_err(queue_err)?;
        let config = apalis_sqlite::Config::default()
            .queue(QUEUE)
            .heartbeat_interval(timing.heartbeat)
            .missed_heartbeats(timing.missed_heartbeats);
        Ok(Queue::Sqlite(SqliteStorage::new(&pool).with_config(config)))
    }

    /// Runs apalis's migrations (schema `apalis`) and returns the storage.
    pub(crate) async fn open_postgres(pool: sqlx::PgPool, timing: QueueTiming) -> Result<Queue> {
        PostgresStorage::setup(&pool).await.map_err(queue_err)?;
        let config = apalis_postgres::Config::default()
            .queue(QUEUE)
            .heartbeat_interval(timing.heartbeat)
            .missed_heartbeats(timing.missed_heartbeats);
        Ok(Queue::Postgres(
            PostgresStorage::new(&pool).with_config(config),
        ))
    }

    /// Same storage with new timing (used by tests to detect dead workers quickly).
    pub(crate) fn with_timing(&self, timing: QueueTiming) -> Queue {
        match self {
            Queue::Sqlite(s) => {
                let config = s
                    .config()
                    .clone()
                    .heartbeat_interval(timing.heartbeat)
                    .missed_heartbeats(timing.missed_heartbeats);
                Queue::Sqlite(s.clone().with_config(config))
            }
            Queue::Postgres(s) => {
                let config = s
                    .config()
                    .clone()
                    .heartbeat_interval(timing.heartbeat)
                    .missed_heartbeats(timing.missed_heartbeats);
                Queue::Postgres(s.clone().with_config(config))
            }
        }
    }

    /// Enqueues one analysis of `sha256`. `key` deduplicates on SQLite (apalis ignores a second
    /// job with the same key); on PostgreSQL a duplicate key is an error.
    pub(crate) async fn push(&self, sha256: &str, key: &str) -> Result<()> {
        let task = TaskBuilder::new(AnalysisJob {
            sha256: sha256.to_owned(),
        })
        .idempotency_key(key)
        .max_attempts(APALIS_MAX_ATTEMPTS)
        .build();
        match self {
            Queue::Sqlite(s) => s.clone().push_task(task).await.map_err(queue_err),
            Queue::Postgres(s) => s.clone().push_task(task).await.map_err(queue_err),
        }
    }

    /// Jobs waiting to run (pending, or failed with attempts left).
    pub(crate) async fn waiting(&self) -> Result<i64> {
        let n: i64 =
            match self {
                Queue::Sqlite(s) => {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM Jobs WHERE job_type = $1 AND (status = 'Pending' \
                     OR (status = 'Failed' AND attempts < max_attempts))",
                    )
                    .bind(QUEUE)
                    .fetch_one(s.pool())
                    .await?
                }
                Queue::Postgres(s) => sqlx::query_scalar(
                    "SELECT COUNT(*) FROM apalis.jobs WHERE job_type = $1 AND (status = 'Pending' \
                     OR (status = 'Failed' AND attempts < max_attempts))",
                )
                .bind(QUEUE)
                .fetch_one(s.pool())
                .await?,
            };
        Ok(n)
    }

    /// Puts the jobs of workers silent for longer than `orphaned_after` back to pending.
    pub(crate) async fn reenqueue_orphaned(&self, timing: QueueTiming) -> Result<u64> {
        let dead_for = timing.orphaned_after().as_secs();
        match self {
            Queue::Sqlite(s) => apalis_sqlite::queries::reenqueue_orphaned(
                s.pool(),
                i64::try_from(dead_for).unwrap_or(i64::MAX),
                QUEUE,
                &apalis_core::backend::WorkerFilter::None,
            )
            .await
            .map_err(StoreError::from),
            Queue::Postgres(s) => {
                let mut conn = s.pool().acquire().await?;
                apalis_postgres::queries::reenqueue_orphaned(&mut *conn, QUEUE, dead_for)
                    .await
                    .map_err(queue_err)
            }
        }
    }
}
