//! Parsing the database URL, connecting, and running migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::db::Db;
use crate::queue::{Queue, QueueTiming};
use crate::{Backend, Result, StoreError};

/// Schema of our tables on PostgreSQL (apalis uses its own schema `apalis`).
const PG_SCHEMA: &str = "leakscope";
/// How long SQLite waits for the write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

fn bad(url: &str, reason: impl Into<String>) -> StoreError {
    // Never echo a password: keep only the scheme and host part of postgres URLs.
    let shown = match url.split_once('@') {
        Some((_, host)) => format!("postgres://…@{host}"),
        None => url.to_owned(),
    };
    StoreError::BadUrl {
        url: shown,
        reason: reason.into(),
    }
}

/// Connects to `sqlite://PATH` or `postgres://…` and returns our pool and the job queue.
pub(crate) async fn connect(url: &str, timing: QueueTiming) -> Result<(Backend, Db, Queue)> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let (db, queue) = sqlite(url, path, timing).await?;
        Ok((Backend::Sqlite, db, queue))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let (db, queue) = postgres(url, timing).await?;
        Ok((Backend::Postgres, db, queue))
    } else {
        Err(bad(url, "expected sqlite://PATH or postgres://…"))
    }
}

fn sqlite_options(path: &str) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true)
}

async fn sqlite(url: &str, path: &str, timing: QueueTiming) -> Result<(Db, Queue)> {
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.contains(":memory:") {
        return Err(bad(
            url,
            "SQLite needs a file path (the queue lives in a second file beside it)",
        ));
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| bad(url, format!("cannot create directory: {e}")))?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(sqlite_options(path))
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    let queue_pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(sqlite_options(&format!("{path}-queue.sqlite")))
        .await?;
    let queue = Queue::open_sqlite(queue_pool, timing).await?;
    Ok((Db::Sqlite(pool), queue))
}

async fn postgres(url: &str, timing: QueueTiming) -> Result<(Db, Queue)> {
    let base = PgConnectOptions::from_str(url).map_err(|e| bad(url, e.to_string()))?;
    let queue_pool = PgPoolOptions::new()
        .max_connections(4)
        .connect_with(base.clone())
        .await?;
    sqlx::query("CREATE SCHEMA IF NOT EXISTS leakscope")
        .execute(&queue_pool)
        .await?;
    let ours = base.options([("search_path", PG_SCHEMA)]);
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .connect_with(ours)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    let queue = Queue::open_postgres(queue_pool, timing).await?;
    Ok((Db::Postgres(pool), queue))
}
