//! Deduplicating collector of candidates.

use std::collections::HashMap;

use crate::endpoint::{Candidate, Endpoint, Outcome};
use crate::noise::NoiseCounts;

/// Collects candidates: distinct endpoints with how often each was seen (in
/// order of first appearance) and per-reason counts of the noise.
///
/// ```
/// use leakscope_endpoints::{Extractor, Findings, NoiseReason};
/// let ex = Extractor::new()?;
/// let mut f = Findings::new();
/// for s in [&b"https://t.tracker.io/a"[..], b"https://t.tracker.io/a", b"http://www.w3.org/2000/svg"] {
///     ex.scan(s, &mut |c| f.record(c));
/// }
/// assert_eq!(f.len(), 1);
/// assert_eq!(f.iter().next().map(|(_, n)| n), Some(2));
/// assert_eq!(f.noise().get(NoiseReason::XmlNamespace), 1);
/// # Ok::<(), leakscope_endpoints::ExtractorError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Findings {
    index: HashMap<Endpoint, usize>,
    items: Vec<(Endpoint, u64)>,
    noise: NoiseCounts,
}

impl Findings {
    /// An empty collector.
    pub fn new() -> Findings {
        Findings::default()
    }

    /// Records a candidate: an endpoint is added or its count bumped, noise
    /// is counted.
    pub fn record(&mut self, candidate: Candidate) {
        match candidate.outcome {
            Outcome::Endpoint(e) => {
                self.insert(e);
            }
            Outcome::Noise(r) => self.noise.add(r),
        }
    }

    /// Adds an endpoint; returns whether it was new.
    pub fn insert(&mut self, endpoint: Endpoint) -> bool {
        if let Some(i) = self.index.get(&endpoint) {
            if let Some((_, n)) = self.items.get_mut(*i) {
                *n = n.saturating_add(1);
            }
            return false;
        }
        self.index.insert(endpoint.clone(), self.items.len());
        self.items.push((endpoint, 1));
        true
    }

    /// Number of distinct endpoints.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no endpoint was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Distinct endpoints with their occurrence counts, in order of first
    /// appearance.
    pub fn iter(&self) -> impl Iterator<Item = (&Endpoint, u64)> {
        self.items.iter().map(|(e, n)| (e, *n))
    }

    /// Distinct hosts, sorted.
    pub fn hosts(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.items.iter().map(|(e, _)| e.host.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The per-reason noise counts.
    pub fn noise(&self) -> &NoiseCounts {
        &self.noise
    }

    /// Merges another collector (e.g. from another worker) into this one.
    pub fn merge(&mut self, other: Findings) {
        self.noise.merge(&other.noise);
        for (e, n) in other.items {
            if let Some(i) = self.index.get(&e) {
                if let Some((_, m)) = self.items.get_mut(*i) {
                    *m = m.saturating_add(n);
                }
            } else {
                self.index.insert(e.clone(), self.items.len());
                self.items.push((e, n));
            }
        }
    }

    /// The distinct endpoints, in order of first appearance.
    pub fn into_endpoints(self) -> Vec<Endpoint> {
        self.items.into_iter().map(|(e, _)| e).collect()
    }
}
