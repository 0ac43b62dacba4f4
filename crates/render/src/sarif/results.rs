//! The results of a run; the mapping is tabled in the module doc of
//! [`super`].

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use leakscope_model::{Attribution, Evidence, Flow, Report};

use super::location::{self, fingerprint};
use super::{MAX_RESULTS_PER_API, rules};
use crate::labels::{short_api, short_method};
use crate::pointer::{self, Pointer};

/// The most locations given to one result (reasons, cleartext endpoints).
const MAX_LOCATIONS: usize = 10;

/// Where results about the whole app are located: its manifest. Services
/// such as GitHub code scanning reject results without a location.
fn app_location(report: &Report) -> Value {
    location::file(if report.app.platform == "ios" {
        "Info.plist"
    } else {
        "AndroidManifest.xml"
    })
}

/// A warning's source as a location: a file of the app when it looks like
/// one (`classes3.dex`, `lib/x86/libfoo.so`), else the app.
fn warning_location(report: &Report, source: &str) -> Value {
    let file_like = !source.is_empty()
        && !source.contains(char::is_whitespace)
        && (source.contains('.') || source.contains('/'));
    if file_like {
        location::file(source)
    } else {
        app_location(report)
    }
}

/// Every result for `report`, in report order: reasons, flows, evidence,
/// trackers, cleartext endpoints, unused permissions, dynamic code,
/// warnings.
pub(super) fn results(report: &Report) -> Vec<Value> {
    let mut out = Vec::new();
    reasons(report, &mut out);
    flows(report, &mut out);
    evidence(report, &mut out);
    trackers(report, &mut out);
    cleartext(report, &mut out);
    unused_permissions(report, &mut out);
    dynamic_code(report, &mut out);
    warnings(report, &mut out);
    out
}

/// One result. `level` overrides the rule's default level.
struct Res<'a> {
    rule: &'a str,
    level: Option<&'static str>,
    message: String,
    locations: Vec<Value>,
    fingerprint: Value,
    properties: Map<String, Value>,
}

impl Res<'_> {
    fn into_value(self) -> Value {
        let known = rules::lookup(self.rule);
        let level = self.level.or(known.map(|(_, l)| l)).unwrap_or("warning");
        let mut r = Map::new();
        r.insert("ruleId".into(), Value::String(self.rule.to_owned()));
        if let Some((index, _)) = known {
            r.insert("ruleIndex".into(), json!(index));
        }
        r.insert("level".into(), Value::String(level.into()));
        r.insert("message".into(), json!({ "text": self.message }));
        if !self.locations.is_empty() {
            r.insert("locations".into(), Value::Array(self.locations));
        }
        r.insert("partialFingerprints".into(), self.fingerprint);
        if !self.properties.is_empty() {
            r.insert("properties".into(), Value::Object(self.properties));
        }
        Value::Object(r)
    }
}

fn props(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// `assessment.reasons[]` → results of the reason's code, located at the
/// flows and evidence they point to.
fn reasons(report: &Report, out: &mut Vec<Value>) {
    let Some(assessment) = &report.assessment else {
        return;
    };
    for reason in &assessment.reasons {
        let locations: Vec<Value> = reason
            .evidence
            .iter()
            .filter_map(|p| match pointer::parse(p) {
                Pointer::Flow(i) => report
                    .flows
                    .get(i)
                    .map(|f| location::code(&f.source.location)),
                Pointer::Evidence(c, i) => report
                    .categories
                    .get(&c)
                    .and_then(|f| f.evidence.get(i))
                    .map(|e| location::code(&e.location)),
                _ => None,
            })
            .take(MAX_LOCATIONS)
            .collect();
        let locations = if locations.is_empty() {
            vec![app_location(report)]
        } else {
            locations
        };
        let category = reason.category.map(|c| c.id()).unwrap_or("");
        let mut fp_parts = vec![reason.code.as_str(), category];
        fp_parts.extend(reason.evidence.iter().map(String::as_str));
        out.push(
            Res {
                rule: &reason.code,
                level: None,
                message: reason.message.clone(),
                locations,
                fingerprint: fingerprint(&fp_parts),
                properties: props([
                    ("category", json!(reason.category)),
                    ("weight", json!(reason.weight)),
                    ("evidence", json!(reason.evidence)),
                    ("verdictReason", Value::Bool(true)),
                ]),
            }
            .into_value(),
        );
    }
}

/// `flows[]` → LS101 / LS102 with a code flow along the path.
fn flows(report: &Report, out: &mut Vec<Value>) {
    for (i, flow) in report.flows.iter().enumerate() {
        let unneeded = flow
            .source
            .category
            .and_then(|c| report.assessment.as_ref()?.categories.get(&c))
            .and_then(|a| a.necessary)
            == Some(false);
        let transmits = flow.sink.kind.transmits();
        let rule = if unneeded && transmits {
            "LS101"
        } else {
            "LS102"
        };
        let category = flow.source.category.map_or("unknown", |c| c.id());
        let (src, snk) = (&flow.source.location, &flow.sink.location);
        let message = format!(
            "Data of category {category} read by {} in {} reaches the {} sink {} in {} (confidence {}).",
            short_api(&flow.source.api),
            short_method(&format!("{}->{}", src.class, src.method)),
            flow.sink.kind,
            short_api(&flow.sink.api),
            short_method(&format!("{}->{}", snk.class, snk.method)),
            confidence(flow),
        );
        out.push(
            Res {
                rule,
                level: (!transmits).then_some("note"),
                message,
                locations: vec![location::code(src), location::code(snk)],
                fingerprint: fingerprint(&[
                    rule,
                    &flow.source.api,
                    &flow.sink.api,
                    &src.class,
                    &src.method,
                    &snk.class,
                    &snk.method,
                ]),
                properties: props([
                    ("flowIndex", json!(i)),
                    ("category", json!(flow.source.category)),
                    ("sinkKind", json!(flow.sink.kind)),
                    ("confidence", json!(flow.confidence)),
                ]),
            }
            .into_value_with_code_flow(flow),
        );
    }
}

fn confidence(flow: &Flow) -> &'static str {
    match flow.confidence {
        leakscope_model::Confidence::Low => "low",
        leakscope_model::Confidence::Medium => "medium",
        leakscope_model::Confidence::High => "high",
    }
}

