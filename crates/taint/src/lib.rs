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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    /// `<activity>`.
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// Class descriptor, `Lcom/example/MainActivity;`.
    pub class: String,
    /// Kind.
    pub kind: ComponentKind,
    /// Intent-filter actions it answers.
    pub actions: Vec<String>,
    /// Other apps may start or bind it.
    pub exported: bool,
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
    /// String resources, for `getString(R.string.x)` constants.
    pub resource_strings: Option<ResourceStrings<'a>>,
}

/// Limits on the analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Wall time.
    pub time: Duration,
    /// Instruction transfers (a proxy for work and memory).
    pub max_steps: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            time: Duration::from_secs(60),
            max_steps: 200_000_000,
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
    let mut flows: Vec<Flow> = found
        .flows
        .iter()
        .filter_map(|((l, s), path)| {
            let src = found.sources.get(*l as usize)?;
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
                confidence: if src.method == sink.method {
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
