//! Running analysis jobs: the apalis worker and the per-job bookkeeping around the handler.

use std::future::Future;

use apalis::prelude::{BackendExt, WorkerBuilder, WorkerBuilderExt, WorkerError};

use crate::queue::{AnalysisJob, Queue};
use crate::{AppStatus, Result, Store, StoreError};

/// Attempts (handler failures and interrupted runs together) before an app is marked `failed`.
pub const MAX_ATTEMPTS: i64 = 3;

/// Error of one job run, handed to apalis (which stores it and retries).
#[derive(Debug)]
struct JobFailed(String);

impl std::fmt::Display for JobFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JobFailed {}

fn random_suffix() -> String {
    let mut raw = [0u8; 4];
    // Without randomness fall back to the process id: still unique per run on one host.
    match getrandom::fill(&mut raw) {
        Ok(()) => hex::encode(raw),
        Err(_) => std::process::id().to_string(),
    }
}

impl Store {
    /// Runs analysis jobs until `shutdown` resolves: first re-enqueues jobs orphaned by a crash,
    /// then calls `handler(sha256)` for each job with at most `concurrency` at once. Err(msg) from the
    /// handler is retried a few times by the queue, then the app is marked failed with msg.
    ///
    /// Around the handler the store skips apps that are already `done` or `failed` (so a job
    /// re-run after a crash never completes twice), calls [`Store::mark_analysing`] (the handler
    /// must not), and gives up after [`MAX_ATTEMPTS`]. The handler stores its result with
    /// [`Store::finish_app`]. Jobs of a worker that died are re-enqueued once its heartbeat is
    /// older than [`crate::QueueTiming::orphaned_after`].
    pub async fn run_analysis_worker<F, Fut>(
        &self,
        worker_name: &str,
        concurrency: usize,
        handler: F,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()>
    where
        F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = std::result::Result<(), String>> + Send + 'static,
    {
        let orphans = self.queue.reenqueue_orphaned(self.timing).await?;
        if orphans > 0 {
            tracing::info!(orphans, "re-enqueued analysis jobs of dead workers");
        }
        self.enqueue_missing_jobs().await?;
        let name = format!("{worker_name}-{}", random_suffix());
        let store = self.clone();
        let job = move |job: AnalysisJob| {
            let store = store.clone();
            let handler = handler.clone();
            async move { store.run_job(job.sha256, handler).await.map_err(JobFailed) }
        };
        let shutdown = async move {
            shutdown.await;
            Ok::<(), WorkerError>(())
        };
        let concurrency = concurrency.max(1);
        let poll = self.timing.poll_interval;
        let ran = match &self.queue {
            Queue::Sqlite(s) => {
                let backend = s.clone().poll_with_interval(poll);
                WorkerBuilder::new(name)
                    .backend(backend)
                    .concurrency(concurrency)
                    .build(job)
                    .run_until(shutdown)
                    .await
            }
            Queue::Postgres(s) => {
                let backend = s.clone().poll_with_interval(poll);
                WorkerBuilder::new(name)
                    .backend(backend)
                    .concurrency(concurrency)
                    .build(job)
                    .run_until(shutdown)
                    .await
            }
        };
        ran.map_err(|e| StoreError::Queue(e.to_string()))
    }

    /// One job: skip finished apps, count the attempt, run the handler, give up after
    /// [`MAX_ATTEMPTS`]. Err asks apalis to retry.
    async fn run_job<F, Fut>(&self, sha256: String, handler: F) -> std::result::Result<(), String>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = std::result::Result<(), String>>,
    {
        let state = self.app_status(&sha256).await.map_err(|e| e.to_string())?;
        let Some((status, attempts)) = state else {
            tracing::warn!(sha256, "analysis job for an unknown app, dropped");
            return Ok(());
        };
        if matches!(status, AppStatus::Done | AppStatus::Failed) {
            return Ok(()); // already finished: a re-enqueued or duplicate job
        }
        if attempts >= MAX_ATTEMPTS {
            let msg = format!(
                "gave up after {attempts} attempts: the analysis was interrupted each time"
            );
            self.fail_app(&sha256, &msg)
                .await
                .map_err(|e| e.to_string())?;
            return Ok(());
        }
        self.mark_analysing(&sha256)
            .await
            .map_err(|e| e.to_string())?;
        match handler(sha256.clone()).await {
            Ok(()) => Ok(()),
            Err(msg) if attempts + 1 >= MAX_ATTEMPTS => {
                self.fail_app(&sha256, &msg)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            Err(msg) => {
                self.set_app_state(&sha256, AppStatus::Queued, Some(&msg))
                    .await
                    .map_err(|e| e.to_string())?;
                Err(msg)
            }
        }
    }

    /// Enqueues apps left `queued`/`analysing` without a job (a crash between the row insert and
    /// the enqueue). The job's idempotency key is the SHA-256, so on SQLite an existing job makes
    /// this a no-op; on PostgreSQL apalis rejects the duplicate key, which is ignored here.
    async fn enqueue_missing_jobs(&self) -> Result<()> {
        let sql = "SELECT sha256 FROM apps WHERE status = $1 OR status = $2";
        let pending: Vec<String> = crate::db::on_db!(&self.db, p => sqlx::query_scalar(sql)
            .bind(AppStatus::Queued.as_str()).bind(AppStatus::Analysing.as_str()).fetch_all(p).await?);
        for sha256 in pending {
            if let Err(e) = self.queue.push(&sha256, &sha256).await {
                tracing::debug!(sha256, error = %e, "not re-enqueued (job exists)");
            }
        }
        Ok(())
    }
}
