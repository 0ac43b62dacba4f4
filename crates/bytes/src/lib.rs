//! Checked, zero-copy reads over untrusted bytes.
//!
//! Every parser in leakscope reads attacker-controlled input. This crate is
//! the one place that turns "offset + length" into a slice or an integer, and
//! it never panics: each read is bounds-checked and overflow-checked, and
//! fails with a [`Error`] that names what was being read and where.
//!
//! ```
//! use leakscope_bytes::{Bytes, Cursor};
//! let data = [0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x85, 0x01];
//! let b = Bytes::new(&data);
//! assert_eq!(b.u16(0, "magic").unwrap(), 1);
//! assert_eq!(b.u32(2, "size").unwrap(), 2);
//! let mut c = Cursor::at(&data, 6);
//! assert_eq!(c.uleb128("index").unwrap(), 0x85);
//! assert!(b.u32(6, "past end").is_err());
//! ```

#![deny(missing_docs)]

use std::fmt;

/// A failed read: what was being read, and the offset where it failed.
///
/// It is `Copy` and never allocates, so parsers can return it freely on hot
/// paths and wrap it in richer context only at their API boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// Offset (in the buffer being read) at which the read failed.
    pub offset: usize,
    /// What was being read, e.g. `"string_ids"`.
    pub what: &'static str,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} out of bounds or malformed at offset {:#x}",
            self.what, self.offset
        )
    }
}

impl std::error::Error for Error {}

// Debug prints lengths and positions, never the (possibly huge) buffer.
impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bytes")
            .field("len", &self.data.len())
            .finish()
    }
}

impl fmt::Debug for Cursor<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("len", &self.data.len())
            .field("pos", &self.pos)
            .finish()
    }
}

/// Result of a checked read.
pub type Result<T> = std::result::Result<T, Error>;

