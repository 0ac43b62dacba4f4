//! Where data of a category may go: a heuristic over the report's
//! endpoints (`docs/scoring.md`, "Destinations").

use std::collections::BTreeSet;

use leakscope_model::{
    Attribution, Category, Destination, EndpointFinding, Location, Report, SinkKind, TrackerFinding,
};

/// Most evidence classes searched when no flow is known.
const MAX_EVIDENCE_CLASSES: usize = 64;

/// The plausible destinations of `category`, sorted and deduplicated:
/// the endpoints of the `trackers` that read it, those near the sinks of
/// its network `flows` (indices into `report.flows`), and, when the report
/// marks it transmitted without a flow, those near the classes that read
/// it.
pub(crate) fn of_category(
    report: &Report,
    category: Category,
    trackers: &[&TrackerFinding],
    flows: &[usize],
) -> Vec<Destination> {
    let mut out = BTreeSet::new();
    for t in trackers {
        of_tracker(report, t, &mut out);
    }
    let sink_classes: BTreeSet<&str> = flows
        .iter()
        .filter_map(|i| report.flows.get(*i))
        .filter(|flow| flow.sink.kind == SinkKind::Network)
        .map(|flow| flow.sink.location.class.as_str())
        .collect();
    for class in sink_classes {
        near_class(report, class, &mut out);
    }
    let findings = report.categories.get(&category);
    if flows.is_empty() && findings.is_some_and(|f| f.transmitted) {
        // Transmitted without a flow to point at the sink: the classes that
        // read the data (other than SDKs') stand in for it.
        let classes: BTreeSet<&str> = findings
            .into_iter()
            .flat_map(|f| f.evidence.iter())
            .filter(|e| !matches!(e.attribution, Attribution::Sdk { .. }))
            .map(|e| e.location.class.as_str())
            .take(MAX_EVIDENCE_CLASSES)
            .collect();
        for class in classes {
            near_class(report, class, &mut out);
        }
    }
    out.into_iter().collect()
}

/// The package of a class descriptor: `Lcom/foo/Bar;` → `com/foo`.
fn package_of(class: &str) -> &str {
    let inner = class.strip_prefix('L').unwrap_or(class);
    let inner = inner.strip_suffix(';').unwrap_or(inner);
    inner.rsplit_once('/').map_or("", |(p, _)| p)
}

/// The first two segments of a package (`com/facebook`), standing for the
/// library the code belongs to; `None` for shorter packages, which say
/// nothing about who wrote the code.
fn library_of(package: &str) -> Option<&str> {
    let mut it = package.match_indices('/');
    let lib = match (it.next(), it.next()) {
        (Some(_), Some((second, _))) => package.get(..second)?,
        (Some(_), None) => package,
        _ => return None,
    };
    // Obfuscated packages (`a/b`) do not identify a library.
    lib.split('/').any(|s| s.len() > 2).then_some(lib)
}

fn code_classes(e: &EndpointFinding) -> impl Iterator<Item = &str> {
    e.locations.iter().filter_map(|l| match l {
        Location::Code(c) => Some(c.class.as_str()),
        Location::File { .. } => None,
    })
}

fn destination(e: &EndpointFinding) -> Destination {
    Destination {
        host: e.host.clone(),
        owner: e.owner.clone(),
        owner_country: e.owner_country.clone(),
        ip_country: e.ip_country.clone(),
        tracker: e.tracker.clone(),
    }
}

/// Endpoints of a tracker: those its network signature matched.
fn of_tracker(report: &Report, t: &TrackerFinding, out: &mut BTreeSet<Destination>) {
    for e in &report.endpoints {
        let by_name = e
            .tracker
            .as_deref()
            .is_some_and(|n| n == t.name || n == t.id);
        if by_name || t.network_matches.contains(&e.host) {
            out.insert(destination(e));
        }
    }
    // Network matches without an endpoint entry still name a host.
    for h in &t.network_matches {
        if !report.endpoints.iter().any(|e| e.host == *h) {
            out.insert(Destination {
                host: h.clone(),
                owner: t.owner.clone(),
                owner_country: t.owner_country.clone(),
                ip_country: None,
                tracker: Some(t.name.clone()),
            });
        }
    }
}

/// Endpoints found in the code near `class` (a network flow's sink): in the
/// class, failing that in its package, failing that in its library (first
/// two package segments).
fn near_class(report: &Report, class: &str, out: &mut BTreeSet<Destination>) {
    let package = package_of(class);
    let same = |pick: &dyn Fn(&str) -> bool| -> Vec<Destination> {
        report
            .endpoints
            .iter()
            .filter(|e| code_classes(e).any(pick))
            .map(destination)
            .collect()
    };
    let mut found = same(&|c| c == class);
    if found.is_empty() && !package.is_empty() {
        found = same(&|c| package_of(c) == package);
    }
    if found.is_empty()
        && let Some(lib) = library_of(package)
    {
        found = same(&|c| library_of(package_of(c)) == Some(lib));
    }
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_and_libraries() {
        assert_eq!(package_of("Lcom/foo/bar/Baz;"), "com/foo/bar");
        assert_eq!(package_of("LBaz;"), "");
        assert_eq!(library_of("com/foo/bar"), Some("com/foo"));
        assert_eq!(library_of("com/foo"), Some("com/foo"));
        assert_eq!(library_of("a"), None);
        assert_eq!(library_of(""), None);
        assert_eq!(library_of("a/b/c"), None);
    }
}
