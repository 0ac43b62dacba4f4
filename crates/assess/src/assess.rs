//! The assessment of one report: per-category facts, the reasons with
//! their weights, the score and the verdict.

use std::collections::{BTreeMap, BTreeSet};

use leakscope_axml::Manifest;
use leakscope_model::{
    AppKind, Assessment, Attribution, Category, CategoryAssessment, Reason, Report, SinkKind,
    TrackerFinding, Verdict,
};

use crate::Assessor;
use crate::declarations::Declarations;
use crate::destinations;
use crate::error::AssessError;
use crate::kinds::{KindSpec, Need, UNKNOWN_KIND};
use crate::scoring::{Scoring, points};

/// Most evidence pointers one reason lists.
pub const MAX_EVIDENCE_POINTERS: usize = 8;

/// The permission that gives network access.
const INTERNET: &str = "android.permission.INTERNET";

/// What the assessment needs besides the report and the manifest.
#[derive(Clone, Debug, Default)]
pub struct AssessOptions {
    /// The app's kind as given by the user (`--app-kind`); inferred when
    /// `None`.
    pub app_kind: Option<String>,
    /// The publisher's declarations (`--declared FILE`).
    pub declarations: Option<Declarations>,
}

/// What the report says about one category, gathered for the rules.
struct Facts<'r> {
    category: Category,
    accessed: bool,
    /// Flows of this category to a transmitting sink (indices).
    flows: Vec<usize>,
    /// The report's `transmitted` flag.
    report_transmitted: bool,
    /// Trackers whose code reads the category.
    trackers: Vec<&'r TrackerFinding>,
    /// Evidence indices, all and those of trackers.
    evidence: Vec<usize>,
    tracker_evidence: Vec<usize>,
    sinks: BTreeSet<SinkKind>,
}

impl<'r> Facts<'r> {
    fn gather(report: &'r Report, category: Category) -> Facts<'r> {
        let findings = report.categories.get(&category);
        let tracker_named = |name: &str| {
            report
                .trackers
                .iter()
                .find(|t| t.name.eq_ignore_ascii_case(name) || t.id == name)
        };
        let mut trackers: Vec<&TrackerFinding> = Vec::new();
        let mut evidence = Vec::new();
        let mut tracker_evidence = Vec::new();
        let mut sinks = BTreeSet::new();
        let mut accessed = false;
        let mut report_transmitted = false;
        if let Some(f) = findings {
            accessed = f.accessed;
            report_transmitted = f.transmitted;
            sinks.extend(f.sinks.iter().copied());
            for (i, e) in f.evidence.iter().enumerate() {
                evidence.push(i);
                if let Attribution::Sdk { name } = &e.attribution
                    && let Some(t) = tracker_named(name)
                {
                    tracker_evidence.push(i);
                    if !trackers.iter().any(|k| k.id == t.id) {
                        trackers.push(t);
                    }
                }
            }
            for name in &f.sdks {
                if let Some(t) = tracker_named(name)
                    && !trackers.iter().any(|k| k.id == t.id)
                {
                    trackers.push(t);
                }
            }
        }
        let mut flows = Vec::new();
        for (i, flow) in report.flows.iter().enumerate() {
            if flow.source.category == Some(category) {
                sinks.insert(flow.sink.kind);
                if flow.sink.kind.transmits() {
                    flows.push(i);
                }
            }
        }
        trackers.sort_by(|a, b| a.id.cmp(&b.id));
        Facts {
            category,
            accessed: accessed || !flows.is_empty() || !trackers.is_empty(),
            flows,
            report_transmitted,
            trackers,
            evidence,
            tracker_evidence,
            sinks,
        }
    }

    fn evidence_pointers<'a>(&self, indices: &'a [usize]) -> impl Iterator<Item = String> + 'a {
        let c = self.category;
        indices
            .iter()
            .map(move |i| format!("categories.{c}.evidence[{i}]"))
    }
}

