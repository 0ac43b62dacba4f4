//! Putting the passes together into a [`Report`].

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use leakscope_app::App;
use leakscope_kb::Kb;
use leakscope_model::{
    AppInfo, Attribution, Category, CategoryFindings, DynamicCodeFinding, Evidence,
    PermissionFinding, Report, SCHEMA_VERSION, SignerInfo, Tool, TrackerFinding, Warning,
};

use leakscope_trackers::TrackerMatcher;

use crate::attribution::Attributor;
use crate::endpoints::{self, EndpointOptions};

/// What `analyze` needs besides the app and the knowledge base.
#[derive(Default)]
pub struct AnalyzeOptions<'a> {
    /// Endpoint options (GeoIP, resolution).
    pub endpoints: EndpointOptions<'a>,
    /// Run the data-flow analysis within this budget (`None`: skip it).
    pub taint: Option<crate::flows::Budget>,
    /// Its sources and sinks (`None`: the knowledge base's catalog).
    pub spec: Option<&'a leakscope_taint::Spec>,
}

/// Runs every evidence pass over `app` and assembles the report.
pub fn analyze(app: &App, kb: &Kb, options: &AnalyzeOptions<'_>) -> Report {
    let mut timings = BTreeMap::new();
    let mut warnings: Vec<Warning> = app
        .warnings
        .iter()
        .map(|w| Warning {
            source: w.source.clone(),
            message: w.message.clone(),
        })
        .collect();
    let mut clock = Instant::now();
    let mut lap = |name: &str, timings: &mut BTreeMap<String, f64>| {
        let now = Instant::now();
        timings.insert(name.to_string(), (now - clock).as_secs_f64() * 1e3);
        clock = now;
    };

    let attributor = match Attributor::new(app, kb) {
        Ok(a) => a,
        Err(e) => {
            warnings.push(Warning {
                source: "knowledge base".into(),
                message: format!(
                    "SDK prefixes unusable, attribution by tracker signatures only: {e}"
                ),
            });
            Attributor::with_prefixes(app, kb, Default::default())
        }
    };
    // The code scan, the tracker signatures and the files' endpoints are
    // independent: run them on all cores.
    let ((scan, trackers), (files, taint)) = rayon::join(
        || {
            rayon::join(
                || crate::apis::scan(app, kb, &attributor),
                || trackers(app, kb),
            )
        },
        || {
            rayon::join(
                || endpoints::scan_files(app),
                || {
                    options.taint.map(|budget| {
                        let catalog;
                        let spec = match options.spec {
                            Some(s) => s,
                            None => {
                                catalog = crate::flows::catalog_spec(kb);
                                &catalog
                            }
                        };
                        crate::flows::run(app, spec, crate::flows::Models::embedded(), budget)
                    })
                },
            )
        },
    );
    for w in &scan.warnings {
        warnings.push(Warning {
            source: "code".into(),
            message: w.to_string(),
        });
    }
    let (trackers, matcher, tracker_warnings) = trackers;
    warnings.extend(tracker_warnings);
    lap("code_scan", &mut timings);

    let endpoints = endpoints::finish(app, kb, files, &scan.const_strings, &options.endpoints);
    for (source, message) in endpoints.skipped {
        warnings.push(Warning { source, message });
    }
    lap("endpoints", &mut timings);

    let permissions = crate::permissions::findings(app, kb, &scan.evidence);
    let mut categories = categories(app, &permissions, scan.evidence);
    let (flows, coverage) = match taint {
        Some(t) => {
            timings.insert("taint".into(), t.millis);
            crate::flows::mark_transmitted(&mut categories, &t.flows);
            for note in &t.coverage.notes {
                warnings.push(Warning {
                    source: "data flow".into(),
                    message: note.clone(),
                });
            }
            (t.flows, Some(t.coverage))
        }
        None => (Vec::new(), None),
    };
    lap("assembly", &mut timings);

    let mut trackers = trackers;
    add_network_matches(&mut trackers, matcher.as_ref(), &endpoints.endpoints);

    Report {
        schema_version: SCHEMA_VERSION.to_string(),
        tool: Tool {
            name: "leakscope".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kb_version: kb.version.clone(),
        },
        app: app_info(app),
        categories,
        permissions,
        trackers,
        endpoints: endpoints.endpoints,
        dynamic_code: app
            .dynamic_code
            .iter()
            .map(|d| DynamicCodeFinding {
                container: d.container.clone(),
                kind: serde_plain(&d.kind),
                dex_count: d.dex.len(),
            })
            .collect(),
        flows,
        taint: coverage,
        assessment: None,
        policy: None,
        warnings,
        timings,
    }
}

