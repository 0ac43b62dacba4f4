//! The small, organization-independent summary stored beside each report
//! (the dashboard's list row), and the [`AppSummary`](crate) the API shows.

use std::collections::{BTreeMap, BTreeSet};

use leakscope_model::Report;
use serde_json::{Value, json};

/// Hosts kept per country in a summary.
const MAX_HOSTS_PER_COUNTRY: usize = 20;

/// The summary of a report: package, label, versions, verdict, score,
/// categories accessed and transmitted, trackers, signers and destination
/// countries.
pub fn summarize(report: &Report) -> Value {
    let name = |v: Value| v.as_str().map(str::to_string);
    let mut accessed = Vec::new();
    let mut transmitted = Vec::new();
    for (cat, f) in &report.categories {
        let Some(c) = serde_json::to_value(cat).ok().and_then(name) else {
            continue;
        };
        if f.accessed {
            accessed.push(c.clone());
        }
        if f.transmitted {
            transmitted.push(c);
        }
    }
    let trackers: BTreeSet<&str> = report.trackers.iter().map(|t| t.name.as_str()).collect();
    let mut countries: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for e in &report.endpoints {
        for c in [&e.owner_country, &e.ip_country].into_iter().flatten() {
            let hosts = countries.entry(c.clone()).or_default();
            if hosts.len() < MAX_HOSTS_PER_COUNTRY {
                hosts.insert(e.host.as_str());
            }
        }
    }
    let assessment = report.assessment.as_ref();
    json!({
        "package": report.app.package,
        "label": report.app.label,
        "version_name": report.app.version_name,
        "version_code": report.app.version_code,
        "verdict": assessment.and_then(|a| serde_json::to_value(a.verdict).ok()),
        "score": assessment.map(|a| a.score),
        "categories_accessed": accessed,
        "categories_transmitted": transmitted,
        "trackers": trackers,
        "signers": report.app.signers.iter().map(|s| s.sha256.to_ascii_lowercase()).collect::<Vec<_>>(),
        "countries": countries,
    })
}

/// The signer digests of a report, lowercase.
pub fn signers(report: &Report) -> Vec<String> {
    report
        .app
        .signers
        .iter()
        .map(|s| s.sha256.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_an_empty_report_has_every_field() {
        let s = summarize(&Report::default());
        for k in [
            "package",
            "label",
            "version_code",
            "verdict",
            "score",
            "categories_accessed",
            "categories_transmitted",
            "trackers",
            "signers",
            "countries",
        ] {
            assert!(s.get(k).is_some(), "{k}");
        }
        assert_eq!(s["categories_accessed"], json!([]));
    }
}
