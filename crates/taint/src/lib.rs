//! Static taint analysis on Dalvik bytecode: proves flows of personal data
//! from source APIs to sinks (network, SMS, files, logs, other apps).
//!
//! The pipeline, in order (see `engine` for the details):
//! 1. [`Program`] indexes every class and method of every DEX file;
//! 2. entry points follow the Android model: component lifecycles, framework
//!    callbacks of instantiated classes (listeners, threads, tasks,
//!    handlers), `android:onClick` handlers from layouts, static
//!    initialisers;
//! 3. the call graph comes from class-hierarchy analysis refined by the
//!    classes reachable code instantiates (and by allocation types known
//!    inside a method);
//! 4. each method is analysed flow-sensitively on registers and summarised
//!    in terms of its parameters, bottom-up over strongly connected
//!    components;
//! 5. fields (field-based), arrays and collections (through what an object
//!    holds), and intents between the app's own components (ICC) carry
//!    taint across methods;
//! 6. library methods follow the data-file models ([`Models`]).
//!
//! Sources and sinks come from a [`Spec`]: leakscope's catalog or a
//! FlowDroid `SourcesAndSinks.txt` list. A [`Budget`] bounds time and work;
//! when it is hit the result says so ([`TaintResult::coverage`]).

#![deny(missing_docs)]

mod cfg;
mod engine;
mod models;
mod program;
mod spec;
mod state;

use std::time::{Duration, Instant};

use leakscope_model::{CodeLocation, Confidence, Flow, FlowSink, FlowSource, TaintCoverage};

pub use engine::proto_params;
pub use models::{Effect, EntryPoints, MODELS_TOML, ModelError, Models, Redirect, Slot};
pub use program::{Method, MethodId, Program};
pub use spec::{
    MethodKey, Role, SinkDef, SourceDef, Spec, SpecEntry, SpecError, java_to_descriptor,
};

/// Kind of an app component.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    /// `<activity>`.
    #[default]
    Activity,
    /// `<service>`.
    Service,
    /// `<receiver>`.
    Receiver,
    /// `<provider>`.
    Provider,
    /// `<application android:name>`.
    Application,
}

/// A component declared in the manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Component {
    /// Class descriptor, `Lcom/example/MainActivity;`.
    pub class: String,
    /// Kind.
    pub kind: ComponentKind,
    /// Intent-filter actions it answers.
    pub actions: Vec<String>,
    /// Other apps may start or bind it.
    pub exported: bool,
    /// The `<data>` parts of its intent filters, one per filter that has
    /// any: implicit intents with data or a type reach it when they match.
    pub data: Vec<DataFilter>,
}

/// The `<data>` elements of one intent filter, merged as Android merges
/// them (any scheme with any host, and so on).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataFilter {
    /// `android:scheme` values.
    pub schemes: Vec<String>,
    /// `android:host` values (`*` matches any).
    pub hosts: Vec<String>,
    /// `android:port` values.
    pub ports: Vec<String>,
    /// `android:mimeType` values (`type/*` and `*/*` match a family).
    pub mime_types: Vec<String>,
}

impl DataFilter {
    /// Whether an intent with data URI `uri` and MIME type `mime` (either
    /// may be absent) passes this filter's data test, following Android's
    /// `IntentFilter.match` on scheme, host, port and type (paths are not
    /// checked, which may over-approximate).
    pub fn matches(&self, uri: Option<&str>, mime: Option<&str>) -> bool {
        let type_ok = match mime {
            Some(t) => self.mime_types.iter().any(|f| mime_matches(f, t)),
            None => self.mime_types.is_empty(),
        };
        if !type_ok {
            return false;
        }
        let Some(uri) = uri else {
            return self.schemes.is_empty();
        };
        let (scheme, rest) = uri.split_once(':').unwrap_or((uri, ""));
        if self.schemes.is_empty() {
            // A filter with only a type takes content: and file: URIs.
            return !self.mime_types.is_empty() && matches!(scheme, "content" | "file");
        }
        if !self.schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
            return false;
        }
        if self.hosts.is_empty() {
            return true;
        }
        let authority = rest
            .strip_prefix("//")
            .map(|r| r.split(['/', '?', '#']).next().unwrap_or(""))
            .unwrap_or("");
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let host_ok = self.hosts.iter().any(|h| {
            h == "*"
                || h.eq_ignore_ascii_case(host)
                || h.strip_prefix("*.").is_some_and(|suffix| {
                    host.len() > suffix.len()
                        && host
                            .to_ascii_lowercase()
                            .ends_with(&suffix.to_ascii_lowercase())
                })
        });
        let port_ok =
            self.ports.is_empty() || port.is_some_and(|p| self.ports.iter().any(|f| f == p));
        host_ok && port_ok
    }
}

fn mime_matches(filter: &str, t: &str) -> bool {
    if filter == "*" || filter == "*/*" {
        return true;
    }
    match filter.strip_suffix("/*") {
        Some(family) => t
            .split('/')
            .next()
            .is_some_and(|f| f.eq_ignore_ascii_case(family)),
        None => filter.eq_ignore_ascii_case(t),
    }
}

