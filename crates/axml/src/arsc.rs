//! resources.arsc (`ResTable`): a lazy, borrowed view that resolves resource
//! ids to values in the default configuration.
//!
//! Parsing only walks chunk headers (packages, type chunks); no string is
//! decoded and no entry read until a lookup asks for it, so a 20 MB table
//! costs one pass over its chunk headers.
//!
//! **Configuration rule** (same as androguard's `get_res_configs` with the
//! default config): an entry from a type chunk whose `ResTable_config` is all
//! zeros wins; when no default-configuration chunk has the entry, the first
//! chunk in file order that has it is used.

use leakscope_bytes::Bytes;

use crate::chunk::{self, ChunkHeader};
use crate::string_pool::{StringPool, StringPoolAnomaly};
use crate::value::{TYPE_DYNAMIC_REFERENCE, TYPE_REFERENCE, Value};

/// Longest chain of references followed before giving up (loops included).
pub const MAX_REFERENCE_HOPS: usize = 16;
/// At most this many warnings are kept per table.
const MAX_WARNINGS: usize = 256;

const FLAG_SPARSE: u8 = 0x01;
const FLAG_OFFSET16: u8 = 0x02;
const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
const ENTRY_FLAG_COMPACT: u16 = 0x0008;
const NO_ENTRY32: u32 = u32::MAX;
const NO_ENTRY16: u16 = u16::MAX;
const PACKAGE_MIN_HEADER: usize = 284;
const TYPE_MIN_HEADER: usize = 20;

/// Why a resources.arsc could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArscError {
    /// Fewer bytes than the table header.
    #[error("resources.arsc too short ({0} bytes)")]
    TooShort(usize),
    /// The first chunk is not `RES_TABLE_TYPE`.
    #[error("not a resource table: chunk type {0:#06x}")]
    NotArsc(u16),
}

/// Something odd about a resource table that did not stop it from parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArscWarning {
    /// The declared table size differs from the data length.
    WrongFileSize {
        /// Declared size.
        declared: u32,
        /// Actual length.
        actual: usize,
    },
    /// A chunk's sizes are inconsistent; it was read as far as possible.
    MalformedChunk {
        /// Offset of the chunk.
        offset: usize,
        /// Chunk type.
        kind: u16,
    },
    /// A chunk size too small to advance: the rest of its parent was skipped.
    ChunkLoop {
        /// Offset of the chunk.
        offset: usize,
    },
    /// A string pool anomaly.
    StringPool(StringPoolAnomaly),
    /// The table has no global value string pool.
    NoValueStrings,
    /// A type chunk declares more entries than its bytes can index.
    EntryCountCapped {
        /// Offset of the type chunk.
        offset: usize,
        /// Declared count.
        declared: u32,
        /// Usable count.
        usable: u32,
    },
    /// A type chunk with type id 0 (invalid) was skipped.
    BadTypeId {
        /// Offset of the type chunk.
        offset: usize,
    },
    /// The header's package count differs from the packages found.
    PackageCount {
        /// Declared count.
        declared: u32,
        /// Packages found.
        found: usize,
    },
}

impl std::fmt::Display for ArscWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WrongFileSize { declared, actual } => {
                write!(
                    f,
                    "table header declares {declared} bytes, data has {actual}"
                )
            }
            Self::MalformedChunk { offset, kind } => {
                write!(f, "chunk {kind:#06x} at {offset:#x} has inconsistent sizes")
            }
            Self::ChunkLoop { offset } => {
                write!(f, "chunk at {offset:#x} has a size too small to advance")
            }
            Self::StringPool(a) => write!(f, "{a}"),
            Self::NoValueStrings => write!(f, "no global string pool"),
            Self::EntryCountCapped {
                offset,
                declared,
                usable,
            } => write!(
                f,
                "type chunk at {offset:#x} declares {declared} entries, only {usable} fit"
            ),
            Self::BadTypeId { offset } => write!(f, "type chunk at {offset:#x} has type id 0"),
            Self::PackageCount { declared, found } => {
                write!(f, "header declares {declared} packages, found {found}")
            }
        }
    }
}