/// A borrowed byte buffer with checked little-endian accessors.
///
/// All accessors take an absolute offset and a static description used in the
/// error. None of them can panic.
#[derive(Clone, Copy)]
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// Wraps a slice.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    /// The whole underlying slice.
    pub fn as_slice(&self) -> &'a [u8] {
        self.data
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// `len` bytes starting at `offset`.
    pub fn slice(&self, offset: usize, len: usize, what: &'static str) -> Result<&'a [u8]> {
        let end = offset.checked_add(len).ok_or(Error { offset, what })?;
        self.data.get(offset..end).ok_or(Error { offset, what })
    }

    /// Everything from `offset` to the end.
    pub fn tail(&self, offset: usize, what: &'static str) -> Result<&'a [u8]> {
        self.data.get(offset..).ok_or(Error { offset, what })
    }

    /// A fixed-size array at `offset`.
    pub fn array<const N: usize>(&self, offset: usize, what: &'static str) -> Result<[u8; N]> {
        let s = self.slice(offset, N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&self, offset: usize, what: &'static str) -> Result<u8> {
        self.data.get(offset).copied().ok_or(Error { offset, what })
    }

    /// Little-endian `u16`.
    pub fn u16(&self, offset: usize, what: &'static str) -> Result<u16> {
        self.array(offset, what).map(u16::from_le_bytes)
    }

    /// Little-endian `u32`.
    pub fn u32(&self, offset: usize, what: &'static str) -> Result<u32> {
        self.array(offset, what).map(u32::from_le_bytes)
    }

    /// Little-endian `u64`.
    pub fn u64(&self, offset: usize, what: &'static str) -> Result<u64> {
        self.array(offset, what).map(u64::from_le_bytes)
    }

    /// Little-endian `i32`.
    pub fn i32(&self, offset: usize, what: &'static str) -> Result<i32> {
        self.array(offset, what).map(i32::from_le_bytes)
    }

    /// A sub-buffer `len` bytes long at `offset`.
    pub fn sub(&self, offset: usize, len: usize, what: &'static str) -> Result<Bytes<'a>> {
        self.slice(offset, len, what).map(Bytes::new)
    }
}

/// A forward-reading cursor over a byte slice.
#[derive(Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    /// A cursor at `pos` in `data` (reads fail if `pos` is past the end).
    pub fn at(data: &'a [u8], pos: usize) -> Self {
        Cursor { data, pos }
    }

    /// Current position.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Moves to an absolute position (checked on the next read).
    pub fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// Bytes left to read (0 when past the end).
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn err(&self, what: &'static str) -> Error {
        Error {
            offset: self.pos,
            what,
        }
    }

    /// Reads `n` bytes.
    pub fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        let s = Bytes::new(self.data).slice(self.pos, n, what)?;
        self.pos += n;
        Ok(s)
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, n: usize, what: &'static str) -> Result<()> {
        self.bytes(n, what).map(|_| ())
    }

    /// Reads one byte.
    pub fn u8(&mut self, what: &'static str) -> Result<u8> {
        let v = Bytes::new(self.data).u8(self.pos, what)?;
        self.pos += 1;
        Ok(v)
    }

    /// Reads a little-endian `u16`.
    pub fn u16(&mut self, what: &'static str) -> Result<u16> {
        let v = Bytes::new(self.data).u16(self.pos, what)?;
        self.pos += 2;
        Ok(v)
    }

    /// Reads a little-endian `u32`.
    pub fn u32(&mut self, what: &'static str) -> Result<u32> {
        let v = Bytes::new(self.data).u32(self.pos, what)?;
        self.pos += 4;
        Ok(v)
    }

    /// Reads a little-endian `u64`.
    pub fn u64(&mut self, what: &'static str) -> Result<u64> {
        let v = Bytes::new(self.data).u64(self.pos, what)?;
        self.pos += 8;
        Ok(v)
    }

    /// Reads an unsigned LEB128 value of at most 5 bytes (DEX `uleb128`).
    pub fn uleb128(&mut self, what: &'static str) -> Result<u32> {
        let mut result: u32 = 0;
        for i in 0..5 {
            let b = self.u8(what)?;
            result |= u32::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(result);
            }
        }
        Err(self.err(what))
    }

    /// Reads a `uleb128p1` value (`uleb128 - 1`, so that -1 encodes as 0).
    pub fn uleb128p1(&mut self, what: &'static str) -> Result<i64> {
        self.uleb128(what).map(|v| i64::from(v) - 1)
    }

    /// Reads a signed LEB128 value of at most 5 bytes (DEX `sleb128`).
    pub fn sleb128(&mut self, what: &'static str) -> Result<i32> {
        let mut result: u32 = 0;
        for i in 0..5 {
            let b = self.u8(what)?;
            result |= u32::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                let shift = 7 * (i + 1);
                if shift < 32 && b & 0x40 != 0 {
                    result |= u32::MAX << shift;
                }
                return Ok(result as i32);
            }
        }
        Err(self.err(what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb128_matches_dex_spec_examples() {
        // Examples from the DEX format specification.
        let cases: &[(&[u8], i32, u32)] = &[
            (&[0x00], 0, 0),
            (&[0x01], 1, 1),
            (&[0x7f], -1, 127),
            (&[0x80, 0x7f], -128, 16256),
        ];
        for (bytes, s, u) in cases {
            assert_eq!(Cursor::new(bytes).sleb128("s").unwrap(), *s);
            assert_eq!(Cursor::new(bytes).uleb128("u").unwrap(), *u);
        }
        assert_eq!(Cursor::new(&[0x00]).uleb128p1("p1").unwrap(), -1);
    }

    #[test]
    fn reads_fail_instead_of_panicking() {
        let b = Bytes::new(&[1, 2, 3]);
        assert!(b.u32(0, "x").is_err());
        assert!(b.slice(usize::MAX, 2, "x").is_err());
        assert!(Cursor::new(&[0xff; 6]).uleb128("x").is_err());
        let mut c = Cursor::at(&[1, 2], 10);
        assert_eq!(c.remaining(), 0);
        assert_eq!(c.u8("x").unwrap_err().offset, 10);
    }
}
