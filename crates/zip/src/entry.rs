//! One central-directory entry, with its data location resolved.

use std::borrow::Cow;

use crate::warning::NameIssue;

/// Compression method number for stored (uncompressed) data.
pub const METHOD_STORED: u16 = 0;
/// Compression method number for deflate.
pub const METHOD_DEFLATED: u16 = 8;

/// General-purpose flag bit 0: "encrypted" (ignored, as Android does).
pub const FLAG_ENCRYPTED: u16 = 1;
/// General-purpose flag bit 3: sizes and CRC follow the data in a data
/// descriptor.
pub const FLAG_DATA_DESCRIPTOR: u16 = 1 << 3;

/// How an entry's data is decoded when read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decoding {
    /// Method 0: the bytes are returned as they are (borrowed).
    Stored,
    /// Method 8: raw deflate.
    Deflated,
    /// Any other method: read as stored, like Android's asset loader does.
    /// Carries the method number.
    UnknownAsStored(u16),
}

/// One central-directory record, its values resolved (zip64 included).
///
/// Sizes, method and CRC come from the central directory, as on Android; the
/// data offset comes from the local header's own name and extra lengths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Position in central-directory order (0-based).
    pub index: usize,
    /// Raw name bytes from the central directory.
    pub name: &'a [u8],
    /// Raw central-directory extra field.
    pub extra: &'a [u8],
    /// Raw entry comment.
    pub comment: &'a [u8],
    /// "Version made by" field (upper byte: host system).
    pub version_made_by: u16,
    /// "Version needed to extract" field.
    pub version_needed: u16,
    /// General-purpose bit flags.
    pub flags: u16,
    /// Compression method from the central directory.
    pub method: u16,
    /// MS-DOS modification time.
    pub mod_time: u16,
    /// MS-DOS modification date.
    pub mod_date: u16,
    /// CRC-32 from the central directory.
    pub crc32: u32,
    /// Compressed size (zip64-resolved).
    pub compressed_size: u64,
    /// Uncompressed size (zip64-resolved).
    pub uncompressed_size: u64,
    /// Local header offset as declared (zip64-resolved, before any shift for
    /// prepended data).
    pub local_header_offset: u64,
    /// External file attributes (upper 16 bits: Unix mode when made on Unix).
    pub external_attributes: u32,
    /// Offset of this record in the file.
    pub central_offset: u64,
    /// Resolved absolute offset of the entry's data, `None` when the local
    /// header is unusable (bad signature, other name, out of bounds): such
    /// an entry cannot be read, as on Android.
    pub data_offset: Option<u64>,
    /// True when reading is refused because the entry belongs to a group of
    /// overlapping entries whose combined output exceeds the limits.
    pub refused_overlap: bool,
    /// Why the entry cannot be read (set together with `data_offset: None`).
    pub(crate) unreadable: Option<&'static str>,
}

impl<'a> Entry<'a> {
    /// The name as UTF-8, with invalid sequences replaced.
    pub fn name_lossy(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.name)
    }

    /// True for a directory entry (name ending in `/`).
    pub fn is_dir(&self) -> bool {
        self.name.last() == Some(&b'/')
    }

    /// Why the entry cannot be read at all (broken local header), if so.
    pub fn unreadable_reason(&self) -> Option<&'static str> {
        self.unreadable
    }

    /// True when a data descriptor follows the data (flag bit 3).
    pub fn has_data_descriptor(&self) -> bool {
        self.flags & FLAG_DATA_DESCRIPTOR != 0
    }

    /// True when the "encrypted" flag is set (ignored when reading).
    pub fn is_encrypted_flag_set(&self) -> bool {
        self.flags & FLAG_ENCRYPTED != 0
    }

    /// How [`crate::Archive::read`] decodes this entry.
    pub fn decoding(&self) -> Decoding {
        match self.method {
            METHOD_STORED => Decoding::Stored,
            METHOD_DEFLATED => Decoding::Deflated,
            m => Decoding::UnknownAsStored(m),
        }
    }

    /// Number of bytes of raw data the entry occupies from its data offset:
    /// the compressed size when deflated, the uncompressed size otherwise
    /// (Android reads that many bytes for stored data).
    pub fn data_len(&self) -> u64 {
        match self.decoding() {
            Decoding::Deflated => self.compressed_size,
            _ => self.uncompressed_size,
        }
    }
}

/// Every suspicious property of a raw entry name.
pub(crate) fn name_issues(name: &[u8]) -> Vec<NameIssue> {
    let mut out = Vec::new();
    if name.is_empty() {
        out.push(NameIssue::Empty);
        return out;
    }
    if name.contains(&0) {
        out.push(NameIssue::Nul);
    }
    if std::str::from_utf8(name).is_err() {
        out.push(NameIssue::InvalidUtf8);
    }
    if name.split(|&b| b == b'/' || b == b'\\').any(|c| c == b"..") {
        out.push(NameIssue::DotDot);
    }
    let drive = matches!(name, [l, b':', ..] if l.is_ascii_alphabetic());
    if name.first() == Some(&b'/') || name.first() == Some(&b'\\') || drive {
        out.push(NameIssue::Absolute);
    }
    if name.contains(&b'\\') {
        out.push(NameIssue::Backslash);
    }
    if name.iter().any(|&b| b != 0 && (b < 0x20 || b == 0x7f)) {
        out.push(NameIssue::Control);
    }
    out
}
