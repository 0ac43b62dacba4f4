//! `check` on broken policies, and evaluation of hostile policies and data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use leakscope_model::Decision;
use leakscope_policy::{Policy, PolicyError, check};
use serde_json::json;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "leakscope-policy-check-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const HEAD: &str = "package leakscope\n\nimport rego.v1\n\n";

/// Writes `src` to a file and checks it; returns the error's Display.
fn check_error(name: &str, src: &str) -> (String, PolicyError) {
    let dir = scratch(name);
    let file = dir.join(format!("{name}.rego"));
    std::fs::write(&file, src).unwrap();
    let e = check(&file).expect_err(name);
    let _ = std::fs::remove_dir_all(&dir);
    let prefix = file.display().to_string();
    let text = e.to_string();
    (text.strip_prefix(&prefix).unwrap_or(&text).to_string(), e)
}

#[test]
fn broken_policies_report_file_line_and_column() {
    let cases = [
        (
            "syntax",
            format!("{HEAD}block contains m if {{\n\tm := {{\"rule\": \"x\"\n}}\n"),
            ":8:1: expecting `}` while parsing query",
        ),
        (
            "unknown_function",
            format!("{HEAD}block contains m if {{\n\tm := nosuch.fn(input.a)\n}}\n"),
            ":6:19: could not find function nosuch.fn",
        ),
        (
            "bad_rule_head",
            format!("{HEAD}\"block\" contains m if {{ m := 1 }}\n"),
            ":5:2: expecting identifier. Failed to parse rule-ref.",
        ),
        (
            "rego_v0",
            "package leakscope\n\nblock[m] { m := 1 }\n".to_string(),
            ":3:10: `if` keyword is required before rule body",
        ),
        (
            "unsafe_var",
            format!("{HEAD}warn contains m if {{ m := y }}\n"),
            ":5:27: var y is unsafe",
        ),
        (
            "conflict",
            format!("{HEAD}x := 1\nx := 2\nblock contains x if true\n"),
            ":6:1: rule conflicts with rule at",
        ),
    ];
    for (name, src, expected) in cases {
        let (text, e) = check_error(name, &src);
        assert!(text.starts_with(expected), "{name}: {text}");
        let d = e.diagnostic().expect(name);
        assert!(d.line.is_some() && d.column.is_some(), "{name}");
        assert!(
            d.file.ends_with(&format!("{name}.rego")),
            "{name}: {}",
            d.file
        );
        assert!(d.render().lines().count() > 1, "{name}: {}", d.render());
    }
}

#[test]
fn a_policy_without_block_or_warn_is_rejected() {
    let (text, e) = check_error("no_rules", &format!("{HEAD}allow if true\n"));
    assert!(matches!(e, PolicyError::NoDecisionRules(_)));
    assert_eq!(
        text,
        ": defines neither `block` nor `warn` in package `leakscope`"
    );
    // `block` in another package does not count.
    let (_, e) = check_error(
        "other_package",
        "package other\n\nimport rego.v1\n\nblock contains 1 if true\n",
    );
    assert!(matches!(e, PolicyError::NoDecisionRules(_)));
}

