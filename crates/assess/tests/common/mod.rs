//! Helpers shared by the integration tests: small hand-built reports.
#![allow(dead_code)]

use leakscope_model::{
    Attribution, Category, CategoryFindings, CodeLocation, Confidence, EndpointFinding, Evidence,
    EvidenceKind, Flow, FlowSink, FlowSource, Location, PermissionFinding, Report, SinkKind,
    TrackerFinding,
};

#[allow(unused_imports)] // each test binary uses a different part
pub use leakscope_testkit::{corpus, repo_root as repo};

pub fn loc(class: &str) -> CodeLocation {
    CodeLocation {
        dex: "classes.dex".into(),
        class: class.into(),
        method: "run()V".into(),
        offset: 4,
    }
}

/// A report with the INTERNET permission.
pub fn report() -> Report {
    let mut r = Report::default();
    r.permissions.push(PermissionFinding {
        name: "android.permission.INTERNET".into(),
        protection_level: Some("normal".into()),
        ..Default::default()
    });
    r.taint = Some(leakscope_model::TaintCoverage {
        complete: true,
        ..Default::default()
    });
    r
}

/// Adds an access to `c` by code of `class`, attributed to `who`.
pub fn access(r: &mut Report, c: Category, class: &str, who: Attribution) {
    let f: &mut CategoryFindings = r.categories.entry(c).or_default();
    f.accessed = true;
    if let Attribution::Sdk { name } = &who
        && !f.sdks.contains(name)
    {
        f.sdks.push(name.clone());
    }
    if who == Attribution::FirstParty {
        f.first_party = true;
    }
    f.evidence.push(Evidence {
        kind: EvidenceKind::Call,
        api: "Lx;->y()V".into(),
        category: c,
        location: loc(class),
        attribution: who,
    });
}

/// Adds a flow of `c` from `class` to a sink of `kind` in `sink_class`.
pub fn flow(r: &mut Report, c: Category, sink_class: &str, kind: SinkKind) {
    r.flows.push(Flow {
        source: FlowSource {
            api: "Lx;->y()V".into(),
            category: Some(c),
            location: loc(sink_class),
        },
        sink: FlowSink {
            api: "Ljava/net/URL;->openConnection()Ljava/net/URLConnection;".into(),
            kind,
            location: loc(sink_class),
        },
        path: vec![],
        confidence: Confidence::Medium,
    });
    let f = r.categories.entry(c).or_default();
    if kind.transmits() {
        f.transmitted = true;
    }
    if !f.sinks.contains(&kind) {
        f.sinks.push(kind);
    }
}

/// Adds a tracker found by code and network signatures.
pub fn tracker(r: &mut Report, id: &str, name: &str, host: &str) {
    r.trackers.push(TrackerFinding {
        id: id.into(),
        name: name.into(),
        owner: Some("Example Ads Inc.".into()),
        owner_country: Some("US".into()),
        network_matches: vec![host.into()],
        detected_by: vec!["code".into(), "network".into()],
        ..Default::default()
    });
    r.endpoints.push(EndpointFinding {
        host: host.into(),
        owner: Some("Example Ads Inc.".into()),
        owner_country: Some("US".into()),
        tracker: Some(name.into()),
        locations: vec![Location::File {
            path: "res/values/strings.xml".into(),
        }],
        ..Default::default()
    });
}

/// Adds an endpoint found in code of `class`.
pub fn endpoint(r: &mut Report, host: &str, class: &str) {
    r.endpoints.push(EndpointFinding {
        host: host.into(),
        locations: vec![Location::Code(loc(class))],
        ..Default::default()
    });
}
