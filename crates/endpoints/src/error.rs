//! Error types.

use thiserror::Error;

/// A noise table that cannot be used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoiseTableError {
    /// The TOML does not parse or does not have the expected shape.
    #[error("noise table: {0}")]
    Syntax(String),
    /// Unsupported `version`.
    #[error("noise table: unsupported version {0} (expected 1)")]
    Version(u32),
    /// A rule names a reason that tables may not use.
    #[error("noise table: unknown or non-table reason {0:?}")]
    Reason(String),
}

/// The extractor could not be built.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExtractorError {
    /// The noise table is invalid.
    #[error(transparent)]
    Noise(#[from] NoiseTableError),
    /// A built-in pattern failed to compile (a bug in this crate).
    #[error("built-in pattern failed to compile: {0}")]
    Pattern(String),
}

/// A GeoIP database that cannot be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum GeoIpError {
    /// Reading the file failed.
    #[error("reading GeoIP database {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a valid MaxMind DB.
    #[error("invalid GeoIP database: {0}")]
    Invalid(#[source] maxminddb::MaxMindDbError),
    /// The database has no country data (neither `country.iso_code` nor
    /// `country_code`).
    #[error("GeoIP database of type {0:?} has no country data")]
    NoCountryData(String),
}
