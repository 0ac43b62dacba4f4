//! Test setup: a fresh store on SQLite (always) and on PostgreSQL (when `LEAKSCOPE_TEST_PG` is set).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use leakscope_store::{QueueTiming, Store};
use sha2::Digest;

/// A store plus what keeps it alive and lets tests look at raw rows.
pub struct TestStore {
    pub name: &'static str,
    pub store: Store,
    /// Direct SQL access to our tables (to check what is really stored).
    pub raw: Raw,
    _dir: tempfile::TempDir,
}

pub enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    /// `SELECT COUNT(*) FROM tokens WHERE <column> = $1`.
    pub async fn count_tokens_where(&self, column: &str, value: &str) -> i64 {
        let sql = match column {
            "secret_sha256" => "SELECT COUNT(*) FROM tokens WHERE secret_sha256 = $1",
            "label" => {
                "SELECT COUNT(*) FROM tokens WHERE label = $1 OR role = $1 OR device_id = $1"
            }
            other => panic!("unexpected column {other}"),
        };
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar(sql)
                .bind(value)
                .fetch_one(p)
                .await
                .unwrap(),
            Raw::Postgres(p) => sqlx::query_scalar(sql)
                .bind(value)
                .fetch_one(p)
                .await
                .unwrap(),
        }
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(data))
}

fn random_hex() -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    hex::encode(b)
}

/// Queue timing of tests: dead workers are noticed after 2 s.
pub fn fast_timing() -> QueueTiming {
    QueueTiming {
        heartbeat: std::time::Duration::from_secs(1),
        missed_heartbeats: 2,
        poll_interval: std::time::Duration::from_millis(100),
    }
}

async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite");
    let url = format!("sqlite://{}", db.display());
    let store = Store::open_with(
        &url,
        dir.path().join("blobs").to_str().unwrap(),
        fast_timing(),
    )
    .await
    .unwrap();
    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
    TestStore {
        name: "sqlite",
        store,
        raw: Raw::Sqlite(raw),
        _dir: dir,
    }
}

/// A fresh database on the server of `LEAKSCOPE_TEST_PG` (apalis uses fixed schema names, so
/// a schema per test would not isolate the queue).
async fn postgres_store(admin_url: &str) -> TestStore {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let name = format!("leakscope_t_{}", random_hex());
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    let url = format!("{base}/{name}");
    let store = Store::open_with(
        &url,
        dir.path().join("blobs").to_str().unwrap(),
        fast_timing(),
    )
    .await
    .unwrap();
    let raw = sqlx::PgPool::connect(&format!("{url}?options=-c%20search_path%3Dleakscope"))
        .await
        .unwrap();
    TestStore {
        name: "postgres",
        store,
        raw: Raw::Postgres(raw),
        _dir: dir,
    }
}

/// One fresh store per available backend.
pub async fn stores() -> Vec<TestStore> {
    let mut out = vec![sqlite_store().await];
    match std::env::var("LEAKSCOPE_TEST_PG") {
        Ok(url) if !url.is_empty() => out.push(postgres_store(&url).await),
        _ => eprintln!(
            "skipping PostgreSQL: LEAKSCOPE_TEST_PG is unset (eval \"$(scripts/start-test-postgres.sh | tail -n 1)\")"
        ),
    }
    out
}
