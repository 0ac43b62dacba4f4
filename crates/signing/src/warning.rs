//! Anomalies found while collecting signatures.

use std::fmt;

use serde::Serialize;

use crate::Scheme;

/// An anomaly that did not stop parsing.
///
/// Clean APKs produce none; each one is a signal worth showing next to the
/// signers (stripped or tampered signatures, repackaging tools, fuzzing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SigningWarning {
    /// The APK Signing Block could not be parsed (its schemes are ignored).
    SigningBlock {
        /// The parse error.
        error: String,
    },
    /// An ID-value pair of the APK Signing Block is malformed; the pairs after it are ignored.
    MalformedPair {
        /// File offset of the pair.
        offset: u64,
        /// What was wrong.
        reason: String,
    },
    /// The same block ID appears more than once (only the first is used, as Android does).
    DuplicateBlockId {
        /// The repeated ID.
        id: u32,
    },
    /// A v2/v3/v3.1 block (or one of its signers) is malformed.
    MalformedSchemeBlock {
        /// Scheme of the block.
        scheme: Scheme,
        /// Index of the signer, when the problem is inside one signer.
        signer: Option<usize>,
        /// The parse error.
        error: String,
    },
    /// Bytes left over after a structure that should fill its container.
    TrailingData {
        /// Which structure.
        context: String,
        /// How many bytes were left.
        bytes: u64,
    },
    /// A scheme signer lists no certificate.
    NoCertificate {
        /// Scheme of the signer.
        scheme: Scheme,
        /// Index of the signer in its block.
        signer: usize,
    },
    /// A scheme signer's public key is not the one of its first certificate.
    PublicKeyMismatch {
        /// Scheme of the signer.
        scheme: Scheme,
        /// Index of the signer in its block.
        signer: usize,
    },
    /// A certificate could not be parsed as X.509 (its SHA-256 is still reported).
    UnparsedCertificate {
        /// SHA-256 of the DER bytes.
        sha256: String,
        /// The parser's message.
        reason: String,
    },
    /// A v1 signature file (`META-INF/*.RSA|DSA|EC`) could not be parsed.
    MalformedV1File {
        /// Entry name.
        name: String,
        /// The parse error.
        error: String,
    },
    /// More `META-INF/` signature files than any real APK has; only the first ones were read.
    TooManyV1Files {
        /// How many `.RSA|DSA|EC|SF` files were passed.
        count: u64,
        /// How many were read.
        read: u64,
    },
    /// No certificate of a PKCS#7 matches its SignerInfo; the first certificate is used.
    V1SignerCertificateNotFound {
        /// Entry name (or `"<pkcs7>"` when called without a name).
        name: String,
    },
    /// v1 and v2 name different signer certificates.
    V1V2SignersDiffer {
        /// SHA-256 of the v1 signer certificates.
        v1: Vec<String>,
        /// SHA-256 of the v2 signer certificates.
        v2: Vec<String>,
    },
    /// A `.SF` file's `X-Android-APK-Signed` header names a scheme whose
    /// block is missing: a sign that the newer signature was stripped.
    StrippedScheme {
        /// The `.SF` entry name.
        sf: String,
        /// The scheme the header claims.
        scheme: Scheme,
    },
    /// The v2 signer carries the stripping-protection attribute for v3 but
    /// the v3 block is missing.
    StrippedV3 {
        /// Index of the v2 signer.
        signer: usize,
    },
    /// A v2 block is present but the `.SF` file does not declare it in
    /// `X-Android-APK-Signed` (the APK was v2-signed before or without the
    /// usual tools, or the header was edited).
    V2NotDeclaredInSf {
        /// The `.SF` entry name.
        sf: String,
    },
}

impl fmt::Display for SigningWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SigningBlock { error } => write!(f, "APK Signing Block ignored: {error}"),
            Self::MalformedPair { offset, reason } => {
                write!(
                    f,
                    "malformed APK Signing Block pair at {offset:#x}: {reason}"
                )
            }
            Self::DuplicateBlockId { id } => write!(f, "duplicate APK Signing Block id {id:#010x}"),
            Self::MalformedSchemeBlock {
                scheme,
                signer: Some(i),
                error,
            } => {
                write!(f, "{scheme} signer #{i} malformed: {error}")
            }
            Self::MalformedSchemeBlock {
                scheme,
                signer: None,
                error,
            } => {
                write!(f, "{scheme} block malformed: {error}")
            }
            Self::TrailingData { context, bytes } => {
                write!(f, "{bytes} trailing bytes after {context}")
            }
            Self::NoCertificate { scheme, signer } => {
                write!(f, "{scheme} signer #{signer} has no certificate")
            }
            Self::PublicKeyMismatch { scheme, signer } => {
                write!(
                    f,
                    "{scheme} signer #{signer}: public key differs from its certificate's"
                )
            }
            Self::UnparsedCertificate { sha256, reason } => {
                write!(f, "certificate {sha256} could not be parsed: {reason}")
            }
            Self::MalformedV1File { name, error } => {
                write!(f, "v1 signature {name} malformed: {error}")
            }
            Self::TooManyV1Files { count, read } => {
                write!(
                    f,
                    "{count} v1 signature files; only the first {read} were read"
                )
            }
            Self::V1SignerCertificateNotFound { name } => {
                write!(
                    f,
                    "{name}: no certificate matches the SignerInfo; using the first one"
                )
            }
            Self::V1V2SignersDiffer { v1, v2 } => {
                write!(
                    f,
                    "v1 signers [{}] differ from v2 signers [{}]",
                    v1.join(", "),
                    v2.join(", ")
                )
            }
            Self::StrippedScheme { sf, scheme } => {
                write!(
                    f,
                    "{sf} declares X-Android-APK-Signed {scheme} but no {scheme} block is present"
                )
            }
            Self::StrippedV3 { signer } => {
                write!(
                    f,
                    "v2 signer #{signer} declares a v3 signature but no v3 block is present"
                )
            }
            Self::V2NotDeclaredInSf { sf } => {
                write!(f, "v2 block present but {sf} lacks X-Android-APK-Signed: 2")
            }
        }
    }
}