impl Res<'_> {
    fn into_value_with_code_flow(self, flow: &Flow) -> Value {
        let mut v = self.into_value();
        if let Value::Object(r) = &mut v {
            r.insert("codeFlows".into(), code_flow(flow));
        }
        v
    }
}

/// One thread flow with a location per path method; the first and last are
/// the exact source and sink statements.
fn code_flow(flow: &Flow) -> Value {
    let with_message = |mut loc: Value, text: String| {
        if let Value::Object(m) = &mut loc {
            m.insert("message".into(), json!({ "text": text }));
        }
        json!({ "location": loc })
    };
    let source = || {
        with_message(
            location::code(&flow.source.location),
            format!("source: {}", flow.source.api),
        )
    };
    let sink = || {
        with_message(
            location::code(&flow.sink.location),
            format!("sink: {}", flow.sink.api),
        )
    };
    let n = flow.path.len();
    let locations: Vec<Value> = if n < 2 {
        vec![source(), sink()]
    } else {
        flow.path
            .iter()
            .enumerate()
            .map(|(j, m)| {
                if j == 0 {
                    source()
                } else if j + 1 == n {
                    sink()
                } else {
                    with_message(location::method(m), "passes through".into())
                }
            })
            .collect()
    };
    json!([{ "threadFlows": [{ "locations": locations }] }])
}

/// `categories.*.evidence[]` → LS103 (tracker code) or LS106, at most
/// [`MAX_RESULTS_PER_API`] per (rule, API).
fn evidence(report: &Report, out: &mut Vec<Value>) {
    let trackers: BTreeSet<&str> = report
        .trackers
        .iter()
        .flat_map(|t| [t.name.as_str(), t.id.as_str()])
        .collect();
    let rule_of = |e: &Evidence| match &e.attribution {
        Attribution::Sdk { name } if trackers.contains(name.as_str()) => "LS103",
        _ => "LS106",
    };
    let mut totals: HashMap<(&str, &str), usize> = HashMap::new();
    for e in report.categories.values().flat_map(|f| &f.evidence) {
        *totals.entry((rule_of(e), e.api.as_str())).or_default() += 1;
    }
    let mut kept: HashMap<(&str, &str), usize> = HashMap::new();
    for e in report.categories.values().flat_map(|f| &f.evidence) {
        let rule = rule_of(e);
        let key = (rule, e.api.as_str());
        let n = kept.entry(key).or_default();
        if *n >= MAX_RESULTS_PER_API {
            continue;
        }
        *n += 1;
        let total = totals.get(&key).copied().unwrap_or(0);
        let omitted = if *n == MAX_RESULTS_PER_API {
            total.saturating_sub(MAX_RESULTS_PER_API)
        } else {
            0
        };
        let loc = &e.location;
        let who = e.attribution.label();
        let mut properties = props([
            ("category", json!(e.category)),
            ("evidenceKind", json!(e.kind)),
            ("api", json!(e.api)),
            ("attribution", json!(who)),
            ("apiOccurrences", json!(total)),
        ]);
        if omitted > 0 {
            properties.insert("omittedOccurrences".into(), json!(omitted));
        }
        out.push(
            Res {
                rule,
                level: None,
                message: format!(
                    "Code of {who} reads data of category {} through {} in {}.",
                    e.category,
                    short_api(&e.api),
                    short_method(&format!("{}->{}", loc.class, loc.method)),
                ),
                locations: vec![location::code(loc)],
                fingerprint: fingerprint(&[rule, &e.api, &loc.class, &loc.method]),
                properties,
            }
            .into_value(),
        );
    }
}

