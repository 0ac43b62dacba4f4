//! The `map_list`: what kinds of items the file holds and where.

use leakscope_bytes::Bytes;

/// Valid files have about 20 map entries (one per item type); longer lists
/// are read only up to this many entries.
pub const MAX_MAP_ENTRIES: u32 = 64;

/// Item type codes of `map_item.type`.
pub mod item_type {
    /// `header_item`
    pub const HEADER: u16 = 0x0000;
    /// `string_id_item`
    pub const STRING_ID: u16 = 0x0001;
    /// `type_id_item`
    pub const TYPE_ID: u16 = 0x0002;
    /// `proto_id_item`
    pub const PROTO_ID: u16 = 0x0003;
    /// `field_id_item`
    pub const FIELD_ID: u16 = 0x0004;
    /// `method_id_item`
    pub const METHOD_ID: u16 = 0x0005;
    /// `class_def_item`
    pub const CLASS_DEF: u16 = 0x0006;
    /// `call_site_id_item` (037+)
    pub const CALL_SITE_ID: u16 = 0x0007;
    /// `method_handle_item` (037+)
    pub const METHOD_HANDLE: u16 = 0x0008;
    /// `map_list`
    pub const MAP_LIST: u16 = 0x1000;
    /// `type_list`
    pub const TYPE_LIST: u16 = 0x1001;
    /// `annotation_set_ref_list`
    pub const ANNOTATION_SET_REF_LIST: u16 = 0x1002;
    /// `annotation_set_item`
    pub const ANNOTATION_SET_ITEM: u16 = 0x1003;
    /// `class_data_item`
    pub const CLASS_DATA: u16 = 0x2000;
    /// `code_item`
    pub const CODE: u16 = 0x2001;
    /// `string_data_item`
    pub const STRING_DATA: u16 = 0x2002;
    /// `debug_info_item`
    pub const DEBUG_INFO: u16 = 0x2003;
    /// `annotation_item`
    pub const ANNOTATION: u16 = 0x2004;
    /// `encoded_array_item`
    pub const ENCODED_ARRAY: u16 = 0x2005;
    /// `annotations_directory_item`
    pub const ANNOTATIONS_DIRECTORY: u16 = 0x2006;
    /// `hiddenapi_class_data_item`
    pub const HIDDENAPI_CLASS_DATA: u16 = 0xf000;
}

/// One `map_item`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapItem {
    /// Item type, one of [`item_type`].
    pub item_type: u16,
    /// Number of items.
    pub size: u32,
    /// Offset of the first item.
    pub offset: u32,
}

/// Iterator over the entries of a `map_list` whose bounds were checked.
#[derive(Clone, Debug)]
pub struct MapItems<'a> {
    entries: &'a [u8],
}

impl<'a> MapItems<'a> {
    /// Entries already bounds-checked: `entries.len()` is a multiple of 12.
    pub(crate) fn new(entries: &'a [u8]) -> Self {
        MapItems { entries }
    }

    /// An empty map.
    pub(crate) fn empty() -> Self {
        MapItems { entries: &[] }
    }
}

impl Iterator for MapItems<'_> {
    type Item = MapItem;

    fn next(&mut self) -> Option<MapItem> {
        let (entry, rest) = self.entries.split_at_checked(12)?;
        self.entries = rest;
        let b = Bytes::new(entry);
        Some(MapItem {
            item_type: b.u16(0, "map_item").ok()?,
            size: b.u32(4, "map_item").ok()?,
            offset: b.u32(8, "map_item").ok()?,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.entries.len() / 12;
        (n, Some(n))
    }
}

impl ExactSizeIterator for MapItems<'_> {}
