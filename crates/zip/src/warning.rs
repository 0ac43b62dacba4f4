//! Anomalies that do not stop parsing, and what Android makes of them.

use std::fmt;

/// What Android's libziparchive (the installer's and runtime's ZIP reader)
/// does with an archive showing a given anomaly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AndroidImpact {
    /// Android accepts it silently (or only logs it).
    None,
    /// Android opens the archive but refuses to extract this entry.
    EntryUnreadable,
    /// Android refuses to open the whole archive (the app cannot install).
    ArchiveRejected,
}

/// Which local-header field disagrees with the central directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LocalField {
    /// Compression method ("BadPack"; Android uses the central directory).
    Method,
    /// Bit 3 (data descriptor) of the general-purpose flags.
    DataDescriptorFlag,
    /// CRC-32.
    Crc32,
    /// Compressed size.
    CompressedSize,
    /// Uncompressed size.
    UncompressedSize,
}

impl fmt::Display for LocalField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LocalField::Method => "compression method",
            LocalField::DataDescriptorFlag => "data-descriptor flag",
            LocalField::Crc32 => "CRC-32",
            LocalField::CompressedSize => "compressed size",
            LocalField::UncompressedSize => "uncompressed size",
        })
    }
}

/// A suspicious property of an entry name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameIssue {
    /// The name is empty (Android cannot look the entry up).
    Empty,
    /// A `..` path component (path traversal, "zip slip").
    DotDot,
    /// Starts with `/` or a drive letter.
    Absolute,
    /// Contains `\`.
    Backslash,
    /// Contains a NUL byte (Android rejects the archive).
    Nul,
    /// Contains CR, LF or another control character.
    Control,
    /// Not valid UTF-8 (Android rejects the archive).
    InvalidUtf8,
}

impl fmt::Display for NameIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameIssue::Empty => "is empty (Android cannot look it up)",
            NameIssue::DotDot => "contains a `..` component (path traversal)",
            NameIssue::Absolute => "is an absolute path",
            NameIssue::Backslash => "contains a backslash",
            NameIssue::Nul => "contains a NUL byte",
            NameIssue::Control => "contains a control character (CR/LF/...)",
            NameIssue::InvalidUtf8 => "is not valid UTF-8",
        })
    }
}

