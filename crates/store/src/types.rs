//! The records the store reads and writes.

use serde::{Deserialize, Serialize};

/// Identifier of an organization (tenant).
pub type OrgId = i64;

/// Current time as unix milliseconds; every timestamp in the store uses this unit.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// Which SQL database backs the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// What a token may do (see the HTTP contract).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything in its organization.
    Admin,
    /// Read everything, upload apps, validate policies.
    Analyst,
    /// Bound to one device: submit its inventory, read its compliance.
    Device,
}

impl Role {
    /// The lowercase name stored in the database and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Device => "device",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = crate::StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Role::Admin),
            "analyst" => Ok(Role::Analyst),
            "device" => Ok(Role::Device),
            other => Err(crate::StoreError::BadInput(format!(
                "unknown role {other:?}"
            ))),
        }
    }
}

/// Where an uploaded app is in its analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AppStatus {
    /// Stored, waiting for a worker.
    Queued,
    /// A worker is analysing it.
    Analysing,
    /// Analysed; summary and report are stored.
    Done,
    /// The analysis failed for good (see `error`).
    Failed,
}

impl AppStatus {
    /// The lowercase name stored in the database and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AppStatus::Queued => "queued",
            AppStatus::Analysing => "analysing",
            AppStatus::Done => "done",
            AppStatus::Failed => "failed",
        }
    }
}

impl std::str::FromStr for AppStatus {
    type Err = crate::StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "queued" => Ok(AppStatus::Queued),
            "analysing" => Ok(AppStatus::Analysing),
            "done" => Ok(AppStatus::Done),
            "failed" => Ok(AppStatus::Failed),
            other => Err(crate::StoreError::Corrupt(format!(
                "unknown app status {other:?}"
            ))),
        }
    }
}

/// An organization (tenant).
#[derive(Clone, Debug, Serialize)]
pub struct Org {
    /// Identifier.
    pub id: OrgId,
    /// Unique name.
    pub name: String,
    /// Creation time (unix ms).
    pub created_at: i64,
    /// Where compliance-change events are POSTed, if set.
    pub webhook_url: Option<String>,
    /// HMAC key of webhook signatures; never serialized.
    #[serde(skip)]
    pub webhook_secret: Option<String>,
}

/// An API token (the secret itself is never stored, only its SHA-256).
#[derive(Clone, Debug, Serialize)]
pub struct Token {
    /// Identifier.
    pub id: i64,
    /// Organization it belongs to.
    pub org_id: OrgId,
    /// What it may do.
    pub role: Role,
    /// The device a `device` token is bound to.
    pub device_id: Option<String>,
    /// Free text shown in lists and recorded as policy author.
    pub label: String,
    /// Creation time (unix ms).
    pub created_at: i64,
    /// Revoked tokens no longer authenticate.
    pub revoked: bool,
}

/// An app known to the server (global: keyed by SHA-256, no org data).
#[derive(Clone, Debug)]
pub struct AppRecord {
    /// SHA-256 of the app bytes, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// File name given at the first upload.
    pub filename: Option<String>,
    /// Analysis state.
    pub status: AppStatus,
    /// Why the analysis failed.
    pub error: Option<String>,
    /// Package name, once analysed.
    pub package: Option<String>,
    /// Version code, once analysed.
    pub version_code: Option<i64>,
    /// SHA-256 of the signing certificates, once analysed.
    pub signers: Vec<String>,
    /// Small summary (the dashboard's list row), once analysed.
    pub summary: Option<serde_json::Value>,
    /// Full report; `None` in list queries and while pending.
    pub report: Option<serde_json::Value>,
    /// First upload time (unix ms).
    pub uploaded_at: i64,
    /// Time the analysis finished (unix ms).
    pub analysed_at: Option<i64>,
    /// How many times a worker started analysing it.
    pub attempts: i64,
}

/// What the worker stores when an analysis succeeds. `summary` is small (the dashboard's list row).
#[derive(Clone, Debug)]
pub struct Analysed {
    /// Package name.
    pub package: Option<String>,
    /// Version code.
    pub version_code: Option<i64>,
    /// SHA-256 of the signing certificates.
    pub signers: Vec<String>,
    /// The dashboard's list row.
    pub summary: serde_json::Value,
    /// The full report.
    pub report: serde_json::Value,
}

/// One version of an organization's policy.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyRecord {
    /// Organization.
    pub org_id: OrgId,
    /// 1, 2, … per organization.
    pub version: i64,
    /// Built-in pack name, when the policy is a pack.
    pub pack: Option<String>,
    /// Rego source, when the policy is custom.
    pub rego: Option<String>,
    /// Data document given to the policy.
    pub data: serde_json::Value,
    /// Creation time (unix ms).
    pub created_at: i64,
    /// Label of the token that set it.
    pub created_by: String,
}

/// The policy decision for one app in one organization.
#[derive(Clone, Debug, Serialize)]
pub struct VerdictRecord {
    /// Organization.
    pub org_id: OrgId,
    /// App.
    pub sha256: String,
    /// Policy version that decided.
    pub policy_version: i64,
    /// `allow`, `warn` or `block`.
    pub decision: String,
    /// Matches and messages (JSON).
    pub detail: serde_json::Value,
    /// Whether the app is suspected to be a counterfeit.
    pub counterfeit: bool,
    /// Evaluation time (unix ms).
    pub evaluated_at: i64,
}

/// One installed app reported by a device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryItem {
    /// Package name.
    pub package: String,
    /// Version code.
    pub version_code: i64,
    /// SHA-256 of the APK, when the MDM knows it.
    #[serde(default)]
    pub sha256: Option<String>,
    /// SHA-256 of the signing certificate, when the MDM knows it.
    #[serde(default)]
    pub signer_sha256: Option<String>,
}

/// A device's last inventory and the answer it got.
#[derive(Clone, Debug, Serialize)]
pub struct DeviceRecord {
    /// Organization.
    pub org_id: OrgId,
    /// Device identifier chosen by the MDM.
    pub device_id: String,
    /// `compliant`, `warn`, `non_compliant` or `pending`.
    pub compliance: String,
    /// Last submission time (unix ms).
    pub last_seen: i64,
    /// Last inventory.
    pub inventory: Vec<InventoryItem>,
    /// Last answer sent to the device (JSON).
    pub answer: serde_json::Value,
}

/// State of one webhook delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for its (next) attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Given up.
    Failed,
}

impl DeliveryStatus {
    /// The lowercase name stored in the database and used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}

impl std::str::FromStr for DeliveryStatus {
    type Err = crate::StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(DeliveryStatus::Pending),
            "delivered" => Ok(DeliveryStatus::Delivered),
            "failed" => Ok(DeliveryStatus::Failed),
            other => Err(crate::StoreError::Corrupt(format!(
                "unknown delivery status {other:?}"
            ))),
        }
    }
}

/// One queued webhook event (outbox row).
#[derive(Clone, Debug, Serialize)]
pub struct WebhookDelivery {
    /// Identifier (sent as `X-Leakscope-Delivery`).
    pub id: i64,
    /// Organization whose webhook receives it.
    pub org_id: OrgId,
    /// Event name, e.g. `device.compliance_changed`.
    pub event: String,
    /// Body to POST.
    pub payload: serde_json::Value,
    /// Delivery state.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i64,
    /// When the next attempt is due (unix ms).
    pub next_attempt_at: i64,
    /// Error of the last failed attempt.
    pub last_error: Option<String>,
}
