//! Persistence, app blobs and the analysis job queue of the leakscope fleet server.
//!
//! [`Store::open`] takes a database URL (`sqlite://PATH` or `postgres://…`) and a blob location
//! (a directory, `file://DIR` or `s3://bucket/prefix`), runs the migrations
//! (`migrations/sqlite`, `migrations/postgres`) and sets up the apalis job queue.
//!
//! Tenancy: app analysis results are global (keyed by SHA-256, they hold no organization
//! data); every other table has an `org_id`, and every method that takes an [`OrgId`] filters by it.
//!
//! ```no_run
//! # async fn demo() -> leakscope_store::Result<()> {
//! let store = leakscope_store::Store::open("sqlite:///var/lib/leakscope/db.sqlite", "/var/lib/leakscope/blobs").await?;
//! let org = store.create_org("acme").await?;
//! let (_token, secret) = store.create_token(org.id, leakscope_store::Role::Admin, None, "bootstrap").await?;
//! assert!(store.authenticate(&secret).await?.is_some());
//! # Ok(()) }
//! ```

mod apps;
mod blobs;
mod connect;
mod db;
mod devices;
mod error;
mod orgs;
mod policies;
mod queue;
mod types;
mod webhooks;
mod worker;

pub use error::{Result, StoreError};
pub use queue::QueueTiming;
pub use types::*;
pub use worker::MAX_ATTEMPTS;

/// Handle on the database, the blob store and the job queue. Cheap to clone (pools are shared).
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    db: db::Db,
    blobs: blobs::Blobs,
    queue: queue::Queue,
    timing: QueueTiming,
}

impl Store {
    /// Opens the store with the default queue timing (see [`QueueTiming`]).
    pub async fn open(db_url: &str, blobs_url: &str) -> Result<Store> {
        Store::open_with(db_url, blobs_url, QueueTiming::default()).await
    }

    /// Opens the store: connects, runs migrations, sets up the queue.
    pub async fn open_with(db_url: &str, blobs_url: &str, timing: QueueTiming) -> Result<Store> {
        let blobs = blobs::Blobs::open(blobs_url)?;
        let (backend, db, queue) = connect::connect(db_url, timing).await?;
        Ok(Store {
            backend,
            db,
            blobs,
            queue,
            timing,
        })
    }

    /// Which database backs this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The same store with other queue timing (workers started from it use it).
    pub fn with_queue_timing(&self, timing: QueueTiming) -> Store {
        Store {
            timing,
            queue: self.queue.with_timing(timing),
            ..self.clone()
        }
    }

    /// Analysis jobs waiting to run.
    pub async fn queued_jobs(&self) -> Result<i64> {
        self.queue.waiting().await
    }
}
