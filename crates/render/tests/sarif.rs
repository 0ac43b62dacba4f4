//! SARIF output: valid against the official OASIS SARIF 2.1.0 schema for
//! the demo app, a synthetic report with every part, and corpus apps; and
//! the mapping of report parts to results.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use leakscope_model::{RULES, Report};
use leakscope_render::{MAX_RESULTS_PER_API, sarif, sarif_many};
use serde_json::Value;

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

fn with_rule<'a>(log: &'a Value, rule: &str) -> Vec<&'a Value> {
    results(log)
        .iter()
        .filter(|r| r["ruleId"] == rule)
        .collect()
}

#[test]
fn synthetic_report_is_valid_sarif() {
    let v = sarif_validator();
    let report = synthetic_report();
    let log = sarif(&report);
    std::fs::write(
        artifacts_dir().join("synthetic.sarif"),
        serde_json::to_string_pretty(&log).unwrap(),
    )
    .unwrap();
    assert_valid_sarif(&v, &log, "synthetic");
}

#[test]
fn empty_report_is_valid_sarif() {
    let v = sarif_validator();
    assert_valid_sarif(&v, &sarif(&Report::default()), "empty");
    assert_valid_sarif(&v, &sarif_many(&[]), "no runs");
}

#[test]
fn rules_are_the_registry() {
    let log = sarif(&Report::default());
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (r, want) in rules.iter().zip(RULES) {
        assert_eq!(r["id"], want.code);
        assert_eq!(r["name"], want.name);
        assert_eq!(r["shortDescription"]["text"], want.summary);
        assert_eq!(r["help"]["text"], want.help);
        assert_eq!(r["defaultConfiguration"]["level"], want.level);
    }
}

