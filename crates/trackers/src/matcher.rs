//! Matching class names and hosts against the Exodus signatures.

use std::collections::BTreeSet;

use leakscope_app::App;
use leakscope_dex::parse_dex_container;
use leakscope_kb::{Kb, Tracker, TrackerTable};
use leakscope_model::TrackerFinding;
use rayon::prelude::*;

use crate::class_list::{
    ClassList, entry_path_names, exodus_selects_entry, extend_exodus_class_list, scan_printed,
};
use crate::error::TrackerError;

/// Most class names kept as evidence per tracker ([`TrackerFinding::code_matches`]).
pub const MAX_CODE_SAMPLES: usize = 20;

/// A host that matched a tracker's network signature, with the caller's
/// evidence for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkMatch<E> {
    /// Exodus id of the tracker.
    pub tracker_id: u32,
    /// The host.
    pub host: String,
    /// Where the host was found (whatever the caller passed).
    pub evidence: E,
}

/// What [`TrackerMatcher::detect`] found in an app's code.
#[derive(Clone, Debug, Default)]
pub struct Detection {
    /// One finding per tracker whose code signature matched, by Exodus id.
    pub findings: Vec<TrackerFinding>,
    /// The class list the signatures were applied to.
    pub class_list: ClassList,
    /// DEX blobs that could not be parsed at all (`origin`, error).
    pub unreadable: Vec<(String, leakscope_dex::DexError)>,
}

/// The Exodus signatures, compiled once (by the knowledge base's
/// [`TrackerTable`], which this matcher shares rather than compiling the
/// same regexes a second time).
#[derive(Clone, Debug)]
pub struct TrackerMatcher {
    table: TrackerTable,
    /// `(owner name, owner country)` per tracker, when known.
    owners: Vec<Option<(String, String)>>,
    /// Per tracker: whether exodus-core uses its code signature (it ignores
    /// signatures of at most 3 characters).
    code_used: Vec<bool>,
}

