//! A tolerant, hostile-input-proof ZIP reader for APK, XAPK, APKS, APKM, IPA
//! and JAR files, faithful to Android's `libziparchive`.
//!
//! [`Archive::parse`] works on a borrowed byte slice (usually an mmap) and is
//! driven by the central directory, as Android is: sizes, method and CRC come
//! from the central directory; the data offset from the local header's own
//! name and extra lengths. Anomalies do not stop parsing: they become
//! [`ZipWarning`]s, each saying what Android would do with it
//! ([`ZipWarning::android_impact`]). Parsing fails ([`ZipError`]) only when
//! there is no usable central directory.
//!
//! [`Archive::read`] returns stored entries borrowed (zero-copy) and inflates
//! deflated ones with a hard output cap and the budgets of [`Limits`], so a
//! zip bomb costs bounded memory and time. It may be called from several
//! threads at once.
//!
//! Android behaviours mirrored. `tests/android.rs` checks every prediction
//! against Android's own `libziparchive` (the Android 10 library Debian
//! ships as `android-libziparchive`): the crafted hostile archives, the whole
//! corpus, and (ignored by default) 100 000 random mutations agree on
//! whether Android opens the archive and which entries it extracts.
//! - The EOCD record nearest the end of the file is used, and its comment
//!   must end exactly at the end of the file. When that record leads nowhere
//!   we fall back to earlier ones (Android rejects the archive: warned).
//! - Android reads exactly the number of records the EOCD declares; we walk
//!   every record present and report entries hidden from Android.
//! - A local header whose signature is broken or whose name differs from the
//!   central directory makes that entry unreadable, not the archive.
//! - A local header with another compression method ("BadPack") is ignored;
//!   other local/central disagreements (sizes, CRC) are warnings, and
//!   Android refuses those entries.
//! - Unknown compression methods are read as stored data of the uncompressed
//!   size: libziparchive's own extraction refuses them, but the framework's
//!   asset loader maps anything that is not deflate as stored.
//! - The "encrypted" flag is ignored; CRC mismatches are warnings (Android
//!   does not check CRCs when extracting).
//! - Duplicate names are reported (Android rejects the archive);
//!   [`Archive::find`] returns the first in central-directory order.
//! - Prepended data, lying central-directory offsets, and zip64 are read
//!   anyway (warned where Android would refuse).
//!
//! [`Archive::android_impact`] sums this up for the whole archive.

#![deny(missing_docs)]

mod archive;
mod central;
mod entry;
mod eocd;
mod error;
mod inflate;
mod limits;
mod local;
mod overlap;
mod sink;
mod warning;

pub use archive::Archive;
pub use entry::{
    Decoding, Entry, FLAG_DATA_DESCRIPTOR, FLAG_ENCRYPTED, METHOD_DEFLATED, METHOD_STORED,
};
pub use error::ZipError;
pub use limits::Limits;
pub use warning::{AndroidImpact, LocalField, NameIssue, ZipWarning};