/// An anomaly found while parsing or reading an archive.
///
/// Entry names are lossy UTF-8. `Display` gives one sentence naming the
/// entry; [`ZipWarning::android_impact`] says what Android would do.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ZipWarning {
    /// An end-of-central-directory signature nearer the end of the file (e.g.
    /// inside the archive comment) did not lead to a central directory and
    /// was skipped. Android uses the record nearest the end and rejects the
    /// archive.
    EocdCandidateSkipped {
        /// Offset of the skipped signature.
        offset: u64,
    },
    /// Another complete EOCD record precedes the one used, and its comment
    /// covers the one used: the comment hides a second central directory.
    /// Android, like this reader, uses the record nearest the end.
    ShadowedEocd {
        /// Offset of the shadowed (earlier) EOCD record.
        offset: u64,
        /// Offset of the EOCD record used.
        used: u64,
    },
    /// The archive has no entries (Android refuses to open it).
    EmptyArchive,
    /// The EOCD comment does not end exactly at the end of the file
    /// (trailing bytes, or a comment length running past the end).
    CommentLengthMismatch {
        /// Offset of the EOCD record used.
        eocd_offset: u64,
        /// Declared comment length.
        declared: u16,
        /// Bytes actually present after the fixed EOCD record.
        actual: u64,
    },
    /// Multi-disk fields in the EOCD are non-zero (ignored).
    MultiDisk {
        /// Number of this disk.
        disk: u32,
        /// Disk holding the central directory.
        cd_disk: u32,
    },
    /// The EOCD's two entry counts disagree with each other or with the
    /// number of records actually found in the central directory.
    EntryCountMismatch {
        /// Total entry count declared by the EOCD.
        declared: u64,
        /// Entry count declared for this disk.
        declared_on_disk: u64,
        /// Records found by walking the central directory.
        found: u64,
    },
    /// The central directory's declared size differs from the bytes walked,
    /// or is one Android refuses (running past the EOCD, or too small for
    /// the records it reads).
    CentralDirectorySizeMismatch {
        /// Declared size.
        declared: u64,
        /// Size of the records walked.
        actual: u64,
        /// Whether Android rejects the archive because of it.
        android_rejects: bool,
    },
    /// The declared central-directory offset does not point at a central
    /// directory; it was found at another offset (prepended data, or a lying
    /// offset). Local header offsets are shifted by the same amount.
    CentralDirectoryOffsetMismatch {
        /// Declared offset.
        declared: u64,
        /// Offset where it was found.
        actual: u64,
    },
    /// The file does not start with a local file header (data prepended to
    /// the archive, e.g. a self-extracting stub or a polyglot file).
    PrependedData {
        /// Bytes before the first local header (0 when unknown).
        len: u64,
    },
    /// The zip64 end-of-central-directory locator or record is broken.
    Zip64Invalid {
        /// What is wrong.
        reason: &'static str,
    },
    /// The central directory ends before the declared number of entries, or
    /// a record is cut short.
    CentralDirectoryTruncated {
        /// Index of the first record that could not be read.
        index: u64,
        /// What stopped the walk.
        reason: &'static str,
    },
    /// More entries than [`crate::Limits::max_entries`]; the rest is ignored.
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
    /// Two entries have the same name.
    DuplicateName {
        /// The name.
        name: String,
        /// Index (central-directory order) of the first entry with this name.
        first: usize,
        /// Index of this duplicate.
        duplicate: usize,
    },
    /// A suspicious entry name.
    SuspiciousName {
        /// The name.
        name: String,
        /// What is wrong with it.
        issue: NameIssue,
    },
    /// The "encrypted" flag is set.
    EncryptedFlag {
        /// Entry name.
        name: String,
    },
    /// A compression method other than stored (0) or deflated (8).
    UnknownMethod {
        /// Entry name.
        name: String,
        /// Method from the central directory.
        method: u16,
    },
    /// A stored entry whose compressed and uncompressed sizes differ.
    StoredSizeMismatch {
        /// Entry name.
        name: String,
        /// Compressed size from the central directory.
        compressed: u64,
        /// Uncompressed size (the number of bytes returned, as on Android).
        uncompressed: u64,
    },
    /// A local-header field disagrees with the central directory (the
    /// central directory wins).
    LocalHeaderMismatch {
        /// Entry name.
        name: String,
        /// Which field.
        field: LocalField,
        /// Value in the local header.
        local: u64,
        /// Value in the central directory.
        central: u64,
    },
    /// The local header names another file; the entry is unreadable.
    LocalNameMismatch {
        /// Entry name (central directory).
        name: String,
        /// Name in the local header.
        local_name: String,
    },
    /// No valid local header at the entry's offset; the entry is unreadable.
    LocalHeaderInvalid {
        /// Entry name.
        name: String,
        /// Local header offset from the central directory.
        offset: u64,
        /// What is wrong.
        reason: &'static str,
    },
    /// The local header lies at or after the central directory.
    LocalHeaderAfterCentralDirectory {
        /// Entry name.
        name: String,
        /// Local header offset.
        offset: u64,
    },
    /// The entry's data runs into the central directory.
    DataOverlapsCentralDirectory {
        /// Entry name.
        name: String,
    },
    /// The entry's data runs past the end of the file.
    DataPastEnd {
        /// Entry name.
        name: String,
    },
    /// The entry's data overlaps another entry's local header or data.
    OverlappingEntries {
        /// Entry name.
        name: String,
        /// Name of an entry it overlaps.
        other: String,
    },
    /// Overlapping entries whose combined declared output exceeds the limits;
    /// reading them is refused.
    OverlapBombRefused {
        /// Number of entries refused.
        entries: usize,
        /// Their combined declared uncompressed size.
        total_declared: u64,
    },
    /// A malformed extra field (including a zip64 extra field too short for
    /// the values marked 0xFFFFFFFF).
    ExtraFieldMalformed {
        /// Entry name.
        name: String,
    },
    /// The data descriptor after the data is missing or disagrees with the
    /// central directory.
    DataDescriptorMismatch {
        /// Entry name.
        name: String,
    },
    /// The data read does not match the CRC-32 in the central directory.
    CrcMismatch {
        /// Entry name.
        name: String,
        /// CRC-32 from the central directory.
        expected: u32,
        /// CRC-32 of the data.
        actual: u32,
    },
    /// The deflate stream ended before the declared uncompressed size.
    ShortInflate {
        /// Entry name.
        name: String,
        /// Declared uncompressed size.
        declared: u64,
        /// Bytes produced.
        actual: u64,
    },
    /// Reading an entry failed (the error is also returned to the caller).
    ReadFailed {
        /// Entry name.
        name: String,
        /// The error, as text.
        error: String,
    },
    /// More than [`crate::Limits::max_warnings`] warnings; later ones dropped.
    WarningsDropped {
        /// Number of warnings dropped (at the time of the call).
        dropped: u64,
    },
}

