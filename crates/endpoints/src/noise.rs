//! The noise filter's data (`noise.toml`) and per-reason counters.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::endpoint::NoiseReason;
use crate::error::NoiseTableError;

/// The noise table shipped in the crate (`crates/endpoints/noise.toml`).
pub const BUILTIN_NOISE_TOML: &str = include_str!("../noise.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    version: u32,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    reason: String,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    unless_path_contains: Vec<String>,
}

#[derive(Clone, Debug)]
struct Rule {
    reason: NoiseReason,
    domains: Vec<String>,
    hosts: Vec<String>,
    prefixes: Vec<String>,
    unless_path_contains: Vec<String>,
}

/// A loaded noise filter: which hosts and URL prefixes are not endpoints,
/// and why.
#[derive(Clone, Debug)]
pub struct NoiseTable {
    rules: Vec<Rule>,
}

/// Reasons a `noise.toml` rule may use.
const TABLE_REASONS: [NoiseReason; 5] = [
    NoiseReason::XmlNamespace,
    NoiseReason::Schema,
    NoiseReason::Licence,
    NoiseReason::ExampleDomain,
    NoiseReason::Documentation,
];

impl NoiseTable {
    /// The table embedded in the crate.
    pub fn builtin() -> Result<NoiseTable, NoiseTableError> {
        NoiseTable::from_toml(BUILTIN_NOISE_TOML)
    }

    /// A table with no rules (only the built-in placeholder and empty-host
    /// rules of the extractor remain).
    pub fn empty() -> NoiseTable {
        NoiseTable { rules: Vec::new() }
    }

    /// Parses a table in the `noise.toml` format (see that file's header).
    pub fn from_toml(text: &str) -> Result<NoiseTable, NoiseTableError> {
        let raw: RawTable =
            toml::from_str(text).map_err(|e| NoiseTableError::Syntax(e.to_string()))?;
        if raw.version != 1 {
            return Err(NoiseTableError::Version(raw.version));
        }
        let mut rules = Vec::with_capacity(raw.rule.len());
        for r in raw.rule {
            let reason = NoiseReason::from_name(&r.reason)
                .filter(|x| TABLE_REASONS.contains(x))
                .ok_or_else(|| NoiseTableError::Reason(r.reason.clone()))?;
            let norm = |v: Vec<String>| -> Vec<String> {
                v.into_iter()
                    .map(|s| {
                        let s = s.trim().to_ascii_lowercase();
                        s.strip_prefix("*.").map(str::to_owned).unwrap_or(s)
                    })
                    .filter(|s| !s.is_empty())
                    .collect()
            };
            let prefixes = r
                .prefixes
                .into_iter()
                .map(|p| {
                    let p = p.trim();
                    p.strip_prefix("www.").unwrap_or(p).to_owned()
                })
                .filter(|s| !s.is_empty())
                .collect();
            let unless_path_contains = r
                .unless_path_contains
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            rules.push(Rule {
                reason,
                domains: norm(r.domains),
                hosts: norm(r.hosts),
                prefixes,
                unless_path_contains,
            });
        }
        Ok(NoiseTable { rules })
    }

    /// Number of entries (domains, hosts and prefixes) over all rules.
    pub fn len(&self) -> usize {
        self.rules
            .iter()
            .map(|r| r.domains.len() + r.hosts.len() + r.prefixes.len())
            .sum()
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Classifies a lowercase `host` with `path` (starting with `/`, or
    /// empty for a bare host). The first matching rule wins, in file order.
    pub fn classify(&self, host: &str, path: &str) -> Option<NoiseReason> {
        let short = host.strip_prefix("www.").unwrap_or(host);
        let path = if path.is_empty() { "/" } else { path };
        for rule in &self.rules {
            if rule
                .unless_path_contains
                .iter()
                .any(|u| path.contains(u.as_str()))
            {
                continue;
            }
            if rule.hosts.iter().any(|h| h == host) {
                return Some(rule.reason);
            }
            if rule.domains.iter().any(|d| is_same_or_subdomain(host, d)) {
                return Some(rule.reason);
            }
            if rule
                .prefixes
                .iter()
                .any(|p| starts_with_joined(short, path, p))
            {
                return Some(rule.reason);
            }
        }
        None
    }
}

/// `host == domain` or `host` ends with `.domain`.
pub(crate) fn is_same_or_subdomain(host: &str, domain: &str) -> bool {
    match host.strip_suffix(domain) {
        Some("") => true,
        Some(rest) => rest.ends_with('.'),
        None => false,
    }
}

/// Whether `host + path` starts with `prefix`, without concatenating.
/// The host part compares case-insensitively (it is already lowercase), the
/// path part ASCII case-insensitively too: licence and namespace paths vary in
/// case (`LICENSE-2.0`, `licenses`).
fn starts_with_joined(host: &str, path: &str, prefix: &str) -> bool {
    let p = prefix.as_bytes();
    let h = host.as_bytes();
    if p.len() <= h.len() {
        return h.get(..p.len()).is_some_and(|x| x.eq_ignore_ascii_case(p));
    }
    let (ph, pp) = p.split_at(h.len());
    h.eq_ignore_ascii_case(ph)
        && path
            .as_bytes()
            .get(..pp.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(pp))
}

/// Counts of dropped candidates per reason. Serializes as a map from the
/// reason's snake_case name to the count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct NoiseCounts {
    counts: BTreeMap<NoiseReason, u64>,
}

impl NoiseCounts {
    /// Records one dropped candidate.
    pub fn add(&mut self, reason: NoiseReason) {
        let c = self.counts.entry(reason).or_insert(0);
        *c = c.saturating_add(1);
    }