impl TrackerMatcher {
    /// Compiles the signatures of `trackers`. Code signatures of at most 3
    /// characters are ignored, as exodus-core does. A pattern that does not
    /// compile is an error naming the tracker.
    pub fn new<'t>(trackers: impl IntoIterator<Item = &'t Tracker>) -> Result<Self, TrackerError> {
        let table = TrackerTable::from_trackers(trackers.into_iter().cloned().collect())
            .map_err(|e| TrackerError::Signatures(e.to_string()))?;
        Ok(TrackerMatcher::with_table(table))
    }

    fn with_table(table: TrackerTable) -> TrackerMatcher {
        let code_used = table
            .iter()
            .map(|t| {
                t.code_signature
                    .as_ref()
                    .is_some_and(|s| s.pattern.chars().count() > 3)
            })
            .collect();
        TrackerMatcher {
            owners: vec![None; table.len()],
            table,
            code_used,
        }
    }

    /// The trackers of `kb`, with their owners from [`Kb::tracker_owner`].
    pub fn from_kb(kb: &Kb) -> Result<Self, TrackerError> {
        let mut m = TrackerMatcher::with_table(kb.trackers.clone());
        m.owners = m
            .table
            .iter()
            .map(|t| {
                kb.tracker_owner(t)
                    .map(|o| (o.name.clone(), o.country.clone()))
            })
            .collect();
        Ok(m)
    }

    /// The trackers, in the order given to [`TrackerMatcher::new`].
    pub fn trackers(&self) -> impl Iterator<Item = &Tracker> + '_ {
        self.table.iter()
    }

    fn tracker(&self, i: usize) -> Option<&Tracker> {
        self.table.at(i)
    }

    /// Indexes (into [`TrackerMatcher::trackers`]) of the trackers whose
    /// code signature is found in `name` (a `re.search`).
    pub fn match_name(&self, name: &str) -> impl Iterator<Item = usize> + '_ {
        self.table
            .match_class_indexes(name)
            .into_iter()
            .filter(|&i| self.code_used.get(i).copied().unwrap_or(false))
    }

    /// The tracker a class belongs to, for attributing code to an SDK:
    /// the descriptor (`Lcom/google/ads/AdView;`) is reduced to the string
    /// exodus-core would see (`com/google/ads/AdView`) and the first
    /// tracker (in table order) whose code signature matches it is returned.
    pub fn tracker_of_class(&self, class_descriptor: &str) -> Option<&Tracker> {
        let mut names = BTreeSet::new();
        scan_printed(class_descriptor.as_bytes(), &mut names);
        names
            .iter()
            .filter_map(|n| self.match_name(n).min())
            .min()
            .and_then(|i| self.tracker(i))
    }

    /// Applies the code signatures to a class list, as exodus-core's
    /// `detect_trackers_in_list` does: a tracker is detected when its
    /// signature is found in any name. Findings are in tracker order, with
    /// up to [`MAX_CODE_SAMPLES`] matching names (sorted) and their count.
    pub fn detect_in_list<'n>(
        &self,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Vec<TrackerFinding> {
        let mut hits: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); self.table.len()];
        for name in names {
            for i in self.match_name(name) {
                if let Some((count, samples)) = hits.get_mut(i) {
                    *count += 1;
                    if samples.len() < MAX_CODE_SAMPLES {
                        samples.push(name);
                    }
                }
            }
        }
        hits.into_iter()
            .enumerate()
            .filter(|(_, (count, _))| *count > 0)
            .filter_map(|(i, (count, mut samples))| {
                samples.sort_unstable();
                let mut f = self.finding(i)?;
                f.code_matches = samples.into_iter().map(str::to_owned).collect();
                f.code_match_count = count;
                f.detected_by = vec!["code".to_owned()];
                Some(f)
            })
            .collect()
    }

    /// An empty finding for tracker `i`.
    fn finding(&self, i: usize) -> Option<TrackerFinding> {
        let t = self.tracker(i)?;
        let owner = self.owners.get(i).cloned().flatten();
        Some(TrackerFinding {
            id: t.id.to_string(),
            name: t.name.clone(),
            owner: owner.as_ref().map(|o| o.0.clone()),
            owner_country: owner.map(|o| o.1),
            website: (!t.website.is_empty()).then(|| t.website.clone()),
            categories: t.categories.clone(),
            ..TrackerFinding::default()
        })
    }

    /// The class list of an app's code as exodus-core builds it: the
    /// app's own DEX files and those it carries, restricted to the entries
    /// exodus-core reads (`classes*.dex` names, inside nested APKs too).
    pub fn app_class_list(app: &App) -> (ClassList, Vec<(String, leakscope_dex::DexError)>) {
        let blobs: Vec<_> = app
            .code
            .iter()
            .chain(app.dynamic_code.iter().flat_map(|d| d.dex.iter()))
            .filter(|blob| origin_selected(&blob.origin))
            .collect();
        // One list per DEX file, on all cores, then their union.
        let parts: Vec<(ClassList, Option<(String, leakscope_dex::DexError)>)> = blobs
            .par_iter()
            .map(|blob| {
                let mut list = ClassList::default();
                // exodus-core's dexdump also prints the extraction path.
                let entry = blob.origin.rsplit('!').next().unwrap_or("");
                entry_path_names(entry, &mut list.names);
                match parse_dex_container(blob.bytes.as_slice()) {
                    Ok(images) => {
                        for dex in &images {
                            extend_exodus_class_list(dex, &mut list);
                        }
                        (list, None)
                    }
                    Err(e) => (list, Some((blob.origin.clone(), e))),
                }
            })
            .collect();
        let mut list = ClassList::default();
        let mut unreadable = Vec::new();
        for (part, error) in parts {
            list.names.extend(part.names);
            list.errors.extend(part.errors);
            unreadable.extend(error);
        }
        (list, unreadable)
    }

    /// Detects trackers from the app's code (see [`TrackerMatcher::app_class_list`]
    /// and [`TrackerMatcher::detect_in_list`]).
    pub fn detect(&self, app: &App) -> Detection {
        let (class_list, unreadable) = Self::app_class_list(app);
        let findings = self.detect_in_list(class_list.names.iter().map(String::as_str));
        Detection {
            findings,
            class_list,
            unreadable,
        }
    }

    /// Applies the network signatures to hosts (searched anywhere in the
    /// host, as Exodus does). Each match keeps the host's evidence.
    pub fn match_hosts<'h, E: Clone + 'h>(
        &self,
        hosts: impl IntoIterator<Item = (&'h str, E)>,
    ) -> Vec<NetworkMatch<E>> {
        let mut out = Vec::new();
        for (host, evidence) in hosts {
            for i in self.table.match_host_indexes(host) {
                if let Some(t) = self.tracker(i) {
                    out.push(NetworkMatch {
                        tracker_id: t.id,
                        host: host.to_owned(),
                        evidence: evidence.clone(),
                    });
                }
            }
        }
        out
    }

    /// Adds network matches to `findings`: an existing finding of the same
    /// tracker gets the hosts and `network` in `detected_by`; other
    /// trackers get a new finding. Findings stay sorted by tracker order.
    pub fn merge_network<E>(
        &self,
        findings: &mut Vec<TrackerFinding>,
        matches: &[NetworkMatch<E>],
    ) {
        for m in matches {
            let id = m.tracker_id.to_string();
            let pos = findings.iter().position(|f| f.id == id);
            let f = match pos {
                Some(p) => findings.get_mut(p),
                None => {
                    let Some(i) = self.table.iter().position(|t| t.id == m.tracker_id) else {
                        continue;
                    };
                    let Some(f) = self.finding(i) else { continue };
                    findings.push(f);
                    findings.last_mut()
                }
            };
            let Some(f) = f else { continue };
            if !f.network_matches.contains(&m.host) {
                f.network_matches.push(m.host.clone());
                f.network_matches.sort();
            }
            if !f.detected_by.iter().any(|d| d == "network") {
                f.detected_by.push("network".to_owned());
            }
        }
        let order = |f: &TrackerFinding| {
            self.table
                .iter()
                .position(|t| t.id.to_string() == f.id)
                .unwrap_or(usize::MAX)
        };
        findings.sort_by_key(order);
    }
}

/// Whether exodus-core would read the DEX at `origin` (`a.apk!b.apk!classes.dex`):
/// every container on the way is an entry it recurses into and the last
/// part is an entry it runs dexdump on. A top-level container that is not
/// an APK (`assets/x.jar!classes.dex`) is not read by exodus-core.
pub fn origin_selected(origin: &str) -> bool {
    let mut parts: Vec<&str> = origin.split('!').collect();
    let Some(last) = parts.pop() else {
        return false;
    };
    parts
        .iter()
        .all(|p| crate::class_list::exodus_recurses_into(p))
        && exodus_selects_entry(last)
}
