//! `ResStringPool`: the string table shared by binary XML and resources.arsc.
//!
//! The pool is a borrowed view: strings are decoded only when asked for, so a
//! 20 MB resources.arsc costs nothing until a lookup touches a string.

use std::borrow::Cow;

use leakscope_bytes::Bytes;

use crate::chunk::ChunkHeader;

/// `ResStringPool_header::UTF8_FLAG`.
const UTF8_FLAG: u32 = 1 << 8;
/// Size of `ResStringPool_header`.
const POOL_HEADER_SIZE: usize = 28;

/// Something odd about a string pool that did not stop it from being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StringPoolAnomaly {
    /// The declared string count needs more offset bytes than the chunk
    /// holds; the count was capped.
    CountCapped {
        /// Declared count.
        declared: u32,
        /// Count actually usable.
        usable: u32,
    },
    /// `stringsStart` points outside the chunk; no string can be read.
    BadStringsStart(u32),
    /// The pool declares styles (`styleCount != 0`); they are ignored.
    NonZeroStyleCount(u32),
    /// `stylesStart` is set although `styleCount` is 0 (a packer trait).
    StylesStartWithoutStyles(u32),
}

impl std::fmt::Display for StringPoolAnomaly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CountCapped { declared, usable } => write!(
                f,
                "string pool declares {declared} strings but only has room for {usable}"
            ),
            Self::BadStringsStart(s) => {
                write!(f, "string pool stringsStart {s:#x} is outside the chunk")
            }
            Self::NonZeroStyleCount(n) => write!(f, "string pool declares {n} styles (ignored)"),
            Self::StylesStartWithoutStyles(s) => {
                write!(f, "string pool has stylesStart {s:#x} but no styles")
            }
        }
    }
}

/// A lazily decoded `ResStringPool` chunk.
#[derive(Clone, Copy, Debug)]
pub struct StringPool<'a> {
    /// Offsets array (`count` little-endian u32 values).
    offsets: Bytes<'a>,
    /// String data region (from `stringsStart` to the styles or chunk end).
    strings: Bytes<'a>,
    count: u32,
    utf8: bool,
}

impl<'a> StringPool<'a> {
    /// An empty pool (every lookup fails).
    pub fn empty() -> Self {
        StringPool {
            offsets: Bytes::new(&[]),
            strings: Bytes::new(&[]),
            count: 0,
            utf8: false,
        }
    }

    /// Reads the pool whose chunk header is `h`, within `data[..limit]`.
    ///
    /// Never fails: a pool too broken to read becomes empty, and anomalies are
    /// pushed to `anomalies`.
    pub(crate) fn parse(
        data: &'a [u8],
        h: &ChunkHeader,
        limit: usize,
        anomalies: &mut Vec<StringPoolAnomaly>,
    ) -> Self {
        let b = Bytes::new(data);
        let end = h.end_clamped(limit.min(data.len()));
        let start = h.offset;
        let field = |rel: usize| {
            b.u32(start.saturating_add(rel), "string pool header")
                .unwrap_or(0)
        };
        let declared = field(8);
        let style_count = field(12);
        let flags = field(16);
        let strings_start = field(20) as usize;
        let styles_start = field(24) as usize;
        if style_count != 0 {
            anomalies.push(StringPoolAnomaly::NonZeroStyleCount(style_count));
        } else if styles_start != 0 {
            anomalies.push(StringPoolAnomaly::StylesStartWithoutStyles(
                styles_start as u32,
            ));
        }
        let header_size = usize::from(h.header_size).max(POOL_HEADER_SIZE);
        let offsets_at = start.saturating_add(header_size);
        let room = end.saturating_sub(offsets_at) / 4;
        let usable = u32::try_from(room).unwrap_or(u32::MAX).min(declared);
        if usable < declared {
            anomalies.push(StringPoolAnomaly::CountCapped { declared, usable });
        }
        let offsets = b
            .sub(offsets_at, usable as usize * 4, "string offsets")
            .unwrap_or(Bytes::new(&[]));
        let strings_abs = start.saturating_add(strings_start);
        let mut strings_end = end;
        if style_count != 0 && styles_start > strings_start {
            let s = start.saturating_add(styles_start);
            if s <= end {
                strings_end = s;
            }
        }
        let strings = if strings_abs <= strings_end {
            b.sub(strings_abs, strings_end - strings_abs, "strings")
                .unwrap_or(Bytes::new(&[]))
        } else {
            if usable > 0 {
                anomalies.push(StringPoolAnomaly::BadStringsStart(strings_start as u32));
            }
            Bytes::new(&[])
        };
        StringPool {
            offsets,
            strings,
            count: usable,
            utf8: flags & UTF8_FLAG != 0,
        }
    }

