//! In-memory index of the apps the server knows, for the inventory hot path:
//! analysed apps by SHA-256 and by (package, version code), and a short-lived
//! cache of apps that are absent or still being analysed.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use leakscope_store::{AppRecord, AppStatus, Store};

/// How long "absent" or "pending" is believed before asking the store again.
const PENDING_TTL: Duration = Duration::from_secs(2);

/// An analysed app, as the inventory needs it.
#[derive(Clone, Debug)]
pub struct IndexedApp {
    /// Its SHA-256.
    pub sha256: String,
}

/// What the server knows about a SHA-256.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// Analysed.
    Done(Arc<IndexedApp>),
    /// Uploaded; queued, analysing or failed.
    Pending(AppStatus),
    /// Never seen: no blob.
    Absent,
}

/// Analysed apps by (package, version code).
type ByVersion = HashMap<(String, i64), Vec<Arc<IndexedApp>>>;

/// The index.
#[derive(Default)]
pub struct AppIndex {
    by_sha: RwLock<HashMap<String, Arc<IndexedApp>>>,
    by_version: RwLock<ByVersion>,
    not_done: RwLock<HashMap<String, (Instant, Option<AppStatus>)>>,
}

impl AppIndex {
    /// Loads every analysed app from the store.
    pub async fn load(&self, store: &Store) -> leakscope_store::Result<usize> {
        let apps = store.app_index().await?;
        let n = apps.len();
        for a in &apps {
            self.insert(a);
        }
        Ok(n)
    }

    /// Adds an analysed app (other statuses are ignored).
    pub fn insert(&self, app: &AppRecord) {
        if app.status != AppStatus::Done {
            return;
        }
        let indexed = Arc::new(IndexedApp {
            sha256: app.sha256.clone(),
        });
        if let Ok(mut m) = self.by_sha.write() {
            if m.contains_key(&app.sha256) {
                return;
            }
            m.insert(app.sha256.clone(), indexed.clone());
        }
        if let (Some(p), Some(v)) = (&app.package, app.version_code)
            && let Ok(mut m) = self.by_version.write()
        {
            m.entry((p.clone(), v)).or_default().push(indexed);
        }
        if let Ok(mut m) = self.not_done.write() {
            m.remove(&app.sha256);
        }
    }

    /// Forgets the "pending/absent" belief about `sha256` (after an upload).
    pub fn forget(&self, sha256: &str) {
        if let Ok(mut m) = self.not_done.write() {
            m.remove(sha256);
        }
    }

    /// The analysed apps with this package and version code.
    pub fn by_version(&self, package: &str, version_code: i64) -> Vec<Arc<IndexedApp>> {
        self.by_version
            .read()
            .ok()
            .and_then(|m| m.get(&(package.to_string(), version_code)).cloned())
            .unwrap_or_default()
    }

    /// What the server knows about `sha256`, asking the store on a miss.
    pub async fn lookup(&self, store: &Store, sha256: &str) -> leakscope_store::Result<Lookup> {
        if let Some(a) = self.by_sha.read().ok().and_then(|m| m.get(sha256).cloned()) {
            return Ok(Lookup::Done(a));
        }
        if let Some((at, status)) = self
            .not_done
            .read()
            .ok()
            .and_then(|m| m.get(sha256).cloned())
            && at.elapsed() < PENDING_TTL
        {
            return Ok(status.map_or(Lookup::Absent, Lookup::Pending));
        }
        let record = store.app(sha256).await?;
        match record {
            Some(r) if r.status == AppStatus::Done => {
                self.insert(&r);
                let a = self.by_sha.read().ok().and_then(|m| m.get(sha256).cloned());
                Ok(a.map_or(Lookup::Pending(AppStatus::Done), Lookup::Done))
            }
            other => {
                let status = other.map(|r| r.status);
                if let Ok(mut m) = self.not_done.write() {
                    if m.len() > 100_000 {
                        m.clear();
                    }
                    m.insert(sha256.to_string(), (Instant::now(), status));
                }
                Ok(status.map_or(Lookup::Absent, Lookup::Pending))
            }
        }
    }
}
