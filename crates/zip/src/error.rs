//! The error type of this crate.

use thiserror::Error;

/// Why an archive could not be opened, or an entry could not be read.
///
/// Opening fails only when no usable central directory exists; everything
/// else is a [`crate::ZipWarning`]. Entry reads fail per entry.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZipError {
    /// The input is shorter than the smallest possible archive (22 bytes).
    #[error("input is {len} bytes, too short to be a ZIP archive")]
    TooShort {
        /// Input length.
        len: usize,
    },
    /// No end-of-central-directory signature in the searched tail.
    #[error("no end-of-central-directory record found in the last {searched} bytes")]
    NoEndOfCentralDirectory {
        /// Number of bytes searched back from the end.
        searched: usize,
    },
    /// End-of-central-directory records exist, but none leads to a central
    /// directory.
    #[error("no usable central directory (last EOCD at {eocd_offset:#x}: {reason})")]
    NoCentralDirectory {
        /// Offset of the EOCD record nearest the end of the file.
        eocd_offset: u64,
        /// Why its central directory was rejected.
        reason: &'static str,
    },
    /// The entry's local header is missing, broken, or names another file,
    /// so its data cannot be located (Android refuses it as well).
    #[error("entry {name:?}: local header unusable ({reason})")]
    LocalHeader {
        /// Entry name (lossy UTF-8).
        name: String,
        /// What is wrong with the local header.
        reason: &'static str,
    },
    /// The entry's data runs past the end of the input.
    #[error("entry {name:?}: data truncated ({needed} bytes at {offset:#x}, input is {len} bytes)")]
    Truncated {
        /// Entry name (lossy UTF-8).
        name: String,
        /// Data offset.
        offset: u64,
        /// Bytes needed.
        needed: u64,
        /// Input length.
        len: usize,
    },
    /// The entry would inflate beyond [`crate::Limits::max_entry_size`].
    #[error("entry {name:?}: inflated size {size} exceeds the limit of {limit} bytes")]
    EntryTooLarge {
        /// Entry name (lossy UTF-8).
        name: String,
        /// Declared (or reached) size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading the entry would exceed [`crate::Limits::max_total_inflated`].
    #[error("entry {name:?}: total inflated bytes for this archive would exceed {limit}")]
    TotalLimit {
        /// Entry name (lossy UTF-8).
        name: String,
        /// The limit.
        limit: u64,
    },
    /// The entry's compression ratio marks it as a zip bomb.
    #[error("entry {name:?}: compression ratio {ratio}:1 exceeds {limit}:1 (zip bomb)")]
    CompressionRatio {
        /// Entry name (lossy UTF-8).
        name: String,
        /// Observed or declared ratio.
        ratio: u64,
        /// The limit.
        limit: u64,
    },
    /// The entry shares its data with other entries whose total declared
    /// output exceeds the limits (overlapping-entry zip bomb).
    #[error(
        "entry {name:?}: refused, its data overlaps other entries and together they exceed the inflate limits"
    )]
    OverlapBomb {
        /// Entry name (lossy UTF-8).
        name: String,
    },
    /// The deflate stream produced more bytes than the central directory
    /// declares.
    #[error("entry {name:?}: inflates to more than the declared {declared} bytes")]
    ExceedsDeclaredSize {
        /// Entry name (lossy UTF-8).
        name: String,
        /// Declared uncompressed size.
        declared: u64,
    },
    /// The deflate stream is corrupt or ends early.
    #[error("entry {name:?}: deflate stream corrupt: {message}")]
    Inflate {
        /// Entry name (lossy UTF-8).
        name: String,
        /// Decoder message.
        message: String,
    },
}
