//! Errors of this crate.

use thiserror::Error;

/// The signatures could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TrackerError {
    /// A signature is not a valid regex (or the set is too large).
    #[error("tracker {id} `{name}`: bad signature: {message}")]
    BadSignature {
        /// Exodus id (0 when no single tracker is at fault).
        id: u32,
        /// Tracker name.
        name: String,
        /// The regex error.
        message: String,
    },
    /// The signatures could not be compiled (the knowledge base's message,
    /// which names the tracker at fault).
    #[error("{0}")]
    Signatures(String),
}