/// `trackers[]` → LS201.
fn trackers(report: &Report, out: &mut Vec<Value>) {
    for t in &report.trackers {
        let owner = match (&t.owner, &t.owner_country) {
            (Some(o), Some(c)) => format!(", owned by {o} ({c})"),
            (Some(o), None) => format!(", owned by {o}"),
            _ => String::new(),
        };
        out.push(
            Res {
                rule: "LS201",
                level: None,
                message: format!(
                    "The app embeds the tracker SDK {}{owner}; detected by {}.",
                    t.name,
                    if t.detected_by.is_empty() {
                        "signature".to_owned()
                    } else {
                        t.detected_by.join(" and ")
                    }
                ),
                locations: vec![app_location(report)],
                fingerprint: fingerprint(&["LS201", &t.id, &t.name]),
                properties: props([
                    ("trackerId", json!(t.id)),
                    ("owner", json!(t.owner)),
                    ("ownerCountry", json!(t.owner_country)),
                    ("trackerCategories", json!(t.categories)),
                    ("codeMatchCount", json!(t.code_match_count)),
                    (
                        "codeMatches",
                        json!(t.code_matches.iter().take(20).collect::<Vec<_>>()),
                    ),
                    ("networkMatches", json!(t.network_matches)),
                ]),
            }
            .into_value(),
        );
    }
}

/// Cleartext `endpoints[]` → LS202.
fn cleartext(report: &Report, out: &mut Vec<Value>) {
    for e in report.endpoints.iter().filter(|e| e.cleartext) {
        let url = e
            .urls
            .iter()
            .find(|u| !u.starts_with("https:") && !u.starts_with("wss:"))
            .or(e.urls.first());
        let message = match url {
            Some(u) => format!("Cleartext connection to {}: {u}", e.host),
            None => format!("Cleartext connection to {}.", e.host),
        };
        out.push(
            Res {
                rule: "LS202",
                level: None,
                message,
                locations: if e.locations.is_empty() {
                    vec![app_location(report)]
                } else {
                    e.locations
                        .iter()
                        .take(MAX_LOCATIONS)
                        .map(location::any)
                        .collect()
                },
                fingerprint: fingerprint(&["LS202", &e.host]),
                properties: props([
                    ("host", json!(e.host)),
                    ("schemes", json!(e.schemes)),
                    ("owner", json!(e.owner)),
                    ("tracker", json!(e.tracker)),
                ]),
            }
            .into_value(),
        );
    }
}

/// Requested but unused `permissions[]` → LS301.
fn unused_permissions(report: &Report, out: &mut Vec<Value>) {
    for p in report.permissions.iter().filter(|p| p.used == Some(false)) {
        out.push(
            Res {
                rule: "LS301",
                level: None,
                message: format!("{} is requested but no code uses it.", p.name),
                locations: vec![location::file("AndroidManifest.xml")],
                fingerprint: fingerprint(&["LS301", &p.name]),
                properties: props([
                    ("permission", json!(p.name)),
                    ("protectionLevel", json!(p.protection_level)),
                    ("category", json!(p.category)),
                ]),
            }
            .into_value(),
        );
    }
}

/// `dynamic_code[]` → LS302.
fn dynamic_code(report: &Report, out: &mut Vec<Value>) {
    for d in &report.dynamic_code {
        out.push(
            Res {
                rule: "LS302",
                level: None,
                message: format!(
                    "{} ({}) holds {} DEX image(s) that can be loaded at run time.",
                    d.container, d.kind, d.dex_count
                ),
                locations: vec![location::file(&d.container)],
                fingerprint: fingerprint(&["LS302", &d.container]),
                properties: props([("kind", json!(d.kind)), ("dexCount", json!(d.dex_count))]),
            }
            .into_value(),
        );
    }
}

/// `warnings[]` and partial taint coverage → LS501.
fn warnings(report: &Report, out: &mut Vec<Value>) {
    if let Some(t) = report.taint.as_ref().filter(|t| !t.complete) {
        let notes = if t.notes.is_empty() {
            String::new()
        } else {
            format!(": {}", t.notes.join("; "))
        };
        out.push(
            Res {
                rule: "LS501",
                level: None,
                message: format!(
                    "The data-flow analysis is partial ({} methods analysed, {} skipped){notes}",
                    t.methods_analyzed, t.methods_skipped
                ),
                locations: vec![app_location(report)],
                fingerprint: fingerprint(&["LS501", "taint"]),
                properties: props([
                    ("methodsAnalyzed", json!(t.methods_analyzed)),
                    ("methodsSkipped", json!(t.methods_skipped)),
                ]),
            }
            .into_value(),
        );
    }
    for w in &report.warnings {
        out.push(
            Res {
                rule: "LS501",
                level: None,
                message: format!("{}: {}", w.source, w.message),
                locations: vec![warning_location(report, &w.source)],
                fingerprint: fingerprint(&["LS501", &w.source, &w.message]),
                properties: props([("source", json!(w.source))]),
            }
            .into_value(),
        );
    }
}