    /// Number of (usable) strings.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// True when the pool has no strings.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// True for a UTF-8 pool, false for UTF-16.
    pub fn is_utf8(&self) -> bool {
        self.utf8
    }

    /// The string at `index`, decoded (lossily for invalid UTF-8/UTF-16), or
    /// `None` when the index or its offset is out of range.
    pub fn get(&self, index: u32) -> Option<Cow<'a, str>> {
        if index >= self.count {
            return None;
        }
        let off = self.offsets.u32(index as usize * 4, "string offset").ok()? as usize;
        if self.utf8 {
            self.utf8_at(off)
        } else {
            self.utf16_at(off)
        }
    }

    /// Decoded byte length the string at `index` would have, without decoding
    /// (an upper bound used for output budgets).
    pub fn raw_len(&self, index: u32) -> usize {
        if index >= self.count {
            return 0;
        }
        let Ok(off) = self.offsets.u32(index as usize * 4, "string offset") else {
            return 0;
        };
        let off = off as usize;
        if self.utf8 {
            let mut p = off;
            let _ = self.len8(&mut p);
            self.len8(&mut p).unwrap_or(0)
        } else {
            let mut p = off;
            self.len16(&mut p).unwrap_or(0).saturating_mul(3)
        }
    }

    fn len8(&self, p: &mut usize) -> Option<usize> {
        let first = self.strings.u8(*p, "utf8 length").ok()?;
        *p += 1;
        if first & 0x80 != 0 {
            let second = self.strings.u8(*p, "utf8 length").ok()?;
            *p += 1;
            Some((usize::from(first & 0x7f) << 8) | usize::from(second))
        } else {
            Some(usize::from(first))
        }
    }

    fn len16(&self, p: &mut usize) -> Option<usize> {
        let first = self.strings.u16(*p, "utf16 length").ok()?;
        *p += 2;
        if first & 0x8000 != 0 {
            let second = self.strings.u16(*p, "utf16 length").ok()?;
            *p += 2;
            Some((usize::from(first & 0x7fff) << 16) | usize::from(second))
        } else {
            Some(usize::from(first))
        }
    }

    fn utf8_at(&self, off: usize) -> Option<Cow<'a, str>> {
        let mut p = off;
        let _utf16_len = self.len8(&mut p)?;
        let len = self.len8(&mut p)?;
        // Android (stringDecodeAt) tolerates a truncated encoded length by
        // scanning to the terminator; we take what fits and stop at the end.
        let avail = self.strings.len().saturating_sub(p);
        let bytes = self.strings.slice(p, len.min(avail), "utf8 string").ok()?;
        Some(String::from_utf8_lossy(bytes))
    }

    fn utf16_at(&self, off: usize) -> Option<Cow<'a, str>> {
        let mut p = off;
        let len = self.len16(&mut p)?;
        let avail = self.strings.len().saturating_sub(p) / 2;
        let bytes = self
            .strings
            .slice(p, len.min(avail) * 2, "utf16 string")
            .ok()?;
        let units = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        Some(Cow::Owned(
            char::decode_utf16(units)
                .map(|r| r.unwrap_or('\u{fffd}'))
                .collect(),
        ))
    }
}