impl ZipWarning {
    /// What Android's libziparchive does with this anomaly (the behaviour of
    /// the current AOSP reader, checked against the Android 10 library where
    /// the two agree).
    pub fn android_impact(&self) -> AndroidImpact {
        use AndroidImpact::*;
        match self {
            ZipWarning::EocdCandidateSkipped { .. }
            | ZipWarning::EmptyArchive
            | ZipWarning::CommentLengthMismatch { .. }
            | ZipWarning::CentralDirectoryOffsetMismatch { .. }
            | ZipWarning::PrependedData { .. }
            | ZipWarning::Zip64Invalid { .. }
            | ZipWarning::CentralDirectoryTruncated { .. }
            | ZipWarning::DuplicateName { .. }
            | ZipWarning::LocalHeaderAfterCentralDirectory { .. } => ArchiveRejected,
            ZipWarning::EntryCountMismatch {
                declared, found, ..
            } if declared > found || *declared == 0 => ArchiveRejected,
            ZipWarning::SuspiciousName {
                issue: NameIssue::Empty,
                ..
            } => EntryUnreadable,
            ZipWarning::CentralDirectorySizeMismatch {
                android_rejects: true,
                ..
            } => ArchiveRejected,
            ZipWarning::SuspiciousName {
                issue: NameIssue::Nul | NameIssue::InvalidUtf8,
                ..
            } => ArchiveRejected,
            ZipWarning::LocalNameMismatch { .. }
            | ZipWarning::LocalHeaderInvalid { .. }
            | ZipWarning::DataOverlapsCentralDirectory { .. }
            | ZipWarning::DataPastEnd { .. }
            | ZipWarning::DataDescriptorMismatch { .. }
            | ZipWarning::ShortInflate { .. } => EntryUnreadable,
            ZipWarning::LocalHeaderMismatch {
                field: LocalField::Method | LocalField::DataDescriptorFlag,
                ..
            } => None,
            ZipWarning::LocalHeaderMismatch { .. } => EntryUnreadable,
            _ => None,
        }
    }
}

