//! Warnings: everything leakscope skipped or found odd while reading an app.

use std::fmt;

/// One anomaly or skipped part, with the place in the app it concerns.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Where: a file inside the app (`base.apk!classes2.dex`), or the app.
    pub source: String,
    /// What happened, as a sentence.
    pub message: String,
}

impl Warning {
    /// A warning about `source`.
    pub fn new(source: impl Into<String>, message: impl fmt::Display) -> Warning {
        Warning {
            source: source.into(),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source, self.message)
    }
}
