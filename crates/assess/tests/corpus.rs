//! Every corpus APK gets an assessment: runs the analysis and the
//! assessment over `$LEAKSCOPE_CORPUS/**/*.apk` and prints the distribution
//! of verdicts and inferred kinds. Skips when the corpus is absent.
//!
//! `LEAKSCOPE_ASSESS_LIMIT=N` analyses only the first N apps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use leakscope_assess::{AssessOptions, Assessor};
use leakscope_model::Verdict;

fn apks(dir: &Path) -> Vec<PathBuf> {
    leakscope_testkit::files_with_ext(dir, &["apk"])
}

#[test]
fn every_corpus_apk_gets_an_assessment() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let mut paths = apks(&corpus);
    if let Some(n) = std::env::var("LEAKSCOPE_ASSESS_LIMIT")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        paths.truncate(n);
    }
    let kb = leakscope_kb::Kb::embedded().unwrap();
    let assessor = Assessor::embedded().unwrap();
    let start = Instant::now();
    let mut verdicts: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut unreadable = 0usize;
    let mut assessed = 0usize;
    for path in &paths {
        let rel = path
            .strip_prefix(&corpus)
            .unwrap_or(path)
            .display()
            .to_string();
        let app = match leakscope_app::load(path, &leakscope_app::Options::default()) {
            Ok(app) => app,
            Err(e) => {
                // Deliberately broken archives: nothing to assess.
                eprintln!("unreadable {rel}: {e}");
                unreadable += 1;
                continue;
            }
        };
        let report = leakscope_analysis::analyze(&app, kb, &Default::default());
        let a = assessor
            .assess(&report, app.manifest.as_ref(), &AssessOptions::default())
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        assessed += 1;
        assert!(a.score <= 100);
        assert!(
            a.reasons.windows(2).all(|w| w[0].weight >= w[1].weight),
            "{rel}"
        );
        let sum: u32 = a.reasons.iter().map(|r| u32::from(r.weight)).sum();
        assert_eq!(u32::from(a.score), sum.min(100), "{rel}");
        for r in &a.reasons {
            assert!(
                leakscope_model::rule(&r.code).is_some(),
                "{rel}: {}",
                r.code
            );
            assert!(!r.evidence.is_empty(), "{rel}: {} without evidence", r.code);
        }
        for (c, ca) in &a.categories {
            let f = &report.categories[c];
            assert_eq!(
                ca.accessed,
                f.accessed || !ca.trackers.is_empty(),
                "{rel}: {c}"
            );
            if f.transmitted {
                assert!(ca.transmitted, "{rel}: {c}");
            }
        }
        if a.verdict == Verdict::Leakware {
            assert!(
                a.reasons
                    .iter()
                    .any(|r| r.code == "LS101" || r.code == "LS103"),
                "{rel}"
            );
        }
        let verdict = serde_json::to_value(a.verdict).unwrap();
        *verdicts
            .entry(verdict.as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
        *kinds.entry(a.app_kind.kind.clone()).or_default() += 1;
        eprintln!(
            "{rel}: {:?} score {} kind {} [label {:?}, package {:?}] ({}); top: {}",
            a.verdict,
            a.score,
            a.app_kind.kind,
            report.app.label.as_deref().unwrap_or(""),
            report.app.package.as_deref().unwrap_or(""),
            a.app_kind.reason.as_deref().unwrap_or(""),
            a.reasons.first().map(|r| r.message.as_str()).unwrap_or("")
        );
    }
    eprintln!(
        "assessed {assessed} of {} APKs ({unreadable} unreadable) in {:.1}s",
        paths.len(),
        start.elapsed().as_secs_f64()
    );
    eprintln!("verdicts: {verdicts:?}");
    eprintln!("kinds: {kinds:?}");
    assert_eq!(assessed + unreadable, paths.len());
    assert!(paths.is_empty() || assessed > 0);
}
