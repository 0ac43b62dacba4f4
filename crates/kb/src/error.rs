//! Load errors and warnings.

use std::fmt;

/// Why the knowledge base could not be loaded.
///
/// Every variant names the file (its path relative to the data directory,
/// followed by where it was read from) and, where it applies, the entry.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KbError {
    /// A file (or the override directory) could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file or directory.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file is larger than the loader accepts.
    #[error("{file}: {size} bytes is more than the {limit}-byte limit")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The TOML or JSON is malformed, or does not have the expected shape
    /// (including duplicate keys and unknown fields).
    #[error("{file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message, with its position.
        message: String,
    },
    /// The file's `schema_version` is not one this build reads.
    #[error("{file}: schema_version {found} is not supported (this build reads {supported})")]
    SchemaVersion {
        /// The file.
        file: String,
        /// The version found.
        found: i64,
        /// The version this build reads.
        supported: u32,
    },
    /// An entry is invalid: unknown category, malformed descriptor, bad
    /// regex, unknown permission, bad country code, ...
    #[error("{file}: {entry}: {reason}")]
    Invalid {
        /// The file.
        file: String,
        /// The entry, e.g. `[[method]] #3 getDeviceId`.
        entry: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Two entries have the same key.
    #[error("{file}: duplicate {what} `{key}`")]
    Duplicate {
        /// The file.
        file: String,
        /// What kind of key, e.g. `method`.
        what: &'static str,
        /// The key.
        key: String,
    },
}

impl KbError {
    pub(crate) fn invalid(file: &str, entry: impl fmt::Display, reason: impl fmt::Display) -> Self {
        KbError::Invalid {
            file: file.to_owned(),
            entry: entry.to_string(),
            reason: reason.to_string(),
        }
    }

    pub(crate) fn duplicate(file: &str, what: &'static str, key: impl fmt::Display) -> Self {
        KbError::Duplicate {
            file: file.to_owned(),
            what,
            key: key.to_string(),
        }
    }
}

/// An anomaly in the data that does not prevent loading.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KbWarning {
    /// A tracker has no code signature, so it can only be found by its
    /// network signature.
    EmptyCodeSignature {
        /// The file.
        file: String,
        /// The tracker id.
        tracker: u32,
        /// The tracker name.
        name: String,
    },
}

impl fmt::Display for KbWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KbWarning::EmptyCodeSignature {
                file,
                tracker,
                name,
            } => {
                write!(
                    f,
                    "{file}: tracker {tracker} ({name}) has no code signature"
                )
            }
        }
    }
}