/// A unit enum's serde name (`Jar` → `jar`).
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn app_info(app: &App) -> AppInfo {
    let m = app.manifest.as_ref();
    AppInfo {
        platform: "android".into(),
        input_kind: serde_plain(&app.kind),
        path: app.path.display().to_string(),
        package: app.package().map(str::to_string),
        version_name: m.and_then(|m| m.version_name.clone()),
        version_code: m.and_then(|m| m.version_code),
        label: app.label.clone(),
        min_sdk: m.and_then(|m| m.min_sdk),
        target_sdk: m.and_then(|m| m.target_sdk),
        sha256: app.sha256.clone(),
        size: app.size,
        signers: app
            .signers
            .iter()
            .map(|s| SignerInfo {
                sha256: s.sha256.clone(),
                subject: s.subject.clone(),
                issuer: s.issuer.clone(),
                schemes: s.schemes.iter().map(|x| x.to_string()).collect(),
            })
            .collect(),
    }
}

/// Tracker SDKs from code signatures (as exodus-core finds them), the
/// matcher for the network signatures, and warnings.
fn trackers(app: &App, kb: &Kb) -> (Vec<TrackerFinding>, Option<TrackerMatcher>, Vec<Warning>) {
    let matcher = match TrackerMatcher::from_kb(kb) {
        Ok(m) => m,
        Err(e) => {
            let w = Warning {
                source: "knowledge base".into(),
                message: format!("tracker signatures unusable: {e}"),
            };
            return (Vec::new(), None, vec![w]);
        }
    };
    let detection = matcher.detect(app);
    let warnings = detection
        .unreadable
        .iter()
        .map(|(dex, e)| Warning {
            source: dex.clone(),
            message: format!("tracker class list incomplete: {e}"),
        })
        .collect();
    (detection.findings, Some(matcher), warnings)
}

/// Adds endpoint hosts that match a tracker's network signature, as
/// evidence of that tracker.
fn add_network_matches(
    trackers: &mut Vec<TrackerFinding>,
    matcher: Option<&TrackerMatcher>,
    endpoints: &[leakscope_model::EndpointFinding],
) {
    let Some(matcher) = matcher else { return };
    let matches = matcher.match_hosts(endpoints.iter().map(|e| (e.host.as_str(), ())));
    matcher.merge_network(trackers, &matches);
}

/// Java class name (`com.foo.Bar`) of a descriptor, without inner-class
/// suffixes (`Lcom/foo/Bar$1;` → `com.foo.Bar`).
fn outer_class_name(descriptor: &str) -> String {
    let inner = descriptor
        .strip_prefix('L')
        .and_then(|d| d.strip_suffix(';'))
        .unwrap_or(descriptor);
    let outer = inner.split('$').next().unwrap_or(inner);
    outer.replace('/', ".")
}

/// Per category: requested permissions, accesses, SDKs and components.
fn categories(
    app: &App,
    permissions: &[PermissionFinding],
    evidence: Vec<Evidence>,
) -> BTreeMap<Category, CategoryFindings> {
    let components: BTreeSet<&str> = app
        .manifest
        .iter()
        .flat_map(|m| m.components())
        .filter_map(|c| c.name.as_deref())
        .collect();
    let mut out: BTreeMap<Category, CategoryFindings> = Category::ALL
        .into_iter()
        .map(|c| (c, CategoryFindings::default()))
        .collect();
    for p in permissions {
        if let Some(c) = p.category
            && let Some(f) = out.get_mut(&c)
        {
            f.requested = true;
            f.permissions.push(p.name.clone());
            if p.used == Some(false) {
                f.unused_permissions.push(p.name.clone());
            }
        }
    }
    for e in evidence {
        let Some(f) = out.get_mut(&e.category) else {
            continue;
        };
        f.accessed = true;
        match &e.attribution {
            Attribution::FirstParty => f.first_party = true,
            Attribution::Sdk { name } => {
                if !f.sdks.contains(name) {
                    f.sdks.push(name.clone());
                }
            }
            Attribution::UnknownThirdParty { .. } => {}
        }
        let class = outer_class_name(&e.location.class);
        if components.contains(class.as_str()) && !f.components.contains(&class) {
            f.components.push(class);
        }
        f.evidence.push(e);
    }
    for f in out.values_mut() {
        f.sdks.sort();
        f.components.sort();
        f.evidence
            .sort_by(|a, b| (&a.location, &a.api).cmp(&(&b.location, &b.api)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_class_names() {
        assert_eq!(outer_class_name("Lcom/foo/Bar$1;"), "com.foo.Bar");
        assert_eq!(outer_class_name("Lcom/foo/Bar;"), "com.foo.Bar");
    }
}
