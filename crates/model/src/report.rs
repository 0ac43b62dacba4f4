//! The analysis report of one app: what `leakscope analyze --format json`
//! prints, and what `schema/report.schema.json` describes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Assessment, Category, Evidence, Flow, PolicyDecision, SinkKind, TaintCoverage};

/// Version of the report format. Bump the minor version for additions, the
/// major version for changes that break readers.
pub const SCHEMA_VERSION: &str = "1.1";

/// Everything leakscope found in one app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Version of this format (`SCHEMA_VERSION`).
    pub schema_version: String,
    /// The tool and knowledge base that made the report.
    pub tool: Tool,
    /// The app.
    pub app: AppInfo,
    /// Per data category: requested, accessed, and the evidence. Every
    /// category is present.
    pub categories: BTreeMap<Category, CategoryFindings>,
    /// Requested permissions.
    pub permissions: Vec<PermissionFinding>,
    /// Tracker SDKs found in the code or among the endpoints.
    pub trackers: Vec<TrackerFinding>,
    /// Hosts and IP addresses the app may connect to.
    pub endpoints: Vec<EndpointFinding>,
    /// Code the app carries outside its main DEX files (loaded at run time).
    pub dynamic_code: Vec<DynamicCodeFinding>,
    /// Data flows from sources to sinks proven by the taint analysis.
    #[serde(default)]
    pub flows: Vec<Flow>,
    /// How much of the app the taint analysis covered; `None` when it did
    /// not run.
    #[serde(default)]
    pub taint: Option<TaintCoverage>,
    /// The leakware assessment; `None` when not computed.
    #[serde(default)]
    pub assessment: Option<Assessment>,
    /// The organization's policy decision, when a policy was given.
    #[serde(default)]
    pub policy: Option<PolicyDecision>,
    /// What was odd or skipped; a report with warnings may be partial.
    pub warnings: Vec<Warning>,
    /// Time spent per stage, in milliseconds.
    pub timings: BTreeMap<String, f64>,
}

/// The tool that made a report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tool {
    /// `leakscope`.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Version of the knowledge base used (data files).
    pub kb_version: String,
}

/// Identity of the analysed app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AppInfo {
    /// `android` (or `ios`).
    pub platform: String,
    /// What the input was: `apk`, `bundle`, `dex`, `dex_archive`, `directory`.
    pub input_kind: String,
    /// The path analysed.
    pub path: String,
    /// Package name (bundle id on iOS).
    pub package: Option<String>,
    /// Version name.
    pub version_name: Option<String>,
    /// Version code.
    pub version_code: Option<i64>,
    /// The label shown to users.
    pub label: Option<String>,
    /// Minimum SDK.
    pub min_sdk: Option<i64>,
    /// Target SDK.
    pub target_sdk: Option<i64>,
    /// SHA-256 of the input file, lowercase hex.
    pub sha256: String,
    /// Size of the input in bytes.
    pub size: u64,
    /// Signer certificates.
    pub signers: Vec<SignerInfo>,
}

/// One signer certificate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SignerInfo {
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: String,
    /// Subject, RFC 4514-like (`C=US, O=Android, CN=Android Debug`).
    pub subject: String,
    /// Issuer, same format.
    pub issuer: String,
    /// Signature schemes that carry it: `v1`, `v2`, `v3`, `v3.1`.
    pub schemes: Vec<String>,
}

/// What the app does with one data category.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryFindings {
    /// A permission that gives access to this category is requested.
    pub requested: bool,
    /// Code calls an API, reads a field, or uses a content URI, intent action
    /// or system service that gives access to this category.
    pub accessed: bool,
    /// The requested permissions of this category.
    pub permissions: Vec<String>,
    /// Requested permissions of this category that no code of the app uses
    /// (no API that needs them is called).
    pub unused_permissions: Vec<String>,
    /// Every access, with its location in the code.
    pub evidence: Vec<Evidence>,
    /// SDKs (trackers or libraries) whose code accesses this category.
    pub sdks: Vec<String>,
    /// Whether first-party code (the app's own packages) accesses it.
    pub first_party: bool,
    /// Manifest components (activities, services, receivers, providers)
    /// whose classes hold an access.
    pub components: Vec<String>,
    /// Data of this category reaches a network, SMS or IPC sink (a flow
    /// of medium or high confidence), or is read by a tracker SDK with
    /// network access.
    #[serde(default)]
    pub transmitted: bool,
    /// The sink kinds its flows reach.
    #[serde(default)]
    pub sinks: Vec<SinkKind>,
}

