//! [`DexFile`]: one DEX image, with O(1) access to its tables.

use std::borrow::Cow;

use leakscope_bytes::{Bytes, Cursor};

use crate::adler32::adler32;
use crate::class_data::ClassData;
use crate::class_def::{CLASS_DEF_SIZE, ClassDef, ClassDefs};
use crate::code::CodeItem;
use crate::data::Data;
use crate::debug_info::DebugInfo;
use crate::header::{HEADER_SIZE_V35, HEADER_SIZE_V41, Header};
use crate::ids::{FieldId, MethodHandle, MethodHandleKind, MethodId, ProtoId, TypeList};
use crate::map::{MAX_MAP_ENTRIES, MapItems, item_type};
use crate::string_ends;
use crate::value::{CallSite, EncodedArray};
use crate::{DexError, DexWarning, mutf8};

/// How much checking [`DexFile::parse_with`] does beyond the O(1) header checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Compute the adler32 checksum of the image (a linear pass over its
    /// bytes) and report a [`DexWarning::ChecksumMismatch`] when it differs.
    pub verify_checksum: bool,
}

impl ParseOptions {
    /// Options that also verify the checksum.
    pub fn verified() -> Self {
        ParseOptions {
            verify_checksum: true,
        }
    }
}

/// A bounds-checked table of fixed-size entries.
#[derive(Clone, Copy, Debug, Default)]
struct Table {
    off: usize,
    count: u32,
}

impl Table {
    /// Checks that `count` entries of `entry_size` bytes at `off` fit in `len` bytes.
    fn checked(off: u32, count: u32, entry_size: usize, len: usize) -> Option<Table> {
        if count == 0 {
            return Some(Table::default());
        }
        let end = u64::from(off).checked_add(u64::from(count).checked_mul(entry_size as u64)?)?;
        (end <= len as u64).then_some(Table {
            off: off as usize,
            count,
        })
    }

    fn bytes<'a>(&self, data: &'a [u8], entry_size: usize) -> &'a [u8] {
        let len = (self.count as usize).saturating_mul(entry_size);
        Bytes::new(data)
            .slice(self.off, len, "table")
            .unwrap_or(&[])
    }
}

/// The raw `string_data_item` of a string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DexString<'a> {
    /// Declared length in UTF-16 code units; the NUL terminator is searched
    /// for only within the `3 * utf16_len` bytes such a string can take.
    pub utf16_len: u32,
    /// MUTF-8 bytes, without the terminating NUL.
    pub bytes: &'a [u8],
}

impl<'a> DexString<'a> {
    /// Decodes the MUTF-8 bytes (see [`mutf8::decode`]).
    pub fn to_str_lossy(&self) -> Cow<'a, str> {
        mutf8::decode(self.bytes)
    }
}

/// One DEX image: a header whose tables have been bounds-checked. Everything
/// else is read on demand, borrowing from the input.
#[derive(Clone, Debug)]
pub struct DexFile<'a> {
    data: Data<'a>,
    header_offset: usize,
    header: Header,
    warnings: Vec<DexWarning>,
    string_ids: Table,
    type_ids: Table,
    proto_ids: Table,
    field_ids: Table,
    method_ids: Table,
    class_defs: Table,
    call_site_ids: Table,
    method_handles: Table,
    map: Table,
    /// Where each string's data ends, computed on the first string lookup.
    string_ends: std::sync::OnceLock<Box<[u32]>>,
}

impl<'a> DexFile<'a> {
    /// Parses the single image starting at the beginning of `data` (for a
    /// 041 container this is its first image; see
    /// [`parse_dex_container`](crate::parse_dex_container) for all of them).
    ///
    /// O(1): reads the header and the map list and checks table bounds. The
    /// checksum is not verified; use [`parse_with`](Self::parse_with) for that.
    pub fn parse(data: &'a [u8]) -> Result<Self, DexError> {
        Self::parse_at(data, 0, ParseOptions::default())
    }

    /// Like [`parse`](Self::parse), with options.
    pub fn parse_with(data: &'a [u8], options: ParseOptions) -> Result<Self, DexError> {
        Self::parse_at(data, 0, options)
    }

