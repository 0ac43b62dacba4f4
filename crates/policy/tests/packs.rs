//! The built-in packs against their fixtures (`data/policy/tests`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use leakscope_model::Decision;
use leakscope_policy::{PACKS, Policy, run_tests};
use serde_json::Value;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    repo_root().join("data/policy/tests")
}

#[test]
fn every_fixture_case_passes() {
    let report = run_tests(&fixtures()).unwrap();
    eprintln!("{report}");
    assert!(report.passed(), "{report}");
    assert!(report.cases.len() >= 40);
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("leakscope-policy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_wrong_expectation_fails() {
    let dir = scratch("wrong");
    let report = fixtures().join("reports/raw-contacts-transmitted.json");
    std::fs::write(
        dir.join("policy-tests.toml"),
        format!(
            "[[case]]\nreport = {report:?}\npolicy = \"baseline\"\nexpect = \"allow\"\n\n\
             [[case]]\nname = \"right verdict, wrong rules\"\nreport = {report:?}\npolicy = \"baseline\"\n\
             expect = \"block\"\nrules = [\"baseline.messages_transmitted\"]\n\n\
             [[case]]\nname = \"missing report\"\nreport = \"nope.json\"\npolicy = \"baseline\"\nexpect = \"allow\"\n\n\
             [[case]]\nname = \"right\"\nreport = {report:?}\npolicy = \"baseline\"\nexpect = \"block\"\n",
            report = report.display().to_string()
        ),
    )
    .unwrap();
    let r = run_tests(&dir).unwrap();
    let text = r.to_string();
    eprintln!("{text}");
    assert!(!r.passed());
    assert_eq!(r.failures(), 3);
    assert_eq!(r.cases[0].detail, "expected allow, got block");
    assert_eq!(r.cases[0].decision, Some(Decision::Block));
    assert_eq!(
        r.cases[1].detail,
        "missing rules [baseline.messages_transmitted]; unexpected rules [baseline.contacts_transmitted]"
    );
    assert!(
        r.cases[2].detail.contains("nope.json"),
        "{}",
        r.cases[2].detail
    );
    assert!(r.cases[3].passed);
    assert!(
        text.lines()
            .any(|l| l.starts_with("FAIL right verdict, wrong rules: missing rules"))
    );
    assert!(text.ends_with("FAILED: 1 passed, 3 failed"), "{text}");

    std::fs::write(
        dir.join("policy-tests.toml"),
        "[[case]]\nreport = \"a.json\"\nexpect = \"maybe\"\n",
    )
    .unwrap();
    let e = run_tests(&dir).unwrap_err().to_string();
    assert!(
        e.contains("policy-tests.toml:3:10: unknown variant `maybe`"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rule ids a pack can produce, read from its sources independently of
/// the engine: literal `"rule": "x"` ids, and the `sprintf("baseline.%s...")`
/// templates expanded with the pack's default category lists.
fn pack_rules(pack: &str) -> BTreeSet<String> {
    let p = PACKS.iter().find(|p| p.name == pack).unwrap();
    let mut defaults = serde_json::Map::new();
    for (_, json) in p.defaults {
        let v: Value = serde_json::from_str(json).unwrap();
        defaults.extend(v.as_object().unwrap().clone());
    }
    let mut rules = BTreeSet::new();
    for (_, src) in p.files {
        for line in src.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("\"rule\": \"") {
                rules.insert(rest.split('"').next().unwrap().to_string());
            } else if let Some(rest) = line.strip_prefix("\"rule\": sprintf(\"") {
                let template = rest.split('"').next().unwrap();
                let list = if template.ends_with("_transmitted") {
                    "baseline_blocked_categories"
                } else {
                    "baseline_tracker_categories"
                };
                for c in defaults[list].as_array().unwrap() {
                    rules.insert(template.replace("%s", c.as_str().unwrap()));
                }
            }
        }
    }
    rules
}

#[test]
fn every_rule_of_every_pack_has_a_fixture_that_triggers_it_and_one_that_does_not() {
    let text = std::fs::read_to_string(fixtures().join("policy-tests.toml")).unwrap();
    let cases: toml::Table = toml::from_str(&text).unwrap();
    let mut triggered: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut quiet: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut all_rules: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for p in PACKS {
        all_rules.insert(p.name, pack_rules(p.name));
    }
    for case in cases["case"].as_array().unwrap() {
        let policy = case["policy"].as_str().unwrap().to_string();
        let Some(rules) = case.get("rules").and_then(|r| r.as_array()) else {
            continue;
        };
        let rules: BTreeSet<String> = rules
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect();
        if let Some(known) = all_rules.get(policy.as_str()) {
            for r in known.difference(&rules) {
                quiet.entry(policy.clone()).or_default().insert(r.clone());
            }
        }
        triggered.entry(policy).or_default().extend(rules);
    }
    for p in PACKS {
        let rules = &all_rules[p.name];
        assert!(rules.len() >= 3, "{}: {rules:?}", p.name);
        for r in rules {
            assert!(
                triggered.get(p.name).is_some_and(|t| t.contains(r)),
                "pack {}: no fixture triggers {r}",
                p.name
            );
            assert!(
                quiet.get(p.name).is_some_and(|t| t.contains(r)),
                "pack {}: no fixture leaves {r} quiet",
                p.name
            );
        }
    }
    // Each pack has its own rules (not only baseline's).
    assert!(all_rules["strict"].iter().any(|r| r.starts_with("strict.")));
    assert!(
        all_rules["developer"]
            .iter()
            .any(|r| r.starts_with("developer."))
    );
    assert!(all_rules["baseline"].contains("baseline.tracker_device_ids"));
}

#[test]
fn fixtures_follow_the_report_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(fixtures().join("reports")).unwrap() {
        let path = entry.unwrap().path();
        let report: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        // And they deserialize into the model (the unknown `counterfeit`
        // field aside).
        let _: leakscope_model::Report = serde_json::from_value(report).unwrap();
        n += 1;
    }
    assert!(n >= 20);
}

/// A report built from the model types, so that the packs follow what the
/// analyzer actually serializes.
fn model_report() -> leakscope_model::Report {
    use leakscope_model::*;
    let mut r = Report::default();
    for c in Category::ALL {
        r.categories.insert(c, CategoryFindings::default());
    }
    let mut a = Assessment {
        verdict: Verdict::Leakware,
        score: 90,
        ..Default::default()
    };
    a.categories.insert(
        Category::DeviceIds,
        CategoryAssessment {
            accessed: true,
            transmitted: true,
            sinks: vec![SinkKind::Network],
            trackers: vec!["some_tracker".into()],
            destinations: vec![Destination {
                host: "t.example.cn".into(),
                owner: Some("Tracker Co".into()),
                owner_country: Some("CN".into()),
                ip_country: None,
                tracker: Some("some_tracker".into()),
            }],
            declared: Some(false),
            necessary: Some(false),
        },
    );
    r.assessment = Some(a);
    r
}

#[test]
fn reports_serialized_from_the_model_evaluate() {
    let empty = serde_json::to_value(leakscope_model::Report::default()).unwrap();
    for p in PACKS {
        let d = Policy::pack(p.name, None)
            .unwrap()
            .evaluate(&empty)
            .unwrap();
        assert_eq!(d.decision, Decision::Allow, "{}", p.name);
        assert_eq!(d.policy, p.name);
    }
    let report = serde_json::to_value(model_report()).unwrap();
    let rules = |pack: &str| -> Vec<(String, Decision)> {
        Policy::pack(pack, None)
            .unwrap()
            .evaluate(&report)
            .unwrap()
            .matched
            .into_iter()
            .map(|m| (m.rule, m.level))
            .collect()
    };
    let b = |s: &str| (s.to_string(), Decision::Block);
    let w = |s: &str| (s.to_string(), Decision::Warn);
    assert_eq!(
        rules("baseline"),
        [
            b("baseline.tracker_device_ids"),
            w("baseline.leakware_verdict")
        ]
    );
    assert_eq!(
        rules("strict"),
        [
            b("baseline.tracker_device_ids"),
            b("strict.country_not_allowed"),
            b("strict.undeclared_collection"),
            w("baseline.leakware_verdict"),
        ]
    );
    assert_eq!(
        rules("developer"),
        [
            b("baseline.tracker_device_ids"),
            b("developer.undeclared_collection"),
            b("developer.unnecessary_collection"),
            w("baseline.leakware_verdict"),
        ]
    );
}

#[test]
fn decisions_are_deterministic_and_complete() {
    let report = serde_json::to_value(model_report()).unwrap();
    let policy = Policy::load("strict", None).unwrap();
    let first = policy.evaluate(&report).unwrap();
    for _ in 0..5 {
        assert_eq!(policy.clone().evaluate(&report).unwrap(), first);
    }
    let m = &first.matched[1];
    assert_eq!(m.rule, "strict.country_not_allowed");
    assert_eq!(m.category, Some(leakscope_model::Category::DeviceIds));
    assert_eq!(m.sdk.as_deref(), Some("some_tracker"));
    assert_eq!(
        m.message,
        "device_ids data goes to t.example.cn (Tracker Co), owner country CN, outside the allowed countries"
    );
    assert!(first.suppressed.is_empty());
}

#[test]
fn user_data_wins_over_pack_defaults() {
    let report = serde_json::to_value(model_report()).unwrap();
    let data =
        serde_json::json!({"allowed_owner_countries": ["CN"], "baseline_tracker_categories": []});
    let d = Policy::pack("strict", Some(data))
        .unwrap()
        .evaluate(&report)
        .unwrap();
    let rules: Vec<&str> = d.matched.iter().map(|m| m.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["strict.undeclared_collection", "baseline.leakware_verdict"]
    );
}