/// A requested permission.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PermissionFinding {
    /// Full name, e.g. `android.permission.READ_CONTACTS`.
    pub name: String,
    /// AOSP protection level (`dangerous`, `normal`, `signature|privileged`,
    /// ...), when the permission is a platform one.
    pub protection_level: Option<String>,
    /// The data category it gives access to, if any.
    pub category: Option<Category>,
    /// Requested through `uses-permission-sdk-23`.
    pub sdk23: bool,
    /// `maxSdkVersion` of the request.
    pub max_sdk: Option<i64>,
    /// `true` when code uses an API that needs it; `false` when it is
    /// requested but no such API is called; `None` when leakscope does not
    /// know which APIs need it.
    pub used: Option<bool>,
}

/// A tracker SDK found in the app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TrackerFinding {
    /// Identifier in the tracker database (Exodus id).
    pub id: String,
    /// Name, e.g. `Google Firebase Analytics`.
    pub name: String,
    /// Company that owns it, when known.
    pub owner: Option<String>,
    /// Owner's country (ISO 3166 alpha-2), when known.
    pub owner_country: Option<String>,
    /// Its website.
    pub website: Option<String>,
    /// Exodus categories (`Analytics`, `Advertisement`, ...).
    pub categories: Vec<String>,
    /// Class names that matched its code signature (a sample, sorted).
    pub code_matches: Vec<String>,
    /// How many classes matched its code signature.
    pub code_match_count: usize,
    /// Endpoints that matched its network signature.
    pub network_matches: Vec<String>,
    /// `code`, `network` or both.
    pub detected_by: Vec<String>,
}

/// A host or IP address the app may connect to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EndpointFinding {
    /// Host name or IP literal.
    pub host: String,
    /// Registrable domain (Public Suffix List), for host names.
    pub registrable_domain: Option<String>,
    /// Example URLs seen for this host.
    pub urls: Vec<String>,
    /// Schemes seen (`https`, `http`, `wss`, ...).
    pub schemes: Vec<String>,
    /// Some URL for it uses a cleartext scheme (`http`, `ws`, `ftp`).
    pub cleartext: bool,
    /// It is an IP literal.
    pub is_ip: bool,
    /// Company that owns the domain, when known.
    pub owner: Option<String>,
    /// Owner's country (ISO 3166 alpha-2), when known.
    pub owner_country: Option<String>,
    /// Country of the IP address (literal, or resolved with `--resolve`),
    /// from `--geoip`.
    pub ip_country: Option<String>,
    /// Tracker whose network signature matches it.
    pub tracker: Option<String>,
    /// Where it was found.
    pub locations: Vec<Location>,
}

/// Code that the app can load at run time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DynamicCodeFinding {
    /// The file that holds it (`assets/payload.dex`).
    pub container: String,
    /// `dex`, `jar` or `apk`.
    pub kind: String,
    /// Number of DEX images in it.
    pub dex_count: usize,
}

/// Where something was found.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Location {
    /// An instruction in the code.
    Code(CodeLocation),
    /// A file of the app (resource, asset, native library, manifest).
    File {
        /// Path inside the app (`assets/config.json`,
        /// `lib/arm64-v8a/libfoo.so`).
        path: String,
    },
}

/// An instruction: DEX file, class, method and bytecode offset.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct CodeLocation {
    /// The DEX file (`classes2.dex`, `split.apk!classes.dex`).
    pub dex: String,
    /// Class descriptor (`Lcom/example/Foo;`).
    pub class: String,
    /// Method name and prototype (`onCreate(Landroid/os/Bundle;)V`).
    pub method: String,
    /// Offset of the instruction in the method's code, in 16-bit units
    /// (as dexdump prints it).
    pub offset: u32,
}

/// Something odd or skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Warning {
    /// Where: a file inside the app, or the app.
    pub source: String,
    /// What happened.
    pub message: String,
}
