//! APK signer extraction: v1 (JAR signing), APK Signature Scheme v2, v3 and
//! v3.1, and the other blocks of the APK Signing Block.
//!
//! The main entry point is [`collect_signers`], which merges the signers of
//! every scheme by certificate into one [`Signer`] list. The pieces are
//! usable on their own: [`signing_block`] locates and splits the APK Signing
//! Block, [`v1_signers`] reads a `META-INF/*.RSA|DSA|EC` PKCS#7 file.
//!
//! The crate is independent of any ZIP reader: callers pass the central
//! directory offset and the bytes of the `META-INF/` signature files.
//!
//! ```no_run
//! # fn demo(apk: &[u8], cd_offset: u64, cert_rsa: &[u8], cert_sf: &[u8]) {
//! let sigs = leakscope_signing::collect_signers(
//!     apk,
//!     Some(cd_offset),
//!     &[("META-INF/CERT.RSA", cert_rsa), ("META-INF/CERT.SF", cert_sf)],
//! );
//! for s in &sigs.signers {
//!     println!("{} {} {:?}", s.sha256, s.subject, s.schemes);
//! }
//! for w in &sigs.warnings {
//!     println!("warning: {w}");
//! }
//! # }
//! ```
//!
//! # No cryptographic verification
//!
//! Nothing here verifies a signature or a digest: the crate reports which
//! certificates are *present* in which scheme, the way an investigator needs
//! them to match an app against its genuine publisher. A present v2 block
//! may not verify; `apksigner verify` answers that question. Structural
//! inconsistencies (stripped schemes, v1/v2 signer mismatch, malformed or
//! duplicate blocks, trailing bytes) are reported as [`SigningWarning`]s.
//!
//! # Certificate identity
//!
//! [`Signer::sha256`] is the lowercase hex SHA-256 of the DER certificate
//! bytes exactly as stored, the digest `apksigner verify --print-certs`
//! prints as `Signer #1 certificate SHA-256 digest`.
//!
//! # Name format
//!
//! `subject` and `issuer` are RFC 4514-like strings **in encoding order**
//! (the order of the RDNs in the certificate, as OpenSSL prints them, not
//! reversed as RFC 4514 and Java do): `C=US, O=Android, CN=Android Debug`.
//! RDNs are separated by `", "`, the attributes of a multi-valued RDN by
//! `"+"`. Attribute types use the short names `CN C L ST STREET O OU T SN GN
//! INITIALS GENERATION DNQ SERIALNUMBER POSTALCODE DC UID EMAILADDRESS`, and
//! the dotted OID otherwise. String values are decoded (UTF8String,
//! PrintableString, IA5String, TeletexString as Latin-1, BMPString,
//! UniversalString) and escaped as in RFC 4514 (`\,` `\+` `\"` `\\` `\<`
//! `\>` `\;`, a leading `#` or space, a trailing space); other value types
//! are written `#` + hex of their DER encoding.

#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod block;
mod cert;
mod collect;
mod der;
mod error;
mod lineage;
mod pkcs7;
mod scheme;
mod v1;
mod warning;

use std::fmt;

use serde::Serialize;

pub use block::{BlockKind, BlockPair, MAGIC, SigningBlock, ids, signing_block};
pub use cert::Certificate;
pub use collect::collect_signers;
pub use error::SigningError;
pub use pkcs7::v1_signers;
pub use warning::SigningWarning;

/// A signature scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Scheme {
    /// JAR signing (`META-INF/*.SF` + PKCS#7 `*.RSA|DSA|EC`).
    #[serde(rename = "v1")]
    V1,
    /// APK Signature Scheme v2.
    #[serde(rename = "v2")]
    V2,
    /// APK Signature Scheme v3.
    #[serde(rename = "v3")]
    V3,
    /// APK Signature Scheme v3.1.
    #[serde(rename = "v3.1")]
    V31,
}

