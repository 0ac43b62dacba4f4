//! Evidence: a fact with a location, attributed to first-party code or to
//! an SDK.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Category, CodeLocation};

/// One access to personal data found in the code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// How the data is reached.
    pub kind: EvidenceKind,
    /// The API: `Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;`
    /// for a call, `Landroid/os/Build;->SERIAL` for a field, the URI, action
    /// or service name otherwise.
    pub api: String,
    /// The data category.
    pub category: Category,
    /// Where in the code.
    pub location: CodeLocation,
    /// Whose code it is.
    pub attribution: Attribution,
}

/// How code reaches personal data.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A method call (`invoke-*`).
    Call,
    /// A static field read (`sget*`).
    Field,
    /// A content URI string (`const-string content://...`).
    ContentUri,
    /// An intent action string.
    IntentAction,
    /// A system service name passed to `getSystemService`.
    SystemService,
}

/// Whose code holds a piece of evidence.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attribution {
    /// The app's own code (its package, or the packages of its components).
    FirstParty,
    /// A known SDK: a tracker from the tracker database, or a library known
    /// by its package prefix.
    Sdk {
        /// The SDK's name.
        name: String,
    },
    /// Code of another package that matches no known SDK.
    UnknownThirdParty {
        /// Its package (`com.example.lib`).
        package: String,
    },
}

impl Attribution {
    /// A short label: `first party`, the SDK name, or `unknown third party
    /// (package)`.
    pub fn label(&self) -> String {
        match self {
            Attribution::FirstParty => "first party".into(),
            Attribution::Sdk { name } => name.clone(),
            Attribution::UnknownThirdParty { package } => {
                format!("unknown third party ({package})")
            }
        }
    }
}
