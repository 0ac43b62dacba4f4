//! SARIF 2.1.0 output.
//!
//! One report becomes one `run` whose `tool.driver.rules` is the rule
//! registry [`leakscope_model::RULES`] (rule id = code such as `LS101`,
//! `name`, `shortDescription` = summary, `fullDescription` and `help` = help
//! text, `defaultConfiguration.level`; the rule's section of
//! `docs/rules.md` (`docs/rules.md#ls101-unneeded-data-transmitted`) is in
//! `properties.docs`, since `helpUri` must be an absolute URI). [`sarif_many`] puts several reports in one log, one run
//! each.
//!
//! # Results
//!
//! | report part | rule | notes |
//! |---|---|---|
//! | `assessment.reasons[]` | the reason's `code` | message = the reason; level = the rule's; locations = those of the evidence it points to (flows, evidence); `properties.weight`, `properties.evidence` |
//! | `flows[]` | `LS101` when its category is assessed as not necessary and the sink transmits, else `LS102` | `codeFlows` with one thread-flow location per path method; locations at the source and at the sink; sinks that do not transmit (file, log, WebView) get level `note` |
//! | `categories.*.evidence[]` | `LS103` when attributed to an SDK that is a tracker in `report.trackers`, else `LS106` | at most [`MAX_RESULTS_PER_API`] results per (rule, API); the last one kept says in `properties.omittedOccurrences` how many more there are |
//! | `trackers[]` | `LS201` | owner, detection method and matched classes in properties |
//! | `endpoints[]` with `cleartext` | `LS202` | up to 10 locations where the URL was found |
//! | `permissions[]` with `used == false` | `LS301` | located in `AndroidManifest.xml` |
//! | `dynamic_code[]` | `LS302` | located at the container file |
//! | `warnings[]`, incomplete taint coverage | `LS501` | |
//!
//! # Locations
//!
//! A code location has a `physicalLocation` whose `artifactLocation.uri` is
//! the DEX file (`classes2.dex`, percent-encoded, relative to the base id
//! `APP`, the analysed app), and two `logicalLocations`: the method (kind
//! `function`, `fullyQualifiedName` and `decoratedName`
//! `Lpkg/Class;->name(args)ret`, `name` the method name) and its class
//! (kind `type`, `Lpkg/Class;`). The bytecode offset is not a byte offset in
//! the DEX file, so it goes in the location's `properties.bytecodeOffset`
//! (16-bit code units from the start of the method's code, as dexdump
//! prints it) rather than in `region.byteOffset`.
//!
//! Results about the whole app (trackers, reasons that point to no code,
//! partial coverage) are located at the app's manifest (`AndroidManifest.xml`,
//! `Info.plist` on iOS), and warnings at the file they name when they name
//! one, so that every result has a location: GitHub code scanning rejects
//! results without one. No result has a `region`: leakscope locates code by
//! method and bytecode offset, not by line.
//!
//! Every result carries `partialFingerprints["leakscope/v1"]`, a hash of
//! rule, API (or other subject) and the class and method, so that services
//! can match results across runs even when offsets move.

mod location;
mod results;
mod rules;

use serde_json::{Map, Value, json};

use leakscope_model::Report;

use crate::labels;

/// The most results of one rule for one API (evidence of data access). A big
/// app calls some APIs thousands of times; the rest are counted in the last
/// kept result's `properties.omittedOccurrences`.
pub const MAX_RESULTS_PER_API: usize = 25;

/// The `$schema` of the logs made here: the OASIS SARIF 2.1.0 schema.
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Renders one report as a SARIF 2.1.0 log with one run.
pub fn sarif(report: &Report) -> Value {
    sarif_many(std::slice::from_ref(report))
}

/// Renders several reports as one SARIF 2.1.0 log, one run per report (in
/// the order given).
pub fn sarif_many(reports: &[Report]) -> Value {
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": reports.iter().map(run).collect::<Vec<_>>(),
    })
}

/// One run: the tool with its rules, the results, and the app's identity.
fn run(report: &Report) -> Value {
    let tool = &report.tool;
    let mut driver = Map::new();
    driver.insert(
        "name".into(),
        Value::String(if tool.name.is_empty() {
            "leakscope".into()
        } else {
            tool.name.clone()
        }),
    );
    if !tool.version.is_empty() {
        driver.insert("version".into(), Value::String(tool.version.clone()));
    }
    driver.insert("rules".into(), rules::driver_rules());
    if !tool.kb_version.is_empty() {
        driver.insert("properties".into(), json!({ "kbVersion": tool.kb_version }));
    }
    json!({
        "tool": { "driver": driver },
        "originalUriBaseIds": {
            location::BASE_ID: {
                "description": { "text": format!("The analysed app: {}", report.app.path) }
            }
        },
        "automationDetails": { "id": automation_id(report) },
        "results": results::results(report),
        "properties": run_properties(report),
    })
}

/// `leakscope/<package>/` (the category of the run, for services that
/// compare runs of the same app).
fn automation_id(report: &Report) -> String {
    let package = report.app.package.as_deref().unwrap_or("unknown");
    format!("leakscope/{package}/")
}

/// The app's identity, the verdict and the policy decision.
fn run_properties(report: &Report) -> Value {
    let app = &report.app;
    let mut p = Map::new();
    p.insert("app".into(), json!({
        "platform": app.platform,
        "inputKind": app.input_kind,
        "path": app.path,
        "package": app.package,
        "label": app.label,
        "versionName": app.version_name,
        "versionCode": app.version_code,
        "sha256": app.sha256,
        "size": app.size,
        "signers": app.signers.iter().map(|s| json!({"sha256": s.sha256, "subject": s.subject})).collect::<Vec<_>>(),
    }));
    p.insert(
        "schemaVersion".into(),
        Value::String(report.schema_version.clone()),
    );
    match &report.assessment {
        Some(a) => {
            p.insert(
                "verdict".into(),
                Value::String(labels::verdict_id(a.verdict).into()),
            );
            p.insert("score".into(), json!(a.score));
            p.insert("appKind".into(), json!(a.app_kind.kind));
        }
        None => {
            p.insert("verdict".into(), Value::String("not_assessed".into()));
        }
    }
    if let Some(policy) = &report.policy {
        p.insert(
            "policy".into(),
            json!({
                "policy": policy.policy,
                "decision": labels::decision_id(policy.decision),
                "matched": policy.matched.iter().map(|m| json!({
                    "rule": m.rule,
                    "level": labels::decision_id(m.level),
                    "message": m.message,
                })).collect::<Vec<_>>(),
                "suppressed": policy.suppressed.len(),
            }),
        );
    }
    Value::Object(p)
}