/// Resolves a string resource id (`R.string.x`) to its default value.
pub type ResourceStrings<'a> = &'a dyn Fn(u32) -> Option<String>;

/// What the analysis reads.
#[derive(Clone, Default)]
pub struct Input<'a> {
    /// DEX files: (label used in locations, bytes).
    pub dex: Vec<(String, &'a [u8])>,
    /// Manifest components.
    pub components: Vec<Component>,
    /// Method names given as `android:onClick` in layouts.
    pub click_handlers: Vec<String>,
    /// Resource ids of the layouts' password fields (`inputType` with a
    /// password variation, or `android:password`): what `findViewById`
    /// returns for them is a source when the [`Spec`] has
    /// [`Spec::password_field`].
    pub password_fields: Vec<u32>,
    /// String resources, for `getString(R.string.x)` constants.
    pub resource_strings: Option<ResourceStrings<'a>>,
}

/// Limits on the analysis, and how far it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Wall time.
    pub time: Duration,
    /// Instruction transfers (a proxy for work and memory).
    pub max_steps: u64,
    /// Also follow implicit flows (a branch on personal data decides what
    /// reaches a sink), reported with low confidence. Off by default: on
    /// real apps they multiply the flows (10× on io.appium.settings) and
    /// the time (2–3×), while a leakware verdict rests on data that leaves;
    /// benchmarks that count them (DroidBench) turn them on.
    pub implicit_flows: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            time: Duration::from_secs(60),
            max_steps: 200_000_000,
            implicit_flows: false,
        }
    }
}

/// The flows found and how much of the app was covered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaintResult {
    /// Flows, sorted by source then sink location.
    pub flows: Vec<Flow>,
    /// Coverage.
    pub coverage: TaintCoverage,
    /// Wall time in milliseconds.
    pub millis: f64,
}

/// Runs the analysis over `input`.
pub fn analyze(input: &Input<'_>, spec: &Spec, models: &Models, budget: Budget) -> TaintResult {
    let start = Instant::now();
    let prog = Program::new(&input.dex);
    let found = engine::analyze(&prog, input, spec, models, budget);
    let loc = |m: MethodId, pc: u32| -> CodeLocation {
        let meth = &prog.methods[m];
        CodeLocation {
            dex: prog
                .dex
                .get(meth.dex)
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            class: meth.class.clone(),
            method: format!("{}{}", meth.name, meth.proto),
            offset: pc,
        }
    };
    let explicit_sinks: std::collections::HashSet<usize> = found
        .flows
        .keys()
        .filter(|(l, _)| l & state::IMPLICIT == 0)
        .map(|(_, s)| *s)
        .collect();
    let mut flows: Vec<Flow> = found
        .flows
        .iter()
        .filter_map(|((l, s), path)| {
            let implicit = l & state::IMPLICIT != 0;
            let label = l & !state::IMPLICIT;
            // An implicit flow is only worth reporting when no personal data
            // reaches the sink itself: a sink that already leaks data
            // explicitly gains little from the bits branches tell.
            if implicit && explicit_sinks.contains(s) {
                return None;
            }
            let src = found.sources.get(label as usize)?;
            let sink = found.sinks.get(*s)?;
            Some(Flow {
                source: FlowSource {
                    api: src.api.clone(),
                    category: src.category,
                    location: loc(src.method, src.pc),
                },
                sink: FlowSink {
                    api: sink.api.clone(),
                    kind: sink.kind,
                    location: loc(sink.method, sink.pc),
                },
                path: path.iter().map(|m| prog.methods[*m].signature()).collect(),
                confidence: if implicit {
                    Confidence::Low
                } else if src.method == sink.method {
                    Confidence::High
                } else {
                    Confidence::Medium
                },
            })
        })
        .collect();
    flows.sort_by(|a, b| {
        (&a.source.location, &a.sink.location).cmp(&(&b.source.location, &b.sink.location))
    });
    let mut notes = prog.warnings.clone();
    notes.extend(found.notes);
    TaintResult {
        flows,
        coverage: TaintCoverage {
            complete: notes.is_empty(),
            methods_analyzed: found.analyzed,
            methods_skipped: found.skipped,
            notes,
        },
        millis: start.elapsed().as_secs_f64() * 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_filters_match_scheme_host_port_and_type() {
        let f = DataFilter {
            schemes: vec!["amandroid".into()],
            hosts: vec!["fgwei".into()],
            ports: vec!["4444".into()],
            ..DataFilter::default()
        };
        assert!(f.matches(Some("amandroid://fgwei:4444"), None));
        assert!(!f.matches(Some("amandroid://fgwei:4445"), None));
        assert!(!f.matches(Some("http://fgwei:4444"), None));
        assert!(!f.matches(None, None));
        assert!(!f.matches(Some("amandroid://fgwei:4444"), Some("text/plain")));
        let t = DataFilter {
            mime_types: vec!["test/*".into()],
            ..DataFilter::default()
        };
        assert!(t.matches(None, Some("test/type")));
        assert!(!t.matches(None, Some("text/type")));
        assert!(!t.matches(None, None));
        assert!(t.matches(Some("content://x/y"), Some("test/a")));
    }
}