impl Scheme {
    /// `"v1"`, `"v2"`, `"v3"` or `"v3.1"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::V1 => "v1",
            Scheme::V2 => "v2",
            Scheme::V3 => "v3",
            Scheme::V31 => "v3.1",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything [`collect_signers`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Signatures {
    /// One entry per distinct signer certificate, in order of first
    /// appearance (v1 files in the order given, then v2, v3, v3.1).
    pub signers: Vec<Signer>,
    /// Every ID-value pair of the APK Signing Block, in file order.
    pub blocks: Vec<BlockInfo>,
    /// Anomalies.
    pub warnings: Vec<SigningWarning>,
}

impl Signatures {
    /// True when `scheme` contributed at least one signer.
    pub fn has_scheme(&self, scheme: Scheme) -> bool {
        self.signers.iter().any(|s| s.schemes.contains(&scheme))
    }
}

/// One signer certificate and where it was found.
///
/// The certificate fields are those of [`Certificate`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// Lowercase hex SHA-256 of the DER certificate (as `apksigner` prints it).
    pub sha256: String,
    /// Subject, see [Name format](crate#name-format).
    pub subject: String,
    /// Issuer, same format.
    pub issuer: String,
    /// Serial number, lowercase hex without leading zero octets.
    pub serial: String,
    /// Start of validity, RFC 3339 UTC.
    pub not_before: String,
    /// End of validity, RFC 3339 UTC.
    pub not_after: String,
    /// Public key algorithm (`RSA`, `EC`, `DSA`, ...).
    pub key_algorithm: String,
    /// Key size in bits, when known.
    pub key_size: Option<u32>,
    /// Why the certificate could not be parsed, if it could not.
    pub parse_error: Option<String>,
    /// Schemes in which this certificate signs, sorted.
    pub schemes: Vec<Scheme>,
    /// v1 signature block entries naming this certificate.
    pub v1_files: Vec<String>,
    /// v3/v3.1 SDK ranges this certificate signs for.
    pub sdk_ranges: Vec<SdkRange>,
    /// v3/v3.1 proof-of-rotation lineage declared by this signer, oldest
    /// first (the last node is normally this certificate).
    pub lineage: Vec<LineageCertificate>,
}

impl Signer {
    fn new(c: Certificate) -> Self {
        Signer {
            sha256: c.sha256,
            subject: c.subject,
            issuer: c.issuer,
            serial: c.serial,
            not_before: c.not_before,
            not_after: c.not_after,
            key_algorithm: c.key_algorithm,
            key_size: c.key_size,
            parse_error: c.parse_error,
            schemes: Vec::new(),
            v1_files: Vec::new(),
            sdk_ranges: Vec::new(),
            lineage: Vec::new(),
        }
    }
}

/// The SDK range of a v3/v3.1 signer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SdkRange {
    /// `v3` or `v3.1`.
    pub scheme: Scheme,
    /// Lowest API level.
    pub min_sdk: u32,
    /// Highest API level (`2147483647` for "no limit").
    pub max_sdk: u32,
}

/// One certificate of a proof-of-rotation lineage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineageCertificate {
    /// The certificate.
    pub certificate: Certificate,
    /// Capability flags (installed data, shared UID, permission, rollback, auth).
    pub flags: u32,
    /// Signature algorithm ID (as in v2/v3 blocks, e.g. `0x0103` RSA PKCS#1
    /// SHA-256) that this certificate's key uses to sign the next node of the
    /// lineage; 0 for the newest node.
    pub next_signature_algorithm: u32,
}

/// One ID-value pair of the APK Signing Block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockInfo {
    /// The ID.
    pub id: u32,
    /// What the ID denotes.
    pub kind: BlockKind,
    /// [`BlockKind::name`].
    pub name: &'static str,
    /// File offset of the value.
    pub offset: u64,
    /// Length of the value.
    pub len: u64,
    /// Walle/VasDolly channel payload, when it is short UTF-8 text.
    pub channel: Option<String>,
}