impl fmt::Display for ZipWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipWarning::EocdCandidateSkipped { offset } => write!(
                f,
                "end-of-central-directory signature at {offset:#x} (e.g. a fake one in the comment) leads to no central directory and was skipped; Android uses the record nearest the end and rejects the archive"
            ),
            ZipWarning::ShadowedEocd { offset, used } => write!(
                f,
                "the archive comment of the end-of-central-directory record at {offset:#x} holds another complete one at {used:#x} with its own central directory; the one nearest the end is used, as Android does, and readers that take the first disagree"
            ),
            ZipWarning::EmptyArchive => {
                f.write_str("the archive has no entries; Android refuses to open it")
            }
            ZipWarning::CommentLengthMismatch {
                eocd_offset,
                declared,
                actual,
            } => write!(
                f,
                "archive comment length {declared} at EOCD {eocd_offset:#x} does not reach the end of the file exactly ({actual} bytes follow the record); Android rejects the archive"
            ),
            ZipWarning::MultiDisk { disk, cd_disk } => write!(
                f,
                "EOCD claims a multi-disk archive (disk {disk}, central directory on disk {cd_disk}); ignored, as Android does"
            ),
            ZipWarning::EntryCountMismatch {
                declared,
                declared_on_disk,
                found,
            } => {
                write!(
                    f,
                    "EOCD declares {declared} entries ({declared_on_disk} on this disk) but the central directory holds {found}; "
                )?;
                if *declared == 0 {
                    f.write_str("Android considers the archive empty and rejects it")
                } else if declared > found {
                    f.write_str("Android rejects the archive")
                } else if declared < found {
                    write!(
                        f,
                        "Android sees only the first {declared}, the others are hidden from it"
                    )
                } else {
                    f.write_str("Android ignores the per-disk count")
                }
            }
            ZipWarning::CentralDirectorySizeMismatch {
                declared,
                actual,
                android_rejects,
            } => {
                write!(
                    f,
                    "central directory declared as {declared} bytes but its records span {actual} bytes"
                )?;
                if *android_rejects {
                    f.write_str("; Android rejects the archive")?;
                }
                Ok(())
            }
            ZipWarning::CentralDirectoryOffsetMismatch { declared, actual } => write!(
                f,
                "central directory declared at {declared:#x} but found at {actual:#x}; local header offsets shifted by the difference; Android rejects the archive"
            ),
            ZipWarning::PrependedData { len } => write!(
                f,
                "the file does not start with a local file header ({len} bytes prepended); Android rejects the archive"
            ),
            ZipWarning::Zip64Invalid { reason } => write!(
                f,
                "zip64 end-of-central-directory data is invalid ({reason}); Android rejects the archive"
            ),
            ZipWarning::CentralDirectoryTruncated { index, reason } => write!(
                f,
                "central directory ends early at record {index} ({reason}); Android rejects the archive"
            ),
            ZipWarning::TooManyEntries { limit } => write!(
                f,
                "more than {limit} entries; the rest of the central directory was ignored"
            ),
            ZipWarning::DuplicateName {
                name,
                first,
                duplicate,
            } => write!(
                f,
                "entry {name:?} appears more than once (entries #{first} and #{duplicate}); leakscope's find() returns the first in central-directory order (#{first}); modern Android (libziparchive) rejects the archive with kDuplicateEntry, and before the fix of the \"Master Key\" bug 8219321 the Java signature verifier checked one copy while the native installer used the other"
            ),
            ZipWarning::SuspiciousName { name, issue } => {
                write!(f, "entry name {name:?} {issue}")?;
                if matches!(issue, NameIssue::Nul | NameIssue::InvalidUtf8) {
                    f.write_str("; Android rejects the archive")?;
                }
                Ok(())
            }
            ZipWarning::EncryptedFlag { name } => write!(
                f,
                "entry {name:?} has the encrypted flag set; ignored and read as plain data, as Android does"
            ),
            ZipWarning::UnknownMethod { name, method } => write!(
                f,
                "entry {name:?} has unknown compression method {method}; read as stored data of the uncompressed size, as Android's asset loader does (libziparchive's own extraction refuses it)"
            ),
            ZipWarning::StoredSizeMismatch {
                name,
                compressed,
                uncompressed,
            } => write!(
                f,
                "stored entry {name:?} has compressed size {compressed} but uncompressed size {uncompressed}; {uncompressed} bytes are read, as on Android"
            ),
            ZipWarning::LocalHeaderMismatch {
                name,
                field,
                local,
                central,
            } => {
                write!(
                    f,
                    "entry {name:?}: local header {field} {local:#x} differs from the central directory's {central:#x}; the central directory is used"
                )?;
                match field {
                    LocalField::Method | LocalField::DataDescriptorFlag => {
                        f.write_str(", as Android does")
                    }
                    _ => f.write_str("; Android refuses to extract this entry"),
                }
            }
            ZipWarning::LocalNameMismatch { name, local_name } => write!(
                f,
                "entry {name:?}: local header names {local_name:?}; the entry is unreadable, as on Android"
            ),
            ZipWarning::LocalHeaderInvalid {
                name,
                offset,
                reason,
            } => write!(
                f,
                "entry {name:?}: no valid local header at {offset:#x} ({reason}); the entry is unreadable, as on Android"
            ),
            ZipWarning::LocalHeaderAfterCentralDirectory { name, offset } => write!(
                f,
                "entry {name:?}: local header offset {offset:#x} is not before the central directory; Android rejects the archive"
            ),
            ZipWarning::DataOverlapsCentralDirectory { name } => write!(
                f,
                "entry {name:?}: data runs into the central directory; Android refuses to extract it"
            ),
            ZipWarning::DataPastEnd { name } => {
                write!(f, "entry {name:?}: data runs past the end of the file")
            }
            ZipWarning::OverlappingEntries { name, other } => write!(
                f,
                "entry {name:?}: data overlaps entry {other:?} (a zip-bomb or hiding technique)"
            ),
            ZipWarning::OverlapBombRefused {
                entries,
                total_declared,
            } => write!(
                f,
                "{entries} overlapping entries would inflate to {total_declared} bytes together, beyond the limits; reading them is refused"
            ),
            ZipWarning::ExtraFieldMalformed { name } => {
                write!(f, "entry {name:?}: malformed extra field")
            }
            ZipWarning::DataDescriptorMismatch { name } => write!(
                f,
                "entry {name:?}: data descriptor missing or different from the central directory; Android refuses to extract it"
            ),
            ZipWarning::CrcMismatch {
                name,
                expected,
                actual,
            } => write!(
                f,
                "entry {name:?}: CRC-32 of the data is {actual:08x}, central directory says {expected:08x}; data returned anyway"
            ),
            ZipWarning::ShortInflate {
                name,
                declared,
                actual,
            } => write!(
                f,
                "entry {name:?}: inflates to {actual} bytes, fewer than the declared {declared}; data returned anyway"
            ),
            ZipWarning::ReadFailed { name, error } => {
                write!(f, "entry {name:?} could not be read: {error}")
            }
            ZipWarning::WarningsDropped { dropped } => {
                write!(f, "{dropped} further warnings were dropped")
            }
        }
    }
}
