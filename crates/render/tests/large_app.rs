//! A big real app (the largest APK of the registry cache,
//! `~/.cache/leakscope-corpus/registry`): the SARIF stays valid and both
//! outputs stay bounded in size and time thanks to the caps.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::*;
use leakscope_render::{MAX_RESULTS_PER_API, html, sarif};

fn largest_cached_apk() -> Option<PathBuf> {
    let dir = std::env::var_os("HOME")
        .map(PathBuf::from)?
        .join(".cache/leakscope-corpus/registry");
    let mut apks: Vec<(u64, PathBuf)> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "apk"))
        .map(|p| (p.metadata().map(|m| m.len()).unwrap_or(0), p))
        .collect();
    apks.sort();
    apks.pop().map(|(_, p)| p)
}

#[test]
fn large_app_outputs_are_valid_and_bounded() {
    let Some(apk) = largest_cached_apk() else {
        eprintln!("SKIP: no APK in ~/.cache/leakscope-corpus/registry");
        return;
    };
    let start = Instant::now();
    let report = analyze(&apk);
    let analysed = start.elapsed();
    let evidence: usize = report.categories.values().map(|c| c.evidence.len()).sum();

    let start = Instant::now();
    let log = sarif(&report);
    let sarif_time = start.elapsed();
    let start = Instant::now();
    let page = html(&report);
    let html_time = start.elapsed();
    let sarif_text = serde_json::to_string(&log).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    eprintln!(
        "{}: analysed in {analysed:.2?}; {evidence} evidence, {} endpoints, {} trackers → \
         {} SARIF results ({} bytes, {sarif_time:.2?}), HTML {} bytes ({html_time:.2?})",
        apk.display(),
        report.endpoints.len(),
        report.trackers.len(),
        results.len(),
        sarif_text.len(),
        page.len(),
    );
    assert_valid_sarif(&sarif_validator(), &log, &apk.display().to_string());
    // No (rule, API) pair has more than the cap.
    let mut per_api = std::collections::HashMap::new();
    for r in results {
        if let Some(api) = r["properties"]["api"].as_str() {
            *per_api
                .entry((r["ruleId"].to_string(), api.to_owned()))
                .or_insert(0usize) += 1;
        }
    }
    assert!(per_api.values().all(|&n| n <= MAX_RESULTS_PER_API));
    assert!(page.len() < 8 << 20, "HTML of {} bytes", page.len());
    std::fs::write(artifacts_dir().join("large-app-report.html"), &page).unwrap();
}

#[test]
fn huge_report_is_capped() {
    let mut report = synthetic_report();
    let template = report.categories[&leakscope_model::Category::Contacts].evidence[0].clone();
    let contacts = report
        .categories
        .get_mut(&leakscope_model::Category::Contacts)
        .unwrap();
    for i in 0..100_000u32 {
        let mut e = template.clone();
        e.api = format!("Lx/Api{};->m()V", i % 50);
        e.location.offset = i;
        contacts.evidence.push(e);
    }
    let flow = report.flows[0].clone();
    report.flows = vec![flow; 10_000];
    let start = Instant::now();
    let log = sarif(&report);
    let page = html(&report);
    let took = start.elapsed();
    let results = log["runs"][0]["results"].as_array().unwrap().len();
    eprintln!(
        "huge report: {results} SARIF results, HTML {} bytes, {took:.2?}",
        page.len()
    );
    // 10k flows + 51 APIs × 25 + the rest.
    assert!(
        results < 10_000 + 51 * MAX_RESULTS_PER_API + 50,
        "{results} results"
    );
    assert!(page.len() < 4 << 20, "HTML of {} bytes", page.len());
    assert!(page.contains("Showing 200 of 10000 flows"));
    assert!(page.contains("Showing 100 of 100063 accesses"));
}
