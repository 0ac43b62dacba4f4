//! Chunk headers (`ResChunk_header`) shared by binary XML and resources.arsc.

use leakscope_bytes::Bytes;

/// `RES_NULL_TYPE`: seen as the file type of some hand-patched manifests.
pub(crate) const RES_NULL_TYPE: u16 = 0x0000;
/// `RES_STRING_POOL_TYPE`.
pub(crate) const RES_STRING_POOL_TYPE: u16 = 0x0001;
/// `RES_TABLE_TYPE`.
pub(crate) const RES_TABLE_TYPE: u16 = 0x0002;
/// `RES_XML_TYPE`.
pub(crate) const RES_XML_TYPE: u16 = 0x0003;
/// `RES_XML_FIRST_CHUNK_TYPE` (also `RES_XML_START_NAMESPACE_TYPE`).
pub(crate) const RES_XML_FIRST_CHUNK_TYPE: u16 = 0x0100;
/// `RES_XML_START_NAMESPACE_TYPE`.
pub(crate) const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
/// `RES_XML_END_NAMESPACE_TYPE`.
pub(crate) const RES_XML_END_NAMESPACE_TYPE: u16 = 0x0101;
/// `RES_XML_START_ELEMENT_TYPE`.
pub(crate) const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
/// `RES_XML_END_ELEMENT_TYPE`.
pub(crate) const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
/// `RES_XML_CDATA_TYPE`.
pub(crate) const RES_XML_CDATA_TYPE: u16 = 0x0104;
/// `RES_XML_LAST_CHUNK_TYPE`.
pub(crate) const RES_XML_LAST_CHUNK_TYPE: u16 = 0x017f;
/// `RES_XML_RESOURCE_MAP_TYPE`.
pub(crate) const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;
/// `RES_TABLE_PACKAGE_TYPE`.
pub(crate) const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
/// `RES_TABLE_TYPE_TYPE`.
pub(crate) const RES_TABLE_TYPE_TYPE: u16 = 0x0201;

/// Size of `ResChunk_header`.
pub(crate) const CHUNK_HEADER_SIZE: usize = 8;

/// A decoded `ResChunk_header`, with the chunk's absolute offset.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChunkHeader {
    /// Absolute offset of the chunk in the buffer it was read from.
    pub offset: usize,
    /// Chunk type (`RES_*_TYPE`).
    pub kind: u16,
    /// Declared header size.
    pub header_size: u16,
    /// Declared total size (header + body), as stored.
    pub size: u32,
}

impl ChunkHeader {
    /// Reads a chunk header at `offset`.
    pub fn read(b: Bytes<'_>, offset: usize) -> leakscope_bytes::Result<Self> {
        Ok(ChunkHeader {
            offset,
            kind: b.u16(offset, "chunk type")?,
            header_size: b.u16(offset.saturating_add(2), "chunk header size")?,
            size: b.u32(offset.saturating_add(4), "chunk size")?,
        })
    }

    /// The chunk's end, clamped to `limit` (never before the 8-byte header).
    pub fn end_clamped(&self, limit: usize) -> usize {
        let declared = self.offset.saturating_add(self.size as usize);
        declared
            .min(limit)
            .max(self.offset.saturating_add(CHUNK_HEADER_SIZE).min(limit))
    }

    /// True when the declared sizes are self-consistent the way Android's
    /// `validate_chunk` demands (header within the chunk, 4-byte aligned,
    /// chunk within `limit`).
    pub fn is_valid(&self, min_header: usize, limit: usize) -> bool {
        let hs = usize::from(self.header_size);
        let size = self.size as usize;
        hs >= min_header
            && hs <= size
            && (hs | size) & 3 == 0
            && self
                .offset
                .checked_add(size)
                .is_some_and(|end| end <= limit)
    }
}
