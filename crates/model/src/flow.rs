//! Data flows: personal data proven to travel from a source API to a sink.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Category, CodeLocation};

/// Where sensitive data goes out of the app.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SinkKind {
    /// Network: HTTP clients, sockets, RPC libraries.
    Network,
    /// Text or data messages.
    Sms,
    /// Files.
    File,
    /// The system log.
    Log,
    /// Intents, broadcasts, services, content providers of other apps.
    Ipc,
    /// Content loaded into a WebView (URLs, JavaScript).
    Webview,
}

impl SinkKind {
    /// Every kind.
    pub const ALL: [SinkKind; 6] = [
        SinkKind::Network,
        SinkKind::Sms,
        SinkKind::File,
        SinkKind::Log,
        SinkKind::Ipc,
        SinkKind::Webview,
    ];

    /// The id used in data files and reports, e.g. `network`.
    pub fn id(self) -> &'static str {
        match self {
            SinkKind::Network => "network",
            SinkKind::Sms => "sms",
            SinkKind::File => "file",
            SinkKind::Log => "log",
            SinkKind::Ipc => "ipc",
            SinkKind::Webview => "webview",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<SinkKind> {
        SinkKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Data reaching this kind of sink leaves the device or the app's
    /// control: network, SMS and other apps (IPC). What `transmitted` means.
    pub fn transmits(self) -> bool {
        matches!(self, SinkKind::Network | SinkKind::Sms | SinkKind::Ipc)
    }
}

impl fmt::Display for SinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A proven data flow from a source to a sink.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Flow {
    /// Where the data comes from.
    pub source: FlowSource,
    /// Where it goes.
    pub sink: FlowSink,
    /// The methods the data passes through, from the source's method to the
    /// sink's, as `Lpkg/Class;->name(args)ret`.
    pub path: Vec<String>,
    /// How sure the analysis is.
    pub confidence: Confidence,
}

/// The source end of a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FlowSource {
    /// The source API (method, field, URI).
    pub api: String,
    /// Its data category, when the API is in leakscope's catalog.
    pub category: Option<Category>,
    /// The statement that reads the data.
    pub location: CodeLocation,
}

/// The sink end of a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FlowSink {
    /// The sink API.
    pub api: String,
    /// What kind of sink it is.
    pub kind: SinkKind,
    /// The statement that hands the data over.
    pub location: CodeLocation,
}

/// How sure the analysis is that a flow happens at run time.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Over-approximated: the flow passes through a model that may taint
    /// more than happens (a whole collection, an unresolved call), or it is
    /// implicit (a branch on the data decides what reaches the sink). Such
    /// flows do not make a category `transmitted`.
    Low,
    /// The usual case: a path through resolved code and library models.
    Medium,
    /// Direct: source and sink in the same method, data passed unchanged or
    /// through exact models.
    High,
}

/// How completely the data-flow analysis covered the app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaintCoverage {
    /// The analysis ran to the end within its budget.
    pub complete: bool,
    /// Methods with code that were analysed.
    pub methods_analyzed: usize,
    /// Methods with code that were not (budget hit, or skipped).
    pub methods_skipped: usize,
    /// Why the analysis is partial, and which part it did not cover.
    pub notes: Vec<String>,
}