    /// The count for one reason.
    pub fn get(&self, reason: NoiseReason) -> u64 {
        self.counts.get(&reason).copied().unwrap_or(0)
    }

    /// Non-zero counts, in [`NoiseReason`] order.
    pub fn iter(&self) -> impl Iterator<Item = (NoiseReason, u64)> + '_ {
        self.counts.iter().map(|(r, c)| (*r, *c))
    }

    /// Total over all reasons.
    pub fn total(&self) -> u64 {
        self.counts.values().fold(0u64, |a, b| a.saturating_add(*b))
    }

    /// Adds another set of counts into this one.
    pub fn merge(&mut self, other: &NoiseCounts) {
        for (r, c) in other.iter() {
            let e = self.counts.entry(r).or_insert(0);
            *e = e.saturating_add(c);
        }
    }
}

impl fmt::Display for NoiseCounts {
    /// `37 ignored as XML namespaces, 2 ignored as licence URLs`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (r, c) in self.iter() {
            if !first {
                f.write_str(", ")?;
            }
            first = false;
            write!(f, "{c} ignored as {}", r.describe())?;
        }
        if first {
            f.write_str("nothing ignored")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomain_matching() {
        assert!(is_same_or_subdomain("w3.org", "w3.org"));
        assert!(is_same_or_subdomain("www.w3.org", "w3.org"));
        assert!(!is_same_or_subdomain("notw3.org", "w3.org"));
        assert!(!is_same_or_subdomain("w3.org.evil.com", "w3.org"));
        assert!(is_same_or_subdomain("foo.example", "example"));
        assert!(!is_same_or_subdomain("example", "foo.example"));
    }

    #[test]
    fn joined_prefix_matching() {
        assert!(starts_with_joined(
            "apache.org",
            "/licenses/LICENSE-2.0",
            "apache.org/licenses"
        ));
        assert!(starts_with_joined(
            "apache.org",
            "/LICENSES/x",
            "apache.org/licenses"
        ));
        assert!(!starts_with_joined(
            "apache.org",
            "/lic",
            "apache.org/licenses"
        ));
        assert!(starts_with_joined("java.sun.com", "/", "java.sun"));
        assert!(!starts_with_joined("java.sun.co", "/m", "java.sun.com/"));
    }

    #[test]
    fn builtin_classifies() -> Result<(), NoiseTableError> {
        let t = NoiseTable::builtin()?;
        assert_eq!(
            t.classify("www.apache.org", "/licenses/LICENSE-2.0"),
            Some(NoiseReason::Licence)
        );
        assert_eq!(
            t.classify("schemas.android.com", "/apk/res/android"),
            Some(NoiseReason::XmlNamespace)
        );
        assert_eq!(
            t.classify("foo.invalid", ""),
            Some(NoiseReason::ExampleDomain)
        );
        assert_eq!(t.classify("tracker.test", ""), None);
        assert_eq!(t.classify("github.com", "/a/b/releases/download/x"), None);
        assert_eq!(
            t.classify("github.com", "/a/b/issues/1"),
            Some(NoiseReason::Documentation)
        );
        assert_eq!(t.classify("api.github.com", "/repos"), None);
        Ok(())
    }
}
