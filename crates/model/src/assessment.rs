//! The assessment: per category, whether data is accessed, transmitted,
//! declared and needed; the leakware verdict with its reasons; and the
//! organization's policy decision.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Category, SinkKind};

/// The leakware assessment of one app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// The verdict.
    pub verdict: Verdict,
    /// 0 (nothing found) to 100 (certain leakware). `docs/scoring.md` says
    /// how it is computed.
    pub score: u8,
    /// The kind of app, against which `necessary` is judged.
    pub app_kind: AppKind,
    /// Where the declarations came from (`--declared FILE`, the privacy
    /// manifest), if any.
    pub declarations: Option<String>,
    /// The reasons behind the verdict, heaviest first.
    pub reasons: Vec<Reason>,
    /// Per data category that the app accesses or transmits.
    pub categories: BTreeMap<Category, CategoryAssessment>,
}

/// The leakware verdict.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No personal data found leaving the app without need.
    #[default]
    NoLeakFound,
    /// Something deserves a person's look.
    NeedsReview,
    /// The app collects personal data it does not need and sends it out.
    Leakware,
}

/// What kind of app this is, and how leakscope knows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppKind {
    /// Kind id from the expectations table (`flashlight`, `messenger`, ...,
    /// or `unknown`).
    pub kind: String,
    /// `given` (`--app-kind`), `inferred`, or `unknown`.
    pub source: String,
    /// What the inference rests on.
    pub reason: Option<String>,
}

/// What the app does with one category, and what it should.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryAssessment {
    /// Code reads it.
    pub accessed: bool,
    /// It reaches the network, SMS or another app (a flow), or it is read by
    /// a tracker SDK that has network access.
    pub transmitted: bool,
    /// The sink kinds it reaches.
    pub sinks: Vec<SinkKind>,
    /// Tracker SDKs (ids) that read it.
    pub trackers: Vec<String>,
    /// Where it may go.
    pub destinations: Vec<Destination>,
    /// The publisher declares collecting it: `None` when unknown (no
    /// declarations given).
    pub declared: Option<bool>,
    /// The app's kind needs it: `None` when the kind is unknown.
    pub necessary: Option<bool>,
}

/// A place data may be sent to.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct Destination {
    /// Host name or IP literal.
    pub host: String,
    /// Owning company, when known.
    pub owner: Option<String>,
    /// Owner's country (ISO 3166 alpha-2).
    pub owner_country: Option<String>,
    /// Country of the IP address, when known.
    pub ip_country: Option<String>,
    /// The tracker whose network signature matches the host.
    pub tracker: Option<String>,
}

/// One reason behind a verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reason {
    /// Stable rule code (`LS101`), documented in `docs/rules.md`.
    pub code: String,
    /// The category it concerns, if one.
    pub category: Option<Category>,
    /// What was found, in a sentence.
    pub message: String,
    /// Points it adds to the score.
    pub weight: u8,
    /// Pointers to the evidence: `flows[3]`, `categories.contacts.evidence[0]`,
    /// `trackers[firebase]`.
    pub evidence: Vec<String>,
}

/// An organization's policy decision on an app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyDecision {
    /// The policy: pack name or file.
    pub policy: String,
    /// `allow`, `warn` or `block`.
    pub decision: Decision,
    /// The rules that matched.
    pub matched: Vec<RuleMatch>,
    /// Matches accepted by the suppressions file.
    pub suppressed: Vec<RuleMatch>,
}

/// Allow, warn or block.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Nothing matched.
    #[default]
    Allow,
    /// A warning rule matched.
    Warn,
    /// A blocking rule matched.
    Block,
}

/// A policy rule that matched.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub struct RuleMatch {
    /// Rule id (`baseline.contacts_transmitted`).
    pub rule: String,
    /// `warn` or `block`.
    pub level: Decision,
    /// The rule's message.
    pub message: String,
    /// The category it concerns, if one.
    pub category: Option<Category>,
    /// The SDK or tracker it concerns, if one.
    pub sdk: Option<String>,
    /// Why it was suppressed (suppressed matches only).
    pub suppression_reason: Option<String>,
}