#[test]
fn the_packs_and_a_policy_directory_check() {
    let s = check(&repo_root().join("data/policy/baseline.rego")).unwrap();
    assert!(s.defines_block && s.defines_warn);
    assert!(
        s.to_string()
            .ends_with("baseline.rego: ok (1 file; defines block and warn)"),
        "{s}"
    );

    let dir = scratch("dir");
    std::fs::create_dir_all(dir.join("lib")).unwrap();
    std::fs::write(
        dir.join("lib/helpers.rego"),
        "package leakscope.lib\n\nimport rego.v1\n\nsends(c) if input.categories[c].transmitted == true\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("main.rego"),
        format!("{HEAD}import data.leakscope.lib\n\nwarn contains {{\"rule\": \"org.files\", \"message\": \"files sent\"}} if lib.sends(\"files\")\n"),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not rego").unwrap();
    let s = check(&dir).unwrap();
    assert_eq!(s.files.len(), 2);
    assert!(!s.defines_block && s.defines_warn);
    let p = Policy::from_file(&dir, None).unwrap();
    let report = json!({"categories": {"files": {"transmitted": true}}});
    let d = p.evaluate(&report).unwrap();
    assert_eq!(d.decision, Decision::Warn);
    assert_eq!(d.matched[0].rule, "org.files");
    assert_eq!(p.name(), dir.display().to_string());
    let p = Policy::load(dir.to_str().unwrap(), None).unwrap();
    assert_eq!(p.evaluate(&report).unwrap().decision, Decision::Warn);

    let empty = scratch("empty");
    assert!(matches!(check(&empty), Err(PolicyError::NoPolicyFiles(_))));
    assert!(matches!(
        check(&empty.join("nope.rego")),
        Err(PolicyError::Io { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&empty);
}

#[test]
fn unknown_pack_names_list_the_packs() {
    let e = Policy::load("basline", None).unwrap_err().to_string();
    assert_eq!(
        e,
        "no policy pack or file named `basline` (packs: baseline, strict, developer)"
    );
}

#[test]
fn a_hostile_policy_hits_the_time_limit() {
    let src = format!(
        "{HEAD}block contains m if {{\n\tsome i in numbers.range(1, 100000)\n\tsome j in numbers.range(1, 100000)\n\ti == j + 1000000\n\tm := {{\"rule\": \"x\", \"message\": \"y\"}}\n}}\n"
    );
    // The load-time warm-up evaluation is bounded too.
    let start = Instant::now();
    let e = Policy::from_source("spin.rego", &src, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "spin.rego: evaluation exceeded the time limit of 1000 ms"
    );
    assert!(start.elapsed() < Duration::from_secs(10));

    // A policy that is slow only on some reports.
    let src = format!(
        "{HEAD}block contains m if {{\n\tinput.spin == true\n\tn := count([1 | some i in numbers.range(1, 10000); some j in numbers.range(1, 10000)])\n\tm := {{\"rule\": \"x\", \"message\": sprintf(\"%d\", [n])}}\n}}\n"
    );
    let p = Policy::from_source("slow.rego", &src, None)
        .unwrap()
        .with_time_limit(Duration::from_millis(200));
    assert_eq!(p.evaluate(&json!({})).unwrap().decision, Decision::Allow);
    let start = Instant::now();
    let e = p.evaluate(&json!({"spin": true})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "slow.rego: evaluation exceeded the time limit of 200 ms"
    );
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn malformed_matches_are_clear_errors() {
    let cases = [
        (
            "block if true\n",
            "`block` must be a set of objects (`block contains m if ...`), not true",
        ),
        (
            "block contains 1 if true\n",
            "`block` contains 1, not an object {\"rule\", \"message\", ...}",
        ),
        (
            "warn contains {\"message\": \"m\"} if true\n",
            "`warn` match {\"message\":\"m\"} has no `rule`",
        ),
        (
            "warn contains {\"rule\": \"r\"} if true\n",
            "`warn` match {\"rule\":\"r\"} has no `message`",
        ),
        (
            "warn contains {\"rule\": \"r\", \"message\": \"m\", \"category\": \"gps\"} if true\n",
            "`warn` match of rule `r`: `gps` is not a category id",
        ),
        (
            "warn contains {\"rule\": \"r\", \"message\": \"m\", \"sdk\": 3} if true\n",
            "`warn` match {\"message\":\"m\",\"rule\":\"r\",\"sdk\":3}: `sdk` must be a string, not 3",
        ),
    ];
    for (rule, expected) in cases {
        let e = Policy::from_source("m.rego", &format!("{HEAD}{rule}"), None).unwrap_err();
        assert_eq!(e.to_string(), format!("m.rego: {expected}"), "{rule}");
    }
}

#[test]
fn runtime_errors_carry_positions() {
    let p = Policy::from_source(
        "rt.rego",
        &format!("{HEAD}block contains m if {{\n\tm := {{\"rule\": \"r\", \"message\": sprintf(\"%d\", [to_number(input.n)])}}\n}}\n"),
        None,
    )
    .unwrap();
    let e = p.evaluate(&json!({"n": "x"})).unwrap_err();
    assert!(matches!(e, PolicyError::Evaluation(_)));
    assert!(e.to_string().starts_with("rt.rego:6:"), "{e}");
    assert_eq!(
        p.evaluate(&json!({"n": "12"})).unwrap().matched[0].message,
        "12"
    );
    assert!(matches!(
        p.evaluate(&json!([1])),
        Err(PolicyError::BadReport)
    ));
}

#[test]
fn bad_policy_data_is_a_clear_error() {
    let e = Policy::pack("strict", Some(json!(["AT"]))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "policy data: policy data must be a JSON object (it becomes `data.config`), not an array"
    );
    let dir = scratch("data");
    let f = dir.join("d.json");
    std::fs::write(&f, "{\"allowed_owners\": [\"x\",]}").unwrap();
    let e = leakscope_policy::load_data(&f).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{}:1:25: policy data is not valid JSON",
            f.display()
        )),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_reports_do_not_break_the_packs() {
    let reports = [
        json!({}),
        json!({"assessment": null, "categories": null}),
        json!({"assessment": {"categories": {"contacts": 5}}, "categories": "x"}),
        json!({"assessment": {"categories": {"contacts": {"transmitted": true, "sinks": [1, null], "destinations": "x", "trackers": 7}}}}),
        json!({"categories": {"device_ids": {"sdks": [{"a": 1}], "transmitted": true}}, "trackers": [{"id": {"a": 1}}, 3, null]}),
        json!({"counterfeit": {"suspected": "yes"}, "trackers": [{"id": "t", "owner": 5}]}),
        json!({"counterfeit": true}),
    ];
    for pack in leakscope_policy::pack_names() {
        let p = Policy::pack(
            pack,
            Some(json!({"denied_tracker_owners": [5, "x"], "allowed_owners": "y"})),
        )
        .unwrap();
        for r in &reports {
            let d = p.evaluate(r);
            assert!(d.is_ok(), "{pack} on {r}: {d:?}");
        }
    }
    // A category object with a non-string sink still blocks, and says so.
    let p = Policy::pack("baseline", None).unwrap();
    let d = p.evaluate(&reports[3]).unwrap();
    assert_eq!(d.decision, Decision::Block);
    assert_eq!(
        d.matched[0].message,
        "the app transmits contacts data (sinks: )"
    );
}
