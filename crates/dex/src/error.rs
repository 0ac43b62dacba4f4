//! Errors (parsing cannot continue) and warnings (anomalies that do not stop it).

use thiserror::Error;

/// A DEX structure could not be read.
///
/// All variants are `Copy` and never allocate; offsets are absolute offsets
/// into the buffer the [`DexFile`](crate::DexFile) reads from (for a 041
/// container: the whole container).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DexError {
    /// The input is shorter than a DEX header.
    #[error("input of {len} bytes is too short for a DEX header")]
    TooShort {
        /// Bytes available from the header start.
        len: usize,
    },
    /// The first 8 bytes are not `dex\nNNN\0`.
    #[error("bad DEX magic {0:02x?}")]
    BadMagic([u8; 8]),
    /// The endian tag is not the standard little-endian constant.
    #[error("unsupported endian tag {0:#010x}")]
    BadEndianTag(u32),
    /// `header_size` is smaller than the fixed header of this version.
    #[error("header_size {header_size:#x} too small (need {needed:#x})")]
    BadHeaderSize {
        /// Value in the header.
        header_size: u32,
        /// Minimum for this version.
        needed: u32,
    },
    /// A table declared in the header or map does not fit in the file.
    #[error("{table} table (offset {offset:#x}, {count} entries) does not fit in the file")]
    TableOutOfBounds {
        /// Table name, e.g. `"string_ids"`.
        table: &'static str,
        /// Declared offset.
        offset: u32,
        /// Declared entry count.
        count: u32,
    },
    /// An index is not below the size of the table it indexes.
    #[error("{table} index {index} out of range (table has {count} entries)")]
    IndexOutOfRange {
        /// Table name.
        table: &'static str,
        /// Requested index.
        index: u32,
        /// Table size.
        count: u32,
    },
    /// A read ran past the end of the data or hit a malformed LEB128.
    #[error(transparent)]
    Read(#[from] leakscope_bytes::Error),
    /// A string's data is not NUL-terminated within the file.
    #[error("string data at {offset:#x} is not NUL-terminated")]
    UnterminatedString {
        /// Offset of the string data item.
        offset: usize,
    },
    /// A structure declares more entries than its remaining bytes could hold.
    #[error("{what} at {offset:#x} declares {count} entries, more than the file can hold")]
    CountTooLarge {
        /// Structure name.
        what: &'static str,
        /// Offset of the structure.
        offset: usize,
        /// Declared count.
        count: u64,
    },
    /// Delta-decoded index overflowed 32 bits.
    #[error("{what} index overflows at {offset:#x}")]
    IndexOverflow {
        /// Which list.
        what: &'static str,
        /// Offset of the offending entry.
        offset: usize,
    },
    /// An `encoded_value` has an unknown type or an invalid size argument.
    #[error("bad encoded_value type {value_type:#04x} arg {value_arg} at {offset:#x}")]
    BadEncodedValue {
        /// Offset of the value header byte.
        offset: usize,
        /// The 5-bit value type.
        value_type: u8,
        /// The 3-bit value argument.
        value_arg: u8,
    },
    /// Encoded arrays/annotations are nested deeper than [`MAX_NESTING`](crate::MAX_NESTING).
    #[error("encoded values nested too deeply at {offset:#x}")]
    NestingTooDeep {
        /// Offset where the limit was hit.
        offset: usize,
    },
    /// A try item's `handler_off` is not the start of a handler in the
    /// `encoded_catch_handler_list`.
    #[error("try item handler offset {offset:#x} is not the start of a catch handler")]
    BadHandlerOffset {
        /// Absolute offset the try item points at.
        offset: usize,
    },
    /// A 041 container is inconsistent.
    #[error("bad DEX container at {offset:#x}: {reason}")]
    BadContainer {
        /// Offset of the offending header.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A call site item does not start with the three mandatory values.
    #[error("call site at {offset:#x} is malformed: {reason}")]
    BadCallSite {
        /// Offset of the call site item.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A `debug_info_item` is inconsistent with its method (a register out
    /// of range); ART stops decoding it there.
    #[error("debug info at {offset:#x} is invalid: {reason}")]
    BadDebugInfo {
        /// Offset where the problem was found.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

/// An anomaly that does not prevent parsing; see [`DexFile::warnings`](crate::DexFile::warnings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DexWarning {
    /// The adler32 checksum in the header does not match the data.
    #[error("checksum mismatch: header says {expected:#010x}, data gives {actual:#010x}")]
    ChecksumMismatch {
        /// Value stored in the header.
        expected: u32,
        /// Value computed over the data.
        actual: u32,
    },
    /// The version digits are plausible but not a version this parser knows.
    #[error("unknown DEX version {0:03}; parsed as the nearest known layout")]
    UnknownVersion(u32),
    /// `file_size` disagrees with the bytes available.
    #[error("header file_size {declared} but {available} bytes are available")]
    FileSizeMismatch {
        /// Value in the header.
        declared: u32,
        /// Bytes actually available for this image.
        available: usize,
    },
    /// `header_size` is not the standard value for this version.
    #[error("unusual header_size {0:#x}")]
    UnusualHeaderSize(u32),
    /// (041) `container_size` disagrees with the bytes available.
    #[error("container_size {declared} but the container has {available} bytes")]
    ContainerSizeMismatch {
        /// Value in the header.
        declared: u32,
        /// Bytes actually available.
        available: usize,
    },
    /// (041) `header_offset` is not where the header actually is.
    #[error("header_offset {declared:#x} but the header is at {actual:#x}")]
    HeaderOffsetMismatch {
        /// Value in the header.
        declared: u32,
        /// Actual position.
        actual: usize,
    },
    /// The map_list could not be read; call sites and method handles are unavailable.
    #[error("map_list at {offset:#x} is unreadable")]
    BadMapList {
        /// `map_off` from the header.
        offset: u32,
    },
    /// The map_list has more entries than any valid DEX file; only the first ones were read.
    #[error("map_list has {0} entries; only the first {max} were read", max = crate::map::MAX_MAP_ENTRIES)]
    MapListTooLong(u32),
    /// A table found through the map_list does not fit; it is treated as empty.
    #[error("{table} table (offset {offset:#x}, {count} entries) does not fit; ignored")]
    TableIgnored {
        /// Table name.
        table: &'static str,
        /// Declared offset.
        offset: u32,
        /// Declared entry count.
        count: u32,
    },
    /// `link_size`/`link_off` or `data_size`/`data_off` point outside the file.
    #[error("{section} section (offset {offset:#x}, {size} bytes) is outside the file")]
    SectionOutOfBounds {
        /// `"link"` or `"data"`.
        section: &'static str,
        /// Declared offset.
        offset: u32,
        /// Declared size.
        size: u32,
    },
}
