//! `leakscope analyze`: the demo app against its hand-written ground truth,
//! every corpus app through the batch mode (a report or a clear error each),
//! and every report against `schema/report.schema.json`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

fn schema_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_root().join("schema/report.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the committed schema is itself valid")
}

fn assert_valid(validator: &jsonschema::Validator, report: &Value, name: &str) {
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: report does not follow the schema: {errors:?}"
    );
}

fn analyze_json(path: &Path) -> Value {
    let o = leakscope(&[
        "analyze".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn demo_app_report_matches_its_ground_truth() {
    let demo = repo_root().join("demo/flashlight.apk");
    let expected: Value = serde_json::from_slice(
        &std::fs::read(repo_root().join("demo/flashlight.expected.json")).unwrap(),
    )
    .unwrap();
    let r = analyze_json(&demo);
    assert_valid(&schema_validator(), &r, "demo");
    assert_eq!(r["schema_version"], leakscope_model::SCHEMA_VERSION);
    for (ours, theirs) in [
        ("package", "package"),
        ("label", "label"),
        ("version_code", "version_code"),
        ("version_name", "version_name"),
        ("min_sdk", "min_sdk"),
        ("target_sdk", "target_sdk"),
    ] {
        assert_eq!(r["app"][ours], expected[theirs], "app.{ours}");
    }
    assert_eq!(
        r["app"]["signers"][0]["sha256"],
        expected["certificate_sha256"]
    );
    // Every category the ground truth says is accessed is reported accessed,
    // with call sites; categories it says are not accessed are not.
    for (cat, truth) in expected["categories"].as_object().unwrap() {
        let ours = &r["categories"][cat];
        assert_eq!(
            ours["accessed"], truth["accessed"],
            "categories.{cat}.accessed"
        );
        if truth["accessed"] == true {
            let sites = ours["evidence"].as_array().unwrap();
            assert!(!sites.is_empty(), "{cat}: no call site");
            for e in sites {
                assert!(e["location"]["class"].as_str().unwrap().starts_with('L'));
                assert!(e["location"]["dex"] == "classes.dex");
            }
        }
    }
    // READ_SMS is requested and never used; the report says so.
    assert_eq!(r["categories"]["messages"]["requested"], true);
    assert_eq!(
        r["categories"]["messages"]["unused_permissions"],
        serde_json::json!(["android.permission.READ_SMS"])
    );
    // Location reaches the fake SDK's code too: attributed to a third party.
    let geo_attr: BTreeSet<String> = r["categories"]["geolocation"]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["attribution"]["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(
        geo_attr.contains("first_party") && geo_attr.contains("unknown_third_party"),
        "{geo_attr:?}"
    );
    // The fictitious hosts are endpoints; the owner is unknown.
    let hosts: BTreeSet<&str> = r["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["host"].as_str().unwrap())
        .collect();
    for h in ["collect.superflash-analytics.test", "api.fakeads-sdk.test"] {
        assert!(hosts.contains(h), "{h} missing from {hosts:?}");
    }
}

#[test]
fn text_summary_names_the_categories() {
    let o = leakscope(&[
        "analyze".as_ref(),
        repo_root().join("demo/flashlight.apk").as_os_str(),
        "--format".as_ref(),
        "text".as_ref(),
    ]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "Super Flashlight",
        "geolocation",
        "contacts",
        "requested but never used: android.permission.READ_SMS",
        "collect.superflash-analytics.test",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leakscope-analyze-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn batch_over_the_corpus_gives_a_report_or_a_clear_error_for_every_app() {
    let Some(corpus) = corpus() else { return };
    let out = scratch("batch");
    let reports = out.join("reports");
    let summary = out.join("summary.jsonl");
    let start = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(["analyze", "-q", "--format", "json", "-o"])
        .arg(&reports)
        .arg("--summary")
        .arg(&summary)
        .arg(corpus.join("realworld"))
        .arg(corpus.join("droidbench"))
        .arg(corpus.join("iccbench"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let code = o.status.code().unwrap();
    let rows: Vec<Value> = std::fs::read_to_string(&summary)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // App files, plus unpacked apps: directories holding an
    // AndroidManifest.xml (DroidBench's source projects are such), whose
    // files are not counted again.
    let mut expected_inputs: Vec<PathBuf> = Vec::new();
    for root in ["realworld", "droidbench", "iccbench"].map(|d| corpus.join(d)) {
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    if p.join("AndroidManifest.xml").exists() {
                        expected_inputs.push(p);
                    } else {
                        stack.push(p);
                    }
                } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                    ["apk", "xapk", "apks", "apkm", "dex", "jar"]
                        .contains(&x.to_ascii_lowercase().as_str())
                }) {
                    expected_inputs.push(p);
                }
            }
        }
    }
    assert_eq!(rows.len(), expected_inputs.len(), "one summary row per app");
    let failed: Vec<&Value> = rows.iter().filter(|r| r["status"] != "ok").collect();
    assert_eq!(
        code,
        if failed.is_empty() { 0 } else { 1 },
        "exit code says whether any app failed"
    );
    for f in &failed {
        let err = f["error"].as_str().unwrap_or("");
        assert!(
            !err.is_empty() && err.contains(f["path"].as_str().unwrap()),
            "unclear error: {f}"
        );
    }
    let validator = schema_validator();
    let mut checked = 0;
    for r in rows.iter().filter(|r| r["status"] == "ok") {
        let path = r["report"].as_str().expect("report path");
        let report: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        assert_valid(&validator, &report, path);
        checked += 1;
    }
    eprintln!(
        "analysed {} apps ({} failed, clear errors) in {:?}; {checked} reports valid",
        rows.len(),
        failed.len(),
        start.elapsed()
    );
    assert!(checked > 250);
}

#[test]
fn several_apps_need_an_output_directory() {
    let demo = repo_root().join("demo/flashlight.apk");
    let o = leakscope(&["analyze".as_ref(), demo.as_os_str(), demo.as_os_str()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("-o DIR"));
}