/// One `ResTable_type` chunk, located but not decoded.
#[derive(Clone, Copy, Debug)]
struct TypeChunk {
    flags: u8,
    entry_count: u32,
    /// Absolute offset of the entry offsets array.
    offsets_at: usize,
    /// Absolute offset entries are relative to.
    entries_at: usize,
    /// Absolute end of the chunk (clamped).
    end: usize,
    /// True for the all-zero (default) configuration.
    is_default: bool,
}

#[derive(Clone, Debug)]
struct Package<'a> {
    id: u32,
    name: String,
    type_strings: StringPool<'a>,
    key_strings: StringPool<'a>,
    type_id_offset: u32,
    /// Type chunks by type id (index = id).
    types: Vec<Vec<TypeChunk>>,
}

/// A parsed (lazily) resources.arsc.
#[derive(Clone, Debug)]
pub struct ResourceTable<'a> {
    data: Bytes<'a>,
    strings: StringPool<'a>,
    packages: Vec<Package<'a>>,
    warnings: Vec<ArscWarning>,
}

/// Where an entry's value lies, once found.
#[derive(Clone, Copy, Debug)]
struct RawEntry {
    key: u32,
    /// `(dataType, data)` for simple entries, `None` for bags.
    value: Option<(u8, u32)>,
}

