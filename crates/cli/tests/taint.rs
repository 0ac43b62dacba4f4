//! The data-flow analysis, end to end through the binary: accuracy on the
//! DroidBench and ICC-Bench ground truth (written by their authors, not by
//! us) with FlowDroid's source/sink list, the demo app's known leaks, and
//! the budget.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{corpus, json_output, repo_root};

fn leakscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
}

/// Runs `bench droidbench` and returns (precision, recall, apps).
fn bench(dir: &str) -> Option<(f64, f64, u64)> {
    let corpus = corpus()?;
    let out = leakscope()
        .args(["bench", "droidbench"])
        .arg(corpus.join(dir))
        .arg(corpus.join(dir).join("ground_truth.json"))
        .arg("--sources-sinks")
        .arg(corpus.join("refdata/sources_sinks/flowdroid_SourcesAndSinks_2018_android.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    eprintln!("{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("precision="), "final line: {last}");
    let field = |k: &str| -> f64 {
        last.split_whitespace()
            .find_map(|kv| kv.strip_prefix(k))
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    Some((field("precision="), field("recall="), field("apps=") as u64))
}

/// Floors at the figures recorded in BENCHMARKS.md, so that a change that
/// loses accuracy fails; raise them when the analysis improves.
#[test]
fn droidbench_accuracy_does_not_regress() {
    let Some((p, r, apps)) = bench("droidbench") else {
        return;
    };
    assert_eq!(apps, 129);
    assert!(p >= 0.90 && r >= 0.90, "precision {p} recall {r}");
}

#[test]
fn iccbench_accuracy_does_not_regress() {
    let Some((p, r, apps)) = bench("iccbench") else {
        return;
    };
    assert_eq!(apps, 24);
    assert!(p >= 0.99 && r >= 0.81, "precision {p} recall {r}");
}

/// The demo reads contacts and location and posts them: the flows, the
/// `transmitted` flags, the verdict and the baseline policy follow.
#[test]
fn demo_leaks_are_proven_and_blocked() {
    let out = leakscope()
        .args([
            "analyze",
            "--format",
            "json",
            "--policy",
            "baseline",
            "--fail-on",
            "block",
        ])
        .arg(repo_root().join("demo/flashlight.apk"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let flows = r["flows"].as_array().unwrap();
    let to_network = |cat: &str| {
        flows
            .iter()
            .any(|f| f["source"]["category"] == cat && f["sink"]["kind"] == "network")
    };
    assert!(
        to_network("contacts") && to_network("geolocation"),
        "{flows:#?}"
    );
    // The contacts flow starts in the reader and goes through the upload task.
    assert!(flows.iter().any(|f| f["source"]["category"] == "contacts"
        && f["path"].as_array().unwrap().iter().any(|m| {
            m.as_str()
                .unwrap()
                .starts_with("Lorg/leakscope/demo/flashlight/UploadService$UploadTask;->run")
        })));
    for cat in ["contacts", "geolocation"] {
        assert_eq!(r["categories"][cat]["transmitted"], true, "{cat}");
        assert_eq!(r["categories"][cat]["sinks"][0], "network", "{cat}");
    }
    assert_eq!(r["categories"]["device_ids"]["transmitted"], false);
    assert_eq!(r["taint"]["complete"], true);
    assert_eq!(r["assessment"]["verdict"], "leakware");
    assert_eq!(r["assessment"]["app_kind"]["kind"], "flashlight");
    assert_eq!(r["policy"]["decision"], "block");
    let rules: Vec<&str> = r["policy"]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"baseline.contacts_transmitted"),
        "{rules:?}"
    );
}

/// A tiny budget stops the analysis and says so, instead of running on.
#[test]
fn budget_marks_the_report_partial() {
    let Some(apk) = common::registry_apks()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("io.appium.settings"))
    else {
        return;
    };
    let start = std::time::Instant::now();
    let out = leakscope()
        .args(["analyze", "--format", "json", "--taint-budget", "1,1"])
        .arg(&apk)
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["taint"]["complete"], false);
    let notes = r["taint"]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains("budget")),
        "{notes:?}"
    );
    assert!(start.elapsed().as_secs() < 60);
    let bad = leakscope()
        .args(["analyze", "--taint-budget", "zero"])
        .arg(repo_root().join("demo/flashlight.apk"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// `analyze --sources-sinks` takes a user's list in FlowDroid's format: the
/// flows are those of the list (the fixtures' list names no location or
/// contacts API, so the demo's flows go), and a malformed list is refused
/// with its line.
#[test]
fn analyze_takes_a_flowdroid_source_sink_list() {
    let list = repo_root().join("fixtures/taint/sources_sinks.txt");
    let out = leakscope()
        .args(["analyze", "--format", "json", "--sources-sinks"])
        .arg(&list)
        .arg(repo_root().join("demo/flashlight.apk"))
        .output()
        .unwrap();
    let r = json_output(&out);
    assert_eq!(r["flows"].as_array().unwrap().len(), 0, "{:#}", r["flows"]);
    assert_eq!(r["taint"]["complete"], true);

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(
        &bad,
        "% a comment\n<android.util.Log: int i(java.lang.String)> -> _NEITHER_\n",
    )
    .unwrap();
    let out = leakscope()
        .args(["analyze", "--format", "json", "--sources-sinks"])
        .arg(&bad)
        .arg(repo_root().join("demo/flashlight.apk"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2") && err.contains("bad.txt"), "{err}");
}
