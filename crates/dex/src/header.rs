//! The DEX header (`header_item`), versions and magic.

use leakscope_bytes::Bytes;

use crate::DexError;

/// Size of the header of versions 035 to 040.
pub const HEADER_SIZE_V35: u32 = 0x70;
/// Size of the header of version 041 (adds `container_size` and `header_offset`).
pub const HEADER_SIZE_V41: u32 = 0x78;
/// The standard `endian_tag`.
pub const ENDIAN_CONSTANT: u32 = 0x1234_5678;
/// The byte-swapped `endian_tag` (never produced by real tools, unsupported).
pub const REVERSE_ENDIAN_CONSTANT: u32 = 0x7856_3412;
/// Marker for "no index" in `uint` index fields (e.g. `superclass_idx`).
pub const NO_INDEX: u32 = 0xffff_ffff;

/// Versions whose layout this parser knows.
pub const KNOWN_VERSIONS: [u32; 7] = [35, 36, 37, 38, 39, 40, 41];

/// The raw header fields, as stored in the file.
///
/// Offsets are relative to the start of the file for versions up to 040, and
/// to the start of the *container* for 041 (see the crate documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Version number from the magic (`dex\n035\0` gives 35).
    pub version: u32,
    /// adler32 of the image from offset 12 to `file_size`.
    pub checksum: u32,
    /// SHA-1 signature of the image from offset 32 (not verified).
    pub signature: [u8; 20],
    /// Size of this image (for 041: distance from this header to the next one).
    pub file_size: u32,
    /// Size of the header.
    pub header_size: u32,
    /// Endian tag (always [`ENDIAN_CONSTANT`] in accepted files).
    pub endian_tag: u32,
    /// Size of the (unused) link section.
    pub link_size: u32,
    /// Offset of the link section.
    pub link_off: u32,
    /// Offset of the `map_list`, 0 when absent.
    pub map_off: u32,
    /// Number of `string_id_item`s.
    pub string_ids_size: u32,
    /// Offset of the string ids.
    pub string_ids_off: u32,
    /// Number of `type_id_item`s.
    pub type_ids_size: u32,
    /// Offset of the type ids.
    pub type_ids_off: u32,
    /// Number of `proto_id_item`s.
    pub proto_ids_size: u32,
    /// Offset of the proto ids.
    pub proto_ids_off: u32,
    /// Number of `field_id_item`s.
    pub field_ids_size: u32,
    /// Offset of the field ids.
    pub field_ids_off: u32,
    /// Number of `method_id_item`s.
    pub method_ids_size: u32,
    /// Offset of the method ids.
    pub method_ids_off: u32,
    /// Number of `class_def_item`s.
    pub class_defs_size: u32,
    /// Offset of the class defs.
    pub class_defs_off: u32,
    /// Size of the data section (unused in 041).
    pub data_size: u32,
    /// Offset of the data section (unused in 041).
    pub data_off: u32,
    /// (041) Size of the whole container; 0 for older versions.
    pub container_size: u32,
    /// (041) Offset of this header in the container; 0 for older versions.
    pub header_offset: u32,
}

impl Header {
    /// True when this header uses the 041 container layout (offsets relative
    /// to the container, `container_size`/`header_offset` present).
    pub fn is_container_layout(&self) -> bool {
        self.version >= 41 && self.header_size >= HEADER_SIZE_V41
    }

    /// Parses the header at `at` in `data`. Checks the magic, endian tag and
    /// header size; returns the header and whether the version is unknown.
    pub(crate) fn parse(data: &[u8], at: usize) -> Result<(Header, bool), DexError> {
        let b = Bytes::new(data);
        let avail = data.len().saturating_sub(at);
        if avail < HEADER_SIZE_V35 as usize {
            return Err(DexError::TooShort { len: avail });
        }
        let magic: [u8; 8] = b.array(at, "magic")?;
        let (version, known) = parse_magic(&magic).ok_or(DexError::BadMagic(magic))?;
        let u = |rel: usize, what: &'static str| b.u32(at.saturating_add(rel), what);
        let endian_tag = u(40, "endian_tag")?;
        if endian_tag != ENDIAN_CONSTANT {
            return Err(DexError::BadEndianTag(endian_tag));
        }
        let header_size = u(36, "header_size")?;
        if header_size < HEADER_SIZE_V35 {
            return Err(DexError::BadHeaderSize {
                header_size,
                needed: HEADER_SIZE_V35,
            });
        }
        if version >= 41 && header_size < HEADER_SIZE_V41 && known {
            return Err(DexError::BadHeaderSize {
                header_size,
                needed: HEADER_SIZE_V41,
            });
        }
        let mut h = Header {
            version,
            checksum: u(8, "checksum")?,
            signature: b.array(at.saturating_add(12), "signature")?,
            file_size: u(32, "file_size")?,
            header_size,
            endian_tag,
            link_size: u(44, "link_size")?,
            link_off: u(48, "link_off")?,
            map_off: u(52, "map_off")?,
            string_ids_size: u(56, "string_ids_size")?,
            string_ids_off: u(60, "string_ids_off")?,
            type_ids_size: u(64, "type_ids_size")?,
            type_ids_off: u(68, "type_ids_off")?,
            proto_ids_size: u(72, "proto_ids_size")?,
            proto_ids_off: u(76, "proto_ids_off")?,
            field_ids_size: u(80, "field_ids_size")?,
            field_ids_off: u(84, "field_ids_off")?,
            method_ids_size: u(88, "method_ids_size")?,
            method_ids_off: u(92, "method_ids_off")?,
            class_defs_size: u(96, "class_defs_size")?,
            class_defs_off: u(100, "class_defs_off")?,
            data_size: u(104, "data_size")?,
            data_off: u(108, "data_off")?,
            container_size: 0,
            header_offset: 0,
        };
        if h.is_container_layout() {
            h.container_size = u(112, "container_size")?;
            h.header_offset = u(116, "header_offset")?;
        }
        Ok((h, !known))
    }
}

/// Parses `dex\nNNN\0`; returns the version and whether it is a known one.
///
/// Any three ASCII digits are accepted (unknown ones are reported as a
/// warning by the caller); anything else is not a DEX file.
pub fn parse_magic(magic: &[u8; 8]) -> Option<(u32, bool)> {
    let [b'd', b'e', b'x', b'\n', d0, d1, d2, 0] = *magic else {
        return None;
    };
    let mut v = 0u32;
    for d in [d0, d1, d2] {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(d - b'0');
    }
    Some((v, KNOWN_VERSIONS.contains(&v)))
}
