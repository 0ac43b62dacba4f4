//! The error type of this crate.

use thiserror::Error;

/// Why a signing structure could not be parsed at all.
///
/// Anomalies that still let parsing go on are reported as
/// [`SigningWarning`](crate::SigningWarning)s instead.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// A little-endian read ran past the end of its buffer.
    #[error(transparent)]
    Bytes(#[from] leakscope_bytes::Error),
    /// The central directory offset given by the caller lies past the end of the file.
    #[error("central directory offset {offset} is past the end of the file ({len} bytes)")]
    CentralDirectoryOutOfRange {
        /// Offset given by the caller.
        offset: u64,
        /// File length.
        len: u64,
    },
    /// The APK Signing Block's size field is impossible (too small, not
    /// covering the magic, or larger than the bytes before the central directory).
    #[error("APK Signing Block size {size} is invalid (footer at offset {footer_offset})")]
    BlockSize {
        /// Size read from the footer.
        size: u64,
        /// Offset of the footer size field.
        footer_offset: u64,
    },
    /// The two copies of the APK Signing Block size (header and footer) differ.
    #[error("APK Signing Block size fields disagree: header {header}, footer {footer}")]
    BlockSizeMismatch {
        /// Size in the first 8 bytes of the block.
        header: u64,
        /// Size just before the magic.
        footer: u64,
    },
    /// A DER/BER structure is malformed.
    #[error("malformed DER at offset {offset}: {what}")]
    Der {
        /// Offset inside the DER buffer being read.
        offset: usize,
        /// What was wrong.
        what: &'static str,
    },
    /// The DER is well formed but is not a PKCS#7 `SignedData` as JAR signing uses it.
    #[error("not a PKCS#7 SignedData: {0}")]
    NotSignedData(&'static str),
    /// A length-prefixed field of a v2/v3 block runs past its parent or is malformed.
    #[error("malformed {what} at offset {offset}")]
    LengthPrefixed {
        /// Offset inside the block value.
        offset: usize,
        /// Which field.
        what: &'static str,
    },
}
