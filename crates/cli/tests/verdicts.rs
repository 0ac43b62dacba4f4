//! The verdict side of the CLI: report formats, policy commands, exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{json_output, repo_root};

fn leakscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
}

fn demo() -> std::path::PathBuf {
    repo_root().join("demo/flashlight.apk")
}

#[test]
fn sarif_and_html_formats() {
    let out = leakscope()
        .args(["analyze", "--format", "sarif"])
        .arg(demo())
        .output()
        .unwrap();
    assert!(out.status.success());
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "LS101"),
        "no LS101 result"
    );

    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("r.html");
    let out = leakscope()
        .args(["analyze", "--format", "html", "-o"])
        .arg(&page)
        .arg(demo())
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    for id in ["id=\"verdict\"", "id=\"flows\"", "id=\"map\""] {
        assert!(html.contains(id), "{id} missing");
    }
    assert!(html.contains("Leakware"));
}

#[test]
fn policy_commands() {
    let list = leakscope().args(["policy", "list"]).output().unwrap();
    let text = String::from_utf8(list.stdout).unwrap();
    for pack in ["baseline", "strict", "developer"] {
        assert!(text.contains(pack));
    }
    let fixtures = leakscope()
        .args(["policy", "test"])
        .arg(repo_root().join("data/policy/tests"))
        .output()
        .unwrap();
    assert!(
        fixtures.status.success(),
        "{}",
        String::from_utf8_lossy(&fixtures.stdout)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.rego");
    std::fs::write(
        &bad,
        "package leakscope\nimport rego.v1\nblock contains m if {\n  m := {\"rule\": \"x\"\n}\n",
    )
    .unwrap();
    let out = leakscope()
        .args(["policy", "check"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.rego:"), "{err}");

    // A pack that does not exist is an argument error, naming the packs.
    let out = leakscope()
        .args(["analyze", "--policy", "no-such-pack"])
        .arg(demo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("baseline"));
}

#[test]
fn suppressions_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("accept.toml");
    std::fs::write(
        &s,
        "[[suppress]]\nrule = \"baseline.contacts_transmitted\"\nreason = \"reviewed: contact backup is the product\"\n",
    )
    .unwrap();
    let out = leakscope()
        .args([
            "analyze",
            "--format",
            "json",
            "--policy",
            "baseline",
            "--fail-on",
            "block",
            "--suppressions",
        ])
        .arg(&s)
        .arg(demo())
        .output()
        .unwrap();
    // Blocking rule accepted: the leakware warning remains, nothing blocks.
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["policy"]["decision"], "warn");
    assert_eq!(
        r["policy"]["suppressed"][0]["rule"],
        "baseline.contacts_transmitted"
    );
    let out = leakscope()
        .args([
            "analyze",
            "--format",
            "json",
            "--policy",
            "baseline",
            "--fail-on",
            "warn",
            "--suppressions",
        ])
        .arg(&s)
        .arg(demo())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn app_kind_and_declarations() {
    let out = leakscope()
        .args([
            "analyze",
            "--format",
            "json",
            "--app-kind",
            "messenger",
            "--declared",
        ])
        .arg(repo_root().join("data/assessment/examples/flashlight-data-safety.csv"))
        .arg(demo())
        .output()
        .unwrap();
    let r = json_output(&out);
    let a = &r["assessment"];
    assert_eq!(a["app_kind"]["kind"], "messenger");
    assert_eq!(a["app_kind"]["source"], "given");
    assert_eq!(a["categories"]["contacts"]["necessary"], true);
    assert!(a["categories"]["contacts"]["declared"].is_boolean());
    let bad = leakscope()
        .args(["analyze", "--app-kind", "spaceship"])
        .arg(demo())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("flashlight")
    );
}