#[test]
fn synthetic_results_follow_the_mapping() {
    let report = synthetic_report();
    let log = sarif(&report);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results(&log) {
        // ruleIndex, when present, points at the rule with that id.
        if let Some(i) = r["ruleIndex"].as_u64() {
            assert_eq!(rules[i as usize]["id"], r["ruleId"]);
        }
        assert!(r["partialFingerprints"]["leakscope/v1"].is_string());
        // Every result has a location with an artifact (code scanning
        // services need one).
        assert!(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string(),
            "{r}"
        );
    }
    // Reasons: one result each, unknown codes kept without a rule index.
    let reasons: Vec<_> = results(&log)
        .iter()
        .filter(|r| r["properties"]["verdictReason"] == true)
        .collect();
    assert_eq!(reasons.len(), 3);
    assert_eq!(reasons[2]["ruleId"], "LS999");
    assert!(reasons[2].get("ruleIndex").is_none());
    // The LS101 reason is located at the flow's source and the evidence.
    assert_eq!(reasons[0]["locations"].as_array().unwrap().len(), 2);

    // Flows: contacts to the network, not needed → LS101 with a code flow
    // of one location per path method; device ids to the log → LS102 note.
    let flows: Vec<_> = results(&log)
        .iter()
        .filter(|r| r["properties"]["flowIndex"].is_u64())
        .collect();
    assert_eq!(flows.len(), 3);
    assert_eq!(flows[0]["ruleId"], "LS101");
    assert_eq!(flows[0]["level"], "error");
    let tf = &flows[0]["codeFlows"][0]["threadFlows"][0]["locations"];
    assert_eq!(tf.as_array().unwrap().len(), report.flows[0].path.len());
    assert_eq!(
        tf[1]["location"]["logicalLocations"][0]["fullyQualifiedName"],
        report.flows[0].path[1]
    );
    assert_eq!(flows[1]["ruleId"], "LS102");
    assert_eq!(flows[1]["level"], "note");
    assert_eq!(flows[2]["ruleId"], "LS102");
    assert_eq!(
        flows[2]["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .unwrap()
            .len(),
        15
    );
    let src = &flows[0]["locations"][0];
    assert_eq!(
        src["physicalLocation"]["artifactLocation"]["uri"],
        "classes2.dex"
    );
    assert_eq!(
        src["logicalLocations"][0]["fullyQualifiedName"],
        "Lcom/flash/Sync;->upload0()V"
    );
    assert_eq!(src["logicalLocations"][0]["kind"], "function");
    assert_eq!(
        src["logicalLocations"][1]["fullyQualifiedName"],
        "Lcom/flash/Sync;"
    );
    assert_eq!(src["logicalLocations"][1]["kind"], "type");
    assert_eq!(src["properties"]["bytecodeOffset"], 0);

    // Evidence: 60 first-party calls of one API are capped; the tracker's
    // accesses are LS103.
    let ls106: Vec<_> = with_rule(&log, "LS106")
        .into_iter()
        .filter(|r| r["properties"]["api"] == CONTACTS_API)
        .collect();
    assert_eq!(ls106.len(), MAX_RESULTS_PER_API);
    assert_eq!(
        ls106.last().unwrap()["properties"]["omittedOccurrences"],
        CONTACTS_EVIDENCE - MAX_RESULTS_PER_API
    );
    assert_eq!(ls106[0]["properties"]["apiOccurrences"], CONTACTS_EVIDENCE);
    let ls103: Vec<_> = with_rule(&log, "LS103")
        .into_iter()
        .filter(|r| r["properties"].get("evidenceKind").is_some())
        .collect();
    assert_eq!(ls103.len(), 3);

    assert_eq!(with_rule(&log, "LS201").len(), report.trackers.len());
    assert_eq!(
        with_rule(&log, "LS202").len(),
        report.endpoints.iter().filter(|e| e.cleartext).count()
    );
    let ls301 = with_rule(&log, "LS301");
    assert_eq!(ls301.len(), 1);
    assert!(
        ls301[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("CAMERA")
    );
    let ls302 = with_rule(&log, "LS302");
    assert_eq!(
        ls302[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "assets/payload%201.dex"
    );
    // One warning plus the partial taint coverage.
    assert_eq!(with_rule(&log, "LS501").len(), 2);

    let props = &log["runs"][0]["properties"];
    assert_eq!(props["verdict"], "leakware");
    assert_eq!(props["score"], 87);
    assert_eq!(props["policy"]["decision"], "block");
}

#[test]
fn fingerprints_are_stable_across_runs() {
    let a = sarif(&synthetic_report());
    let mut moved = synthetic_report();
    for f in moved.categories.values_mut() {
        for e in &mut f.evidence {
            e.location.offset += 100;
        }
    }
    let b = sarif(&moved);
    let fp = |log: &Value| -> Vec<Value> {
        results(log)
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(fp(&a), fp(&b));
}

#[test]
fn many_reports_give_one_run_each() {
    let v = sarif_validator();
    let log = sarif_many(&[synthetic_report(), Report::default()]);
    assert_eq!(log["runs"].as_array().unwrap().len(), 2);
    assert_valid_sarif(&v, &log, "two runs");
}

#[test]
fn demo_app_sarif_is_valid() {
    let v = sarif_validator();
    let report = demo_report();
    let log = sarif(&report);
    std::fs::write(
        artifacts_dir().join("flashlight.sarif"),
        serde_json::to_string_pretty(&log).unwrap(),
    )
    .unwrap();
    assert_valid_sarif(&v, &log, "demo/flashlight.apk");
    // The JSON report (what `leakscope analyze --format json` prints) reads
    // back into the same report and renders the same SARIF.
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(sarif(&back), log);
    // Every tracker and every unused permission of the report is a result.
    assert_eq!(with_rule(&log, "LS201").len(), report.trackers.len());
    assert_eq!(
        with_rule(&log, "LS301").len(),
        report
            .permissions
            .iter()
            .filter(|p| p.used == Some(false))
            .count()
    );
    // Every piece of evidence is reported (the demo is small: no capping).
    let evidence: usize = report.categories.values().map(|c| c.evidence.len()).sum();
    let ev_results = results(&log)
        .iter()
        .filter(|r| r["properties"].get("evidenceKind").is_some())
        .count();
    assert_eq!(ev_results, evidence);
    assert!(evidence > 0, "the demo app reads personal data");
}

#[test]
fn corpus_apps_sarif_is_valid() {
    let apks = corpus_apks();
    if apks.is_empty() {
        eprintln!("SKIP: no corpus APKs");
        return;
    }
    let v = sarif_validator();
    let reports: Vec<Report> = apks.iter().map(|p| analyze(p)).collect();
    for (p, r) in apks.iter().zip(&reports) {
        let log = sarif(r);
        eprintln!(
            "{}: {} results",
            p.display(),
            log["runs"][0]["results"].as_array().map_or(0, Vec::len)
        );
        assert_valid_sarif(&v, &log, &p.display().to_string());
    }
    assert_valid_sarif(&v, &sarif_many(&reports), "all corpus runs");
}

#[test]
fn validator_rejects_invalid_logs() {
    // The validator is the oracle: make sure it does catch mistakes,
    // including format ones (URI references).
    let v = sarif_validator();
    let good = sarif(&synthetic_report());
    assert!(v.is_valid(&good));
    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!v.is_valid(&bad_level));
    let mut bad_uri = good.clone();
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b%zz".into();
    assert!(!v.is_valid(&bad_uri));
    let mut extra = good;
    extra["runs"][0]["results"][0]["byteOffset"] = 3.into();
    assert!(!v.is_valid(&extra));
}

#[test]
fn assessed_demo_app_sarif_is_valid() {
    let report = analyze_and_assess(&repo_root().join("demo/flashlight.apk"));
    let log = sarif(&report);
    assert_valid_sarif(&sarif_validator(), &log, "assessed demo");
    let reasons = report.assessment.as_ref().map_or(0, |a| a.reasons.len());
    let reason_results = results(&log)
        .iter()
        .filter(|r| r["properties"]["verdictReason"] == true)
        .count();
    assert_eq!(reason_results, reasons);
}