    /// Parses the image whose header is at `header_offset` in `container`.
    ///
    /// For 041 images, offsets in the header are relative to `container`;
    /// for older versions they are relative to the header, so `container`
    /// may be any buffer that holds the image at `header_offset`.
    pub fn parse_at(
        container: &'a [u8],
        header_offset: usize,
        options: ParseOptions,
    ) -> Result<Self, DexError> {
        let (header, unknown_version) = Header::parse(container, header_offset)?;
        let mut warnings = Vec::new();
        if unknown_version {
            warnings.push(DexWarning::UnknownVersion(header.version));
        }
        let (data, at) = if header.is_container_layout() {
            if header.container_size as usize != container.len() {
                warnings.push(DexWarning::ContainerSizeMismatch {
                    declared: header.container_size,
                    available: container.len(),
                });
            }
            if header.header_offset as usize != header_offset {
                warnings.push(DexWarning::HeaderOffsetMismatch {
                    declared: header.header_offset,
                    actual: header_offset,
                });
            }
            (container, header_offset)
        } else {
            (Bytes::new(container).tail(header_offset, "header")?, 0)
        };
        let standard = if header.is_container_layout() {
            HEADER_SIZE_V41
        } else {
            HEADER_SIZE_V35
        };
        if header.header_size != standard {
            warnings.push(DexWarning::UnusualHeaderSize(header.header_size));
        }
        let available = data.len().saturating_sub(at);
        if header.file_size as usize != available
            && !(header.is_container_layout() && (header.file_size as usize) < available)
        {
            warnings.push(DexWarning::FileSizeMismatch {
                declared: header.file_size,
                available,
            });
        }
        if !header.is_container_layout() {
            for (section, offset, size) in [
                ("link", header.link_off, header.link_size),
                ("data", header.data_off, header.data_size),
            ] {
                if size != 0 && Table::checked(offset, size, 1, data.len()).is_none() {
                    warnings.push(DexWarning::SectionOutOfBounds {
                        section,
                        offset,
                        size,
                    });
                }
            }
        }

        let len = data.len();
        let table = |table: &'static str, offset: u32, count: u32, size: usize| {
            Table::checked(offset, count, size, len).ok_or(DexError::TableOutOfBounds {
                table,
                offset,
                count,
            })
        };
        let h = &header;
        let mut file = DexFile {
            data: Data(data),
            header_offset: at,
            header,
            string_ids: table("string_ids", h.string_ids_off, h.string_ids_size, 4)?,
            type_ids: table("type_ids", h.type_ids_off, h.type_ids_size, 4)?,
            proto_ids: table("proto_ids", h.proto_ids_off, h.proto_ids_size, 12)?,
            field_ids: table("field_ids", h.field_ids_off, h.field_ids_size, 8)?,
            method_ids: table("method_ids", h.method_ids_off, h.method_ids_size, 8)?,
            class_defs: table(
                "class_defs",
                h.class_defs_off,
                h.class_defs_size,
                CLASS_DEF_SIZE,
            )?,
            call_site_ids: Table::default(),
            method_handles: Table::default(),
            map: Table::default(),
            string_ends: std::sync::OnceLock::new(),
            warnings,
        };
        file.read_map();
        if options.verify_checksum
            && let Some(w) = file.checksum_warning()
        {
            file.warnings.push(w);
        }
        Ok(file)
    }

    /// Reads the map list (bounded by [`MAX_MAP_ENTRIES`]) and locates the
    /// call site and method handle tables, which only the map declares.
    fn read_map(&mut self) {
        let map_off = self.header.map_off;
        if map_off == 0 {
            return;
        }
        let Ok(size) = Bytes::new(self.data.0).u32(map_off as usize, "map_list size") else {
            self.warnings
                .push(DexWarning::BadMapList { offset: map_off });
            return;
        };
        if size > MAX_MAP_ENTRIES {
            self.warnings.push(DexWarning::MapListTooLong(size));
        }
        let entries_off = map_off.saturating_add(4);
        let Some(map) = Table::checked(
            entries_off,
            size.min(MAX_MAP_ENTRIES),
            12,
            self.data.0.len(),
        ) else {
            self.warnings
                .push(DexWarning::BadMapList { offset: map_off });
            return;
        };
        self.map = map;
        for item in self.map_items() {
            let (slot, table, entry_size) = match item.item_type {
                item_type::CALL_SITE_ID => (&mut self.call_site_ids, "call_site_ids", 4),
                item_type::METHOD_HANDLE => (&mut self.method_handles, "method_handles", 8),
                _ => continue,
            };
            match Table::checked(item.offset, item.size, entry_size, self.data.0.len()) {
                Some(t) => *slot = t,
                None => self.warnings.push(DexWarning::TableIgnored {
                    table,
                    offset: item.offset,
                    count: item.size,
                }),
            }
        }
    }

    /// The bytes covered by the checksum: from offset 12 of the header to
    /// `file_size` (clamped to the data).
    fn checksummed_bytes(&self) -> &'a [u8] {
        let start = self.header_offset.saturating_add(12);
        let end = self
            .header_offset
            .saturating_add(self.header.file_size as usize)
            .min(self.data.0.len());
        self.data.0.get(start..end).unwrap_or(&[])
    }

    /// Computes the adler32 checksum of the image (linear in its size).
    pub fn computed_checksum(&self) -> u32 {
        adler32(self.checksummed_bytes())
    }

    /// Verifies the checksum; returns the warning to report when it differs.
    pub fn checksum_warning(&self) -> Option<DexWarning> {
        let actual = self.computed_checksum();
        (actual != self.header.checksum).then_some(DexWarning::ChecksumMismatch {
            expected: self.header.checksum,
            actual,
        })
    }

    /// The DEX version (35 to 41, or an unknown one reported as a warning).
    pub fn version(&self) -> u32 {
        self.header.version
    }

    /// The raw header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Anomalies found while parsing.
    pub fn warnings(&self) -> &[DexWarning] {
        &self.warnings
    }

    /// The buffer all offsets resolve against: the whole container for 041,
    /// the image itself for older versions.
    pub fn data(&self) -> &'a [u8] {
        self.data.0
    }

    /// Position of this image's header in [`data`](Self::data).
    pub fn header_offset(&self) -> usize {
        self.header_offset
    }

    /// The map list entries (empty when the map is absent or unreadable).
    pub fn map_items(&self) -> MapItems<'a> {
        if self.map.count == 0 {
            return MapItems::empty();
        }
        MapItems::new(self.map.bytes(self.data.0, 12))
    }

    /// Position of entry `idx` of `table`.
    fn entry(
        &self,
        t: Table,
        table: &'static str,
        idx: u32,
        size: usize,
    ) -> Result<usize, DexError> {
        if idx >= t.count {
            return Err(DexError::IndexOutOfRange {
                table,
                index: idx,
                count: t.count,
            });
        }
        Ok(t.off.saturating_add((idx as usize).saturating_mul(size)))
    }

    fn u32_at(&self, pos: usize, what: &'static str) -> Result<u32, DexError> {
        Ok(Bytes::new(self.data.0).u32(pos, what)?)
    }

    fn u16_at(&self, pos: usize, what: &'static str) -> Result<u16, DexError> {
        Ok(Bytes::new(self.data.0).u16(pos, what)?)
    }

    // ----- strings and types -----

    /// Number of strings.
    pub fn strings_len(&self) -> u32 {
        self.string_ids.count
    }

    /// The `string_data_item` of string `idx`.
    pub fn string_data(&self, idx: u32) -> Result<DexString<'a>, DexError> {
        let pos = self.entry(self.string_ids, "string_ids", idx, 4)?;
        let off = self.u32_at(pos, "string_id_item")? as usize;
        let mut c = Cursor::at(self.data.0, off);
        let utf16_len = c.uleb128("string_data_item utf16_size")?;
        let start = c.pos();
        // MUTF-8 takes at most 3 bytes per UTF-16 unit, and ART rejects files
        // whose declared length is wrong, so the NUL must be within this
        // window. Where the NUL is comes from a table computed once per file,
        // so that hostile files cannot make each lookup scan far.
        let ends = self.string_ends.get_or_init(|| {
            let data = self.data.0;
            string_ends::compute(
                data,
                (0..self.string_ids.count).map(|i| {
                    self.entry(self.string_ids, "string_ids", i, 4)
                        .and_then(|pos| self.u32_at(pos, "string_id_item"))
                        .ok()
                }),
            )
        });
        let unterminated = DexError::UnterminatedString { offset: off };
        let nul = match ends.get(idx as usize) {
            Some(&n) if n != string_ends::NONE => n as usize,
            _ => return Err(unterminated),
        };
        let window = (utf16_len as usize).saturating_mul(3);
        if nul < start || nul - start > window {
            return Err(unterminated);
        }
        Ok(DexString {
            utf16_len,
            bytes: self.data.0.get(start..nul).unwrap_or(&[]),
        })
    }

    /// The raw MUTF-8 bytes of string `idx` (without the NUL terminator).
    pub fn string(&self, idx: u32) -> Result<&'a [u8], DexError> {
        Ok(self.string_data(idx)?.bytes)
    }

    /// String `idx` decoded from MUTF-8 (borrowed when it is plain UTF-8).
    pub fn string_lossy(&self, idx: u32) -> Result<Cow<'a, str>, DexError> {
        Ok(mutf8::decode(self.string(idx)?))
    }

    /// Number of types.
    pub fn types_len(&self) -> u32 {
        self.type_ids.count
    }

    /// String index of the descriptor of type `idx`.
    pub fn type_descriptor_idx(&self, idx: u32) -> Result<u32, DexError> {
        let pos = self.entry(self.type_ids, "type_ids", idx, 4)?;
        self.u32_at(pos, "type_id_item")
    }

    /// The descriptor of type `idx` (e.g. `Ljava/lang/String;`), raw MUTF-8.
    pub fn type_descriptor(&self, idx: u32) -> Result<&'a [u8], DexError> {
        self.string(self.type_descriptor_idx(idx)?)
    }

    /// The descriptor of type `idx`, decoded.
    pub fn type_descriptor_lossy(&self, idx: u32) -> Result<Cow<'a, str>, DexError> {
        Ok(mutf8::decode(self.type_descriptor(idx)?))
    }

    /// The `type_list` at `offset` (0 gives an empty list).
    pub fn type_list(&self, offset: u32) -> Result<TypeList<'a>, DexError> {
        if offset == 0 {
            return Ok(TypeList::default());
        }
        let size = self.u32_at(offset as usize, "type_list size")?;
        let start = (offset as usize).saturating_add(4);
        let len = usize::try_from(u64::from(size) * 2).unwrap_or(usize::MAX);
        Ok(TypeList::new(Bytes::new(self.data.0).slice(
            start,
            len,
            "type_list",
        )?))
    }

    // ----- protos, fields, methods -----

    /// Number of protos.
    pub fn protos_len(&self) -> u32 {
        self.proto_ids.count
    }

    /// Proto `idx`.
    pub fn proto_id(&self, idx: u32) -> Result<ProtoId, DexError> {
        let pos = self.entry(self.proto_ids, "proto_ids", idx, 12)?;
        Ok(ProtoId {
            shorty_idx: self.u32_at(pos, "proto_id_item")?,
            return_type_idx: self.u32_at(pos.saturating_add(4), "proto_id_item")?,
            parameters_off: self.u32_at(pos.saturating_add(8), "proto_id_item")?,
        })
    }

    /// Parameter types of a proto.
    pub fn proto_parameters(&self, proto: &ProtoId) -> Result<TypeList<'a>, DexError> {
        self.type_list(proto.parameters_off)
    }

    /// Number of field ids.
    pub fn fields_len(&self) -> u32 {
        self.field_ids.count
    }

    /// Field id `idx`.
    pub fn field_id(&self, idx: u32) -> Result<FieldId, DexError> {
        let pos = self.entry(self.field_ids, "field_ids", idx, 8)?;
        Ok(FieldId {
            class_idx: self.u16_at(pos, "field_id_item")?,
            type_idx: self.u16_at(pos.saturating_add(2), "field_id_item")?,
            name_idx: self.u32_at(pos.saturating_add(4), "field_id_item")?,
        })
    }

    /// Number of method ids.
    pub fn methods_len(&self) -> u32 {
        self.method_ids.count
    }

    /// Method id `idx`.
    pub fn method_id(&self, idx: u32) -> Result<MethodId, DexError> {
        let pos = self.entry(self.method_ids, "method_ids", idx, 8)?;
        Ok(MethodId {
            class_idx: self.u16_at(pos, "method_id_item")?,
            proto_idx: self.u16_at(pos.saturating_add(2), "method_id_item")?,
            name_idx: self.u32_at(pos.saturating_add(4), "method_id_item")?,
        })
    }

    // ----- method handles and call sites (from the map list) -----

    /// Number of method handles.
    pub fn method_handles_len(&self) -> u32 {
        self.method_handles.count
    }

    /// Method handle `idx`.
    pub fn method_handle(&self, idx: u32) -> Result<MethodHandle, DexError> {
        let pos = self.entry(self.method_handles, "method_handles", idx, 8)?;
        Ok(MethodHandle {
            kind: MethodHandleKind::from_raw(self.u16_at(pos, "method_handle_item")?),
            field_or_method_id: self.u16_at(pos.saturating_add(4), "method_handle_item")?,
        })
    }

    /// Number of call sites.
    pub fn call_sites_len(&self) -> u32 {
        self.call_site_ids.count
    }

    /// Call site `idx`.
    pub fn call_site(&self, idx: u32) -> Result<CallSite<'a>, DexError> {
        let pos = self.entry(self.call_site_ids, "call_site_ids", idx, 4)?;
        let off = self.u32_at(pos, "call_site_id_item")?;
        CallSite::parse(self.data.0, off as usize)
    }

    // ----- classes -----

    /// Number of class defs.
    pub fn class_defs_len(&self) -> u32 {
        self.class_defs.count
    }

    /// All class defs, in table order.
    pub fn class_defs(&self) -> ClassDefs<'a> {
        ClassDefs::new(self.class_defs.bytes(self.data.0, CLASS_DEF_SIZE))
    }

    /// Class def `idx`.
    pub fn class_def(&self, idx: u32) -> Result<ClassDef, DexError> {
        let pos = self.entry(self.class_defs, "class_defs", idx, CLASS_DEF_SIZE)?;
        let entry: [u8; CLASS_DEF_SIZE] = Bytes::new(self.data.0).array(pos, "class_def_item")?;
        Ok(ClassDef::from_bytes(idx, &entry))
    }

    /// Interfaces a class implements.
    pub fn interfaces(&self, class: &ClassDef) -> Result<TypeList<'a>, DexError> {
        self.type_list(class.interfaces_off.unwrap_or(0))
    }

    /// The class's fields and methods, or `None` when it has no class data.
    pub fn class_data(&self, class: &ClassDef) -> Result<Option<ClassData<'a>>, DexError> {
        class
            .class_data_off
            .map(|off| ClassData::parse(self.data.0, off as usize))
            .transpose()
    }

    /// Initial values of the class's static fields, if any.
    pub fn static_values(&self, class: &ClassDef) -> Result<Option<EncodedArray<'a>>, DexError> {
        class
            .static_values_off
            .map(|off| self.encoded_array(off))
            .transpose()
    }

    /// The `encoded_array_item` at `offset`.
    pub fn encoded_array(&self, offset: u32) -> Result<EncodedArray<'a>, DexError> {
        EncodedArray::parse(self.data.0, offset as usize, 0)
    }

    /// The `code_item` at `offset` (from [`EncodedMethod::code_off`](crate::EncodedMethod::code_off)).
    pub fn code_item(&self, offset: u32) -> Result<CodeItem<'a>, DexError> {
        CodeItem::parse(self.data.0, offset as usize)
    }

    /// The `debug_info_item` at `offset` (from [`CodeItem::debug_info_off`](crate::CodeItem::debug_info_off); 0 means none).
    pub fn debug_info(&self, offset: u32) -> Result<DebugInfo<'a>, DexError> {
        DebugInfo::parse(self.data.0, offset as usize)
    }
}