/// The first [`MAX_EVIDENCE_POINTERS`] distinct pointers.
fn capped(pointers: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in pointers {
        if out.len() >= MAX_EVIDENCE_POINTERS {
            break;
        }
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Joins the first few names with `, `, noting how many were left out.
fn short_list<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> String {
    const MAX_NAMES: usize = 10;
    let total = names.len();
    let mut out: Vec<&str> = names.take(MAX_NAMES).collect();
    let more;
    if total > MAX_NAMES {
        more = format!("and {} more", total.saturating_sub(MAX_NAMES));
        out.push(&more);
    }
    out.join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How the category got out: "2 flows to network, sms; tracker X reads it".
fn how_transmitted(report: &Report, f: &Facts<'_>, internet: bool) -> String {
    let mut parts = Vec::new();
    if !f.flows.is_empty() {
        let kinds: BTreeSet<&str> = f
            .flows
            .iter()
            .filter_map(|i| report.flows.get(*i))
            .map(|fl| fl.sink.kind.id())
            .collect();
        parts.push(format!(
            "{} to {}",
            plural(f.flows.len(), "flow", "flows"),
            kinds.into_iter().collect::<Vec<_>>().join(", ")
        ));
    } else if f.report_transmitted {
        parts.push("the data-flow analysis marks it transmitted".into());
    }
    if internet && !f.trackers.is_empty() {
        parts.push(format!(
            "read by {} with network access",
            tracker_names(&f.trackers)
        ));
    }
    parts.join("; ")
}

fn tracker_names(trackers: &[&TrackerFinding]) -> String {
    format!(
        "tracker {}",
        short_list(trackers.iter().map(|t| t.name.as_str()))
    )
}

/// Runs the assessment.
pub(crate) fn run(
    assessor: &Assessor,
    report: &Report,
    manifest: Option<&Manifest>,
    opts: &AssessOptions,
) -> Result<Assessment, AssessError> {
    let app_kind = match &opts.app_kind {
        Some(given) => {
            let given = given.trim();
            if given == UNKNOWN_KIND {
                AppKind {
                    kind: UNKNOWN_KIND.into(),
                    source: "given".into(),
                    reason: Some("--app-kind unknown".into()),
                }
            } else if assessor.kinds.get(given).is_some() {
                AppKind {
                    kind: given.to_owned(),
                    source: "given".into(),
                    reason: Some("--app-kind".into()),
                }
            } else {
                return Err(AssessError::UnknownKind {
                    kind: given.to_owned(),
                    known: assessor.kinds().map(str::to_owned).collect(),
                });
            }
        }
        None => assessor
            .kinds
            .infer(report, manifest, &assessor.scoring.inference),
    };
    let spec = assessor.kinds.get(&app_kind.kind);
    let s = &assessor.scoring;
    let decl = opts.declarations.as_ref();
    let internet = report.permissions.iter().any(|p| p.name == INTERNET);

    let mut reasons = Vec::new();
    let mut categories = BTreeMap::new();
    for category in Category::ALL {
        let f = Facts::gather(report, category);
        let via_trackers = internet && !f.trackers.is_empty();
        let transmitted = f.report_transmitted || !f.flows.is_empty() || via_trackers;
        if !f.accessed && !transmitted {
            continue;
        }
        let need = spec.map(|k| k.need(category));
        let declared = decl.and_then(|d| d.declared(category));
        let mut sinks = f.sinks.clone();
        if via_trackers {
            sinks.insert(SinkKind::Network);
        }
        let destinations = destinations::of_category(report, category, &f.trackers, &f.flows);
        let judged = Judged {
            need,
            declared,
            transmitted,
            internet,
        };
        category_reasons(report, s, spec, &f, &judged, &mut reasons);
        categories.insert(
            category,
            CategoryAssessment {
                accessed: f.accessed,
                transmitted,
                sinks: sinks.into_iter().collect(),
                trackers: f.trackers.iter().map(|t| t.id.clone()).collect(),
                destinations,
                declared,
                necessary: need.map(|n| n != Need::NotNeeded),
            },
        );
    }
    app_reasons(report, s, &mut reasons);

    reasons.sort_by(|a, b| {
        b.weight
            .cmp(&a.weight)
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.category.cmp(&b.category))
    });
    let total: u32 = reasons.iter().map(|r| u32::from(r.weight)).sum();
    let score = u8::try_from(total.min(100)).unwrap_or(100);
    // Leakware means sending out sensitive data the app does not need: an
    // LS101, or an LS103 on a category the kind does not need.
    let unneeded = |c: Category| {
        categories
            .get(&c)
            .is_some_and(|a: &CategoryAssessment| a.necessary == Some(false))
    };
    let sensitive_leak = reasons.iter().any(|r| match (r.code.as_str(), r.category) {
        ("LS101", Some(c)) => s.sensitivity(c) >= s.verdict.sensitive,
        ("LS103", Some(c)) => unneeded(c) && s.tracker_sensitivity(c) >= s.verdict.sensitive,
        _ => false,
    });
    let verdict = if u32::from(score) >= s.verdict.leakware && sensitive_leak {
        Verdict::Leakware
    } else if u32::from(score) >= s.verdict.review {
        Verdict::NeedsReview
    } else {
        Verdict::NoLeakFound
    };
    Ok(Assessment {
        verdict,
        score,
        app_kind,
        declarations: decl.map(|d| d.source.clone()),
        reasons,
        categories,
    })
}

/// What the assessment decided about one category, for its reasons.
struct Judged {
    need: Option<Need>,
    declared: Option<bool>,
    transmitted: bool,
    internet: bool,
}

/// The reasons about one category.
fn category_reasons(
    report: &Report,
    s: &Scoring,
    spec: Option<&KindSpec>,
    f: &Facts<'_>,
    judged: &Judged,
    reasons: &mut Vec<Reason>,
) {
    let Judged {
        need,
        declared,
        transmitted,
        internet,
    } = *judged;
    let c = f.category;
    let sens = s.sensitivity(c);
    let declared_factor = if declared == Some(true) {
        s.factors.declared
    } else {
        1.0
    };
    let kind_name = spec.map_or(UNKNOWN_KIND, |k| k.id.as_str());
    let declared_note = if declared == Some(true) {
        " (declared)"
    } else {
        ""
    };
    let mut reason = |code: &str, weight: u8, message: String, evidence: Vec<String>| {
        reasons.push(Reason {
            code: code.into(),
            category: Some(c),
            message,
            weight,
            evidence: capped(evidence),
        });
    };
    let all_evidence = || -> Vec<String> {
        let n = MAX_EVIDENCE_POINTERS;
        let mut e: Vec<String> = f
            .flows
            .iter()
            .take(n)
            .map(|i| format!("flows[{i}]"))
            .collect();
        e.extend(
            f.trackers
                .iter()
                .take(n)
                .map(|t| format!("trackers[{}]", t.id)),
        );
        e.extend(f.evidence_pointers(&f.evidence).take(n));
        e
    };

    // Transmitted through a flow (or the report's flag), as opposed to only
    // read by a tracker SDK with network access; LS103 covers the latter
    // unless the data is not needed (LS101).
    let by_flow = f.report_transmitted || !f.flows.is_empty();
    if transmitted && (by_flow || need == Some(Need::NotNeeded)) {
        let how = how_transmitted(report, f, internet);
        match need {
            Some(Need::NotNeeded) => reason(
                "LS101",
                points(s.base.LS101, &[sens, declared_factor]),
                format!(
                    "{c} is read and sent out ({how}) although {kind_name} apps do not need it{declared_note}"
                ),
                all_evidence(),
            ),
            _ => {
                let (factor, why) = match need {
                    Some(Need::Needed) => (s.factors.needed, format!("{kind_name} apps need it")),
                    Some(Need::MayNeed) => {
                        (s.factors.may_need, format!("some {kind_name} apps need it"))
                    }
                    _ => (
                        s.factors.unknown_kind,
                        "the app's kind is unknown".to_owned(),
                    ),
                };
                reason(
                    "LS102",
                    points(s.base.LS102, &[sens, factor, declared_factor]),
                    format!("{c} is sent out ({how}); {why}{declared_note}"),
                    all_evidence(),
                );
            }
        }
    } else if f.accessed && (f.trackers.is_empty() || f.evidence.len() > f.tracker_evidence.len()) {
        // Read (also) by code other than a tracker's; a tracker's read alone
        // is LS103's.
        let mut e: Vec<String> = f
            .evidence_pointers(&f.evidence)
            .take(MAX_EVIDENCE_POINTERS)
            .collect();
        if e.is_empty() {
            e.push(format!("categories.{c}"));
        }
        match need {
            Some(Need::NotNeeded) => reason(
                "LS105",
                points(s.base.LS105, &[sens]),
                format!(
                    "{c} is read although {kind_name} apps do not need it; no transmission was found"
                ),
                e,
            ),
            Some(_) => reason(
                "LS106",
                points(s.base.LS106, &[sens, s.factors.accessed_needed]),
                format!("{c} is read; {kind_name} apps may need it"),
                e,
            ),
            None => reason(
                "LS106",
                points(s.base.LS106, &[sens, s.factors.unknown_kind]),
                format!("{c} is read; the app's kind is unknown"),
                e,
            ),
        }
    }

    if !f.trackers.is_empty() {
        let mut e: Vec<String> = f
            .trackers
            .iter()
            .map(|t| format!("trackers[{}]", t.id))
            .collect();
        e.extend(f.evidence_pointers(&f.tracker_evidence));
        reason(
            "LS103",
            points(s.base.LS103, &[s.tracker_sensitivity(c), declared_factor]),
            format!(
                "{c} is read by {}{declared_note}",
                tracker_names(&f.trackers)
            ),
            e,
        );
    }

    if declared == Some(false) {
        let factor = if transmitted {
            1.0
        } else {
            s.factors.undeclared_not_transmitted
        };
        let mut e = vec!["declarations".to_owned()];
        e.extend(all_evidence());
        reason(
            "LS104",
            points(s.base.LS104, &[sens, factor]),
            format!(
                "{c} is {} but not declared",
                if transmitted { "collected" } else { "read" }
            ),
            e,
        );
    }
}

/// The app-wide reasons: trackers, unused permissions, dynamic code,
/// partial analysis.
fn app_reasons(report: &Report, s: &Scoring, reasons: &mut Vec<Reason>) {
    let mut reason = |code: &str, weight: u32, message: String, evidence: Vec<String>| {
        reasons.push(Reason {
            code: code.into(),
            category: None,
            message,
            weight: u8::try_from(weight.min(100)).unwrap_or(100),
            evidence: capped(evidence),
        });
    };
    if !report.trackers.is_empty() {
        let n = u32::try_from(report.trackers.len()).unwrap_or(u32::MAX);
        reason(
            "LS201",
            n.saturating_mul(s.base.LS201).min(s.base.LS201_max),
            format!(
                "{} embedded: {}",
                plural(report.trackers.len(), "tracker SDK", "tracker SDKs"),
                short_list(report.trackers.iter().map(|t| t.name.as_str()))
            ),
            report
                .trackers
                .iter()
                .map(|t| format!("trackers[{}]", t.id))
                .collect(),
        );
    }
    let unused: Vec<&str> = report
        .permissions
        .iter()
        .filter(|p| {
            p.used == Some(false)
                && p.protection_level
                    .as_deref()
                    .is_some_and(|l| l.contains("dangerous"))
        })
        .map(|p| p.name.as_str())
        .collect();
    if !unused.is_empty() {
        let n = u32::try_from(unused.len()).unwrap_or(u32::MAX);
        reason(
            "LS301",
            n.saturating_mul(s.base.LS301).min(s.base.LS301_max),
            format!(
                "{} requested but not used by any code: {}",
                plural(
                    unused.len(),
                    "dangerous permission",
                    "dangerous permissions"
                ),
                unused.join(", ")
            ),
            unused
                .iter()
                .take(MAX_EVIDENCE_POINTERS)
                .map(|p| format!("permissions[{p}]"))
                .collect(),
        );
    }
    if !report.dynamic_code.is_empty() {
        reason(
            "LS302",
            s.base.LS302,
            format!(
                "{} loadable at run time: {}",
                plural(report.dynamic_code.len(), "code file", "code files"),
                short_list(report.dynamic_code.iter().map(|d| d.container.as_str()))
            ),
            (0..report.dynamic_code.len())
                .map(|i| format!("dynamic_code[{i}]"))
                .collect(),
        );
    }
    let mut partial = Vec::new();
    let mut evidence = Vec::new();
    match &report.taint {
        None => {
            partial.push(
                "the data-flow analysis did not run, so transmissions other than by tracker SDKs may be missing"
                    .to_owned(),
            );
            evidence.push("taint".to_owned());
        }
        Some(t) if !t.complete => {
            partial.push(format!(
                "the data-flow analysis is partial ({} of {} methods skipped)",
                t.methods_skipped,
                t.methods_skipped.saturating_add(t.methods_analyzed)
            ));
            evidence.push("taint".to_owned());
        }
        Some(_) => {}
    }
    if !report.warnings.is_empty() {
        partial.push(format!(
            "the report has {}",
            plural(report.warnings.len(), "warning", "warnings")
        ));
        evidence.extend(
            (0..report.warnings.len())
                .take(MAX_EVIDENCE_POINTERS)
                .map(|i| format!("warnings[{i}]")),
        );
    }
    if !partial.is_empty() {
        reason(
            "LS501",
            s.base.LS501,
            format!("findings may be missing: {}", partial.join("; ")),
            evidence,
        );
    }
}