impl<'a> ResourceTable<'a> {
    /// Parses the chunk structure of a resources.arsc. Fails only when the
    /// data is not a resource table at all.
    pub fn parse(data: &'a [u8]) -> Result<ResourceTable<'a>, ArscError> {
        let b = Bytes::new(data);
        let h = ChunkHeader::read(b, 0).map_err(|_| ArscError::TooShort(data.len()))?;
        if h.kind != chunk::RES_TABLE_TYPE {
            return Err(ArscError::NotArsc(h.kind));
        }
        let mut t = ResourceTable {
            data: b,
            strings: StringPool::empty(),
            packages: Vec::new(),
            warnings: Vec::new(),
        };
        let declared_packages = b.u32(8, "package count").unwrap_or(0);
        if h.size as usize != data.len() {
            t.warn(ArscWarning::WrongFileSize {
                declared: h.size,
                actual: data.len(),
            });
        }
        let end = if (h.size as usize) >= 12 {
            (h.size as usize).min(data.len())
        } else {
            data.len()
        };
        let start = usize::from(h.header_size).clamp(12, end.max(12));
        let mut have_pool = false;
        for c in t.chunks(start, end) {
            match c.kind {
                chunk::RES_STRING_POOL_TYPE if !have_pool => {
                    have_pool = true;
                    let mut anomalies = Vec::new();
                    t.strings = StringPool::parse(data, &c, end, &mut anomalies);
                    t.warn_pool(anomalies);
                }
                chunk::RES_TABLE_PACKAGE_TYPE => {
                    if let Some(p) = t.package(&c, end) {
                        t.packages.push(p);
                    }
                }
                _ => {}
            }
        }
        if !have_pool {
            t.warn(ArscWarning::NoValueStrings);
        }
        if declared_packages as usize != t.packages.len() {
            t.warn(ArscWarning::PackageCount {
                declared: declared_packages,
                found: t.packages.len(),
            });
        }
        Ok(t)
    }

    fn warn(&mut self, w: ArscWarning) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        }
    }

    fn warn_pool(&mut self, anomalies: Vec<StringPoolAnomaly>) {
        for a in anomalies {
            self.warn(ArscWarning::StringPool(a));
        }
    }

    /// Walks the chunk headers in `[start, end)`, warning about malformed ones.
    fn chunks(&mut self, start: usize, end: usize) -> Vec<ChunkHeader> {
        let mut out = Vec::new();
        let mut pos = start;
        while pos
            .checked_add(chunk::CHUNK_HEADER_SIZE)
            .is_some_and(|e| e <= end)
        {
            let Ok(h) = ChunkHeader::read(self.data, pos) else {
                break;
            };
            if !h.is_valid(chunk::CHUNK_HEADER_SIZE, end) {
                self.warn(ArscWarning::MalformedChunk {
                    offset: pos,
                    kind: h.kind,
                });
            }
            let size = h.size as usize;
            if size < chunk::CHUNK_HEADER_SIZE {
                self.warn(ArscWarning::ChunkLoop { offset: pos });
                break;
            }
            out.push(h);
            match pos.checked_add(size) {
                Some(next) => pos = next,
                None => break,
            }
        }
        out
    }

    fn package(&mut self, c: &ChunkHeader, limit: usize) -> Option<Package<'a>> {
        let b = self.data;
        let data = b.as_slice();
        let p = c.offset;
        let end = c.end_clamped(limit);
        let hs = usize::from(c.header_size);
        if hs < PACKAGE_MIN_HEADER || p.saturating_add(hs) > end {
            self.warn(ArscWarning::MalformedChunk {
                offset: p,
                kind: c.kind,
            });
            return None;
        }
        let id = b.u32(p + 8, "package id").ok()?;
        let name_bytes = b.slice(p + 12, 256, "package name").ok()?;
        let units: Vec<u16> = name_bytes
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
            .take_while(|&u| u != 0)
            .collect();
        let name = String::from_utf16_lossy(&units);
        let type_strings_off = b.u32(p + 268, "typeStrings").ok()? as usize;
        let key_strings_off = b.u32(p + 276, "keyStrings").ok()? as usize;
        let type_id_offset = if hs >= 288 {
            b.u32(p + 284, "typeIdOffset").unwrap_or(0)
        } else {
            0
        };
        let pool_at = |rel: usize, t: &mut Self| -> StringPool<'a> {
            let at = p.saturating_add(rel);
            match ChunkHeader::read(b, at) {
                Ok(h) if rel != 0 && h.kind == chunk::RES_STRING_POOL_TYPE && at < end => {
                    let mut anomalies = Vec::new();
                    let pool = StringPool::parse(data, &h, end, &mut anomalies);
                    t.warn_pool(anomalies);
                    pool
                }
                _ => {
                    t.warn(ArscWarning::MalformedChunk {
                        offset: at,
                        kind: chunk::RES_STRING_POOL_TYPE,
                    });
                    StringPool::empty()
                }
            }
        };
        let type_strings = pool_at(type_strings_off, self);
        let key_strings = pool_at(key_strings_off, self);
        let mut types: Vec<Vec<TypeChunk>> = Vec::new();
        for h in self.chunks(p.saturating_add(hs), end) {
            if h.kind != chunk::RES_TABLE_TYPE_TYPE {
                continue;
            }
            if let Some((type_id, tc)) = self.type_chunk(&h, end) {
                let idx = usize::from(type_id);
                if types.len() <= idx {
                    types.resize(idx + 1, Vec::new());
                }
                if let Some(v) = types.get_mut(idx) {
                    v.push(tc);
                }
            }
        }
        Some(Package {
            id,
            name,
            type_strings,
            key_strings,
            type_id_offset,
            types,
        })
    }

    fn type_chunk(&mut self, h: &ChunkHeader, limit: usize) -> Option<(u8, TypeChunk)> {
        let b = self.data;
        let t = h.offset;
        let end = h.end_clamped(limit);
        let hs = usize::from(h.header_size);
        if hs < TYPE_MIN_HEADER || t.saturating_add(hs) > end {
            self.warn(ArscWarning::MalformedChunk {
                offset: t,
                kind: h.kind,
            });
            return None;
        }
        let id = b.u8(t + 8, "type id").ok()?;
        if id == 0 {
            self.warn(ArscWarning::BadTypeId { offset: t });
            return None;
        }
        let flags = b.u8(t + 9, "type flags").ok()?;
        let declared = b.u32(t + 12, "entryCount").ok()?;
        let entries_start = b.u32(t + 16, "entriesStart").ok()? as usize;
        let offsets_at = t + hs;
        let width = if flags & FLAG_OFFSET16 != 0 && flags & FLAG_SPARSE == 0 {
            2
        } else {
            4
        };
        let room = end.saturating_sub(offsets_at) / width;
        let entry_count = u32::try_from(room).unwrap_or(u32::MAX).min(declared);
        if entry_count < declared {
            self.warn(ArscWarning::EntryCountCapped {
                offset: t,
                declared,
                usable: entry_count,
            });
        }
        // ResTable_config: its own size, then fields; default = all zero.
        let config_size = b.u32(t + 20, "config size").unwrap_or(0) as usize;
        let config_end = t.saturating_add(20).saturating_add(config_size).min(t + hs);
        let is_default = b
            .slice(t + 24, config_end.saturating_sub(t + 24), "config")
            .map(|c| c.iter().all(|&x| x == 0))
            .unwrap_or(true);
        Some((
            id,
            TypeChunk {
                flags,
                entry_count,
                offsets_at,
                entries_at: t.saturating_add(entries_start),
                end,
                is_default,
            },
        ))
    }

    /// Warnings collected while parsing.
    pub fn warnings(&self) -> &[ArscWarning] {
        &self.warnings
    }

    /// `(id, name)` of each package, in file order.
    pub fn packages(&self) -> Vec<(u32, String)> {
        self.packages
            .iter()
            .map(|p| (p.id, p.name.clone()))
            .collect()
    }

    /// The global value string pool.
    pub fn value_strings(&self) -> &StringPool<'a> {
        &self.strings
    }

    fn find_package(&self, pkg_id: u32) -> Option<&Package<'a>> {
        let exact = self.packages.iter().find(|p| p.id == pkg_id);
        match (exact, self.packages.as_slice()) {
            (Some(p), _) => Some(p),
            // A single shared-library package (id 0) answers for the app.
            (None, [only]) if only.id == 0 => Some(only),
            _ => None,
        }
    }

    fn entry_offset(&self, tc: &TypeChunk, index: u32) -> Option<usize> {
        let b = self.data;
        let rel = if tc.flags & FLAG_SPARSE != 0 {
            // Sorted (idx u16, offset/4 u16) pairs: binary search.
            let (mut lo, mut hi) = (0u32, tc.entry_count);
            let mut found = None;
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                let at = tc.offsets_at.saturating_add(mid as usize * 4);
                let idx = u32::from(b.u16(at, "sparse idx").ok()?);
                match idx.cmp(&index) {
                    std::cmp::Ordering::Equal => {
                        found = Some(usize::from(b.u16(at + 2, "sparse offset").ok()?) * 4);
                        break;
                    }
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                }
            }
            found?
        } else if index >= tc.entry_count {
            return None;
        } else if tc.flags & FLAG_OFFSET16 != 0 {
            let v = b
                .u16(tc.offsets_at.saturating_add(index as usize * 2), "offset16")
                .ok()?;
            if v == NO_ENTRY16 {
                return None;
            }
            usize::from(v) * 4
        } else {
            let v = b
                .u32(
                    tc.offsets_at.saturating_add(index as usize * 4),
                    "entry offset",
                )
                .ok()?;
            if v == NO_ENTRY32 {
                return None;
            }
            v as usize
        };
        let abs = tc.entries_at.checked_add(rel)?;
        (abs.checked_add(8)? <= tc.end).then_some(abs)
    }

    /// Every present entry of a type chunk as `(entry index, absolute
    /// offset)`; the cost is bounded by the chunk's offsets array.
    fn entries<'s>(&'s self, tc: &'s TypeChunk) -> impl Iterator<Item = (u32, usize)> + 's {
        let sparse = tc.flags & FLAG_SPARSE != 0;
        let count = if sparse {
            tc.entry_count
        } else {
            tc.entry_count.min(0x1_0000)
        };
        (0..count).filter_map(move |k| {
            if sparse {
                let at = tc.offsets_at.saturating_add(k as usize * 4);
                let idx = u32::from(self.data.u16(at, "sparse idx").ok()?);
                let rel =
                    usize::from(self.data.u16(at.saturating_add(2), "sparse offset").ok()?) * 4;
                let abs = tc.entries_at.checked_add(rel)?;
                (abs.checked_add(8)? <= tc.end).then_some((idx, abs))
            } else {
                self.entry_offset(tc, k).map(|abs| (k, abs))
            }
        })
    }

    fn read_entry(&self, tc: &TypeChunk, abs: usize) -> Option<RawEntry> {
        let b = self.data;
        let size = b.u16(abs, "entry size").ok()?;
        let flags = b.u16(abs + 2, "entry flags").ok()?;
        if flags & ENTRY_FLAG_COMPACT != 0 {
            // Compact entry: key in `size`, data type in the flags' high byte.
            let data = b.u32(abs + 4, "compact data").ok()?;
            return Some(RawEntry {
                key: u32::from(size),
                value: Some(((flags >> 8) as u8, data)),
            });
        }
        let key = b.u32(abs + 4, "entry key").ok()?;
        if flags & ENTRY_FLAG_COMPLEX != 0 {
            return Some(RawEntry { key, value: None });
        }
        let v = abs.checked_add(usize::from(size))?;
        if v.checked_add(8)? > tc.end {
            return Some(RawEntry { key, value: None });
        }
        let data_type = b.u8(v + 3, "value type").ok()?;
        let data = b.u32(v + 4, "value data").ok()?;
        Some(RawEntry {
            key,
            value: Some((data_type, data)),
        })
    }

    /// The entry for `id` in the default configuration (see module docs).
    fn lookup(&self, id: u32) -> Option<(&Package<'a>, RawEntry)> {
        let pkg = self.find_package(id >> 24)?;
        let chunks = pkg.types.get(((id >> 16) & 0xff) as usize)?;
        let index = id & 0xffff;
        let mut fallback = None;
        for tc in chunks {
            if let Some(abs) = self.entry_offset(tc, index) {
                if tc.is_default {
                    return Some((pkg, self.read_entry(tc, abs)?));
                }
                if fallback.is_none() {
                    fallback = Some((tc, abs));
                }
            }
        }
        let (tc, abs) = fallback?;
        Some((pkg, self.read_entry(tc, abs)?))
    }

    /// The value of `id` in the default configuration, following references
    /// (at most [`MAX_REFERENCE_HOPS`]). `None` for missing ids, bags and
    /// reference loops.
    pub fn resolve(&self, id: u32) -> Option<Value> {
        let mut id = id;
        for _ in 0..MAX_REFERENCE_HOPS {
            let (_, entry) = self.lookup(id)?;
            let (data_type, data) = entry.value?;
            match data_type {
                TYPE_REFERENCE | TYPE_DYNAMIC_REFERENCE if data != 0 => id = data,
                _ => {
                    return Some(Value::from_typed(data_type, data, || {
                        self.strings.get(data).map(std::borrow::Cow::into_owned)
                    }));
                }
            }
        }
        None
    }

    /// The string value of `id` in the default configuration, following
    /// references; `None` when missing or not a string.
    pub fn resolve_string(&self, id: u32) -> Option<String> {
        match self.resolve(id)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entry name of `id` as `type/key` (e.g. `string/app_name`).
    pub fn entry_name(&self, id: u32) -> Option<String> {
        let (pkg, entry) = self.lookup(id)?;
        let type_id = (id >> 16) & 0xff;
        let type_index = type_id.checked_sub(1)?.checked_sub(pkg.type_id_offset)?;
        let type_name = pkg.type_strings.get(type_index)?;
        let key = pkg.key_strings.get(entry.key)?;
        Some(format!("{type_name}/{key}"))
    }

    /// Finds the id of `type_name/key` (e.g. `("string", "app_name")`) in the
    /// first package that has it (a shared-library package answers with
    /// package byte 0, as stored). Walks that type's entries: use for the
    /// occasional text reference, not in a loop.
    pub fn find_id(&self, type_name: &str, key: &str) -> Option<u32> {
        for pkg in &self.packages {
            // Key names are unique within a package's key pool: find the
            // index once, then compare integers.
            let Some(key_index) = (0..pkg.key_strings.len())
                .find(|&k| pkg.key_strings.get(k).as_deref() == Some(key))
            else {
                continue;
            };
            for (type_id, chunks) in pkg.types.iter().enumerate() {
                let Some(idx) = (type_id as u32)
                    .checked_sub(1)
                    .and_then(|t| t.checked_sub(pkg.type_id_offset))
                else {
                    continue;
                };
                if pkg.type_strings.get(idx).as_deref() != Some(type_name) {
                    continue;
                }
                for tc in chunks {
                    for (e, abs) in self.entries(tc) {
                        if self
                            .read_entry(tc, abs)
                            .is_some_and(|entry| entry.key == key_index)
                        {
                            return Some((pkg.id << 24) | ((type_id as u32) << 16) | e);
                        }
                    }
                }
            }
        }
        None
    }
}
