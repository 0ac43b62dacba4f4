//! What every handler shares: the store, settings and in-memory caches.

use std::collections::{HashMap, HashSet};
use std::ops::Deref;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leakscope_store::{OrgId, Store};

use crate::auth::AuthCache;
use crate::evaluate::{PolicyCache, VerdictCache};
use crate::index::AppIndex;
use crate::metrics::Metrics;
use crate::signers::KnownSigners;

/// How long org-level caches (trusted signers, webhook settings) are kept;
/// bounds how stale a node is after another node or process changed them.
pub const CACHE_TTL: Duration = Duration::from_secs(5);

/// Server settings from the command line.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Largest upload, in bytes.
    pub max_upload: usize,
    /// Taint budget per app.
    pub budget: leakscope_taint::Budget,
    /// Timeout of one webhook delivery.
    pub webhook_timeout: Duration,
}

/// The state shared by handlers, workers and background tasks.
pub struct Shared {
    /// Persistence.
    pub store: Store,
    /// Settings.
    pub settings: Settings,
    /// Token lookups.
    pub auth: AuthCache,
    /// Analysed apps by SHA-256 and by (package, version code).
    pub index: AppIndex,
    /// Compiled policies per org.
    pub policies: PolicyCache,
    /// Verdicts per org.
    pub verdicts: VerdictCache,
    /// (org, sha256) pairs known to be linked.
    pub links: Mutex<HashSet<(OrgId, String)>>,
    /// Reference signer list.
    pub known_signers: KnownSigners,
    /// Per (org, package): the org's trusted signers.
    pub trusted: TtlMap<(OrgId, String), Vec<String>>,
    /// Counters for `/metrics`.
    pub metrics: Metrics,
}

/// Cloneable handle on [`Shared`], the axum state.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// A state over `store`, with empty caches.
    pub fn new(store: Store, settings: Settings) -> anyhow::Result<AppState> {
        let known_signers = KnownSigners::embedded().map_err(anyhow::Error::msg)?;
        Ok(AppState(Arc::new(Shared {
            store,
            settings,
            auth: AuthCache::default(),
            index: AppIndex::default(),
            policies: PolicyCache::default(),
            verdicts: VerdictCache::default(),
            links: Mutex::new(HashSet::new()),
            known_signers,
            trusted: TtlMap::default(),
            metrics: Metrics::default(),
        })))
    }

    /// Links `sha256` to `org` unless already known to be linked.
    pub async fn link(&self, org: OrgId, sha256: &str) -> leakscope_store::Result<()> {
        let key = (org, sha256.to_string());
        if self.links.lock().is_ok_and(|l| l.contains(&key)) {
            return Ok(());
        }
        self.store.link_app(org, sha256).await?;
        if let Ok(mut l) = self.links.lock() {
            if l.len() > 1_000_000 {
                l.clear();
            }
            l.insert(key);
        }
        Ok(())
    }

    /// The signers `org` trusts for `package` (cached for [`CACHE_TTL`]).
    pub async fn trusted_signers(
        &self,
        org: OrgId,
        package: &str,
    ) -> leakscope_store::Result<Vec<String>> {
        let key = (org, package.to_string());
        if let Some(v) = self.trusted.get(&key) {
            return Ok(v);
        }
        let v = self.store.trusted_signers(org, package).await?;
        self.trusted.put(key, v.clone());
        Ok(v)
    }
}

/// A small map whose entries expire after [`CACHE_TTL`].
pub struct TtlMap<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K, V> Default for TtlMap<K, V> {
    fn default() -> Self {
        TtlMap {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> TtlMap<K, V> {
    /// The live value for `key`.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let (at, v) = entries.get(key)?;
        (at.elapsed() < CACHE_TTL).then(|| v.clone())
    }

    /// Stores `value` (the map is emptied when it grows past 100,000).
    pub fn put(&self, key: K, value: V) {
        if let Ok(mut e) = self.entries.lock() {
            if e.len() > 100_000 {
                e.clear();
            }
            e.insert(key, (Instant::now(), value));
        }
    }

    /// Drops every entry for which `f` is true.
    pub fn remove_where(&self, f: impl Fn(&K) -> bool) {
        if let Ok(mut e) = self.entries.lock() {
            e.retain(|k, _| !f(k));
        }
    }
}
